package docker

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestVolumes: skiff has no named volumes, and says so in Docker's shapes.
func TestVolumes(t *testing.T) {
	a := &api{}
	mux := http.NewServeMux()
	for _, rt := range a.volumeRoutes() {
		mux.HandleFunc(rt.Method+" "+rt.Pattern, rt.Handler)
	}
	tests := []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/volumes", 200, `{"Volumes":[],"Warnings":[]}`},
		{"GET", `/volumes?filters={"label":{"com.docker.compose.project=p":true}}`, 200, `{"Volumes":[],"Warnings":[]}`},
		{"GET", "/volumes?filters=junk", 400, ""},
		{"GET", "/volumes/data", 404, `"message":"get data: no such volume"`},
		{"DELETE", "/volumes/data", 404, `"message":"remove data: no such volume"`},
		{"POST", "/volumes/create", 501, "named volumes are not supported by skiff yet"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
			body, _ := io.ReadAll(w.Result().Body)
			if w.Code != tt.status || !strings.Contains(string(body), tt.body) {
				t.Errorf("%d %s, want %d with %q", w.Code, body, tt.status, tt.body)
			}
		})
	}
}
