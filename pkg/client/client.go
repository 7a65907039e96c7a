package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/skiffcontainers/skiff/pkg/client/wire"
	"github.com/skiffcontainers/skiff/pkg/errdefs"
)

// Options configure a Client beyond its URI.
type Options struct {
	TLS TLSOptions
	SSH SSHOptions
}

// Client talks to one skiff service. The zero value talks to the default
// local socket (DefaultURI). A Client is safe for concurrent use.
type Client struct {
	uri  URI
	opts Options

	once    sync.Once
	initErr error
	http    *http.Client
	base    string // scheme and host of request URLs
}

// New makes a client for the service at uri (see ParseURI).
func New(uri string, opts Options) (*Client, error) {
	u, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	c := &Client{uri: u, opts: opts}
	c.init()
	if c.initErr != nil {
		return nil, c.initErr
	}
	return c, nil
}

// URI is the service this client talks to.
func (c *Client) URI() URI {
	c.init()
	return c.uri
}

// init sets up the transport once; the zero value gets the default URI.
func (c *Client) init() {
	c.once.Do(func() {
		if c.uri.Scheme == "" {
			c.uri = DefaultURI()
		}
		tr := &http.Transport{
			DisableCompression:  true,
			MaxIdleConnsPerHost: 8,
			IdleConnTimeout:     30 * time.Second,
		}
		c.base = "http://skiff"
		u := c.uri
		switch u.Scheme {
		case "unix":
			tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", u.Path)
			}
		case "tcp":
			hostport := net.JoinHostPort(u.Host, strconv.Itoa(u.Port))
			tr.DialContext = (&net.Dialer{}).DialContext
			c.base = "http://" + hostport
			if c.opts.TLS.Enabled() {
				cfg, err := c.opts.TLS.config(u.Host)
				if err != nil {
					c.initErr = err
					return
				}
				tr.TLSClientConfig = cfg
				c.base = "https://" + hostport
			}
		case "ssh":
			tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
				return dialSSH(ctx, u, c.opts.SSH)
			}
		default:
			c.initErr = fmt.Errorf("unsupported service URI scheme %q: %w", u.Scheme, errdefs.ErrInvalidArg)
			return
		}
		c.http = &http.Client{Transport: tr}
	})
}

// Close releases pooled connections (and with them ssh processes).
func (c *Client) Close() {
	if c.http != nil {
		c.http.CloseIdleConnections()
	}
}

// request builds a request to the native route path (relative to
// wire.Prefix) with a JSON body when in is not nil.
func (c *Client) request(ctx context.Context, method, path string, in any) (*http.Request, error) {
	c.init()
	if c.initErr != nil {
		return nil, c.initErr
	}
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encoding the request: %w", err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+wire.Prefix+path, body)
	if err != nil {
		return nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// Do calls a JSON route: in is the body (nil for none) and out, when not
// nil, receives the answer, or the partial result that came with an error.
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	req, err := c.request(ctx, method, path, in)
	if err != nil {
		return err
	}
	return c.send(req, out)
}

// send runs req and decodes its answer.
func (c *Client) send(req *http.Request, out any) error {
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out == nil || resp.StatusCode == http.StatusNoContent {
			return nil
		}
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return fmt.Errorf("decoding the answer of %s: %w", req.URL.Path, err)
		}
		return nil
	}
	return c.answerError(req, resp, out)
}

// answerError rebuilds the error of a failed answer.
func (c *Client) answerError(req *http.Request, resp *http.Response, partial any) error {
	if !fromSkiff(resp) {
		return c.notSkiff(req, resp)
	}
	if resp.StatusCode == http.StatusNotModified {
		var e wire.Error
		if json.Unmarshal([]byte(resp.Header.Get(wire.HeaderError)), &e) == nil && e.Message != "" {
			return e.Err()
		}
		return errdefs.WithClass(errdefs.ClassNotModified, "not modified")
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var body wire.ErrorBody
	if json.Unmarshal(data, &body) == nil && body.Message != "" {
		if partial != nil && len(body.Value) > 0 {
			_ = json.Unmarshal(body.Value, partial)
		}
		return body.Error.Err()
	}
	if resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("%s answered 404 for %s: %w", c.uri, req.URL.Path, ErrNotSkiff)
	}
	msg := strings.TrimSpace(string(data))
	if msg == "" {
		msg = resp.Status
	}
	return errdefs.WithClass(errdefs.FromHTTPStatus(resp.StatusCode), fmt.Sprintf("%s %s: %s", req.Method, req.URL.Path, msg))
}

// fromSkiff reports whether an answer came from a skiff service, which
// names itself in the Server header ("skiff/VERSION") of every answer.
func fromSkiff(resp *http.Response) bool {
	return strings.HasPrefix(resp.Header.Get("Server"), "skiff/")
}

// notSkiff describes an answer from something that is not a skiff
// service (typically a Docker daemon): the URL, what answered and how,
// and what was expected there.
func (c *Client) notSkiff(req *http.Request, resp *http.Response) error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var msg struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(data, &msg) != nil || msg.Message == "" {
		// Not Docker's JSON: the first line of the text ("Client sent an
		// HTTP request to an HTTPS server.").
		msg.Message, _, _ = strings.Cut(strings.TrimSpace(string(data)), "\n")
		if len(msg.Message) > 200 {
			msg.Message = msg.Message[:200] + "…"
		}
	}
	answer := resp.Status
	if msg.Message != "" {
		answer += " (" + msg.Message + ")"
	}
	who := ""
	if server := resp.Header.Get("Server"); server != "" {
		who = fmt.Sprintf(" as %q", server)
	}
	return errdefs.Reword(fmt.Sprintf("%s is not a skiff service: it answered %s %s with %s%s, where a skiff service serves skiff's API (%s/...)",
		c.uri, req.Method, req.URL.Path, answer, who, wire.Prefix), ErrNotSkiff)
}

// ErrNotSkiff says the peer is an HTTP server but not a skiff service (or
// one without the native API).
var ErrNotSkiff = errdefs.New(errdefs.ClassUnavailable, "the service does not speak skiff's API")

// transportError explains a failure to reach the service.
func (c *Client) transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("cannot connect to the skiff service at %s: %v: %w", c.uri, err, ErrUnreachable)
}

// ErrUnreachable says the service could not be reached at all.
var ErrUnreachable = errdefs.New(errdefs.ClassUnavailable, "is the service running?")

// Ping checks that the peer is a skiff service speaking the native API:
// ErrUnreachable when nothing answers, ErrNotSkiff when something else
// does (a Docker daemon, say).
func (c *Client) Ping(ctx context.Context) (*wire.Ping, error) {
	var p wire.Ping
	if err := c.Do(ctx, http.MethodGet, "/ping", nil, &p); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(p.API, "skiff/") {
		return nil, errdefs.Reword(fmt.Sprintf("%s is not a skiff service: it answered the ping with %q", c.uri, p.API), ErrNotSkiff)
	}
	return &p, nil
}

// Upload calls a route whose body is a stream (an image tarball), with
// its options in the Skiff-Options header, and decodes the answer into out.
func (c *Client) Upload(ctx context.Context, path string, opts any, body io.Reader, out any) error {
	req, err := c.request(ctx, http.MethodPost, path, nil)
	if err != nil {
		return err
	}
	hdr, err := json.Marshal(opts)
	if err != nil {
		return err
	}
	req.Header.Set(wire.HeaderOptions, string(hdr))
	req.Header.Set("Content-Type", "application/x-tar")
	req.Body = io.NopCloser(body)
	return c.send(req, out)
}
