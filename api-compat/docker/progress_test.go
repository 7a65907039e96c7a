package docker

import (
	"reflect"
	"strings"
	"testing"
)

func TestProgressTranslator(t *testing.T) {
	const (
		blobA = "sha256:aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111"
		blobB = "sha256:bbbbbbbbbbbb2222222222222222222222222222222222222222222222222222"
		cfg   = "sha256:cccccccccccc3333333333333333333333333333333333333333333333333333"
	)
	type msg struct{ status, id string }
	cases := []struct {
		name   string
		kind   transferKind
		chunks []string
		ok     bool
		want   []msg
	}{
		{
			name: "pull",
			kind: kindPull,
			chunks: []string{"Getting image source signatures\n", "Copying blob " + blobA + "\n", "Copying blob " + blobB + "\n",
				"Copying config " + cfg + "\n", "Writing manifest to image destination\n"},
			ok: true,
			want: []msg{{"Pulling fs layer", "aaaaaaaaaaaa"}, {"Pulling fs layer", "bbbbbbbbbbbb"},
				{"Pull complete", "aaaaaaaaaaaa"}, {"Pull complete", "bbbbbbbbbbbb"}},
		},
		{
			name:   "push, lines split across writes",
			kind:   kindPush,
			chunks: []string{"Copying bl", "ob " + blobA[:20], blobA[20:] + "\nCopying blob " + blobA + "\nWriting man", "ifest to image destination\n"},
			ok:     true,
			want:   []msg{{"Preparing", "aaaaaaaaaaaa"}, {"Pushed", "aaaaaaaaaaaa"}},
		},
		{
			name:   "failed pull leaves layers open",
			kind:   kindPull,
			chunks: []string{"Copying blob " + blobA + "\n"},
			ok:     false,
			want:   []msg{{"Pulling fs layer", "aaaaaaaaaaaa"}},
		},
		{
			name:   "success completes layers without a manifest line; last line unterminated",
			kind:   kindPull,
			chunks: []string{"Copying blob " + blobA},
			ok:     true,
			want:   []msg{{"Pulling fs layer", "aaaaaaaaaaaa"}, {"Pull complete", "aaaaaaaaaaaa"}},
		},
		{
			name:   "nothing copied",
			kind:   kindPull,
			chunks: []string{"Trying to pull 127.0.0.1:5000/x:1...\n", "Copying blob\n"},
			ok:     true,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []msg
			tr := newProgressTranslator(c.kind, func(m jsonMessage) error {
				if m.ProgressDetail == nil {
					t.Errorf("message %+v lacks progressDetail", m)
				}
				got = append(got, msg{m.Status, m.ID})
				return nil
			})
			for _, ch := range c.chunks {
				if n, err := tr.Write([]byte(ch)); err != nil || n != len(ch) {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if err := tr.finish(c.ok); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("messages %v, want %v", got, c.want)
			}
		})
	}
}

func TestMessageStreamFail(t *testing.T) {
	var b strings.Builder
	newMessageStream(&b).fail(errString("pulling x: authentication required"))
	want := `{"errorDetail":{"message":"pulling x: authentication required"},"error":"pulling x: authentication required"}` + "\n"
	if b.String() != want {
		t.Errorf("got %s want %s", b.String(), want)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
