package engine

// SecurityHostConfig is the confinement, host-access and resource part of
// Docker's HostConfig in inspect, with Docker's field names; embedded in
// HostConfig.
type SecurityHostConfig struct {
	CapAdd      []string          `json:"CapAdd"`
	CapDrop     []string          `json:"CapDrop"`
	SecurityOpt []string          `json:"SecurityOpt"`
	GroupAdd    []string          `json:"GroupAdd"`
	UsernsMode  string            `json:"UsernsMode"`
	Sysctls     map[string]string `json:"Sysctls,omitempty"`
	Init        *bool             `json:"Init,omitempty"`
	Devices     []DeviceMapping   `json:"Devices"`
	Ulimits     []Ulimit          `json:"Ulimits"`
	// MaskedPaths and ReadonlyPaths are what the container gets.
	MaskedPaths   []string `json:"MaskedPaths"`
	ReadonlyPaths []string `json:"ReadonlyPaths"`

	Memory            int64  `json:"Memory"`
	MemorySwap        int64  `json:"MemorySwap"`
	MemoryReservation int64  `json:"MemoryReservation"`
	NanoCPUs          int64  `json:"NanoCpus"`
	CPUShares         int64  `json:"CpuShares"`
	CpusetCpus        string `json:"CpusetCpus"`
	PidsLimit         *int64 `json:"PidsLimit"`
	BlkioWeight       uint16 `json:"BlkioWeight"`
}

// DeviceMapping is Docker's HostConfig.Devices entry.
type DeviceMapping struct {
	PathOnHost        string `json:"PathOnHost"`
	PathInContainer   string `json:"PathInContainer"`
	CgroupPermissions string `json:"CgroupPermissions"`
}

// Ulimit is Docker's HostConfig.Ulimits entry.
type Ulimit struct {
	Name string `json:"Name"`
	Soft int64  `json:"Soft"`
	Hard int64  `json:"Hard"`
}
