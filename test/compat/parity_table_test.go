package compat

// The parity table: the daily commands with the flags people use. Each row
// is run through skiff and through the docker CLI (parity_test.go);
// placeholders in args, stdin and expectations:
//
//	{image}            the fixture, localhost/busybox:latest; {base} its ID
//	{name} {name2}     container names of the run's own
//	{label}            a label key of the run's own
//	{ref} {refrepo}    localhost/<run>:1 and its repository
//	{short}            <run>, a name without a registry
//	{remote} {repo}    <registry>/parity/<run>:1 and its repository;
//	{path}             parity/<run>, the repository's path
//	{reg} {authreg}    the plain and the htpasswd registry; {user} {pass}
//	{tmp}              a scratch directory the mode's user owns
//	{since} {until}    before and after the setup (Unix time, nanoseconds)
//	{json}             --format json, or {{json .}} for a docker CLI older
//	                   than 23 that lacks the shorthand
//	{arch}             the machine's GOARCH
//	captured           what a setup step captured ({id}, {img}, ...), and
//	                   for an ID its 12-digit form ({id12})
//
// A row's want is what Docker documents; skiff: or docker: says, with its
// reason, where one run deliberately differs. Rows that only read what
// their setup made share it (shared:), made once per mode.

// whyPodman125 is the deviation every failing row shares: skiff itself
// exits 125 for an engine error, as Podman does, where the docker CLI
// exits 1; its one line starts "Error: " and is skiff's own wording.
const whyPodman125 = "skiff exits 125 for an engine error, in one 'Error: ' line of its own words, as Podman does; the docker CLI exits 1"

// whyProgress: skiff shows pull, push and load progress as Podman does.
const whyProgress = "skiff prints progress as Podman does (README: one line per layer on stderr) and the image ID on stdout"

func parityRows() []row {
	var rows []row
	for _, part := range [][]row{
		runRows(), createRows(), startStopRows(), killRmRows(), psRows(), logsRows(),
		execAttachRows(), inspectRows(), imagesRows(), tagRmiRows(), historySaveLoadRows(),
		registryRows(), eventsRows(), infoVersionRows(), pruneRows(),
	} {
		rows = append(rows, part...)
	}
	return rows
}

// a is an argv.
func a(args ...string) []string { return args }

// sh is setup that runs through skiff.
func sh(args ...string) step { return step{args: args} }

// capture is a setup step whose stdout becomes a placeholder.
func capture(key string, args ...string) step { return step{args: args, capture: key} }

// ok is a successful run: exit 0, stdout as given, nothing on stderr.
func ok(stdout check) expect { return expect{code: 0, stdout: stdout, stderr: empty()} }

// exists probes that a container (or, with image, an image) exists.
func exists(kind, name string, yes bool) probe {
	code := 1
	if yes {
		code = 0
	}
	return probe{args: a(kind, "exists", name), code: code}
}

// field probes an inspect template's output.
func field(name, format, want string) probe {
	return probe{args: a("inspect", "--format", format, name), out: exact(want + "\n")}
}

// daemonErr is how the docker CLI relays a daemon error: one line.
func daemonErr(msg string) check { return oneLine("Error response from daemon: " + msg) }

// failing is a row that fails as Docker fails: exit 1 (the docker CLI's
// code), nothing on stdout, stderr as given.
func failing(stderr check) expect { return expect{code: 1, stdout: empty(), stderr: stderr} }

// skiffErr is skiff's own form of the same failure (whyPodman125).
func skiffErr(pattern string) *expect {
	return &expect{code: 125, stderr: oneLine("Error: " + pattern), why: whyPodman125}
}

// missingContainer is the row of a command given a name no container has.
func missingContainer(cmd string, args ...string) row {
	return row{cmd: cmd, name: "missing container", args: args,
		want:  failing(daemonErr("No such container: nosuch-{name}")),
		skiff: skiffErr(`no container with name or ID "nosuch-{name}" found: no such container`)}
}

// missingImage is the row of a command given a name no image has.
func missingImage(cmd string, args ...string) row {
	return row{cmd: cmd, name: "missing image", args: args,
		want:  failing(daemonErr("No such image: nosuch-{short}:latest")),
		skiff: skiffErr(`nosuch-{short}: image not known: no such image`)}
}

