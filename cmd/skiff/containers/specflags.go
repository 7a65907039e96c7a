package containers

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/skiffcontainers/skiff/cmd/skiff/command"
	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// specFlags are the flags create and run share.
type specFlags struct {
	name        string
	env         []string
	envFiles    []string
	workdir     string
	user        string
	entrypoint  string
	hostname    string
	labels      []string
	volumes     []string
	mounts      []string
	network     string
	publish     []string
	publishAll  bool
	expose      []string
	dns         []string
	dnsSearch   []string
	dnsOption   []string
	addHost     []string
	noHosts     bool
	macAddress  string
	ip          string
	aliases     []string
	pull        string
	interactive bool
	tty         bool
	rm          bool
	stopSignal  string
	stopTimeout int
	detachKeys  string
	securityFlags
	storage storageFlags
}

func (f *specFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.name, "name", "", "assign a name to the container")
	fs.StringArrayVarP(&f.env, "env", "e", nil, "set environment variables (KEY=VALUE, or KEY to copy it from the caller)")
	fs.StringArrayVar(&f.envFiles, "env-file", nil, "read environment variables from a file")
	fs.StringVarP(&f.workdir, "workdir", "w", "", "working directory inside the container")
	fs.StringVarP(&f.user, "user", "u", "", "user[:group] to run as")
	fs.StringVar(&f.entrypoint, "entrypoint", "", "override the image's entrypoint (a string, or a JSON array)")
	fs.StringVarP(&f.hostname, "hostname", "h", "", "container host name")
	fs.StringArrayVarP(&f.labels, "label", "l", nil, "set metadata (KEY=VALUE)")
	fs.StringArrayVarP(&f.volumes, "volume", "v", nil, "mount a volume or bind a host path (NAME:CONTAINER[:OPTIONS], CONTAINER for an anonymous volume, HOST:CONTAINER[:OPTIONS] with HOST absolute or starting with .)")
	fs.StringArrayVar(&f.mounts, "mount", nil, "attach a filesystem mount (type=bind|volume|tmpfs,source=…,target=CONTAINER[,readonly])")
	fs.StringVar(&f.network, "network", "", "network: pasta[:opts], slirp4netns[:opts], bridge, a network name, none, host, container:<name|id> or ns:<path> (default: pasta rootless, bridge as root; skiff.conf [network] default_network_mode)")
	fs.StringArrayVarP(&f.publish, "publish", "p", nil, "publish a container's port to the host ([ip:][hostPort:]containerPort[/tcp|udp], ranges allowed)")
	fs.BoolVarP(&f.publishAll, "publish-all", "P", false, "publish every exposed port to a random host port")
	fs.StringArrayVar(&f.expose, "expose", nil, "expose a port or a range of ports (port[/proto] or first-last[/proto])")
	fs.StringArrayVar(&f.dns, "dns", nil, "set a DNS server")
	fs.StringArrayVar(&f.dnsSearch, "dns-search", nil, "set a DNS search domain")
	fs.StringArrayVar(&f.dnsOption, "dns-option", nil, "set a DNS option")
	fs.StringArrayVar(&f.addHost, "add-host", nil, "add a host-to-IP mapping (name:ip, ip may be host-gateway)")
	fs.BoolVar(&f.noHosts, "no-hosts", false, "do not create /etc/hosts for the container")
	fs.StringVar(&f.macAddress, "mac-address", "", "container MAC address on a bridge network (e.g. 92:d0:c6:0a:29:33)")
	fs.StringVar(&f.ip, "ip", "", "IPv4 or IPv6 address on the container's bridge network")
	fs.StringArrayVar(&f.aliases, "network-alias", nil, "add a DNS alias of the container on its bridge network")
	fs.StringVar(&f.network, "net", "", "alias of --network")
	fs.MarkHidden("net")
	fs.StringVar(&f.pull, "pull", "missing", "pull policy: missing, never, always, newer")
	fs.BoolVarP(&f.interactive, "interactive", "i", false, "keep stdin open")
	fs.BoolVarP(&f.tty, "tty", "t", false, "allocate a pseudo-TTY")
	fs.BoolVar(&f.rm, "rm", false, "remove the container when it exits")
	fs.StringVar(&f.stopSignal, "stop-signal", "", "signal that stops the container (default SIGTERM)")
	fs.IntVar(&f.stopTimeout, "stop-timeout", -1, "seconds to wait after the stop signal before SIGKILL")
	fs.StringVar(&f.detachKeys, "detach-keys", "", "key sequence to detach (default ctrl-p,ctrl-q)")
	f.securityFlags.register(fs)
	f.storage.register(fs)
	fs.Bool("help", false, "help for this command")
}

