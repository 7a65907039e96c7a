package docker

import (
	"reflect"
	"strings"

	"github.com/docker/docker/api/types/container"

	"github.com/skiffcontainers/skiff/pkg/specgen"
)

// supportedConfig and supportedHostConfig are the fields of Docker's
// Config and HostConfig that skiff translates (or, for the ones marked
// ignored, that carry nothing for a Linux container here). Every other
// field must be at its default or the request is refused naming it: an
// option silently dropped is worse than an error. Keys are Go field names
// (DNS, not the wire's Dns).
var (
	supportedConfig = map[string]bool{
		"Hostname": true, "User": true, "AttachStdin": true, "AttachStdout": true, "AttachStderr": true,
		"Tty": true, "OpenStdin": true, "StdinOnce": true, "Env": true, "Cmd": true, "Image": true,
		"WorkingDir": true, "Entrypoint": true, "Labels": true, "StopSignal": true, "StopTimeout": true,
		"NetworkDisabled": true, "ExposedPorts": true, "MacAddress": true, "Volumes": true,
		// Ignored: Windows-only or only meaningful when building images.
		"ArgsEscaped": true, "OnBuild": true, "Shell": true,
	}
	supportedHostConfig = map[string]bool{
		"Binds": true, "NetworkMode": true, "AutoRemove": true, "Mounts": true,
		"PortBindings": true, "PublishAllPorts": true, "DNS": true, "DNSSearch": true,
		"DNSOptions": true, "ExtraHosts": true, "Tmpfs": true, "ReadonlyRootfs": true, "VolumesFrom": true,
		"RestartPolicy": true, "LogConfig": true, "Isolation": true, "Runtime": true,
		// The terminal's size from the start: the client's resize after
		// start may reach the container after its first output.
		"ConsoleSize": true,
		// Accepted at its "no limit" values only; checked in defaultish.
		"MemorySwappiness": true,
	}
)

// defaultRuntime is the only OCI runtime a container can ask for by name.
const defaultRuntime = "runc"

// specFromCreate translates Docker's create request, made with API
// version apiVersion ("" for the newest), into skiff's spec. It refuses,
// with a 400 naming the field, anything skiff cannot honour yet.
func specFromCreate(apiVersion, name string, req container.CreateRequest) (specgen.SpecGenerator, error) {
	cfg := req.Config
	if cfg == nil {
		cfg = &container.Config{}
	}
	hc := req.HostConfig
	if hc == nil {
		hc = &container.HostConfig{}
	}
	// HostConfig first: `-p 8080:80` sets both PortBindings and
	// ExposedPorts, and PortBindings is what the user recognises.
	if err := unsupportedFields("HostConfig", reflect.ValueOf(*hc), supportedHostConfig); err != nil {
		return specgen.SpecGenerator{}, err
	}
	if err := unsupportedFields("Config", reflect.ValueOf(*cfg), supportedConfig); err != nil {
		return specgen.SpecGenerator{}, err
	}
	if err := checkHostConfigValues(hc); err != nil {
		return specgen.SpecGenerator{}, err
	}
	ns, err := networkFromCreate(apiVersion, cfg, hc, req.NetworkingConfig)
	if err != nil {
		return specgen.SpecGenerator{}, err
	}
	ports, expose, err := portsFromCreate(hc.PortBindings, cfg.ExposedPorts)
	if err != nil {
		return specgen.SpecGenerator{}, err
	}
	mounts, vols, err := storageFromCreate(cfg, hc)
	if err != nil {
		return specgen.SpecGenerator{}, err
	}
	s := specgen.SpecGenerator{
		Name:         strings.TrimPrefix(name, "/"),
		Image:        cfg.Image,
		Command:      nilIfEmpty(cfg.Cmd),
		Entrypoint:   entrypoint(cfg.Entrypoint),
		Env:          nilIfEmpty(cfg.Env),
		WorkDir:      cfg.WorkingDir,
		User:         cfg.User,
		Hostname:     cfg.Hostname,
		Labels:       labelsOrNil(cfg.Labels),
		Mounts:       mounts,
		VolumeSpec:   vols,
		NetworkMode:  ns.mode,
		Networks:     ns.networks,
		MacAddress:   ns.macAddress,
		PortMappings: ports,
		PublishAll:   hc.PublishAllPorts,
		Expose:       expose,
		DNSServers:   nilIfEmpty(hc.DNS),
		DNSSearch:    nilIfEmpty(hc.DNSSearch),
		DNSOptions:   nilIfEmpty(hc.DNSOptions),
		HostAdd:      nilIfEmpty(hc.ExtraHosts),
		Terminal:     cfg.Tty,
		Stdin:        cfg.OpenStdin,
		Remove:       hc.AutoRemove,
		StopSignal:   cfg.StopSignal,
		// Docker's create never pulls: the client pulls on a 404 and
		// creates again.
		Pull: specgen.PullNever,
	}
	if err := securityFromHostConfig(hc, &s); err != nil {
		return specgen.SpecGenerator{}, err
	}
	if h, w := hc.ConsoleSize[0], hc.ConsoleSize[1]; cfg.Tty && h > 0 && w > 0 {
		s.ConsoleSize = &specgen.ConsoleSize{Height: h, Width: w}
	}
	if cfg.StopTimeout != nil {
		if *cfg.StopTimeout < 0 {
			return specgen.SpecGenerator{}, invalid("Config.StopTimeout %d is not supported yet: waiting without a timeout has no equivalent", *cfg.StopTimeout)
		}
		t := uint(*cfg.StopTimeout)
		s.StopTimeout = &t
	}
	return s, nil
}

