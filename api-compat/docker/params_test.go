package docker

import (
	"errors"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

func TestParseFilters(t *testing.T) {
	tests := []struct {
		raw     string
		want    map[string][]string
		wantErr bool
	}{
		{raw: "", want: nil},
		// Docker's decoder keeps a value set to false (and its label
		// filter then requires it); clients send true.
		{raw: `{"label":{"com.docker.compose.project=p":true,"b":true,"off":false}}`,
			want: map[string][]string{"label": {"b", "com.docker.compose.project=p", "off"}}},
		{raw: `{"status":["exited","created"]}`, want: map[string][]string{"status": {"created", "exited"}}},
		{raw: `{"name":["web"],"label":["a=b=c"]}`, want: map[string][]string{"name": {"web"}, "label": {"a=b=c"}}},
		{raw: `{"name":{"web":true},"label":["a=b=c"]}`, wantErr: true},
		{raw: `{"label":[],"name":null}`, want: map[string][]string{"label": {}, "name": {}}},
		// One form or the other, as Docker's decoder reads it.
		{raw: `{"label":[],"status":{"exited":true}}`, wantErr: true},
		{raw: `{"label":"x"}`, wantErr: true},
		{raw: `not json`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := parseFilters(tt.raw)
			if tt.wantErr {
				if !errors.Is(err, errdefs.ErrInvalidArg) {
					t.Fatalf("err = %v, want an invalid-argument error", err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{in: "", want: time.Time{}},
		{in: "0", want: time.Time{}},
		{in: "1700000000", want: time.Unix(1700000000, 0)},
		{in: "1700000000.5", want: time.Unix(1700000000, 500000000)},
		{in: "1700000000.000000001", want: time.Unix(1700000000, 1)},
		{in: "2023-11-14T22:13:20Z", want: time.Unix(1700000000, 0)},
		{in: "1700000000.", wantErr: true},
		{in: "1700000000.1234567890", wantErr: true},
		{in: "yesterday", wantErr: true},
		{in: "17.-5", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseTimestamp("since", tt.in)
			if tt.wantErr {
				if !errors.Is(err, errdefs.ErrInvalidArg) {
					t.Fatalf("err = %v, want an invalid-argument error", err)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestBoolParam(t *testing.T) {
	for v, want := range map[string]bool{
		"": false, "0": false, "no": false, "false": false, "None": false, "FALSE": false,
		"1": true, "true": true, "True": true, "yes": true, "anything": true,
	} {
		r := httptest.NewRequest("GET", "/x?all="+v, nil)
		if got := boolParam(r, "all"); got != want {
			t.Errorf("all=%q: got %v, want %v", v, got, want)
		}
	}
}

func TestStopTimeout(t *testing.T) {
	tests := []struct {
		query   string
		want    *uint
		wantErr bool
	}{
		{query: "", want: nil},
		{query: "t=0", want: uintp(0)},
		{query: "t=7", want: uintp(7)},
		{query: "t=-1", wantErr: true},
		{query: "t=x", wantErr: true},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "/containers/c/stop?"+tt.query, nil)
		got, err := stopTimeout(r)
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: got %v, %v; want %v (error %v)", tt.query, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestAPIAtLeast(t *testing.T) {
	tests := []struct {
		v, min string
		want   bool
	}{
		{"1.51", "1.42", true}, {"1.42", "1.42", true}, {"1.41", "1.42", false},
		{"1.24", "1.42", false}, {"2.0", "1.42", true}, {"", "1.42", true}, {"1.9", "1.42", false}, {"1.100", "1.42", true},
	}
	for _, tt := range tests {
		if got := apiAtLeast(tt.v, tt.min); got != tt.want {
			t.Errorf("apiAtLeast(%q, %q) = %v, want %v", tt.v, tt.min, got, tt.want)
		}
	}
}
