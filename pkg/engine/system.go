package engine

// Info describes the host and the engine, with Podman-compatible field
// paths for templates (`{{.Store.GraphDriverName}}`, `{{.Host.OCIRuntime.Name}}`).
type Info struct {
	Host    HostInfo  `json:"host"`
	Store   StoreInfo `json:"store"`
	Version Version   `json:"version"`
}

// HostInfo describes the host side.
type HostInfo struct {
	Arch          string     `json:"arch"`
	OS            string     `json:"os"`
	Kernel        string     `json:"kernel"`
	Hostname      string     `json:"hostname"`
	CgroupVersion string     `json:"cgroupVersion"`
	CgroupManager string     `json:"cgroupManager"`
	CgroupsUsable bool       `json:"cgroupsUsable"`
	OCIRuntime    Program    `json:"ociRuntime"`
	Conmon        Program    `json:"conmon"`
	Rootless      bool       `json:"rootless"`
	Security      Security   `json:"security"`
	IDMappings    IDMappings `json:"idMappings"`
	PausePID      int        `json:"pausePid,omitempty"`
	RuntimeDir    string     `json:"runtimeDir"`
	// SignaturePolicy is the policy.json image transfers obey, or
	// "built-in default" when neither the user nor the system has one.
	SignaturePolicy string `json:"signaturePolicy"`
	// LogDriver is the format container logs are written in.
	LogDriver string `json:"logDriver"`
	CPUs      int    `json:"cpus"`
	MemTotal  int64  `json:"memTotal"`
	// Network says how containers are networked.
	Network NetworkInfo `json:"network"`
}

// NetworkInfo describes the networking set-up: the bridge backend, the
// default mode, and the rootless helper and port forwarder it uses.
type NetworkInfo struct {
	// Backend is "netavark" (bridge networks), with its binary.
	Backend     string  `json:"backend"`
	BackendInfo Program `json:"backendInfo"`
	// DefaultMode is the --network containers get when they name none.
	DefaultMode string `json:"defaultMode"`
	// RootlessNetworkCmd is pasta or slirp4netns for the default mode
	// rootless ("" as root), with its binary.
	RootlessNetworkCmd string  `json:"rootlessNetworkCmd,omitempty"`
	RootlessNetworkBin Program `json:"rootlessNetworkBin,omitempty"`
	// PortForwarder is what publishes ports in the default mode.
	PortForwarder string `json:"portForwarder"`
}

// Program names an external program skiff drives.
type Program struct {
	Name    string `json:"name"`
	Path    string `json:"path"`
	Version string `json:"version"`
}

// Security says how containers are confined.
type Security struct {
	Rootless bool `json:"rootless"`
	Seccomp  bool `json:"seccompEnabled"`
}

// IDMappings are the user namespace's maps.
type IDMappings struct {
	UIDMap []IDMap `json:"uidmap"`
	GIDMap []IDMap `json:"gidmap"`
}

// IDMap is one line of a uid/gid map.
type IDMap struct {
	ContainerID int `json:"container_id"`
	HostID      int `json:"host_id"`
	Size        int `json:"size"`
}

// StoreInfo describes the storage.
type StoreInfo struct {
	GraphDriverName string            `json:"graphDriverName"`
	GraphRoot       string            `json:"graphRoot"`
	RunRoot         string            `json:"runRoot"`
	GraphOptions    map[string]string `json:"graphOptions"`
	DatabasePath    string            `json:"databasePath"`
	ImageCount      int               `json:"imageCount"`
	ContainerCount  int               `json:"containerCount"`
	Running         int               `json:"running"`
	Paused          int               `json:"paused"`
	Stopped         int               `json:"stopped"`
}

// Version describes skiff's build.
type Version struct {
	Version    string `json:"Version"`
	APIVersion string `json:"APIVersion"`
	// MinAPIVersion is the oldest Docker API version the service serves.
	MinAPIVersion string `json:"MinAPIVersion,omitempty"`
	GoVersion     string `json:"GoVersion"`
	GitCommit     string `json:"GitCommit"`
	Built         string `json:"Built"`
	OsArch        string `json:"OsArch"`
}