// runFailure is how the docker CLI's run reports a daemon error: prefixed
// "docker: ", then its help hint (Docker 28: an empty line and "Run
// 'docker run --help' ..."; 20.10: "See 'docker run --help'.").
// Lines before the error (before) come first.
func runFailure(msg string, before ...string) check {
	return anyOf(
		lines(append(before, "docker: Error response from daemon: "+msg, "", `Run 'docker run --help' for more information`)...),
		lines(append(before, "docker: Error response from daemon: "+msg, `See 'docker run --help'\.`)...))
}

// noManifest is Docker's answer to a pull of a tag the registry lacks.
const noManifest = `manifest for {reg}/parity/nosuch-{short}:1 not found: manifest unknown: manifest unknown`

// notATTY: -it without a terminal, refused before anything is made.
func notATTY(cmd string, args ...string) row {
	return row{cmd: cmd, name: "-it without a terminal", args: args,
		want:  failing(oneLine("the input device is not a TTY")),
		skiff: &expect{code: 125, stderr: oneLine("Error: the input device is not a TTY"), why: whyPodman125}}
}

// withShared gives r a shared setup.
func withShared(r row, f *sharedSetup) row {
	r.shared = f
	return r
}

// running makes {name} a running container (sleep), capturing {id}.
var running = capture("id", "run", "-d", "--name", "{name}", "{image}", "sleep", "1000")

// stoppable makes {name} a running container that exits 0 on TERM at
// once, capturing {id}.
var stoppable = capture("id", "run", "-d", "--name", "{name}", "{image}", "sh", "-c", `trap "exit 0" TERM; sleep 1000 & wait`)

// execShared is a running container that exec rows run processes in.
var execShared = &sharedSetup{name: "exec", setup: []step{running}}

// created makes {name} a created container, capturing {id}.
var created = capture("id", "create", "--name", "{name}", "{image}", "sleep", "1000")

func runRows() []row {
	return []row{
		{cmd: "run", name: "output on its own streams", args: a("run", "--rm", "{image}", "sh", "-c", "echo out; echo err >&2"),
			want: expect{stdout: exact("out\n"), stderr: exact("err\n")}},
		{cmd: "run", name: "the container's exit code", args: a("run", "--rm", "{image}", "sh", "-c", "exit 3"),
			want: expect{code: 3, stdout: empty(), stderr: empty()}},
		{cmd: "run", name: "-d prints the full ID", args: a("run", "-d", "--name", "{name}", "{image}", "sleep", "1000"),
			want:  ok(quietIDs(1, fullID)),
			after: []probe{field("{name}", "{{.State.Running}}", "true")}},
		{cmd: "run", name: "--rm removes the container", args: a("run", "--rm", "--name", "{name}", "{image}", "true"),
			want:  ok(empty()),
			after: []probe{exists("container", "{name}", false)}},
		{cmd: "run", name: "-i passes stdin", args: a("run", "--rm", "-i", "{image}", "cat"), stdin: "piped\n",
			want: ok(exact("piped\n"))},
		{cmd: "run", name: "-e -w -u", args: a("run", "--rm", "-e", "FOO=bar", "-w", "/tmp", "-u", "1000", "{image}", "sh", "-c", `echo $FOO $(pwd) $(id -u)`),
			want: ok(exact("bar /tmp 1000\n"))},
		{cmd: "run", name: "command not found is 127", args: a("run", "--rm", "{image}", "nosuch-cmd"),
			want: expect{code: 127, stdout: empty(), stderr: runFailure(`.*exec: "nosuch-cmd": executable file not found in \$PATH.*`)},
			skiff: &expect{code: 127, stderr: oneLine(`Error: .*exec: "nosuch-cmd": executable file not found in \$PATH.*`),
				why: "skiff prints its errors in one 'Error: ' line, as Podman does, without the docker CLI's 'docker: ' prefix and help hint"}},
		{cmd: "run", name: "a taken name", setup: []step{created}, args: a("run", "--name", "{name}", "{image}", "true"),
			want: expect{code: 125, stdout: empty(), stderr: runFailure(`Conflict\. The container name "/{name}" is already in use by container "{id}"\. You have to remove \(or rename\) that container to be able to reuse that name\.`)},
			skiff: &expect{code: 125, stderr: oneLine(`Error: the container name "{name}" is already in use by {id}: name is already in use`),
				why: "skiff prints its errors in one 'Error: ' line, as Podman does, without the docker CLI's 'docker: ' prefix and help hint"}},
		{cmd: "run", name: "an image the registry lacks", args: a("run", "--rm", "{reg}/parity/nosuch-{short}:1", "true"),
			want:  expect{code: 125, stdout: empty(), stderr: runFailure(noManifest, `Unable to find image '{reg}/parity/nosuch-{short}:1' locally`)},
			skiff: &expect{code: 125, stderr: oneLine(`Error: pulling {reg}/parity/nosuch-{short}:1: .*manifest unknown.*`), why: whyPodman125}},
		notATTY("run", "run", "-it", "--rm", "{image}", "true"),
	}
}

