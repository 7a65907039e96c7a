package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestNameResolution(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		id := m.must(t, "create", "--name", name, image, "true").Out()
		for _, ref := range []string{id, id[:12], id[:5], name} {
			if got := m.containerID(t, ref); got != id {
				t.Errorf("%s resolved to %s, want %s", ref, got, id)
			}
		}
		// Docker's inspect templates use the JSON names.
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.Id}}", name), id)
		res := m.run(t, "start", "nosuch")
		wantErr(t, res, 125, `no container with name or ID "nosuch" found`)
		res = m.run(t, "logs", "nosuch")
		wantErr(t, res, 125, `no container with name or ID "nosuch" found`)

		// Create containers until two share their first hex digit; that one
		// digit is then an ambiguous prefix.
		seen := map[byte]string{}
		digit := ""
		for i := 0; i < 17 && digit == ""; i++ {
			n := cname(t, "amb", string(rune('a'+i)))
			m.cleanup(t, n)
			cid := m.must(t, "create", "--name", n, image, "true").Out()
			if _, dup := seen[cid[0]]; dup {
				digit = cid[:1]
			}
			seen[cid[0]] = cid
		}
		res = m.run(t, "container", "inspect", digit)
		wantCode(t, res, 125)
		if strings.TrimSpace(res.Stdout) != "" && strings.TrimSpace(res.Stdout) != "[]" {
			t.Errorf("an ambiguous prefix resolved to a container: %s", res)
		}
	})
}

func TestContainerInspect(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		name := cname(t)
		m.cleanup(t, name)
		m.run(t, "run", "--name", name, "-l", "a=b", image, "sh", "-c", "exit 2")
		res := m.must(t, "inspect", name)
		var arr []map[string]any
		if err := json.Unmarshal([]byte(res.Stdout), &arr); err != nil || len(arr) != 1 {
			t.Fatalf("inspect: want a JSON array of one object (%v): %s", err, res)
		}
		c := arr[0]
		if id, _ := c["Id"].(string); !hex64.MatchString(id) {
			t.Errorf("inspect: Id = %v", c["Id"])
		}
		wantName := "/" + name
		if suite.podman {
			wantName = name // Podman drops Docker's leading slash
		}
		if c["Name"] != wantName {
			t.Errorf("inspect: Name = %v, want %q", c["Name"], wantName)
		}
		state, _ := c["State"].(map[string]any)
		if state["Status"] != "exited" || state["ExitCode"] != float64(2) || state["Running"] != false {
			t.Errorf("inspect: State = %v, want exited with code 2", state)
		}
		cfg, _ := c["Config"].(map[string]any)
		if labels, _ := cfg["Labels"].(map[string]any); labels["a"] != "b" {
			t.Errorf("inspect: Config.Labels = %v", cfg["Labels"])
		}
		if cmd, _ := json.Marshal(cfg["Cmd"]); string(cmd) != `["sh","-c","exit 2"]` {
			t.Errorf("inspect: Config.Cmd = %s", cmd)
		}
		if _, ok := c["HostConfig"].(map[string]any); !ok {
			t.Errorf("inspect: no HostConfig object")
		}
		wantOut(t, m.run(t, "inspect", "--format", "{{.State.Status}}", name), "exited")
		wantOut(t, m.run(t, "container", "inspect", "--format", "{{.State.ExitCode}}", name), "2")

		wantCode(t, m.run(t, "container", "exists", name), 0)
		wantCode(t, m.run(t, "container", "exists", "nosuch"), 1)
		wantCode(t, m.run(t, "container", "inspect", "nosuch"), 125)
	})
}

