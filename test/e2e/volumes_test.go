package e2e

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestVolumeCRUD covers volume create, ls (table, -q, json, templates,
// filters), inspect, exists, rm (in use refused naming the container, -f
// removing it), prune (Docker's question; anonymous volumes only unless
// -a) and export/import, in a store of its own so that lists are exact.
func TestVolumeCRUD(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		m = m.isolated(t)
		wantOut(t, m.run(t, "volume", "create", "--label", "env=dev", "data"), "data")
		wantOut(t, m.run(t, "volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=4m", "scratch"), "scratch")
		wantErr(t, m.run(t, "volume", "create", "data"), 125, "Error: volume with name data already exists")
		wantErr(t, m.run(t, "volume", "create", "bad/name"), 125, "includes invalid characters for a local volume name")
		wantErr(t, m.run(t, "volume", "create", "-d", "nfs", "x1"), 125, `volume driver "nfs" is not supported`)
		wantErr(t, m.run(t, "volume", "create", "-o", "colour=red", "x2"), 125, `invalid option "colour" for driver local`)
		anon := m.must(t, "volume", "create").Out()
		if !hex64.MatchString(anon) {
			t.Fatalf("volume create without a name printed %q, want a 64-hex name", anon)
		}
		ls := m.must(t, "volume", "ls").Lines()
		if len(ls) != 4 || !regexp.MustCompile(`^DRIVER\s+VOLUME NAME$`).MatchString(ls[0]) {
			t.Fatalf("volume ls: want a header and 3 volumes, got %q", ls)
		}
		wantOut(t, m.run(t, "volume", "ls", "-q", "--filter", "label=env=dev"), "data")
		wantOut(t, m.run(t, "volume", "ls", "--filter", "name=scr", "--format", "{{.Name}} {{.Driver}} {{.Scope}}"), "scratch local local")
		wantErr(t, m.run(t, "volume", "ls", "--filter", "colour=red"), 125, "Error: invalid filter 'colour'\n")
		var row map[string]string
		if err := json.Unmarshal([]byte(m.must(t, "volume", "ls", "--format", "json", "--filter", "name=data").Out()), &row); err != nil {
			t.Fatalf("volume ls --format json: %v", err)
		}
		if row["Name"] != "data" || row["Driver"] != "local" || row["Labels"] != "env=dev" || row["Scope"] != "local" ||
			!strings.HasSuffix(row["Mountpoint"], "/volumes/data/_data") || row["CreatedAt"] == "" {
			t.Errorf("volume ls --format json: got %v", row)
		}
		wantOut(t, m.run(t, "volume", "inspect", "--format", "{{.Name}} {{.Driver}} {{index .Labels \"env\"}} {{.Options.type}}", "data", "scratch"),
			"data local dev <no value>\nscratch local  tmpfs")
		res := m.run(t, "volume", "inspect", "data", "nosuch")
		wantErr(t, res, 125, `no volume with name "nosuch" found`)
		if !strings.Contains(res.Stdout, `"Name": "data"`) {
			t.Errorf("volume inspect prints what it found before failing: %s", res)
		}
		wantCode(t, m.run(t, "volume", "exists", "data"), 0)
		wantCode(t, m.run(t, "volume", "exists", "nosuch"), 1)

		// Data survives its container; a volume in use cannot go.
		m.must(t, "run", "--rm", "-v", "data:/data", image, "sh", "-c", "echo kept > /data/f")
		m.must(t, "create", "--name", cname(t, "user"), "-v", "data:/data", image, "true")
		wantErr(t, m.run(t, "volume", "rm", "data"), 125, "Error: volume data is being used by container "+cname(t, "user"))
		tmp := m.tempDir(t)
		m.must(t, "volume", "export", "-o", tmp+"/data.tar", "data")
		wantOut(t, m.run(t, "volume", "rm", "-f", "data"), "data")
		wantCode(t, m.run(t, "container", "exists", cname(t, "user")), 1)
		wantErr(t, m.run(t, "volume", "rm", "data"), 125, `no volume with name "data" found`)

		// export | import carries the content into another volume.
		exported := m.must(t, "volume", "export", anon).Stdout
		m.must(t, "volume", "create", "copy")
		m.must(t, "volume", "import", "copy", tmp+"/data.tar")
		wantOut(t, m.run(t, "run", "--rm", "-v", "copy:/c", image, "cat", "/c/f"), "kept")
		wantCode(t, m.runWith(t, runOpts{stdin: strings.NewReader(exported)}, "volume", "import", "copy", "-"), 0)

		// prune: anonymous volumes only, then with -a the named ones.
		res = m.runWith(t, runOpts{stdin: strings.NewReader("n\n")}, "volume", "prune")
		if !strings.Contains(res.Stdout, "WARNING! This will remove anonymous local volumes not used by at least one container.") {
			t.Errorf("volume prune asks Docker's question: %s", res)
		}
		wantCode(t, m.run(t, "volume", "exists", "copy"), 0)
		m.must(t, "create", "--name", cname(t, "anon"), "-v", "/anon", image, "true")
		res = m.must(t, "volume", "prune", "-f")
		if !strings.Contains(res.Stdout, "Total reclaimed space:") {
			t.Errorf("volume prune -f reports reclaimed space: %s", res)
		}
		ls = m.must(t, "volume", "ls", "-q").Lines()
		if len(ls) != 3 || strings.Contains(strings.Join(ls, ","), anon) {
			t.Fatalf("volume prune -f: want the anonymous volume in use and the two named ones left, got %q", ls)
		}
		res = m.must(t, "volume", "prune", "-af", "--filter", "label!=keep")
		if !strings.HasPrefix(res.Stdout, "Deleted Volumes:\n") || !strings.Contains(res.Stdout, "copy\n") {
			t.Errorf("volume prune -af: %s", res)
		}
		ls = m.must(t, "volume", "ls", "-q").Lines()
		if len(ls) != 1 || !hex64.MatchString(ls[0]) {
			t.Fatalf("volume prune -af leaves only the volume in use, got %q", ls)
		}
		// rm -v removes the container's anonymous volume.
		m.must(t, "rm", "-v", cname(t, "anon"))
		wantOut(t, m.run(t, "volume", "ls", "-q"), "")
	})
}

