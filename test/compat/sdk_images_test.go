package compat

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	dockerimage "github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"
)

// TestSDKImagePull pulls through the SDK and decodes the progress stream
// with the CLI's own jsonmessage reader (the image's one layer is in the
// store already); a failing pull's error arrives in the stream. Modes run one after the other (the SDK reads DOCKER_HOST
// from the process environment).
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

			rc, err = cli.ImagePull(ctx, suite.reg.host+"/compat/no-such-repo:1", dockerimage.PullOptions{})
			if err != nil {
				t.Fatalf("ImagePull of a missing image failed before streaming: %v", err)
			}
			out.Reset()
			err = jsonmessage.DisplayJSONMessagesStream(rc, &out, 0, false, nil)
			rc.Close()
			var jerr *jsonmessage.JSONError
			if !errors.As(err, &jerr) || !strings.Contains(jerr.Message, "no-such-repo") {
				t.Errorf("missing image: stream error %v, want a JSONError naming the repository", err)
			}
		})
	}
}