func createRows() []row {
	return []row{
		{cmd: "create", name: "prints the full ID", args: a("create", "--name", "{name}", "--label", "{label}=v", "{image}", "true"),
			want: ok(quietIDs(1, fullID)),
			after: []probe{field("{name}", `{{.State.Status}} {{index .Config.Labels "{label}"}}`, "created v"),
				field("{name}", "{{.Name}}", "/{name}")}},
		{cmd: "create", name: "a taken name", setup: []step{created}, args: a("create", "--name", "{name}", "{image}", "true"),
			want:  failing(daemonErr(`Conflict\. The container name "/{name}" is already in use by container "{id}"\. You have to remove \(or rename\) that container to be able to reuse that name\.`)),
			skiff: skiffErr(`the container name "{name}" is already in use by {id}: name is already in use`)},
		{cmd: "create", name: "an image the registry lacks", args: a("create", "{reg}/parity/nosuch-{short}:1"),
			want:  failing(lines(`Unable to find image '{reg}/parity/nosuch-{short}:1' locally`, "Error response from daemon: "+noManifest)),
			skiff: &expect{code: 125, stderr: oneLine(`Error: pulling {reg}/parity/nosuch-{short}:1: .*manifest unknown.*`), why: whyPodman125}},
	}
}

func startStopRows() []row {
	return []row{
		{cmd: "start", name: "prints the name", setup: []step{created}, args: a("start", "{name}"),
			want: ok(exact("{name}\n")), after: []probe{field("{name}", "{{.State.Running}}", "true")}},
		{cmd: "start", name: "already running", setup: []step{running}, args: a("start", "{name}"),
			want: ok(exact("{name}\n"))},
		{cmd: "start", name: "-a streams and exits with the container's code",
			setup: []step{sh("create", "--name", "{name}", "{image}", "sh", "-c", "echo out; echo err >&2; exit 3")},
			args:  a("start", "-a", "{name}"),
			want:  expect{code: 3, stdout: exact("out\n"), stderr: exact("err\n")}},
		{cmd: "start", name: "missing container", args: a("start", "nosuch-{name}"),
			want: failing(lines("Error response from daemon: No such container: nosuch-{name}",
				"Error: failed to start containers: nosuch-{name}")),
			skiff: skiffErr(`no container with name or ID "nosuch-{name}" found: no such container`)},

		{cmd: "stop", name: "prints the name", setup: []step{stoppable}, args: a("stop", "{name}"),
			want: ok(exact("{name}\n")), after: []probe{field("{name}", "{{.State.Status}} {{.State.ExitCode}}", "exited 0")}},
		{cmd: "stop", name: "-t 0 kills", setup: []step{running}, args: a("stop", "-t", "0", "{name}"),
			want: ok(exact("{name}\n")), after: []probe{field("{name}", "{{.State.Status}} {{.State.ExitCode}}", "exited 137")}},
		{cmd: "stop", name: "not running is no error", setup: []step{created}, args: a("stop", "{name}"),
			want: ok(exact("{name}\n"))},
		{cmd: "stop", name: "two at once", setup: []step{stoppable, sh("create", "--name", "{name2}", "{image}")},
			args: a("stop", "{name}", "{name2}"), want: ok(exact("{name}\n{name2}\n"))},
		missingContainer("stop", "stop", "nosuch-{name}"),

		{cmd: "restart", name: "prints the name", setup: []step{stoppable}, args: a("restart", "{name}"),
			want: ok(exact("{name}\n")), after: []probe{field("{name}", "{{.State.Running}} {{.RestartCount}}", "true 0")}},
		{cmd: "restart", name: "-t 0 of a created container starts it", setup: []step{created}, args: a("restart", "-t", "0", "{name}"),
			want: ok(exact("{name}\n")), after: []probe{field("{name}", "{{.State.Running}}", "true")}},
		missingContainer("restart", "restart", "nosuch-{name}"),
	}
}

