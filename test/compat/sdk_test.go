package compat

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"
)

// sdkClient is the Docker Go SDK configured the way programs do it: from
// the environment, negotiating the API version.
func (md *mode) sdkClient(t *testing.T) *client.Client {
	t.Helper()
	t.Setenv("DOCKER_HOST", "unix://"+md.sock)
	t.Setenv("DOCKER_API_VERSION", "")
	t.Setenv("DOCKER_TLS_VERIFY", "")
	t.Setenv("DOCKER_CERT_PATH", "")
	c, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestSDK runs Docker's own `run` flow through the SDK: create, attach,
// wait, start, read the multiplexed output, exit code, logs, remove. It
// does not run the modes in parallel: the SDK reads DOCKER_HOST from the
// process environment.
func TestSDK(t *testing.T) {
	for _, md := range suite.modes {
		t.Run(md.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
			defer cancel()
			cli := md.sdkClient(t)

			ping, err := cli.Ping(ctx)
			if err != nil {
				t.Fatalf("ping: %v", err)
			}
			if ping.APIVersion != "1.51" || ping.OSType != "linux" {
				t.Errorf("ping = %+v", ping)
			}
			if v := cli.ClientVersion(); v != "1.51" {
				t.Errorf("negotiated API version %s, want 1.51", v)
			}

			name := uniqueName(t, "sdk")
			created, err := cli.ContainerCreate(ctx, &container.Config{
				Image: image, Cmd: []string{"sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"},
				Labels:       map[string]string{"com.example.k": "v=1"},
				AttachStdout: true, AttachStderr: true,
			}, &container.HostConfig{}, nil, nil, name)
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			defer func() {
				_ = cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true})
			}()

			att, err := cli.ContainerAttach(ctx, created.ID, container.AttachOptions{Stream: true, Stdout: true, Stderr: true})
			if err != nil {
				t.Fatalf("attach: %v", err)
			}
			defer att.Close()
			waitC, errC := cli.ContainerWait(ctx, created.ID, container.WaitConditionNextExit)
			if err := cli.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
				t.Fatalf("start: %v", err)
			}
			var stdout, stderr bytes.Buffer
			if _, err := stdcopy.StdCopy(&stdout, &stderr, att.Reader); err != nil {
				t.Fatalf("reading the attach stream: %v", err)
			}
			if stdout.String() != "to-stdout\n" || stderr.String() != "to-stderr\n" {
				t.Errorf("attach stdout %q stderr %q", stdout.String(), stderr.String())
			}
			select {
			case w := <-waitC:
				if w.StatusCode != 3 || w.Error != nil {
					t.Errorf("wait = %+v, want exit 3", w)
				}
			case err := <-errC:
				t.Fatalf("wait: %v", err)
			}

			logs, err := cli.ContainerLogs(ctx, created.ID, container.LogsOptions{ShowStdout: true, ShowStderr: true})
			if err != nil {
				t.Fatalf("logs: %v", err)
			}
			stdout.Reset()
			stderr.Reset()
			_, err = stdcopy.StdCopy(&stdout, &stderr, logs)
			logs.Close()
			if err != nil || stdout.String() != "to-stdout\n" || stderr.String() != "to-stderr\n" {
				t.Errorf("logs stdout %q stderr %q (%v)", stdout.String(), stderr.String(), err)
			}

			info, err := cli.ContainerInspect(ctx, name)
			if err != nil {
				t.Fatalf("inspect: %v", err)
			}
			if info.State.ExitCode != 3 || info.Config.Labels["com.example.k"] != "v=1" || info.Name != "/"+name {
				t.Errorf("inspect: exit %d labels %v name %q", info.State.ExitCode, info.Config.Labels, info.Name)
			}

			if err := cli.ContainerRemove(ctx, created.ID, container.RemoveOptions{}); err != nil {
				t.Fatalf("remove: %v", err)
			}
			_, err = cli.ContainerInspect(ctx, created.ID)
			if !cerrdefs.IsNotFound(err) || !strings.Contains(err.Error(), "No such container: "+created.ID) {
				t.Errorf("inspect after remove: %v, want a not-found error", err)
			}
		})
	}
}

// TestSDKAttachStdinTTY drives a TTY container through the SDK: raw
// stream, stdin, resize, and the connection closed at exit.
func TestSDKAttachStdinTTY(t *testing.T) {
	for _, md := range suite.modes {
		t.Run(md.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
			defer cancel()
			cli := md.sdkClient(t)
			created, err := cli.ContainerCreate(ctx, &container.Config{
				Image: image, Cmd: []string{"sh", "-c", "read line; echo got:$line; stty size"},
				Tty: true, OpenStdin: true, StdinOnce: true, AttachStdin: true, AttachStdout: true, AttachStderr: true,
			}, &container.HostConfig{AutoRemove: true}, nil, nil, "")
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			att, err := cli.ContainerAttach(ctx, created.ID, container.AttachOptions{Stream: true, Stdin: true, Stdout: true, Stderr: true})
			if err != nil {
				t.Fatalf("attach: %v", err)
			}
			defer att.Close()
			waitC, errC := cli.ContainerWait(ctx, created.ID, container.WaitConditionRemoved)
			if err := cli.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
				t.Fatalf("start: %v", err)
			}
			if err := cli.ContainerResize(ctx, created.ID, container.ResizeOptions{Height: 40, Width: 90}); err != nil {
				t.Fatalf("resize: %v", err)
			}
			if _, err := att.Conn.Write([]byte("hello\n")); err != nil {
				t.Fatal(err)
			}
			out, err := io.ReadAll(att.Reader)
			if err != nil {
				t.Fatalf("reading the raw stream: %v", err)
			}
			if !strings.Contains(string(out), "got:hello") || !strings.Contains(string(out), "40 90") {
				t.Errorf("tty output %q lacks got:hello and 40 90", out)
			}
			select {
			case w := <-waitC:
				if w.StatusCode != 0 {
					t.Errorf("wait removed = %+v", w)
				}
			case err := <-errC:
				t.Fatalf("wait: %v", err)
			}
		})
	}
}
