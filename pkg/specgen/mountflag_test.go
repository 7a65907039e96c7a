package specgen

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestParseMount(t *testing.T) {
	cases := []struct {
		in      string
		want    Mount
		wantErr string
	}{
		{in: "type=bind,source=/src,target=/dst", want: Mount{Source: "/src", Destination: "/dst"}},
		{in: "type=bind,src=/src,dst=/dst,readonly", want: Mount{Source: "/src", Destination: "/dst", ReadOnly: true}},
		{in: "type=bind,src=/src,destination=/dst,ro=true", want: Mount{Source: "/src", Destination: "/dst", ReadOnly: true}},
		{in: "type=bind,src=/src,dst=/dst,ro=false", want: Mount{Source: "/src", Destination: "/dst"}},
		{in: "Type=Bind,src=./rel,dst=/dst", want: Mount{Source: "./rel", Destination: "/dst"}},
		{in: "type=bind,src=/src,dst=/dst,bind-propagation=rslave,consistency=cached",
			want: Mount{Source: "/src", Destination: "/dst", Options: []string{"rslave"}}},
		{in: `type=bind,"src=/a,b",dst=/dst`, want: Mount{Source: "/a,b", Destination: "/dst"}},
		{in: "src=/src,dst=/dst", wantErr: "no named volumes yet"},
		{in: "type=volume,src=data,dst=/dst", wantErr: "no named volumes yet"},
		{in: "type=tmpfs,dst=/dst", wantErr: `mount type "tmpfs" is not supported yet`},
		{in: "type=bind,src=/src", wantErr: "target is required"},
		{in: "type=bind,dst=/dst", wantErr: "source is required"},
		{in: "type=bind,src=/src,dst=/dst,ro=maybe", wantErr: "invalid value for ro: maybe"},
		{in: "type=bind,src=/src,dst=/dst,bind-propagation=ro", wantErr: "invalid bind-propagation"},
		{in: "type=bind,src=/src,dst=/dst,bind-recursive=disabled", wantErr: `option "bind-recursive" is not supported yet`},
		{in: "type=bind,src=/src,dst=/dst,bogus=1", wantErr: `unexpected key "bogus"`},
		{in: "type=bind,src=/src,dst=/dst,bare", wantErr: "must be a key=value pair"},
		{in: `type=bind,"src=/src`, wantErr: "invalid --mount"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseMount(tc.in)
			if tc.wantErr != "" {
				if !errors.Is(err, errdefs.ErrInvalidArg) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseMount(%q) error = %v, want ErrInvalidArg saying %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseMount(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}