// TestVolumeMounts covers what containers see: copy-up of the image's
// directory into a new volume (not with nocopy), :ro, --read-only with
// its tmpfs, --tmpfs, --mount type=volume|tmpfs, --volumes-from, the
// image's content seen through an anonymous volume, --rm removing
// anonymous volumes, and inspect's Mounts.
func TestVolumeMounts(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		vol := cname(t, "etc")
		t.Cleanup(func() { m.run(t, "volume", "rm", "-f", vol, vol+"-n", vol+"-m") })
		// Copy-up: the image's /sbin lands in the empty volume.
		wantOut(t, m.run(t, "run", "--rm", "-v", vol+":/sbin", image, "sh", "-c", "test -e /sbin/ip && echo copied"), "copied")
		wantOut(t, m.run(t, "run", "--rm", "-v", vol+":/x", image, "sh", "-c", "test -e /x/ip && echo in-volume"), "in-volume")
		wantOut(t, m.run(t, "run", "--rm", "-v", vol+"-n:/sbin:nocopy", image, "ls", "-A", "/sbin"), "")
		wantOut(t, m.run(t, "run", "--rm", "--mount", "type=volume,src="+vol+"-m,dst=/sbin,volume-nocopy", image, "ls", "-A", "/sbin"), "")

		// :ro and --read-only refuse writes; tmpfs keeps places writable.
		res := m.run(t, "run", "--rm", "-v", vol+":/x:ro", image, "touch", "/x/new")
		wantCode(t, res, 1)
		wantStderr(t, res, "Read-only file system")
		res = m.run(t, "run", "--rm", "--read-only", image, "touch", "/new")
		wantCode(t, res, 1)
		wantStderr(t, res, "Read-only file system")
		wantOut(t, m.run(t, "run", "--rm", "--read-only", image, "sh", "-c", "touch /tmp/a /var/tmp/b /run/c && echo ok"), "ok")
		wantCode(t, m.run(t, "run", "--rm", "--read-only", "--read-only-tmpfs=false", image, "touch", "/tmp/a"), 1)
		wantOut(t, m.run(t, "run", "--rm", "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/scratch:size=1m",
			image, "sh", "-c", "touch /scratch/a && echo ok"), "ok")
		wantOut(t, m.run(t, "run", "--rm", "--mount", "type=tmpfs,dst=/t,tmpfs-size=2m", image, "sh", "-c",
			"df -k /t | awk 'NR==2{print $1, $2}'"), "tmpfs 2048")

		// --volumes-from shares named and anonymous volumes, :ro read-only.
		src := cname(t, "src")
		m.cleanup(t, src)
		m.must(t, "run", "--name", src, "-v", vol+":/etcv", "-v", "/anon", image, "sh", "-c", "echo shared > /anon/f")
		wantOut(t, m.run(t, "run", "--rm", "--volumes-from", src, image, "sh", "-c", "cat /anon/f; test -e /etcv/ip && echo sbin"), "shared\nsbin")
		wantCode(t, m.run(t, "run", "--rm", "--volumes-from", src+":ro", image, "touch", "/anon/g"), 1)
		mounts := m.must(t, "inspect", "--format", "{{range .Mounts}}{{.Type}} {{.Destination}} {{.Driver}} {{.RW}} {{if eq .Name \""+vol+"\"}}named{{else}}{{len .Name}}{{end}};{{end}}", src).Out()
		if mounts != "volume /etcv local true named;volume /anon local true 64;" {
			t.Errorf("inspect .Mounts: got %q", mounts)
		}
		anon := m.must(t, "inspect", "--format", "{{range .Mounts}}{{if eq .Destination \"/anon\"}}{{.Name}}{{end}}{{end}}", src).Out()
		m.must(t, "rm", "-v", src)
		wantCode(t, m.run(t, "volume", "exists", anon), 1)
		wantCode(t, m.run(t, "volume", "exists", vol), 0)

		// A --rm container's anonymous volumes go with it.
		before := len(m.must(t, "volume", "ls", "-q").Lines())
		m.must(t, "run", "--rm", "-v", "/gone", image, "true")
		if after := len(m.must(t, "volume", "ls", "-q").Lines()); after != before {
			t.Errorf("run --rm -v /gone left a volume: %d volumes before, %d after", before, after)
		}
	})
}

