package specgen

import (
	"errors"
	"reflect"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestParseVolumeMount(t *testing.T) {
	tests := []struct {
		spec    string
		want    VolumeMount
		ok      bool
		wantErr bool
	}{
		{spec: "data:/data", want: VolumeMount{Name: "data", Destination: "/data"}, ok: true},
		{spec: "data:/data/:ro,nocopy,U", want: VolumeMount{Name: "data", Destination: "/data", ReadOnly: true, Options: []string{"nocopy", "U"}}, ok: true},
		{spec: "/data", want: VolumeMount{Destination: "/data", Anonymous: true}, ok: true},
		{spec: "/host:/data", ok: false},
		{spec: "./rel:/data", ok: false},
		{spec: "data", ok: true, wantErr: true},
		{spec: "d:/data", ok: true, wantErr: true},
		{spec: "data:rel", ok: true, wantErr: true},
		{spec: "data:/data:ro,rw", ok: true, wantErr: true},
		{spec: "data:/data:bogus", ok: true, wantErr: true},
		{spec: "data:/a:ro:x", ok: true, wantErr: true},
	}
	for _, tt := range tests {
		got, ok, err := ParseVolumeMount(tt.spec)
		if ok != tt.ok || (err != nil) != tt.wantErr {
			t.Errorf("%q: ok %v err %v; want ok %v, error %v", tt.spec, ok, err, tt.ok, tt.wantErr)
			continue
		}
		if err != nil && !errors.Is(err, errdefs.ErrInvalidArg) {
			t.Errorf("%q: error %v is not invalid-argument", tt.spec, err)
		}
		if err == nil && ok && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q = %+v, want %+v", tt.spec, got, tt.want)
		}
	}
}

func TestParseAnyMount(t *testing.T) {
	tests := []struct {
		spec    string
		want    AnyMount
		wantErr bool
	}{
		{spec: "type=volume,src=data,dst=/data,readonly,volume-nocopy",
			want: AnyMount{Volume: &VolumeMount{Name: "data", Destination: "/data", ReadOnly: true, Options: []string{"nocopy"}}}},
		{spec: "target=/data", want: AnyMount{Volume: &VolumeMount{Destination: "/data", Anonymous: true}}},
		{spec: "source=scratch,target=/s,volume-opt=type=tmpfs,volume-opt=device=tmpfs",
			want: AnyMount{Volume: &VolumeMount{Name: "scratch", Destination: "/s", VolumeOptions: map[string]string{"type": "tmpfs", "device": "tmpfs"}}}},
		{spec: "type=tmpfs,dst=/run,tmpfs-size=64m,tmpfs-mode=1770",
			want: AnyMount{Tmpfs: &TmpfsMount{Destination: "/run", Options: []string{"size=67108864", "mode=1770"}}}},
		{spec: "type=bind,src=/tmp,dst=/h", want: AnyMount{Bind: &Mount{Source: "/tmp", Destination: "/h"}}},
		{spec: "type=tmpfs,src=x,dst=/run", wantErr: true},
		{spec: "type=tmpfs,dst=/run,tmpfs-mode=9", wantErr: true},
		{spec: "type=volume,dst=/d,bind-propagation=shared", wantErr: true},
		{spec: "type=image,src=x,dst=/d", wantErr: true},
		{spec: "type=volume,src=data", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseAnyMount(tt.spec)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: err %v, want error %v", tt.spec, err, tt.wantErr)
			continue
		}
		if err == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q = %+v, want %+v", tt.spec, got, tt.want)
		}
	}
}

func TestTmpfsMounts(t *testing.T) {
	off := false
	tests := []struct {
		name string
		s    SpecGenerator
		want []string
	}{
		{"read-only root gets the writable dirs", SpecGenerator{VolumeSpec: VolumeSpec{ReadOnlyRoot: true}}, []string{"/tmp", "/var/tmp", "/run"}},
		{"--read-only-tmpfs=false", SpecGenerator{VolumeSpec: VolumeSpec{ReadOnlyRoot: true, ReadOnlyTmpfs: &off}}, nil},
		{"a user tmpfs replaces the default", SpecGenerator{VolumeSpec: VolumeSpec{ReadOnlyRoot: true, Tmpfs: []TmpfsMount{{Destination: "/run"}}}}, []string{"/run", "/tmp", "/var/tmp"}},
		{"writable root has only the user's", SpecGenerator{VolumeSpec: VolumeSpec{Tmpfs: []TmpfsMount{{Destination: "/x"}}}}, []string{"/x"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range tt.s.tmpfsMounts(map[string]bool{}) {
			got = append(got, m.Destination)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: tmpfs at %v, want %v", tt.name, got, tt.want)
		}
	}
}