func killRmRows() []row {
	return []row{
		{cmd: "kill", name: "prints the name", setup: []step{running}, args: a("kill", "{name}"),
			want: ok(exact("{name}\n")), after: []probe{{args: a("wait", "{name}"), out: exact("137\n")}}},
		{cmd: "kill", name: "-s TERM", setup: []step{stoppable}, args: a("kill", "-s", "TERM", "{name}"),
			want: ok(exact("{name}\n")), after: []probe{{args: a("wait", "{name}"), out: exact("0\n")}}},
		{cmd: "kill", name: "not running", setup: []step{created}, args: a("kill", "{name}"),
			want:  failing(daemonErr("cannot kill container: {name}: container {id} is not running")),
			skiff: skiffErr(`container {id} is not running: container is not running`)},
		{cmd: "kill", name: "missing container", args: a("kill", "nosuch-{name}"),
			want:  failing(daemonErr("cannot kill container: nosuch-{name}: No such container: nosuch-{name}")),
			skiff: skiffErr(`no container with name or ID "nosuch-{name}" found: no such container`)},

		{cmd: "rm", name: "prints the name", setup: []step{created}, args: a("rm", "{name}"),
			want: ok(exact("{name}\n")), after: []probe{exists("container", "{name}", false)}},
		{cmd: "rm", name: "two at once", setup: []step{created, sh("create", "--name", "{name2}", "{image}")},
			args: a("rm", "{name}", "{name2}"), want: ok(exact("{name}\n{name2}\n"))},
		{cmd: "rm", name: "a running container is refused", setup: []step{running}, args: a("rm", "{name}"),
			want:  failing(daemonErr(`You cannot remove a running container {id}\. Stop the container before attempting removal or force remove`)),
			skiff: skiffErr(`cannot remove container {id} as it is running: stop the container before removing it or use -f: container is running`),
			after: []probe{exists("container", "{name}", true)}},
		{cmd: "rm", name: "-f removes a running container", setup: []step{running}, args: a("rm", "-f", "{name}"),
			want: ok(exact("{name}\n")), after: []probe{exists("container", "{name}", false)}},
		missingContainer("rm", "rm", "nosuch-{name}"),
		{cmd: "rm", name: "-f of a missing container", args: a("rm", "-f", "nosuch-{name}"),
			want: ok(empty()),
			docker: &expect{code: 0, stderr: anyOf(empty(), daemonErr("No such container: nosuch-{name}")),
				why: "older docker CLIs relay the daemon's 404 on stderr, newer ones say nothing; both exit 0"}},
	}
}

