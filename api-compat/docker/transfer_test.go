package docker

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/docker/distribution/registry/api/errcode"
	v2 "github.com/docker/distribution/registry/api/v2"

	"github.com/skiffcontainers/skiff/api-compat/server"
	"github.com/skiffcontainers/skiff/pkg/engine"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// scriptImages is an image engine whose transfers the tests script; what
// they do not call stays nil.
type scriptImages struct {
	engine.ImageEngine
	pulled engine.PullOptions
	pushed []engine.PushOptions
}

type scriptEngine struct {
	engine.Engine
	imgs *scriptImages
}

func (e *scriptEngine) Images() engine.ImageEngine { return e.imgs }

const blob = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func (s *scriptImages) Pull(ctx context.Context, opts engine.PullOptions, progress io.Writer) (*engine.PullReport, error) {
	s.pulled = opts
	if strings.Contains(opts.Reference, "nomanifest") {
		// As containers/image reports a registry's 404, before any layer.
		return nil, fmt.Errorf("pulling %s: reading manifest 1: %w", opts.Reference, errcode.Error{Code: v2.ErrorCodeManifestUnknown, Message: "manifest unknown"})
	}
	layer := func(ev engine.LayerEvent) { opts.OnLayer(engine.LayerProgress{Event: ev, Digest: blob, Total: 10}) }
	layer(engine.LayerStarted)
	if strings.Contains(opts.Reference, "denied") {
		return nil, fmt.Errorf("pulling %s: %w", opts.Reference, errdefs.New(errdefs.ClassUnauthorized, "authentication required"))
	}
	layer(engine.LayerDone)
	opts.OnLayer(engine.LayerProgress{Event: engine.LayerStarted, Digest: "sha256:feed", Config: true})
	return &engine.PullReport{Images: []string{"abc"}}, nil
}

func (s *scriptImages) Inspect(ctx context.Context, names []string) ([]engine.InspectImage, error) {
	if names[0] != "abc" {
		return nil, errdefs.ErrNoSuchImage
	}
	return []engine.InspectImage{{ID: "sha256:abc", RepoDigests: []string{"docker.io/library/busybox@sha256:" + strings.Repeat("d", 64)}}}, nil
}

func (s *scriptImages) Push(ctx context.Context, opts engine.PushOptions, progress io.Writer) (*engine.PushReport, error) {
	s.pushed = append(s.pushed, opts)
	opts.OnLayer(engine.LayerProgress{Event: engine.LayerSkipped, Digest: blob})
	return &engine.PushReport{Digest: "sha256:" + strings.Repeat("e", 64)}, nil
}

func (s *scriptImages) List(ctx context.Context, opts engine.ImageListOptions) (*engine.ImageListReport, error) {
	return &engine.ImageListReport{
		Images: []engine.ImageSummary{{ID: "sha256:abc", RepoTags: []string{"example.com/app:1", "example.com/app:2", "example.com/other:1"}}},
		Broken: []engine.BrokenImage{{ID: "sha256:bad", Reason: "its manifest is missing"}},
	}, nil
}

func (s *scriptImages) Login(ctx context.Context, opts engine.LoginOptions) error {
	if opts.Registry != "example.com:5000" || opts.Username != "u" {
		return fmt.Errorf("logging in to %s: %w", opts.Registry, errdefs.New(errdefs.ClassUnauthorized, "authentication required"))
	}
	return nil
}

func newTestServer(t *testing.T) (*httptest.Server, *scriptImages) {
	t.Helper()
	imgs := &scriptImages{}
	mux := http.NewServeMux()
	for _, rt := range Routes(&scriptEngine{imgs: imgs}) {
		mux.HandleFunc(rt.Method+" "+rt.Pattern, rt.Handler)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, imgs
}

// messages reads a JSON message stream.
func messages(t *testing.T, body io.Reader) []jsonMessage {
	t.Helper()
	var out []jsonMessage
	sc := bufio.NewScanner(body)
	for sc.Scan() {
		var m jsonMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not a JSON message: %q", sc.Text())
		}
		out = append(out, m)
	}
	return out
}

// TestListImagesLeavesOutBroken: Docker's list has the images that could
// be read; the broken ones only go to the service's log.
func TestListImagesLeavesOutBroken(t *testing.T) {
	srv, _ := newTestServer(t)
	resp, err := http.Get(srv.URL + "/images/json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	if len(list) != 1 || list[0]["Id"] != "sha256:abc" {
		t.Errorf("want only the readable image, got %v", list)
	}
}