// TestVolumeDriverOptions covers the local driver's options: a tmpfs
// volume and a bind of a directory the user owns, mounted when a container
// using them starts (rootless too, in skiff's user namespace) and a tmpfs
// unmounted when its last user stops, and the U
// option giving a volume to the container's user.
func TestVolumeDriverOptions(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		tmpfs, bind, owned := cname(t, "tmpfs"), cname(t, "bind"), cname(t, "owned")
		t.Cleanup(func() { m.run(t, "volume", "rm", "-f", tmpfs, bind, owned) })
		m.must(t, "volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=3m", tmpfs)
		wantOut(t, m.run(t, "run", "--rm", "-v", tmpfs+":/s", image, "sh", "-c", "df -k /s | awk 'NR==2{print $1, $2}'; touch /s/gone"), "tmpfs 3072")
		// Unmounted when its last user stopped, as Docker's local driver.
		wantOut(t, m.run(t, "run", "--rm", "-v", tmpfs+":/s", image, "ls", "-A", "/s"), "")

		dir := m.tempDir(t)
		m.writeFile(t, dir+"/f", "from the device\n")
		m.must(t, "volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device="+dir, bind)
		wantOut(t, m.run(t, "run", "--rm", "-v", bind+":/b", image, "cat", "/b/f"), "from the device")
		if out := m.must(t, "volume", "export", bind).Stdout; !strings.Contains(out, "from the device") {
			t.Errorf("volume export of a bind volume misses the device's file: %q", out)
		}
		wantErr(t, m.run(t, "volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device=rel", cname(t, "bad")), 125,
			"a bind volume (type=none, o=bind) needs an absolute device path")

		// A rm killed after the row went leaves the directory behind: a
		// volume made again under that name on first use starts empty.
		stale := cname(t, "stale")
		t.Cleanup(func() { m.run(t, "volume", "rm", "-f", stale) })
		m.must(t, "volume", "create", stale)
		mp := m.must(t, "volume", "inspect", "--format", "{{.Mountpoint}}", stale).Out()
		m.must(t, "volume", "rm", stale)
		if err := os.MkdirAll(mp, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(mp, m.uid, m.gid); err != nil {
			t.Fatal(err)
		}
		m.writeFile(t, mp+"/old", "stale\n")
		wantOut(t, m.run(t, "run", "--rm", "-v", stale+":/s", image, "ls", "-A", "/s"), "")

		wantOut(t, m.run(t, "run", "--rm", "-u", "1234:1234", "-v", owned+":/o:U", image, "sh", "-c", "stat -c '%u:%g' /o && touch /o/mine && echo ok"), "1234:1234\nok")
	})
}