// nilIfEmpty and labelsOrNil drop the empty collections the docker CLI
// always sends, so specs from the API equal specs from skiff's CLI.
func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func labelsOrNil(l map[string]string) map[string]string {
	if len(l) == 0 {
		return nil
	}
	return l
}

// entrypoint keeps Docker's distinction: nil uses the image's, [""] (what
// `--entrypoint ""` sends) clears it.
func entrypoint(ep []string) []string {
	if len(ep) == 1 && ep[0] == "" {
		return []string{}
	}
	return ep
}

// checkHostConfigValues checks the supported fields whose values are
// limited.
func checkHostConfigValues(hc *container.HostConfig) error {
	switch hc.RestartPolicy.Name {
	case "", container.RestartPolicyDisabled:
	default:
		return invalid("HostConfig.RestartPolicy %q is not supported yet", hc.RestartPolicy.Name)
	}
	if hc.RestartPolicy.MaximumRetryCount != 0 {
		return invalid("HostConfig.RestartPolicy.MaximumRetryCount is not supported yet")
	}
	if hc.LogConfig.Type != "" || len(hc.LogConfig.Config) > 0 {
		return invalid("HostConfig.LogConfig is not supported yet: logs are always written in the k8s-file format")
	}
	switch hc.Isolation {
	case "", container.IsolationDefault:
	default:
		return invalid("HostConfig.Isolation %q is not supported", hc.Isolation)
	}
	if hc.Runtime != "" && hc.Runtime != defaultRuntime {
		return invalid("HostConfig.Runtime %q is not supported yet: only %q", hc.Runtime, defaultRuntime)
	}
	if p := hc.MemorySwappiness; p != nil && *p != -1 && *p != 0 {
		return invalid("HostConfig.MemorySwappiness is not supported yet")
	}
	return nil
}

// unsupportedFields reports the first field of the struct v (embedded
// structs flattened, as Docker's JSON is) that is not in supported and not
// at its default, as "<prefix>.<Field> is not supported yet".
func unsupportedFields(prefix string, v reflect.Value, supported map[string]bool) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		if f.Anonymous && fv.Kind() == reflect.Struct {
			if err := unsupportedFields(prefix, fv, supported); err != nil {
				return err
			}
			continue
		}
		if supported[f.Name] || defaultish(fv) {
			continue
		}
		return invalid("%s.%s is not supported yet", prefix, jsonName(f))
	}
	return nil
}

// jsonName is the field's name on the wire, which is what clients know.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" || name == "-" {
		return f.Name
	}
	return name
}

// defaultish reports whether v means "not asked for": the zero value, an
// empty slice or map, or a pointer to one of those.
func defaultish(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return v.IsNil() || defaultish(v.Elem())
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if !defaultish(v.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && !defaultish(v.Field(i)) {
				return false
			}
		}
		return true
	}
	return v.IsZero()
}