func TestPullStream(t *testing.T) {
	srv, imgs := newTestServer(t)
	auth := base64.URLEncoding.EncodeToString([]byte(`{"username":"u","password":"p"}`))
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/images/create?fromImage=busybox&tag=latest&platform=linux/arm64/v8", nil)
	req.Header.Set("X-Registry-Auth", auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var got []string
	for _, m := range messages(t, resp.Body) {
		got = append(got, m.ID+"|"+m.Status)
	}
	want := []string{"latest|Pulling from library/busybox", "0123456789ab|Pulling fs layer", "0123456789ab|Download complete", "0123456789ab|Pull complete",
		"|Digest: sha256:" + strings.Repeat("d", 64), "|Status: Downloaded newer image for busybox:latest"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	p := imgs.pulled
	if p.Reference != "docker.io/library/busybox:latest" || p.Creds != "u:p" || p.OS != "linux" || p.Arch != "arm64" || p.Variant != "v8" || p.Policy != "always" {
		t.Errorf("engine got %+v", p)
	}
}

func TestPullErrorInStream(t *testing.T) {
	srv, _ := newTestServer(t)
	resp, err := http.Post(srv.URL+"/images/create?fromImage=example.com/denied&tag=1", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	ms := messages(t, resp.Body)
	last := ms[len(ms)-1]
	if last.Error == nil || !strings.Contains(last.ErrorMessage, "authentication required") || last.Error.Message != last.ErrorMessage {
		t.Errorf("last message %+v, want the error", last)
	}
	for _, m := range ms {
		if m.Status == "Pull complete" {
			t.Errorf("a failed pull reported a complete layer")
		}
	}
}

// TestPullNoSuchManifest: a pull the registry has no manifest for fails
// before anything is streamed, with Docker's 404 and words.
func TestPullNoSuchManifest(t *testing.T) {
	srv, _ := newTestServer(t)
	resp, err := http.Post(srv.URL+"/images/create?fromImage=example.com/nomanifest&tag=1", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	want := `{"message":"manifest for example.com/nomanifest:1 not found: manifest unknown: manifest unknown","cause":"not-found"}`
	if resp.StatusCode != http.StatusNotFound || strings.TrimSpace(string(body)) != want {
		t.Errorf("got %d %s, want 404 %s", resp.StatusCode, body, want)
	}
}

// TestPushNoLocalTag: a repository with no local tag is named as Docker
// names it, after the push's first line.
func TestPushNoLocalTag(t *testing.T) {
	srv, imgs := newTestServer(t)
	resp, err := http.Post(srv.URL+"/images/example.com/none/push?tag=1", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	ms := messages(t, resp.Body)
	resp.Body.Close()
	if len(imgs.pushed) != 0 || len(ms) != 2 || ms[0].Status != "The push refers to repository [example.com/none]" ||
		ms[1].ErrorMessage != "An image does not exist locally with the tag: example.com/none" {
		t.Errorf("pushed %v, messages %+v", imgs.pushed, ms)
	}
}

func TestPushAllTagsAndAux(t *testing.T) {
	srv, imgs := newTestServer(t)
	resp, err := http.Post(srv.URL+"/images/example.com/app/push", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	ms := messages(t, resp.Body)
	resp.Body.Close()
	if len(imgs.pushed) != 2 || imgs.pushed[0].Source != "example.com/app:1" || imgs.pushed[1].Source != "example.com/app:2" {
		t.Fatalf("pushed %+v", imgs.pushed)
	}
	var statuses []string
	var aux []map[string]any
	for _, m := range ms {
		statuses = append(statuses, m.ID+"|"+m.Status)
		if m.Aux != nil {
			var a map[string]any
			if err := json.Unmarshal(*m.Aux, &a); err != nil {
				t.Fatalf("aux %s: %v", *m.Aux, err)
			}
			aux = append(aux, a)
		}
	}
	joined := strings.Join(statuses, "\n")
	for _, w := range []string{"|The push refers to repository [example.com/app]", "0123456789ab|Preparing", "0123456789ab|Layer already exists", "|1: digest: sha256:eeee"} {
		if !strings.Contains(joined, w) {
			t.Errorf("push messages lack %q:\n%s", w, joined)
		}
	}
	if len(aux) != 2 || aux[1]["Tag"] != "2" || aux[1]["Digest"] != "sha256:"+strings.Repeat("e", 64) {
		t.Errorf("aux %v", aux)
	}
}

func TestAuth(t *testing.T) {
	srv, _ := newTestServer(t)
	cases := []struct {
		body   string
		status int
		want   string
	}{
		{`{"username":"u","password":"p","serveraddress":"https://example.com:5000/"}`, 200, `"Status":"Login Succeeded"`},
		{`{"username":"x","password":"p","serveraddress":"example.com:5000"}`, 401, "authentication required"},
		{`{"serveraddress":"example.com:5000"}`, 400, "username and a password"},
		{`{"identitytoken":"t","serveraddress":"example.com:5000"}`, 501, "tokens are not supported"},
	}
	for _, c := range cases {
		resp, err := http.Post(srv.URL+"/auth", "application/json", strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.Contains(string(b), c.want) {
			t.Errorf("%s: %d %s, want %d with %q", c.body, resp.StatusCode, b, c.status, c.want)
		}
	}
}

// TestImageInspectByAPIVersion: API 1.44 dropped VirtualSize (and with it
// skiff's Container and ContainerConfig); older clients still get them.
func TestImageInspectByAPIVersion(t *testing.T) {
	h := server.NewHandler(server.HandlerOptions{Docker: Routes(&scriptEngine{imgs: &scriptImages{}})})
	for _, tt := range []struct {
		version string
		old     bool
	}{{"v1.41", true}, {"v1.43", true}, {"v1.44", false}, {"v1.51", false}} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/"+tt.version+"/images/abc/json", nil))
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.version, w.Code, w.Body)
		}
		for _, k := range []string{"VirtualSize", "Container", "ContainerConfig"} {
			if _, ok := got[k]; ok != tt.old {
				t.Errorf("%s: %s present = %v, want %v", tt.version, k, ok, tt.old)
			}
		}
		if _, ok := got["Metadata"]; !ok {
			t.Errorf("%s: no Metadata", tt.version)
		}
	}
}
