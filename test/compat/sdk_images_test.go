package compat

import (
	"bytes"
	"context"
	"strings"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
	dockerimage "github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"
)

// TestSDKImagePull pulls through the SDK and decodes the progress stream
// with the CLI's own jsonmessage reader (the image's one layer is in the
// store already). A pull of a tag the registry lacks fails before any
// progress, with Docker's 404 ("manifest for ... not found"). Modes run
// one after the other (the SDK reads DOCKER_HOST from the process
// environment).
func TestSDKImagePull(t *testing.T) {
	for _, md := range suite.modes {
		t.Run(md.name, func(t *testing.T) {
			ref := suite.reg.host + "/compat/" + uniqueName(t, "sdkpull") + ":2"
			md.must(t, "tag", image, ref)
			md.must(t, "push", ref)
			md.must(t, "rmi", ref)
			t.Cleanup(func() { _ = md.dockerCmd(context.Background(), "rmi", "-f", ref).Run() })

			ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
			defer cancel()
			cli := md.sdkClient(t)
			rc, err := cli.ImagePull(ctx, ref, dockerimage.PullOptions{})
			if err != nil {
				t.Fatalf("ImagePull: %v", err)
			}
			var out bytes.Buffer
			err = jsonmessage.DisplayJSONMessagesStream(rc, &out, 0, false, nil)
			rc.Close()
			if err != nil {
				t.Fatalf("progress stream: %v\n%s", err, out.String())
			}
			wantContains(t, "progress", out.String(), "2: Pulling from compat/", ": Already exists", "Digest: sha256:", "Status: Downloaded newer image for "+ref)
			if _, err := cli.ImageInspect(ctx, ref); err != nil {
				t.Errorf("inspect after pull: %v", err)
			}

			missing := suite.reg.host + "/compat/no-such-repo:1"
			rc, err = cli.ImagePull(ctx, missing, dockerimage.PullOptions{})
			if err == nil {
				rc.Close()
				t.Fatalf("ImagePull of a missing image streamed; want Docker's 404")
			}
			if !cerrdefs.IsNotFound(err) || !strings.Contains(err.Error(), "manifest for "+missing+" not found") {
				t.Errorf("missing image: %v, want a not-found error saying the manifest for %s was not found", err, missing)
			}
		})
	}
}