// psHeader is docker ps's default table.
var psHeader = []string{"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}

// psKeys are the fields of docker ps --format json; Platform came with
// Docker 27's CLI.
var psKeys = []string{"Command", "CreatedAt", "ID", "Image", "Labels", "LocalVolumes", "Mounts", "Names", "Networks", "Ports", "RunningFor", "Size", "State", "Status"}

// psShared: {name} running (on the host's network, which Docker and
// skiff both name "host"; the default differs: pasta rootless) and
// {name2} created after it, both labelled.
var psShared = &sharedSetup{name: "ps", setup: []step{
	capture("id", "run", "-d", "--name", "{name}", "--network", "host", "--label", "{label}=a", "{image}", "sleep", "1000"),
	capture("id2", "create", "--name", "{name2}", "--label", "{label}=b", "{image}", "true"),
}}

func psRows() []row {
	return []row{
		{cmd: "ps", name: "default table, running only", shared: psShared, args: a("ps", "--filter", "label={label}"),
			want: ok(table(psHeader, `{id12}\s+{image}\s+"sleep 1000"\s+.+ ago\s+Up .+\s+{name}`))},
		{cmd: "ps", name: "-a lists the newest first", shared: psShared, args: a("ps", "-a", "--filter", "label={label}"),
			want: ok(table(psHeader, `{id212}\s+{image}\s+"true"\s+.+ ago\s+Created\s+{name2}`,
				`{id12}\s+{image}\s+"sleep 1000"\s+.+ ago\s+Up .+\s+{name}`))},
		{cmd: "ps", name: "-q", shared: psShared, args: a("ps", "-q", "--filter", "label={label}"),
			want: ok(exact("{id12}\n"))},
		{cmd: "ps", name: "-aq --no-trunc", shared: psShared, args: a("ps", "-aq", "--no-trunc", "--filter", "label={label}"),
			want: ok(exact("{id2}\n{id}\n"))},
		{cmd: "ps", name: "--filter label=key=value", shared: psShared, args: a("ps", "-a", "-q", "--filter", "label={label}=b"),
			want: ok(exact("{id212}\n"))},
		{cmd: "ps", name: "--filter status", shared: psShared, args: a("ps", "-a", "--filter", "label={label}", "--filter", "status=created", "--format", "{{.Names}}"),
			want: ok(exact("{name2}\n"))},
		{cmd: "ps", name: "--filter name", shared: psShared, args: a("ps", "-a", "--filter", "name={name2}", "--format", "{{.Names}}"),
			want: ok(exact("{name2}\n"))},
		{cmd: "ps", name: "--format table template", shared: psShared, args: a("ps", "-a", "--filter", "label={label}", "--format", "table {{.Names}}\t{{.State}}"),
			want: ok(table([]string{"NAMES", "STATE"}, `{name2}\s+created`, `{name}\s+running`))},
		{cmd: "ps", name: "--format table", shared: psShared, args: a("ps", "--filter", "label={label}", "--format", "table"),
			want: ok(table(psHeader, `{id12}\s+{image}\s+"sleep 1000"\s+.+ ago\s+Up .+\s+{name}`))},
		{cmd: "ps", name: "--format template", shared: psShared, args: a("ps", "--filter", "label={label}", "--format", `{{.ID}} {{.Names}} {{.State}} {{.Label "{label}"}} {{.Command}}`),
			want: ok(exact("{id12} {name} running a \"sleep 1000\"\n"))},
		{cmd: "ps", name: "--format json", shared: psShared, args: a("ps", "-a", "--filter", "label={label}", "--format", "{json}"),
			want: ok(allOf(jsonLines(2, psKeys, []string{"Platform"}), jsonSeq("ID", "{id212}", "{id12}"), jsonSeq("Names", "{name2}", "{name}")))},
		{cmd: "ps", name: "--format {{json .}}", shared: psShared, args: a("ps", "--filter", "label={label}", "--format", "{{json .}}"),
			want: ok(jsonLines(1, psKeys, []string{"Platform"}, "ID", "{id12}", "Names", "{name}", "State", "running", "Labels", "{label}=a"))},
		{cmd: "ps", name: "--format {{.Networks}}", shared: psShared, args: a("ps", "--filter", "label={label}", "--format", "{{.Networks}}"),
			want: ok(exact("{defaultnet}\n"))},
		{cmd: "ps", name: "an unknown filter", args: a("ps", "--filter", "color=red"),
			want: failing(daemonErr("invalid filter 'color'")), skiff: skiffErr(`invalid filter 'color'.*`)},
	}
}

// logsShared: {name} has exited after printing one, two, three.
var logsShared = &sharedSetup{name: "logs", setup: []step{sh("run", "--name", "{name}", "{image}", "sh", "-c", "echo one; echo two; echo three")}}

func logsRows() []row {
	return []row{
		{cmd: "logs", name: "everything", shared: logsShared, args: a("logs", "{name}"), want: ok(exact("one\ntwo\nthree\n"))},
		{cmd: "logs", name: "stdout and stderr apart",
			setup: []step{sh("run", "--name", "{name}", "{image}", "sh", "-c", "echo out; echo err >&2")},
			args:  a("logs", "{name}"), want: expect{stdout: exact("out\n"), stderr: exact("err\n")}},
		{cmd: "logs", name: "--tail 1", shared: logsShared, args: a("logs", "--tail", "1", "{name}"), want: ok(exact("three\n"))},
		{cmd: "logs", name: "-n 2", shared: logsShared, args: a("logs", "-n", "2", "{name}"), want: ok(exact("two\nthree\n"))},
		{cmd: "logs", name: "--tail all", shared: logsShared, args: a("logs", "--tail", "all", "{name}"), want: ok(exact("one\ntwo\nthree\n"))},
		{cmd: "logs", name: "--tail 0", shared: logsShared, args: a("logs", "--tail", "0", "{name}"), want: ok(empty())},
		{cmd: "logs", name: "--since before the container", shared: logsShared, args: a("logs", "--since", "{since}", "{name}"),
			want: ok(exact("one\ntwo\nthree\n"))},
		{cmd: "logs", name: "--since after the container", shared: logsShared, args: a("logs", "--since", "{until}", "{name}"),
			want: ok(empty())},
		{cmd: "logs", name: "--since an RFC 3339 time", shared: logsShared, args: a("logs", "--since", "2000-01-01T00:00:00Z", "{name}"),
			want: ok(exact("one\ntwo\nthree\n"))},
		{cmd: "logs", name: "--since a duration", shared: logsShared, args: a("logs", "--since", "10m", "{name}"),
			want: ok(exact("one\ntwo\nthree\n"))},
		{cmd: "logs", name: "--until before the container", shared: logsShared, args: a("logs", "--until", "{since}", "{name}"),
			want: ok(empty())},
		{cmd: "logs", name: "-f of an exited container ends", shared: logsShared, args: a("logs", "-f", "{name}"),
			want: ok(exact("one\ntwo\nthree\n"))},
		{cmd: "logs", name: "-t", shared: logsShared, args: a("logs", "-t", "--tail", "1", "{name}"),
			want: ok(oneLine(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z three`))},
		{cmd: "logs", name: "a bad --since", shared: logsShared, args: a("logs", "--since", "bogus", "{name}"),
			want: failing(oneLine(`invalid value for "since": failed to parse value as time or duration: "bogus"`)),
			skiff: &expect{code: 125, stderr: oneLine(`Error: invalid --since "bogus": not a time, Unix timestamp or duration`),
				why: "the docker CLI refuses it before asking the daemon, in its own words; skiff in its own, exit 125 as Podman"}},
		missingContainer("logs", "logs", "nosuch-{name}"),
	}
}

func execAttachRows() []row {
	stopped := "can only exec into a running container, {name} is (created|exited): container is not running"
	return []row{
		{cmd: "exec", name: "streams and the process's code", shared: execShared,
			args: a("exec", "{name}", "sh", "-c", "echo out; echo err >&2; exit 3"),
			want: expect{code: 3, stdout: exact("out\n"), stderr: exact("err\n")}},
		{cmd: "exec", name: "-e -w -u", shared: execShared,
			args: a("exec", "-e", "FOO=bar", "-w", "/tmp", "-u", "1000", "{name}", "sh", "-c", `echo $FOO $(pwd) $(id -u)`),
			want: ok(exact("bar /tmp 1000\n"))},
		{cmd: "exec", name: "-i passes stdin", shared: execShared, args: a("exec", "-i", "{name}", "cat"), stdin: "piped\n",
			want: ok(exact("piped\n"))},
		{cmd: "exec", name: "-d returns at once", shared: execShared, args: a("exec", "-d", "{name}", "true"),
			want: ok(empty())},
		{cmd: "exec", name: "command not found is 127", shared: execShared, args: a("exec", "{name}", "nosuch-cmd"),
			want: expect{code: 127, stdout: empty(), stderr: oneLine(`OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch-cmd": executable file not found in \$PATH.*`)},
			skiff: &expect{code: 127, stderr: oneLine(`Error: OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch-cmd": executable file not found in \$PATH.*`),
				why: "skiff prints its errors after 'Error: ', as Podman does"}},
		{cmd: "exec", name: "not running", setup: []step{created}, args: a("exec", "{name}", "true"),
			want: failing(daemonErr("container {id} is not running")), skiff: skiffErr(stopped)},
		missingContainer("exec", "exec", "nosuch-{name}", "true"),
		withShared(notATTY("exec", "exec", "-it", "{name}", "true"), execShared),

		{cmd: "attach", name: "streams and the container's code",
			setup: []step{sh("run", "-di", "--name", "{name}", "{image}", "sh", "-c", "read l; echo got $l; echo err >&2; exit 4")},
			args:  a("attach", "{name}"), stdin: "hello\n",
			want: expect{code: 4, stdout: exact("got hello\n"), stderr: exact("err\n")}},
		{cmd: "attach", name: "a stopped container", setup: []step{created}, args: a("attach", "{name}"),
			want:  failing(oneLine("You cannot attach to a stopped container, start it first")),
			skiff: skiffErr(`you cannot attach to a stopped container {name}, start it first: container is not running`)},
		missingContainer("attach", "attach", "nosuch-{name}"),
	}
}

// inspectKeys are the top-level keys of Docker's container inspect (API
// 1.51); SizeRw and SizeRootFs come with --size.
var inspectKeys = []string{"Id", "Created", "Path", "Args", "State", "Image", "ResolvConfPath", "HostnamePath",
	"HostsPath", "LogPath", "Name", "RestartCount", "Driver", "Platform", "MountLabel", "ProcessLabel",
	"AppArmorProfile", "ExecIDs", "HostConfig", "GraphDriver", "Mounts", "Config", "NetworkSettings"}

// imageInspectKeys are the top-level keys of Docker's image inspect (API
// 1.44 and later: no VirtualSize, Container or ContainerConfig); Variant
// and OsVersion only when set.
var imageInspectKeys = []string{"Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "DockerVersion",
	"Author", "Config", "Architecture", "Os", "Size", "GraphDriver", "RootFS", "Metadata"}

// inspectShared is a created container with a label.
var inspectShared = &sharedSetup{name: "inspect", setup: []step{capture("id", "create", "--name", "{name}", "--label", "{label}=v", "{image}", "sleep", "1000")}}

// ownImage: {img}, an image of the row's own named {ref} alone.
var ownImage = &sharedSetup{name: "own image", setup: []step{created, capture("img", "commit", "{name}", "{ref}"), sh("rm", "{name}")}}

func inspectRows() []row {
	return []row{
		{cmd: "inspect", name: "--format of a container", shared: inspectShared,
			args: a("inspect", "--format", `{{.Id}} {{.Name}} {{.State.Status}} {{.Config.Image}} {{index .Config.Labels "{label}"}} {{json .Config.Cmd}}`, "{name}"),
			want: ok(exact("{id} /{name} created {image} v [\"sleep\",\"1000\"]\n"))},
		{cmd: "inspect", name: "-f of an image", shared: ownImage, args: a("inspect", "-f", "{{.Id}} {{json .RepoTags}} {{.Os}}", "{ref}"),
			want: ok(exact("{img} [\"{ref}\"] linux\n"))},
		{cmd: "inspect", name: "a container as JSON", shared: inspectShared, args: a("inspect", "{name}"),
			want: ok(jsonArray(1, inspectKeys, nil, "Id", "{id}", "Name", "/{name}"))},
		{cmd: "inspect", name: "an image as JSON", shared: ownImage, args: a("image", "inspect", "{ref}"),
			want: ok(jsonArray(1, imageInspectKeys, []string{"Variant", "OsVersion"}, "Id", "{img}")),
			docker: olderAPI(&expect{code: 0, stdout: jsonArray(1, append(imageInspectKeys, "VirtualSize", "Container", "ContainerConfig"), []string{"Variant", "OsVersion"}, "Id", "{img}"),
				why: "a docker CLI older than 25 asks for API 1.41-1.43, whose image has VirtualSize, Container and ContainerConfig"})},
		{cmd: "inspect", name: "a missing object", args: a("inspect", "nosuch-{name}"),
			want:  expect{code: 1, stdout: exact("[]\n"), stderr: oneLine("Error: No such object: nosuch-{name}")},
			skiff: &expect{code: 125, stderr: oneLine(`Error: no such object: "nosuch-{name}"`), why: whyPodman125}},
		{cmd: "inspect", name: "one found, one missing", shared: inspectShared, args: a("inspect", "--format", "{{.Name}}", "{name}", "nosuch-{name}"),
			want:  expect{code: 1, stdout: exact("/{name}\n"), stderr: oneLine("Error: No such object: nosuch-{name}")},
			skiff: &expect{code: 125, stderr: oneLine(`Error: no such object: "nosuch-{name}"`), why: whyPodman125}},
		{cmd: "inspect", name: "--type container of an image", args: a("inspect", "--type", "container", "{image}"),
			want:  expect{code: 1, stdout: exact("[]\n"), stderr: daemonErr("No such container: {image}")},
			skiff: &expect{code: 125, stderr: oneLine(`Error: no container with name or ID "{image}" found: no such container`), why: whyPodman125}},
	}
}

// olderAPI is an override that applies only to a docker CLI older than 25
// (API 1.43 and before), nil otherwise.
func olderAPI(e *expect) *expect {
	if dockerOlderThan(25, 0) {
		return e
	}
	return nil
}
