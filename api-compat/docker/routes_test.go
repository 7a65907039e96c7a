package docker

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/skiffcontainers/skiff/api-compat/server"
)

// TestJSONBodiesNeedJSONContentType sends every endpoint that reads a JSON
// body a text/plain one: each must refuse it as Docker does, before any
// engine call (the engine here is nil).
func TestJSONBodiesNeedJSONContentType(t *testing.T) {
	h := server.NewHandler(server.HandlerOptions{Docker: Routes(nil)})
	const want = `{"message":"unsupported Content-Type header (text/plain): must be 'application/json'","cause":"invalid"}`
	for _, target := range []string{
		"/containers/create",
		"/v1.51/containers/create?name=x",
		"/containers/x/exec",
		"/exec/x/start",
		"/auth",
	} {
		r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(`{"Image":"busybox"}`))
		r.Header.Set("Content-Type", "text/plain")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if got := strings.TrimSpace(w.Body.String()); w.Code != http.StatusBadRequest || got != want {
			t.Errorf("POST %s: %d %s, want 400 %s", target, w.Code, got, want)
		}
	}
}

// TestSlashedContainerNames: a container path whose name holds a slash
// (docker inspect --type container of an image) is Docker's 404 for that
// name; an unknown action of a plain name is an unknown route. The engine
// is nil: no lookup is needed.
func TestSlashedContainerNames(t *testing.T) {
	h := server.NewHandler(server.HandlerOptions{Docker: Routes(nil)})
	for _, tt := range []struct{ method, target, want string }{
		{http.MethodGet, "/v1.51/containers/localhost/busybox:latest/json", `{"message":"No such container: localhost/busybox:latest","cause":"not-found"}`},
		{http.MethodPost, "/containers/a/b/start", `{"message":"No such container: a/b","cause":"not-found"}`},
		{http.MethodDelete, "/containers/a/b", `{"message":"No such container: a/b","cause":"not-found"}`},
		{http.MethodGet, "/containers/a/nosuchaction", `{"message":"page not found","cause":"not-found"}`},
	} {
		r := httptest.NewRequest(tt.method, tt.target, nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if got := strings.TrimSpace(w.Body.String()); w.Code != http.StatusNotFound || got != tt.want {
			t.Errorf("%s %s: %d %s, want 404 %s", tt.method, tt.target, w.Code, got, tt.want)
		}
	}
}
