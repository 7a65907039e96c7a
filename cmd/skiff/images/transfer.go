package images

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
)

// registryFlags adds the flags every registry command shares. TLSVerify
// is set only when --tls-verify was given, so registries.conf decides
// otherwise.
type registryFlags struct {
	tlsVerify bool
	opts      engine.RegistryOptions
}

func (r *registryFlags) add(fs *pflag.FlagSet) {
	fs.BoolVar(&r.tlsVerify, "tls-verify", true, "require HTTPS and verify certificates (default: registries.conf's insecure setting)")
	fs.StringVar(&r.opts.CertDir, "cert-dir", "", "use certificates (*.crt, *.cert, *.key) in this directory to reach the registry")
	fs.StringVar(&r.opts.AuthFile, "authfile", "", "path of the authentication file (default: that of `skiff login`)")
	fs.StringVar(&r.opts.Creds, "creds", "", "registry credentials as USERNAME[:PASSWORD]")
}

func (r *registryFlags) resolve(fs *pflag.FlagSet) engine.RegistryOptions {
	o := r.opts
	if fs.Changed("tls-verify") {
		v := r.tlsVerify
		o.TLSVerify = &v
	}
	return o
}

func pullCommand(env *command.Env) *cobra.Command {
	var reg registryFlags
	var opts engine.PullOptions
	var platform string
	cmd := &cobra.Command{
		Use:   "pull [flags] IMAGE",
		Short: "Pull an image from a registry or another transport",
		Example: `  skiff pull registry.example.com/library/busybox:1.36
  skiff pull -q --platform linux/arm64 registry.example.com/app:1
  skiff pull docker-archive:./busybox.tar`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Reference = args[0]
			opts.RegistryOptions = reg.resolve(cmd.Flags())
			if opts.SignaturePolicy != "" && env.Remote(cmd.Context()) {
				return command.Invalid("--signature-policy is not supported with a remote service: the service's own policy.json applies")
			}
			if platform != "" {
				parts := strings.Split(platform, "/")
				if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
					return command.Invalid("invalid platform %q: want OS/ARCH[/VARIANT]", platform)
				}
				opts.OS, opts.Arch = parts[0], parts[1]
				if len(parts) == 3 {
					opts.Variant = parts[2]
				}
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := imgs.Pull(cmd.Context(), opts, os.Stderr)
			if err != nil {
				return err
			}
			for _, id := range rep.Images {
				fmt.Println(id)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	reg.add(fs)
	fs.BoolVarP(&opts.Quiet, "quiet", "q", false, "print only the image ID, no progress")
	fs.BoolVarP(&opts.AllTags, "all-tags", "a", false, "pull every tagged image of the repository")
	fs.StringVar(&platform, "platform", "", "choose OS/ARCH[/VARIANT] from a manifest list")
	fs.StringVar(&opts.OS, "os", "", "choose this OS from a manifest list")
	fs.StringVar(&opts.Arch, "arch", "", "choose this architecture from a manifest list")
	fs.StringVar(&opts.Variant, "variant", "", "choose this architecture variant from a manifest list")
	fs.StringVar(&opts.Policy, "policy", "always", "pull policy: always, missing, never or newer")
	fs.StringVar(&opts.SignaturePolicy, "signature-policy", "", "use this policy.json instead of the default one (local only)")
	return cmd
}

func pushCommand(env *command.Env) *cobra.Command {
	var reg registryFlags
	var opts engine.PushOptions
	var digestFile, passphraseFile string
	cmd := &cobra.Command{
		Use:   "push [flags] IMAGE [DESTINATION]",
		Short: "Push an image to a registry or another transport (docker://, oci-archive:, docker-archive:, dir:, oci:)",
		Example: `  skiff push registry.example.com/app:1
  skiff push localhost/app:1 docker://registry.example.com/team/app:1
  skiff push localhost/app:1 oci-archive:./app.tar`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = args[0]
			if len(args) == 2 {
				opts.Destination = args[1]
			}
			opts.RegistryOptions = reg.resolve(cmd.Flags())
			if err := signOptions(cmd.Context(), env, &opts, passphraseFile); err != nil {
				return err
			}
			return pushWith(cmd, env, digestFile, func(ctx context.Context, imgs engine.ImageEngine) (*engine.PushReport, error) {
				return imgs.Push(ctx, opts, os.Stderr)
			})
		},
	}
	fs := cmd.Flags()
	reg.add(fs)
	fs.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress output")
	fs.StringVar(&digestFile, "digestfile", "", "write the digest of the pushed manifest to this file")
	fs.StringVar(&opts.CompressionFormat, "compression-format", "", "compress layers with gzip, zstd or zstd:chunked")
	fs.StringVar(&opts.SignBySigstorePrivateKeyFile, "sign-by-sigstore-private-key", "", "sign the image with the sigstore private key at `PATH` (local only)")
	fs.StringVar(&passphraseFile, "sign-passphrase-file", "", "read the signing key's passphrase from the first line of `PATH`")
	return cmd
}

// readFirstLine is the first line of path without its newline, as gpg(1)
// and Podman read a passphrase file.
func readFirstLine(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return line, nil
}

// signOptions checks push's signing flags and reads the key's passphrase:
// from passphraseFile, else by prompting on a terminal, else none (a key
// made without one). A remote service is refused the key; Podman's remote
// client does not offer the flag at all.
func signOptions(ctx context.Context, env *command.Env, opts *engine.PushOptions, passphraseFile string) error {
	if opts.SignBySigstorePrivateKeyFile == "" {
		if passphraseFile != "" {
			return command.Invalid("--sign-passphrase-file needs --sign-by-sigstore-private-key")
		}
		return nil
	}
	if env.Remote(ctx) {
		return command.Invalid("--sign-by-sigstore-private-key is not supported with a remote service: the private key stays on the client's host")
	}
	switch {
	case passphraseFile != "":
		p, err := readFirstLine(passphraseFile)
		if err != nil {
			return command.Invalid("reading the passphrase file: %v", err)
		}
		opts.SignSigstorePrivateKeyPassphrase = p
	case term.IsTerminal(int(os.Stdin.Fd())):
		fmt.Fprint(os.Stderr, "Key Passphrase: ")
		p, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return fmt.Errorf("reading the key passphrase: %w", err)
		}
		opts.SignSigstorePrivateKeyPassphrase = p
	}
	return nil
}

