package docker

import (
	"reflect"
	"strings"
	"testing"

	"github.com/skiffcontainers/skiff/pkg/engine"
)

func TestProgressTranslator(t *testing.T) {
	const (
		blobA = "sha256:aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111"
		blobB = "sha256:bbbbbbbbbbbb2222222222222222222222222222222222222222222222222222"
		cfg   = "sha256:cccccccccccc3333333333333333333333333333333333333333333333333333"
	)
	ev := func(e engine.LayerEvent, d string, off, total int64) engine.LayerProgress {
		return engine.LayerProgress{Event: e, Digest: d, Offset: off, Total: total}
	}
	config := engine.LayerProgress{Event: engine.LayerStarted, Digest: cfg, Config: true, Total: 300}
	type msg struct {
		status, id     string
		current, total int64
	}
	cases := []struct {
		name   string
		kind   transferKind
		events []engine.LayerProgress
		ok     bool
		want   []msg
	}{
		{
			name: "pull: one layer present, one fetched with byte counts",
			kind: kindPull,
			events: []engine.LayerProgress{ev(engine.LayerSkipped, blobA, 0, 100), ev(engine.LayerStarted, blobB, 0, 2000),
				ev(engine.LayerRead, blobB, 1000, 2000), ev(engine.LayerDone, blobB, 2000, 2000), config},
			ok: true,
			want: []msg{{"Already exists", "aaaaaaaaaaaa", 0, 0}, {"Pulling fs layer", "bbbbbbbbbbbb", 0, 0},
				{"Downloading", "bbbbbbbbbbbb", 1000, 2000}, {"Download complete", "bbbbbbbbbbbb", 0, 0},
				{"Pull complete", "bbbbbbbbbbbb", 0, 0}},
		},
		{
			name: "push: a layer the registry has is prepared, then already exists",
			kind: kindPush,
			events: []engine.LayerProgress{ev(engine.LayerSkipped, blobA, 0, 100), ev(engine.LayerStarted, blobB, 0, -1),
				ev(engine.LayerRead, blobB, 10, -1), ev(engine.LayerDone, blobB, 20, -1)},
			ok: true,
			want: []msg{{"Preparing", "aaaaaaaaaaaa", 0, 0}, {"Layer already exists", "aaaaaaaaaaaa", 0, 0},
				{"Preparing", "bbbbbbbbbbbb", 0, 0}, {"Pushing", "bbbbbbbbbbbb", 10, 0}, {"Pushed", "bbbbbbbbbbbb", 0, 0}},
		},
		{
			name:   "failed pull leaves layers open",
			kind:   kindPull,
			events: []engine.LayerProgress{ev(engine.LayerStarted, blobA, 0, 5), ev(engine.LayerDone, blobA, 5, 5)},
			ok:     false,
			want:   []msg{{"Pulling fs layer", "aaaaaaaaaaaa", 0, 0}, {"Download complete", "aaaaaaaaaaaa", 0, 0}},
		},
		{
			name:   "a blob started twice (a retry) is announced once; the config is never shown",
			kind:   kindPull,
			events: []engine.LayerProgress{config, ev(engine.LayerStarted, blobA, 0, 5), ev(engine.LayerStarted, blobA, 0, 5)},
			ok:     true,
			want:   []msg{{"Pulling fs layer", "aaaaaaaaaaaa", 0, 0}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []msg
			tr := newProgressTranslator(c.kind, func(m jsonMessage) error {
				if m.Progress == nil {
					t.Fatalf("message %+v lacks progressDetail", m)
				}
				got = append(got, msg{m.Status, m.ID, m.Progress.Current, m.Progress.Total})
				return nil
			})
			for _, e := range c.events {
				tr.onLayer(e)
			}
			if err := tr.finish(c.ok); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("messages\n%v\nwant\n%v", got, c.want)
			}
		})
	}
}

func TestProgressTranslatorStopsAfterSendFails(t *testing.T) {
	sends := 0
	tr := newProgressTranslator(kindPull, func(jsonMessage) error { sends++; return errString("client gone") })
	tr.onLayer(engine.LayerProgress{Event: engine.LayerStarted, Digest: "sha256:aaaaaaaaaaaaaaaa"})
	tr.onLayer(engine.LayerProgress{Event: engine.LayerStarted, Digest: "sha256:bbbbbbbbbbbbbbbb"})
	if err := tr.finish(true); err == nil || sends != 1 {
		t.Errorf("finish = %v after %d sends, want the send error after 1", err, sends)
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
