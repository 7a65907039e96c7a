package images

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	units "github.com/docker/go-units"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/registryauth"
	"github.com/skiffcontainers/skiff/pkg/report"
)

// loginCommand stores credentials on the caller's host, also in remote
// mode: the remote engine reads them and sends them with each pull/push,
// as Podman's remote client does.
func loginCommand() *cobra.Command {
	var opts registryauth.LoginOptions
	var tlsVerify bool
	cmd := &cobra.Command{
		Use:   "login [flags] [REGISTRY]",
		Short: "Log in to a registry",
		Example: `  skiff login registry.example.com
  echo "$TOKEN" | skiff login -u ci --password-stdin registry.example.com`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return command.Invalid("name the registry to log in to")
			}
			if cmd.Flags().Changed("tls-verify") {
				opts.TLSVerify = &tlsVerify
			}
			if opts.Password != "" && opts.PasswordStdin {
				return command.Invalid("--password and --password-stdin are mutually exclusive")
			}
			if opts.Password != "" {
				// Docker's warning, word for word.
				fmt.Fprintln(os.Stderr, "WARNING! Using --password via the CLI is insecure. Use --password-stdin.")
			}
			opts.Stdin, opts.Stdout = os.Stdin, os.Stdout
			opts.Interactive = term.IsTerminal(int(os.Stdin.Fd()))
			return registryauth.Login(cmd.Context(), registryauth.ProcessEnv(), args[0], opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&opts.Username, "username", "u", "", "registry user")
	fs.StringVarP(&opts.Password, "password", "p", "", "registry password")
	fs.BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from stdin")
	fs.BoolVar(&opts.GetLogin, "get-login", false, "print the user logged in to the registry")
	fs.StringVar(&opts.AuthFile, "authfile", "", "path of the authentication file")
	fs.StringVar(&opts.CertDir, "cert-dir", "", "use certificates in this directory to reach the registry")
	fs.BoolVar(&tlsVerify, "tls-verify", true, "require HTTPS and verify certificates")
	return cmd
}

func logoutCommand() *cobra.Command {
	var opts registryauth.LogoutOptions
	cmd := &cobra.Command{
		Use:   "logout [flags] [REGISTRY]",
		Short: "Remove the stored credentials of a registry",
		Example: `  skiff logout registry.example.com
  skiff logout --all`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			registry := ""
			if len(args) == 1 {
				registry = args[0]
			}
			if registry == "" && !opts.All {
				return command.Invalid("name the registry to log out of, or use --all")
			}
			if registry != "" && opts.All {
				return command.Invalid("--all and a registry name cannot be used together")
			}
			opts.Stdout = os.Stdout
			return registryauth.Logout(registryauth.ProcessEnv(), registry, opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.All, "all", "a", false, "remove the credentials of every registry")
	cmd.Flags().StringVar(&opts.AuthFile, "authfile", "", "path of the authentication file")
	return cmd
}

var historyHeaders = map[string]string{
	"ID": "IMAGE", "CreatedSince": "CREATED", "CreatedAt": "CREATED AT", "CreatedBy": "CREATED BY",
	"Size": "SIZE", "Comment": "COMMENT", "Tags": "TAGS",
}

func historyCommand(env *command.Env) *cobra.Command {
	var format string
	var quiet, noTrunc, human bool
	cmd := &cobra.Command{
		Use:   "history [flags] IMAGE",
		Short: "Show the layers of an image",
		Example: `  skiff history busybox
  skiff history --no-trunc --format '{{.CreatedBy}}' busybox`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if quiet && format == "" {
				format = "{{.ID}}"
			}
			f, err := report.NewWithOptions(os.Stdout, report.Options{Format: format,
				Default: "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}", Headers: historyHeaders})
			if err != nil {
				return err
			}
			imgs, err := env.Images(cmd.Context())
			if err != nil {
				return err
			}
			hist, err := imgs.History(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			rows := make([]any, 0, len(hist))
			for i := range hist {
				rows = append(rows, &historyRow{h: &hist[i], noTrunc: noTrunc, human: human})
			}
			if err := f.Write(rows...); err != nil {
				return err
			}
			return f.Flush()
		},
	}
	fs := cmd.Flags()
	fs.BoolVarP(&quiet, "quiet", "q", false, "only show layer IDs")
	fs.BoolVar(&noTrunc, "no-trunc", false, "do not truncate output")
	fs.BoolVar(&human, "human", true, "sizes and dates in human-readable form")
	fs.StringVar(&format, "format", "", "format output with a Go template, 'json' or 'table TEMPLATE'")
	return cmd
}

// historyRow gives templates Docker's history field names.
type historyRow struct {
	h              *engine.ImageHistory
	noTrunc, human bool
}

func (r *historyRow) ID() string {
	if r.noTrunc || !strings.HasPrefix(r.h.ID, "sha256:") {
		return r.h.ID
	}
	return report.TruncateID(strings.TrimPrefix(r.h.ID, "sha256:"))
}
func (r *historyRow) CreatedSince() string {
	if !r.human {
		return r.CreatedAt()
	}
	return units.HumanDuration(time.Since(time.Unix(r.h.Created, 0))) + " ago"
}
func (r *historyRow) CreatedAt() string {
	return time.Unix(r.h.Created, 0).Format(time.RFC3339)
}
func (r *historyRow) CreatedBy() string {
	if !r.noTrunc && len(r.h.CreatedBy) > 45 {
		return r.h.CreatedBy[:44] + "…"
	}
	return r.h.CreatedBy
}
func (r *historyRow) Size() string {
	if !r.human {
		return fmt.Sprint(r.h.Size)
	}
	return units.HumanSizeWithPrecision(float64(r.h.Size), 3)
}
func (r *historyRow) Comment() string { return r.h.Comment }

// MarshalJSON emits the fields `docker history --format json` prints,
// with the same values as the templates.
func (r *historyRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"ID": r.ID(), "CreatedSince": r.CreatedSince(), "CreatedAt": r.CreatedAt(),
		"CreatedBy": r.CreatedBy(), "Size": r.Size(), "Comment": r.Comment(),
	})
}
func (r *historyRow) Tags() string { return strings.Join(r.h.Tags, ", ") }
