package server

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// The Docker API versions the server speaks: it reports the newest and
// accepts paths from the oldest to the newest, refusing the others with
// Docker's messages (clients negotiate down to Api-Version first).
const (
	APIVersionMax = "1.51"
	APIVersionMin = "1.24"
	minMajor      = 1
	minMinor      = 24
	maxMajor      = 1
	maxMinor      = 51
)

// nativePrefix is where skiff's own API lives; it is never versioned
// Docker-style.
const nativePrefix = "/skiff/"

// HandlerOptions configure the API handler.
type HandlerOptions struct {
	// Docker routes are served under /v{version}/ and unversioned.
	Docker []Route
	// Native routes carry full paths under /skiff/ and are not versioned.
	Native []Route
	// ServerVersion goes into the Server header as skiff/<version>.
	ServerVersion string
	// BodyLimit bounds request bodies of non-Stream routes: 0 means
	// DefaultBodyLimit, a negative value none.
	BodyLimit int64
	// BodyTimeout bounds reading a whole request body of a non-Stream
	// route, from the end of its headers: 0 means DefaultBodyTimeout, a
	// negative value none.
	BodyTimeout time.Duration
	// BodyIdleTimeout bounds the wait for each next part of any request
	// body: 0 means DefaultBodyIdleTimeout, a negative value none.
	BodyIdleTimeout time.Duration
}

// handler is the API's root http.Handler.
type handler struct {
	docker, native *http.ServeMux
	serverHeader   string
	tracker        *tracker   // nil in handlers built without a Server
	keepAlive      *keepAlive // likewise
}

// NewHandler builds the API's http.Handler: version prefixes, /_ping,
// common headers, panic recovery, body limits and the access log around
// the given routes. It panics on conflicting route patterns, as
// http.ServeMux does, since that is a programming error.
func NewHandler(opts HandlerOptions) http.Handler {
	return newHandler(opts, nil)
}

func newHandler(opts HandlerOptions, t *tracker) *handler {
	bodies := newBodyPolicy(opts)
	h := &handler{docker: http.NewServeMux(), native: http.NewServeMux(),
		serverHeader: "skiff/" + opts.ServerVersion, tracker: t}
	h.docker.HandleFunc("GET /_ping", ping)
	for _, rt := range opts.Docker {
		register(h.docker, rt, bodies)
	}
	for _, rt := range opts.Native {
		if !strings.HasPrefix(rt.Pattern, nativePrefix) {
			panic(fmt.Sprintf("native route %q is not under %s", rt.Pattern, nativePrefix))
		}
		register(h.native, rt, bodies)
	}
	return h
}

// register adds one route to mux, its request bodies bounded by bodies.
func register(mux *http.ServeMux, rt Route, bodies bodyPolicy) {
	pattern := rt.Pattern
	if rt.Method != "" {
		pattern = rt.Method + " " + pattern
	}
	next := rt.Handler
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		next(w, bodies.wrap(w, r, rt.Stream))
	})
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, tracker: h.tracker}
	hdr := rec.Header()
	hdr.Set("Api-Version", APIVersionMax)
	hdr.Set("Ostype", "linux")
	hdr.Set("Docker-Experimental", "false")
	hdr.Set("Server", h.serverHeader)
	if h.keepAlive.lastRequest(r) {
		hdr.Set("Connection", "close")
	}
	defer func() {
		if logrus.IsLevelEnabled(logrus.DebugLevel) {
			logrus.Debugf("api: %s %s %d %s", r.Method, r.URL.RequestURI(), rec.statusCode(), time.Since(start).Round(time.Microsecond))
		}
	}()
	defer recoverPanic(rec, r)
	h.route(rec, r)
}

// versionPrefix matches a Docker-style version prefix such as /v1.51.
var versionPrefix = regexp.MustCompile(`^/v([0-9]+)\.([0-9]+)(/|$)`)

// route strips the version prefix and picks the mux.
func (h *handler) route(w http.ResponseWriter, r *http.Request) {
	mux := h.docker
	if m := versionPrefix.FindStringSubmatch(r.URL.Path); m != nil {
		version := m[1] + "." + m[2]
		if err := checkVersion(m[1], m[2]); err != nil {
			WriteError(w, err)
			return
		}
		r = stripPrefix(r, m[0][:len(m[0])-len(m[3])], version)
	} else if strings.HasPrefix(r.URL.Path, nativePrefix) {
		mux = h.native
	}
	if _, pattern := mux.Handler(r); pattern == "" {
		// Unknown path or wrong method: Docker answers both with 404.
		WriteJSON(w, http.StatusNotFound, ErrorBody{Message: "page not found", Cause: errdefs.ClassNotFound.String()})
		return
	}
	mux.ServeHTTP(w, r)
}

// checkVersion refuses versions outside the range served, in the words of
// moby's version middleware.
func checkVersion(major, minor string) error {
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	if err1 != nil || err2 != nil {
		return invalidf("invalid API version %s.%s", major, minor)
	}
	if ma < minMajor || (ma == minMajor && mi < minMinor) {
		return invalidf("client version %s.%s is too old. Minimum supported API version is %s, please upgrade your client to a newer version",
			major, minor, APIVersionMin)
	}
	if ma > maxMajor || (ma == maxMajor && mi > maxMinor) {
		return invalidf("client version %s.%s is too new. Maximum supported API version is %s", major, minor, APIVersionMax)
	}
	return nil
}

// stripPrefix returns r without prefix on its path, remembering the API
// version asked for.
func stripPrefix(r *http.Request, prefix, version string) *http.Request {
	r = r.WithContext(context.WithValue(r.Context(), keyAPIVersion, version))
	u := *r.URL
	u.Path = strings.TrimPrefix(u.Path, prefix)
	if u.Path == "" {
		u.Path = "/"
	}
	if raw, ok := strings.CutPrefix(u.RawPath, prefix); ok && raw != "" {
		u.RawPath = raw
	} else {
		u.RawPath = "" // let net/url derive it from Path
	}
	r.URL = &u
	return r
}

// ping answers GET and HEAD /_ping with the headers clients negotiate with.
func ping(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Builder-Version", "1")
	h.Set("Swarm", "inactive")
	h.Set("Cache-Control", "no-cache, no-store, must-revalidate")
	h.Set("Pragma", "no-cache")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	if r.Method == http.MethodHead {
		h.Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		return
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("OK"))
}