// groupFlags sorts the flags into help sections, as Podman's and Docker's
// references group run's options.
func (f *specFlags) groupFlags(cmd *cobra.Command) {
	command.GroupFlags(cmd, "Container", "name", "label", "pull", "rm")
	command.GroupFlags(cmd, "Process", "entrypoint", "env", "env-file", "user", "workdir")
	command.GroupFlags(cmd, "Input and output", "interactive", "tty", "detach-keys")
	command.GroupFlags(cmd, "Storage", storageFlagNames...)
	command.GroupFlags(cmd, "Network", "network", "hostname", "publish", "publish-all", "expose", "dns", "dns-search",
		"dns-option", "add-host", "no-hosts", "mac-address", "ip", "network-alias")
	command.GroupFlags(cmd, "Stopping", "stop-signal", "stop-timeout")
	f.securityFlags.groupFlags(cmd)
}

// spec turns the flags and positional arguments into a spec generator.
func (f *specFlags) spec(fs *pflag.FlagSet, args []string) (specgen.SpecGenerator, error) {
	s := specgen.SpecGenerator{
		Name: f.name, Image: args[0], Command: args[1:], WorkDir: f.workdir, User: f.user,
		Hostname: f.hostname, NetworkMode: f.network, Terminal: f.tty, Stdin: f.interactive,
		Remove: f.rm, StopSignal: f.stopSignal, Pull: f.pull,
	}
	if err := f.networkSpec(&s); err != nil {
		return s, err
	}
	if err := f.securitySpec(&s); err != nil {
		return s, err
	}
	if fs.Changed("entrypoint") {
		ep, err := parseEntrypoint(f.entrypoint)
		if err != nil {
			return s, err
		}
		s.Entrypoint = ep
	}
	if f.stopTimeout >= 0 {
		t := uint(f.stopTimeout)
		s.StopTimeout = &t
	}
	for _, file := range f.envFiles {
		env, err := specgen.ParseEnvFile(file)
		if err != nil {
			return s, err
		}
		s.Env = append(s.Env, env...)
	}
	for _, e := range f.env {
		if strings.Contains(e, "=") {
			s.Env = append(s.Env, e)
		} else if v, ok := os.LookupEnv(e); ok {
			s.Env = append(s.Env, e+"="+v)
		}
	}
	for _, l := range f.labels {
		k, v, _ := strings.Cut(l, "=")
		if k == "" {
			return s, command.Invalid("invalid label %q: want KEY=VALUE", l)
		}
		if s.Labels == nil {
			s.Labels = map[string]string{}
		}
		s.Labels[k] = v
	}
	return s, f.storage.apply(fs, &s, f.volumes, f.mounts)
}

// absSource resolves a bind source that starts with "." against the working
// directory, as Docker's CLI (23 and later) does for -v and --mount. It is
// the client's directory that counts: in remote mode the service receives
// the absolute path. Other relative sources are left for the parser to
// refuse ("data" names a volume).
func absSource(src string) string {
	if !strings.HasPrefix(src, ".") {
		return src
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return src
	}
	return abs
}

// parseEntrypoint accepts Docker's plain string and Podman's JSON array.
func parseEntrypoint(v string) ([]string, error) {
	if v == "" {
		return []string{}, nil
	}
	if strings.HasPrefix(v, "[") {
		var ep []string
		if err := json.Unmarshal([]byte(v), &ep); err != nil {
			return nil, command.Invalid("invalid --entrypoint %q: %v", v, err)
		}
		return ep, nil
	}
	return []string{v}, nil
}

func (f *specFlags) detachKeysPtr(fs *pflag.FlagSet) *string {
	if fs.Changed("detach-keys") {
		return &f.detachKeys
	}
	return nil
}

// networkSpec puts the network flags into s. --ip and --network-alias
// apply to the network --network names (bridge when left to the default).
func (f *specFlags) networkSpec(s *specgen.SpecGenerator) error {
	for _, p := range f.publish {
		ports, err := specgen.ParsePublish(p)
		if err != nil {
			return err
		}
		s.PortMappings = append(s.PortMappings, ports...)
	}
	s.PublishAll, s.Expose = f.publishAll, f.expose
	s.DNSServers, s.DNSSearch, s.DNSOptions = f.dns, f.dnsSearch, f.dnsOption
	s.HostAdd, s.NoHosts, s.MacAddress = f.addHost, f.noHosts, f.macAddress
	if f.ip == "" && len(f.aliases) == 0 {
		return nil
	}
	name := specgen.NetworkBridge
	if m, err := specgen.ParseNetworkMode(f.network); err == nil && m.Kind == specgen.NetworkBridge {
		name = m.Target
	}
	a := specgen.NetworkAttachment{Aliases: f.aliases}
	if f.ip != "" {
		a.StaticIPs = []string{f.ip}
	}
	s.Networks = map[string]specgen.NetworkAttachment{name: a}
	return nil
}
