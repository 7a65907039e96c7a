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
