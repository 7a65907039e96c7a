package docker

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
)

// TestStorageFromCreate: Binds, Mounts, Config.Volumes, Tmpfs and the
// read-only root of a create request become skiff's mounts and volumes.
func TestStorageFromCreate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     container.Config
		hc      container.HostConfig
		want    string
		wantErr string
	}{
		{name: "named volume and bind in Binds",
			hc:   container.HostConfig{Binds: []string{"data:/data:ro", "/tmp:/h"}},
			want: `[{"source":"/tmp","destination":"/h"}] {"volumes":[{"name":"data","destination":"/data","read_only":true}]}`},
		{name: "Config.Volumes is anonymous unless a bind is there",
			cfg:  container.Config{Volumes: map[string]struct{}{"/a": {}, "/h": {}}},
			hc:   container.HostConfig{Binds: []string{"/tmp:/h"}},
			want: `[{"source":"/tmp","destination":"/h"}] {"volumes":[{"destination":"/a","anonymous":true}]}`},
		{name: "volume, tmpfs and bind Mounts",
			hc: container.HostConfig{Mounts: []mount.Mount{
				{Type: mount.TypeVolume, Source: "v", Target: "/v", VolumeOptions: &mount.VolumeOptions{NoCopy: true,
					DriverConfig: &mount.Driver{Name: "local", Options: map[string]string{"type": "tmpfs"}}}},
				{Type: mount.TypeVolume, Target: "/anon"},
				{Type: mount.TypeTmpfs, Target: "/t", TmpfsOptions: &mount.TmpfsOptions{SizeBytes: 1024, Mode: os.ModeSticky | 0o777}},
			}},
			want: `null {"volumes":[{"name":"v","destination":"/v","options":["nocopy"],"volume_options":{"type":"tmpfs"}},` +
				`{"destination":"/anon","anonymous":true}],"tmpfs":[{"destination":"/t","options":["size=1024","mode=1777"]}]}`},
		{name: "Tmpfs, read-only root without Podman's tmpfs, VolumesFrom",
			hc:   container.HostConfig{Tmpfs: map[string]string{"/run": "size=1m"}, ReadonlyRootfs: true, VolumesFrom: []string{"c:ro"}},
			want: `null {"tmpfs":[{"destination":"/run","options":["size=1m"]}],"read_only_root":true,"read_only_tmpfs":false,"volumes_from":["c:ro"]}`},
		{name: "another driver", hc: container.HostConfig{Mounts: []mount.Mount{{Type: mount.TypeVolume, Source: "v", Target: "/v",
			VolumeOptions: &mount.VolumeOptions{DriverConfig: &mount.Driver{Name: "nfs"}}}}}, wantErr: `volume driver "nfs" is not supported`},
		{name: "npipe", hc: container.HostConfig{Mounts: []mount.Mount{{Type: mount.TypeNamedPipe, Target: "/p"}}}, wantErr: `Type "npipe" is not supported`},
		{name: "bad volume name", hc: container.HostConfig{Binds: []string{"a:/x"}}, wantErr: "invalid characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			binds, vs, err := storageFromCreate(&tt.cfg, &tt.hc)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(binds)
			v, _ := json.Marshal(vs)
			if got := string(b) + " " + string(v); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPruneAll(t *testing.T) {
	all, rest, err := pruneAll(map[string][]string{"all": {"true"}, "label": {"a"}})
	if err != nil || !all || len(rest) != 1 || rest["label"][0] != "a" {
		t.Errorf("pruneAll = %v %v %v", all, rest, err)
	}
	if _, _, err := pruneAll(map[string][]string{"all": {"maybe"}}); err == nil {
		t.Error("pruneAll accepted all=maybe")
	}
}



