package docker

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/docker/docker/api/types/container"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// The request decoders take arbitrary client input: they must never panic,
// and every refusal must be a 400.

func FuzzParseFilters(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"label":{"a=b":true}}`, `{"status":["exited"]}`, `{"label":null}`, `[]`, `{"a":{"b":1}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := parseFilters(raw)
		if err != nil && !errors.Is(err, errdefs.ErrInvalidArg) {
			t.Fatalf("error %v is not a 400", err)
		}
		// Re-encoding the result in the list form must parse to the same.
		if err == nil && len(got) > 0 {
			b, _ := json.Marshal(got)
			again, err := parseFilters(string(b))
			if err != nil || len(again) != len(got) {
				t.Fatalf("round trip of %s: %v, %v", b, again, err)
			}
		}
	})
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{``, `0`, `1700000000`, `1700000000.5`, `-1.5`, `2023-11-14T22:13:20Z`, `1.`, `.5`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if _, err := parseTimestamp("since", v); err != nil && !errors.Is(err, errdefs.ErrInvalidArg) {
			t.Fatalf("error %v is not a 400", err)
		}
	})
}

func FuzzSpecFromCreate(f *testing.F) {
	for _, s := range []string{
		`{}`,
		`{"Image":"busybox","HostConfig":{"NetworkMode":"default","Binds":["/tmp:/tmp:ro"]}}`,
		`{"Image":"x","HostConfig":{"Mounts":[{"Type":"bind","Source":"/tmp","Target":"/t","BindOptions":{}}]}}`,
		`{"Image":"x","StopTimeout":-5,"Entrypoint":[""]}`,
		`{"Image":"x","NetworkingConfig":{"EndpointsConfig":{"default":null}}}`,
		`{"Image":"x","HostConfig":{"MemorySwappiness":-1,"PidsLimit":0,"ConsoleSize":[0,0]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req container.CreateRequest
		if json.Unmarshal(body, &req) != nil {
			return // the server answers 400 before translation
		}
		if _, err := specFromCreate("", "n", req); err != nil && !errors.Is(err, errdefs.ErrInvalidArg) {
			t.Fatalf("error %v is not a 400", err)
		}
	})
}
