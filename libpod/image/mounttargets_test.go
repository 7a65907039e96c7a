package image

import (
	"archive/tar"
	"bytes"
	"io"
	"reflect"
	"testing"
)

func TestCopyWithoutMountTargets(t *testing.T) {
	type entry struct {
		name string
		kind byte
		body string
		pax  map[string]string
	}
	cases := []struct {
		name string
		in   []entry
		want []string
	}{
		{
			name: "empty mount points dropped, in any spelling",
			in: []entry{{name: "etc/", kind: tar.TypeDir}, {name: "etc/hosts", kind: tar.TypeReg}, {name: "./etc/resolv.conf", kind: tar.TypeReg},
				{name: "/etc/hostname", kind: tar.TypeReg}, {name: "greeting", kind: tar.TypeReg, body: "hi\n"}},
			want: []string{"etc/", "greeting"},
		},
		{
			name: "written or non-file ones kept, whiteouts and xattrs kept",
			in: []entry{{name: "etc/hosts", kind: tar.TypeReg, body: "10.0.0.1 db\n"}, {name: "etc/resolv.conf", kind: tar.TypeSymlink},
				{name: "etc/.wh.group", kind: tar.TypeReg}, {name: "bin/x", kind: tar.TypeReg, body: "x", pax: map[string]string{"SCHILY.xattr.user.k": "v"}},
				{name: "etc/hostname.bak", kind: tar.TypeReg}},
			want: []string{"etc/hosts", "etc/resolv.conf", "etc/.wh.group", "bin/x", "etc/hostname.bak"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var in bytes.Buffer
			tw := tar.NewWriter(&in)
			for _, e := range c.in {
				hdr := &tar.Header{Name: e.name, Typeflag: e.kind, Mode: 0o644, Size: int64(len(e.body)), PAXRecords: e.pax}
				if e.kind == tar.TypeSymlink {
					hdr.Linkname = "/run/resolv.conf"
				}
				if err := tw.WriteHeader(hdr); err != nil {
					t.Fatal(err)
				}
				tw.Write([]byte(e.body))
			}
			tw.Close()
			var out bytes.Buffer
			if err := copyWithoutMountTargets(&out, &in); err != nil {
				t.Fatal(err)
			}
			var got []string
			tr := tar.NewReader(&out)
			for {
				hdr, err := tr.Next()
				if err != nil {
					break
				}
				got = append(got, hdr.Name)
				if hdr.Name == "bin/x" && hdr.PAXRecords["SCHILY.xattr.user.k"] != "v" {
					t.Errorf("xattr lost: %v", hdr.PAXRecords)
				}
				if hdr.Name == "etc/hosts" {
					body, _ := io.ReadAll(tr)
					if string(body) != "10.0.0.1 db\n" {
						t.Errorf("etc/hosts body %q", body)
					}
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("entries %q, want %q", got, c.want)
			}
		})
	}
	if err := copyWithoutMountTargets(&bytes.Buffer{}, bytes.NewReader([]byte("not a tar archive at all, but long enough to look like a header block"))); err == nil {
		t.Errorf("garbage: want an error")
	}
}