// pushWith runs one push (an image or a manifest list) with progress on
// stderr and writes the pushed manifest's digest to digestFile if given.
func pushWith(cmd *cobra.Command, env *command.Env, digestFile string, push func(context.Context, engine.ImageEngine) (*engine.PushReport, error)) error {
	imgs, err := env.Images(cmd.Context())
	if err != nil {
		return err
	}
	rep, err := push(cmd.Context(), imgs)
	if err != nil {
		return err
	}
	if digestFile != "" {
		if err := os.WriteFile(digestFile, []byte(rep.Digest), 0o644); err != nil {
			return fmt.Errorf("writing the digest file: %w", err)
		}
	}
	return nil
}

func saveCommand(env *command.Env) *cobra.Command {
	var opts engine.SaveOptions
	cmd := &cobra.Command{
		Use:   "save [flags] IMAGE [IMAGE...]",
		Short: "Save images to an archive (docker-archive by default)",
		Example: `  skiff save -o busybox.tar busybox
  skiff save busybox localhost/app:1 | gzip > images.tar.gz`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Names = args
			if opts.Output == "" && term.IsTerminal(int(os.Stdout.Fd())) {
				return command.Invalid("refusing to write an archive to a terminal: use -o or redirect stdout")
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			return imgs.Save(cmd.Context(), opts, os.Stdout)
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&opts.Output, "output", "o", "", "write to this file (or directory for the dir formats) instead of stdout")
	fs.StringVar(&opts.Format, "format", "docker-archive", "docker-archive, oci-archive, oci-dir or docker-dir")
	fs.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress output")
	return cmd
}

func loadCommand(env *command.Env) *cobra.Command {
	var opts engine.LoadOptions
	cmd := &cobra.Command{
		Use:   "load [flags]",
		Short: "Load images from an archive (-i or stdin)",
		Example: `  skiff load -i busybox.tar
  gzip -dc images.tar.gz | skiff load`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Input == "" && term.IsTerminal(int(os.Stdin.Fd())) {
				return command.Invalid("no archive: use -i or redirect stdin")
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := imgs.Load(cmd.Context(), opts, os.Stdin, os.Stderr)
			if err != nil {
				return err
			}
			for _, n := range rep.Names {
				fmt.Println("Loaded image: " + n)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&opts.Input, "input", "i", "", "read from this archive or directory instead of stdin")
	fs.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress output")
	return cmd
}

func tagCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:     "tag IMAGE TARGET [TARGET...]",
		Short:   "Add names to an image",
		Example: `  skiff tag busybox registry.example.com/tools/busybox:1`,
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			for _, t := range args[1:] {
				if err := imgs.Tag(cmd.Context(), args[0], engine.TagOptions{Repo: t}); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func untagCommand(env *command.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "untag IMAGE [NAME...]",
		Short: "Remove names from an image (all of them when none are given)",
		Example: `  skiff untag busybox registry.example.com/tools/busybox:1
  skiff untag localhost/app:1`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			return imgs.Untag(cmd.Context(), args[0], engine.UntagOptions{Names: args[1:]})
		},
	}
}

func commitCommand(env *command.Env) *cobra.Command {
	var opts engine.CommitOptions
	var quiet bool
	cmd := &cobra.Command{
		Use:   "commit [flags] CONTAINER [IMAGE]",
		Short: "Make an image of a container's changes",
		Example: `  skiff commit web localhost/web:snapshot
  skiff commit -c 'CMD ["httpd", "-f"]' -m "add site" web localhost/web:2`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 {
				opts.Reference = args[1]
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			rep, err := imgs.Commit(cmd.Context(), args[0], opts)
			if err != nil {
				return err
			}
			if quiet {
				fmt.Println(rep.ID)
			} else {
				fmt.Println("sha256:" + rep.ID)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringArrayVarP(&opts.Changes, "change", "c", nil, "apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, LABEL, …)")
	fs.StringVarP(&opts.Message, "message", "m", "", "commit message")
	fs.StringVarP(&opts.Author, "author", "a", "", "author of the image")
	fs.BoolVarP(&quiet, "quiet", "q", false, "print the bare image ID")
	fs.BoolVarP(&opts.Pause, "pause", "p", false, "pause a running container while committing it")
	return cmd
}

func exportCommand(env *command.Env) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "export [flags] CONTAINER",
		Short: "Write a container's filesystem as a tar archive",
		Example: `  skiff export -o web.tar web
  skiff export web | tar -t`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := os.Stdout
			if output == "" && term.IsTerminal(int(os.Stdout.Fd())) {
				return command.Invalid("refusing to write an archive to a terminal: use -o or redirect stdout")
			}
			if output != "" {
				f, err := os.Create(output)
				if err != nil {
					return fmt.Errorf("creating the output file: %w", err)
				}
				defer f.Close()
				out = f
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			if err := imgs.Export(cmd.Context(), args[0], out); err != nil {
				if output != "" {
					os.Remove(output)
				}
				return err
			}
			return out.Close()
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of stdout")
	return cmd
}