func TestImages(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.must(t, "image", "inspect", image)
		var arr []map[string]any
		if err := json.Unmarshal([]byte(res.Stdout), &arr); err != nil || len(arr) != 1 {
			t.Fatalf("image inspect: want a JSON array of one object (%v): %s", err, res)
		}
		cfg, _ := arr[0]["Config"].(map[string]any)
		if cmd, _ := json.Marshal(cfg["Cmd"]); string(cmd) != `["sh"]` {
			t.Errorf("image inspect: Config.Cmd = %s, want [\"sh\"]", cmd)
		}
		if id, _ := arr[0]["Id"].(string); !hex64.MatchString(strings.TrimPrefix(id, "sha256:")) {
			t.Errorf("image inspect: Id = %v", arr[0]["Id"])
		}
		// Plain inspect finds images too.
		wantOut(t, m.run(t, "inspect", "--format", "{{.Config.Cmd}}", "localhost/busybox"), "[sh]")

		res = m.must(t, "images")
		if !strings.Contains(res.Stdout, "localhost/busybox") || !strings.Contains(res.Lines()[0], "REPOSITORY") {
			t.Errorf("images: want a REPOSITORY header and localhost/busybox, got: %s", res)
		}
		res = m.must(t, "images", "--format", "{{.Repository}}:{{.Tag}}")
		if !strings.Contains(res.Stdout, image+"\n") {
			t.Errorf("images --format: want %s, got: %s", image, res)
		}
		wantCode(t, m.run(t, "image", "exists", image), 0)
		wantCode(t, m.run(t, "image", "exists", "localhost/nosuch:latest"), 1)
	})
}

var importedID = regexp.MustCompile(`^(sha256:)?[0-9a-f]{64}$`)

func TestImportRmi(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		// Distinct configs give distinct image IDs, so removing these never
		// touches the shared fixture image.
		spare := "localhost/" + cname(t, "spare") + ":latest"
		res := m.must(t, "import", "--change", "LABEL spare="+cname(t), suite.rootfs, spare)
		lines := res.Lines()
		if len(lines) == 0 || !importedID.MatchString(lines[len(lines)-1]) {
			t.Errorf("import: want the image ID as the last line, got: %s", res)
		}
		wantCode(t, m.run(t, "image", "exists", spare), 0)
		wantOut(t, m.run(t, "run", "--rm", spare, "cat", "/var/www/index.html"),
			"<!DOCTYPE html>\n<html><body>\n<h1>hello from skiff</h1>\n</body></html>")
		wantCode(t, m.run(t, "rmi", spare), 0)
		wantCode(t, m.run(t, "image", "exists", spare), 1)
		wantCode(t, m.run(t, "image", "exists", image), 0)
		wantCode(t, m.run(t, "rmi", spare), podmanOr(1, 125))

		inuse := "localhost/" + cname(t, "inuse") + ":latest"
		m.must(t, "import", "--change", "LABEL inuse="+cname(t), suite.rootfs, inuse)
		ctr := cname(t)
		m.cleanup(t, ctr)
		m.must(t, "create", "--name", ctr, inuse, "true")
		res = m.run(t, "rmi", inuse)
		wantCode(t, res, podmanOr(2, 125))
		wantStderr(t, res, "in use")
		wantCode(t, m.run(t, "image", "exists", inuse), 0)
		m.must(t, "rm", ctr)
		wantCode(t, m.run(t, "rmi", inuse), 0)
	})
}

// podmanOr picks podman's exit code in podman-validation mode (its rmi uses
// 1 for "no such image" and 2 for "in use") and skiff's otherwise.
func podmanOr(podmanCode, skiffCode int) int {
	if suite.podman {
		return podmanCode
	}
	return skiffCode
}

func TestInfoVersion(t *testing.T) {
	forModes(t, func(t *testing.T, m *Mode) {
		res := m.must(t, "info")
		driver := m.must(t, "info", "--format", "{{.Store.GraphDriverName}}").Out()
		if driver == "" || !strings.Contains(res.Stdout, driver) {
			t.Errorf("info: want the storage driver (got %q) in the output: %s", driver, res)
		}
		if driver != "overlay" && driver != "vfs" {
			t.Errorf("info: storage driver %q, want overlay (or vfs)", driver)
		}
		if got := m.must(t, "info", "--format", "{{.Store.GraphRoot}}").Out(); got != m.root {
			t.Errorf("info: GraphRoot = %q, want the --root %q", got, m.root)
		}
		res = m.must(t, "version")
		if !strings.Contains(res.Stdout, "Version") {
			t.Errorf("version: want a Version line, got: %s", res)
		}
	})
}
