package compat

// The image, registry and system rows of the parity table
// (parity_table_test.go describes the placeholders).

// imagesHeader is docker images's default table.
var imagesHeader = []string{"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"}

// imagesKeys are the fields of docker images --format json.
var imagesKeys = []string{"Containers", "CreatedAt", "CreatedSince", "Digest", "ID", "Repository", "SharedSize", "Size", "Tag", "UniqueSize", "VirtualSize"}

// tagged makes {ref} a second name of the fixture.
var tagged = sh("tag", "{image}", "{ref}")

// imagesShared: {ref} names the fixture image.
var imagesShared = &sharedSetup{name: "images", setup: []step{tagged}}

// dangling makes {img}, an image without a name, labelled {label}.
var dangling = []step{created, capture("img", "commit", "-c", "LABEL {label}=1", "{name}"), sh("rm", "{name}")}

// danglingShared is dangling, for rows that only list it.
var danglingShared = &sharedSetup{name: "dangling", setup: dangling}

func imagesRows() []row {
	return []row{
		{cmd: "images", name: "default table", shared: imagesShared, args: a("images", "--filter", "reference={ref}"),
			want: ok(table(imagesHeader, `{refrepo}\s+1\s+{base12}\s+.+ ago\s+\S+`))},
		{cmd: "images", name: "-q", shared: imagesShared, args: a("images", "-q", "--filter", "reference={ref}"),
			want: ok(exact("{base12}\n"))},
		{cmd: "images", name: "-q --no-trunc", shared: imagesShared, args: a("images", "-q", "--no-trunc", "--filter", "reference={ref}"),
			want: ok(exact("{base}\n"))},
		{cmd: "images", name: "-a", shared: imagesShared, args: a("images", "-a", "--format", "{{.Repository}}:{{.Tag}}", "--filter", "reference={ref}"),
			want: ok(exact("{ref}\n"))},
		{cmd: "images", name: "--format template", shared: imagesShared, args: a("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", "--filter", "reference={ref}"),
			want: ok(exact("{ref} {base12}\n"))},
		{cmd: "images", name: "--format table", shared: imagesShared, args: a("images", "--format", "table", "--filter", "reference={ref}"),
			want: ok(table(imagesHeader, `{refrepo}\s+1\s+{base12}\s+.+ ago\s+\S+`))},
		{cmd: "images", name: "--format json", shared: imagesShared, args: a("images", "--format", "{json}", "--filter", "reference={ref}"),
			want: ok(jsonLines(1, imagesKeys, nil, "Repository", "{refrepo}", "Tag", "1", "ID", "{base12}"))},
		{cmd: "images", name: "--filter dangling=true", shared: danglingShared,
			args: a("images", "-q", "--filter", "dangling=true", "--filter", "label={label}"),
			want: ok(exact("{img12}\n"))},
		{cmd: "images", name: "a dangling image in the table", shared: danglingShared,
			args: a("images", "--filter", "dangling=true", "--filter", "label={label}"),
			want: ok(table(imagesHeader, `<none>\s+<none>\s+{img12}\s+.+ ago\s+\S+`))},
		{cmd: "images", name: "an unknown filter", args: a("images", "--filter", "color=red"),
			want: failing(daemonErr("invalid filter 'color'")), skiff: skiffErr(`invalid filter 'color'.*`)},
	}
}

func tagRmiRows() []row {
	return []row{
		{cmd: "tag", name: "adds a name", args: a("tag", "{image}", "{ref}"),
			want: ok(empty()), after: []probe{field("{ref}", "{{.Id}}", "{base}")}},
		{cmd: "tag", name: "an image ID", args: a("tag", "{base12}", "{ref}"),
			want: ok(empty()), after: []probe{field("{ref}", "{{.Id}}", "{base}")}},
		missingImage("tag", "tag", "nosuch-{short}", "{ref}"),
		{cmd: "tag", name: "an invalid name", args: a("tag", "{image}", "Bad:Name"),
			want: failing(oneLine(`Error parsing reference: "Bad:Name" is not a valid repository/tag: invalid reference format: repository name \(library/Bad\) must be lowercase`)),
			skiff: &expect{code: 125, stderr: oneLine(`Error: tagging {image} as "Bad:Name": repository name must be lowercase: invalid argument`),
				why: "the docker CLI refuses it before asking the daemon, in its own words; skiff in its own, exit 125 as Podman"}},

		{cmd: "rmi", name: "untags", setup: []step{tagged}, args: a("rmi", "{ref}"),
			want: ok(exact("Untagged: {ref}\n")), after: []probe{exists("image", "{ref}", false)}},
		{cmd: "rmi", name: "untags and deletes the last name",
			setup: []step{created, capture("img", "commit", "{name}", "{ref}"), sh("rm", "{name}")}, args: a("rmi", "{ref}"),
			want:  ok(lines("Untagged: {ref}", "Deleted: {img}", many(`Deleted: sha256:[0-9a-f]{64}`))),
			after: []probe{exists("image", "{img}", false)}},
		{cmd: "rmi", name: "a short name", setup: []step{{args: a("tag", "{image}", "{short}"), sameEngine: true}}, args: a("rmi", "{short}"),
			want: ok(exact("Untagged: {short}:latest\n")),
			skiff: &expect{code: 0, stdout: exact("Untagged: localhost/{short}:latest\n"),
				why: "skiff names an image tagged with a short name localhost/NAME, as Podman does; Docker names it docker.io/library/NAME and shows it without that prefix"}},
		{cmd: "rmi", name: "an image a container uses",
			setup: []step{created, capture("img", "commit", "{name}", "{ref}"), capture("id2", "create", "--name", "{name2}", "{ref}")},
			args:  a("rmi", "{ref}"),
			want:  failing(daemonErr(`conflict: unable to remove repository reference "{ref}" \(must force\) - container {id212} is using its referenced image {img12}`)),
			skiff: skiffErr(`image {ref} is in use by container {name2} \({id212}\) \(remove it first, or use --force\): image is in use by a container`),
			after: []probe{exists("image", "{ref}", true)}},
		missingImage("rmi", "rmi", "nosuch-{short}"),
		{cmd: "rmi", name: "-f of a missing image", args: a("rmi", "-f", "nosuch-{short}"),
			want: expect{code: 0, stdout: empty(), stderr: daemonErr("No such image: nosuch-{short}:latest")},
			skiff: &expect{code: 0, stderr: oneLine(`Error: nosuch-{short}: image not known: no such image`),
				why: "skiff names the missing image in its own words"}},
	}
}

// historyHeader is docker history's default table.
var historyHeader = []string{"IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"}

// historyKeys are the fields of docker history --format json.
var historyKeys = []string{"Comment", "CreatedAt", "CreatedBy", "CreatedSince", "ID", "Size"}

// savedRef: {ref} saved to {tmp}/img.tar and removed.
var savedRef = []step{tagged, sh("save", "-o", "{tmp}/img.tar", "{ref}"), sh("rmi", "{ref}")}

func historySaveLoadRows() []row {
	addFile := `/bin/sh -c #\(nop\) ADD file:[0-9a-f]+`
	return []row{
		{cmd: "history", name: "default table", args: a("history", "{image}"),
			want: ok(table(historyHeader, `{base12}\s+.+ ago\s+`+addFile+`…\s+\S+\s+imported from tarball`))},
		{cmd: "history", name: "-q", args: a("history", "-q", "{image}"), want: ok(exact("{base12}\n"))},
		{cmd: "history", name: "-q --no-trunc", args: a("history", "-q", "--no-trunc", "{image}"), want: ok(exact("{base}\n"))},
		{cmd: "history", name: "--format template --no-trunc", args: a("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Comment}}", "{image}"),
			want: ok(oneLine(`{base}\|` + addFile + ` in /\|imported from tarball`))},
		{cmd: "history", name: "--format table", args: a("history", "--format", "table", "{image}"),
			want: ok(table(historyHeader, `{base12}\s+.+ ago\s+`+addFile+`…\s+\S+\s+imported from tarball`))},
		{cmd: "history", name: "--format json", args: a("history", "--format", "{json}", "{image}"),
			want: ok(jsonLines(1, historyKeys, nil, "ID", "{base12}", "Comment", "imported from tarball"))},
		missingImage("history", "history", "nosuch-{short}"),

		{cmd: "save", name: "-o writes the archive", shared: imagesShared, args: a("save", "-o", "{tmp}/out.tar", "{ref}"),
			want: ok(empty()), after: []probe{savedArchive("{tmp}/out.tar", "manifest.json")}},
		{cmd: "save", name: "to stdout", shared: imagesShared, args: a("save", "{ref}"),
			want: ok(tarHolding("manifest.json"))},
		{cmd: "save", name: "missing image", args: a("save", "-o", "{tmp}/out.tar", "nosuch-{short}:1"),
			want:  failing(daemonErr("No such image: nosuch-{short}:1")),
			skiff: skiffErr(`nosuch-{short}:1: image not known: no such image`)},

		{cmd: "load", name: "-i", setup: savedRef, args: a("load", "-i", "{tmp}/img.tar"),
			want: ok(exact("Loaded image: {ref}\n")), after: []probe{field("{ref}", "{{.Id}}", "{base}")},
			skiff: &expect{code: 0, stderr: lines("Getting image source signatures", many("Copying (blob|config) .*"), "Writing manifest to image destination"),
				why: whyProgress}},
		{cmd: "load", name: "from stdin, -q", setup: savedRef, args: a("load", "-q"), stdinFile: "{tmp}/img.tar",
			want: ok(exact("Loaded image: {ref}\n"))},
		{cmd: "load", name: "not an archive", args: a("load"), stdin: "garbage\n",
			want:  failing(oneLine(`Error response from daemon: .+`)),
			skiff: skiffErr(`loading .*: payload does not match any of the supported image formats: .*`)},
	}
}

// credsWarning is what the docker CLI says on stderr after storing a
// password in its own config.json (Docker 28; 20.10 words it its way).
func credsWarning(before ...string) check {
	return anyOf(
		lines(append(before, "", `WARNING! Your credentials are stored unencrypted in '.+config\.json'\.`,
			`Configure a credential helper to remove this warning\. See`, `https://docs\.docker\.com/go/credential-store/`, "")...),
		lines(append(before, `WARNING! Your password will be stored unencrypted in .+config\.json\.`,
			`Configure a credential helper to remove this warning\. See`,
			`https://docs\.docker\.com/engine/reference/commandline/login/#credentials-store`, "")...))
}

// whyCredsWarning: the docker CLI's warning is about its own store.
const whyCredsWarning = "the docker CLI warns that its own config.json holds the password; skiff keeps logins in auth.json, as Podman does"

// pushed: {remote} is in the registry and not local.
var pushed = []step{sh("tag", "{image}", "{remote}"), sh("push", "-q", "{remote}"), sh("rmi", "{remote}")}

// loggedIn: the client is logged in to the htpasswd registry.
var loggedIn = step{args: a("login", "-u", "{user}", "--password-stdin", "{authreg}"), stdin: "{pass}\n", sameEngine: true}

func registryRows() []row {
	pullProgress := []string{`Trying to pull {remote}\.\.\.`, "Getting image source signatures", many("Copying (blob|config) .*"), "Writing manifest to image destination"}
	return []row{
		{cmd: "pull", name: "progress, digest and the name", setup: pushed, args: a("pull", "{remote}"),
			want: ok(lines(`1: Pulling from {path}`, many(`[0-9a-f]{12}: .+`), `Digest: sha256:[0-9a-f]{64}`,
				`Status: Downloaded newer image for {remote}`, `{remote}`)),
			skiff: &expect{code: 0, stdout: quietIDs(1, fullID), stderr: lines(pullProgress...), why: whyProgress}},
		{cmd: "pull", name: "up to date", setup: []step{sh("tag", "{image}", "{remote}"), sh("push", "-q", "{remote}")}, args: a("pull", "{remote}"),
			want: ok(lines(`1: Pulling from {path}`, many(`[0-9a-f]{12}: .+`), `Digest: sha256:[0-9a-f]{64}`,
				`Status: Image is up to date for {remote}`, `{remote}`)),
			skiff: &expect{code: 0, stdout: quietIDs(1, fullID), stderr: lines(pullProgress...), why: whyProgress}},
		{cmd: "pull", name: "-q prints the name", setup: pushed, args: a("pull", "-q", "{remote}"),
			want:  ok(exact("{remote}\n")),
			skiff: &expect{code: 0, stdout: quietIDs(1, fullID), why: "skiff pull -q prints the image ID, as Podman does"}},
		{cmd: "pull", name: "a tag the registry lacks", args: a("pull", "{reg}/parity/nosuch-{short}:1"),
			want:  failing(daemonErr(noManifest)),
			skiff: &expect{code: 125, stderr: lines(`Trying to pull {reg}/parity/nosuch-{short}:1\.\.\.`, `Error: .*manifest unknown.*`), why: whyPodman125}},

		{cmd: "push", name: "progress and the digest", setup: []step{sh("tag", "{image}", "{remote}")}, args: a("push", "{remote}"),
			want: ok(lines(`The push refers to repository \[{repo}\]`,
				many(`[0-9a-f]{12}: (Preparing|Waiting|Pushing|Pushed|Layer already exists|Mounted from .+)`),
				`1: digest: sha256:[0-9a-f]{64} size: \d+`)),
			skiff: &expect{code: 0, stdout: empty(), stderr: lines("Getting image source signatures", many("Copying (blob|config) .*"), "Writing manifest to image destination"),
				why: whyProgress}},
		{cmd: "push", name: "an image that is not there", args: a("push", "{reg}/parity/nosuch-{short}:1"),
			want: expect{code: 1, stdout: exact("The push refers to repository [{reg}/parity/nosuch-{short}]\n"),
				stderr: oneLine(`An image does not exist locally with the tag: {reg}/parity/nosuch-{short}`)},
			skiff: &expect{code: 125, stdout: empty(), stderr: oneLine(`Error: {reg}/parity/nosuch-{short}:1: image not known: no such image`), why: whyPodman125}},

		{cmd: "login", name: "--password-stdin", args: a("login", "-u", "{user}", "--password-stdin", "{authreg}"), stdin: "{pass}\n",
			want:   ok(exact("Login Succeeded\n")),
			docker: &expect{code: 0, stderr: credsWarning(), why: whyCredsWarning}},
		{cmd: "login", name: "-p warns", args: a("login", "-u", "{user}", "-p", "{pass}", "{authreg}"),
			want:   expect{code: 0, stdout: exact("Login Succeeded\n"), stderr: oneLine(`WARNING! Using --password via the CLI is insecure\. Use --password-stdin\.`)},
			docker: &expect{code: 0, stderr: credsWarning(`WARNING! Using --password via the CLI is insecure\. Use --password-stdin\.`), why: whyCredsWarning}},
		{cmd: "login", name: "a wrong password", args: a("login", "-u", "{user}", "--password-stdin", "{authreg}"), stdin: "wrong\n",
			want:  failing(daemonErr(`login attempt to http://{authreg}/v2/ failed with status: 401 Unauthorized`)),
			skiff: skiffErr(`logging into "{authreg}": invalid username/password`),
			docker: &expect{code: 1, stderr: daemonErr(`logging in to {authreg}: .*unauthorized: authentication required`),
				why: "skiff's service checks the login with containers/image and relays its words, not Docker's 'login attempt to ... failed with status: 401'"}},
		{cmd: "login", name: "no password and no terminal", args: a("login", "-u", "{user}", "{authreg}"),
			want:  failing(oneLine("Error: Cannot perform an interactive login from a non TTY device")),
			skiff: skiffErr("Cannot perform an interactive login from a non TTY device")},

		{cmd: "logout", name: "after login", setup: []step{loggedIn}, args: a("logout", "{authreg}"),
			want: ok(exact("Removing login credentials for {authreg}\n"))},
		{cmd: "logout", name: "not logged in", args: a("logout", "{authreg}"),
			want: ok(exact("Removing login credentials for {authreg}\n")),
			docker: olderCLI(25, &expect{code: 0, stdout: exact("Not logged in to {authreg}\n"),
				why: "docker CLIs before 25 say they were not logged in"})},
	}
}

// olderCLI is an override that applies only to a docker CLI older than
// major.0, nil otherwise.
func olderCLI(major int, e *expect) *expect {
	if dockerOlderThan(major, 0) {
		return e
	}
	return nil
}

// eventKeys are the fields of an event; status, id and from are Docker's
// deprecated ones, which API 1.52 drops.
var (
	eventKeys       = []string{"Type", "Action", "Actor", "scope", "time", "timeNano"}
	eventDeprecated = []string{"status", "id", "from"}
)

// lifecycle: {name} created (capturing {id}), run to its end and removed.
var lifecycle = &sharedSetup{name: "lifecycle", setup: []step{capture("id", "create", "--name", "{name}", "{image}", "true"), sh("start", "-a", "{name}"), sh("rm", "{name}")}}

func eventsRows() []row {
	window := a("events", "--since", "{since}", "--until", "{until}", "--filter", "container={name}")
	return []row{
		{cmd: "events", name: "--since --until", shared: lifecycle, args: window,
			want: ok(lines(
				`\S+ container create {id} \(image={image}, name={name}\)`,
				`\S+ container start {id} \(image={image}, name={name}\)`,
				`\S+ container die {id} \(exitCode=0, image={image}, name={name}\)`,
				`\S+ container destroy {id} \(image={image}, name={name}\)`))},
		{cmd: "events", name: "--format json", shared: lifecycle, args: append(window, "--format", "{json}"),
			want: ok(allOf(jsonLines(4, eventKeys, eventDeprecated), jsonSeq("Action", "create", "start", "die", "destroy"), jsonSeq("id", "{id}", "{id}", "{id}", "{id}")))},
		{cmd: "events", name: "--format template", shared: lifecycle, args: append(window, "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}"),
			want: ok(exact("container create {name}\ncontainer start {name}\ncontainer die {name}\ncontainer destroy {name}\n"))},
		{cmd: "events", name: "--filter event", shared: lifecycle,
			args: append(window, "--filter", "event=die", "--format", "{{.Action}} {{.Actor.Attributes.exitCode}}"),
			want: ok(exact("die 0\n"))},
		{cmd: "events", name: "nothing after --until", shared: lifecycle, args: a("events", "--since", "{until}", "--until", "{until}", "--filter", "container={name}"),
			want: ok(empty())},
		{cmd: "events", name: "an unknown filter is no filter", shared: lifecycle,
			args: append(window, "--filter", "color=red", "--format", "{{.Action}}"),
			want: ok(exact("create\nstart\ndie\ndestroy\n"))},
	}
}

// infoKeys are fields of Docker's info that every client shows.
var infoKeys = []string{"ID", "Containers", "ContainersRunning", "ContainersPaused", "ContainersStopped", "Images",
	"Driver", "DriverStatus", "Plugins", "MemoryLimit", "SwapLimit", "CpuCfsPeriod", "CpuCfsQuota", "CPUShares",
	"CPUSet", "PidsLimit", "IPv4Forwarding", "Debug", "NFd", "OomKillDisable", "NGoroutines", "SystemTime",
	"LoggingDriver", "CgroupDriver", "CgroupVersion", "NEventsListener", "KernelVersion", "OperatingSystem",
	"OSVersion", "OSType", "Architecture", "IndexServerAddress", "RegistryConfig", "NCPU", "MemTotal",
	"DockerRootDir", "Name", "Labels", "ExperimentalBuild", "ServerVersion", "Runtimes",
	"DefaultRuntime", "Swarm", "LiveRestoreEnabled", "Isolation", "InitBinary", "SecurityOptions", "Warnings"}

// whyPodmanLayout: skiff's plain info and version are Podman's.
const whyPodmanLayout = "without --format skiff prints Podman's layout (one engine, no client/server split); --format takes Docker's fields"

func infoVersionRows() []row {
	return []row{
		{cmd: "info", name: "--format with Docker's fields", args: a("info", "--format", "{{.OSType}}|{{.Driver}}|{{.DefaultRuntime}}|{{.CgroupDriver}}"),
			want: ok(exact("linux|overlay|runc|cgroupfs\n"))},
		{cmd: "info", name: "--format counts", args: a("info", "--format", "{{.Containers}} {{.ContainersRunning}} {{.ContainersStopped}} {{.Images}}"),
			want: ok(oneLine(`\d+ \d+ \d+ \d+`))},
		{cmd: "info", name: "--format json", args: a("info", "--format", "{json}"), want: ok(jsonHas(infoKeys...))},
		{cmd: "info", name: "plain", args: a("info"),
			want:  ok(lines("Client:", many(".*"), "Server:", many(".*"))),
			skiff: &expect{code: 0, stdout: lines("host:", many(".*")), why: whyPodmanLayout}},

		{cmd: "version", name: "--format with Docker's fields", args: a("version", "--format", "{{.Server.APIVersion}}|{{.Server.MinAPIVersion}}|{{.Server.Os}}|{{.Server.Arch}}"),
			want: ok(exact("1.51|1.24|linux|{arch}\n"))},
		{cmd: "version", name: "--format client", args: a("version", "--format", "{{.Client.Version}} {{.Client.Os}}/{{.Client.Arch}}"),
			want: ok(oneLine(`\S+ linux/{arch}`))},
		{cmd: "version", name: "--format json", args: a("version", "--format", "{json}"),
			want: ok(jsonLines(1, []string{"Client", "Server"}, nil))},
		{cmd: "version", name: "plain", args: a("version"),
			want:  ok(lines("Client:", many(".*"), `Server: .*`, many(".*"))),
			skiff: &expect{code: 0, stdout: lines(`Version:\s+\S+`, many(".*")), why: whyPodmanLayout}},
	}
}

// Docker's prune questions, on stdout.
const (
	ctrPruneQuestion = "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] "
	imgPruneQuestion = "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] "
)

func pruneRows() []row {
	labelledCreated := capture("id", "create", "--name", "{name}", "--label", "{label}=1", "{image}", "true")
	labelledRunning := sh("run", "-d", "--name", "{name2}", "--label", "{label}=1", "{image}", "sleep", "1000")
	return []row{
		{cmd: "prune", name: "container prune -f", setup: []step{labelledCreated, labelledRunning},
			args:  a("container", "prune", "-f", "--filter", "label={label}"),
			want:  ok(lines("Deleted Containers:", "{id}", "", `Total reclaimed space: \S+`)),
			after: []probe{exists("container", "{name}", false), exists("container", "{name2}", true)}},
		{cmd: "prune", name: "container prune answered y", setup: []step{labelledCreated},
			args: a("container", "prune", "--filter", "label={label}"), stdin: "y\n",
			want: ok(lines("WARNING! This will remove all stopped containers.", `Are you sure you want to continue\? \[y/N\] Deleted Containers:`,
				"{id}", "", `Total reclaimed space: \S+`)),
			after: []probe{exists("container", "{name}", false)}},
		{cmd: "prune", name: "container prune answered n", setup: []step{labelledCreated},
			args: a("container", "prune", "--filter", "label={label}"), stdin: "n\n",
			want: ok(exact(ctrPruneQuestion)), after: []probe{exists("container", "{name}", true)}},
		{cmd: "prune", name: "container prune with nothing to do", args: a("container", "prune", "-f", "--filter", "label={label}"),
			want: ok(exact("Total reclaimed space: 0B\n"))},
		{cmd: "prune", name: "image prune -f", setup: dangling, args: a("image", "prune", "-f", "--filter", "label={label}"),
			want:  ok(lines("Deleted Images:", "deleted: {img}", many(`deleted: sha256:[0-9a-f]{64}`), "", `Total reclaimed space: \S+`)),
			after: []probe{exists("image", "{img}", false)}},
		{cmd: "prune", name: "image prune answered n", setup: dangling, args: a("image", "prune", "--filter", "label={label}"), stdin: "n\n",
			want: ok(exact(imgPruneQuestion)), after: []probe{exists("image", "{img}", true)}},
		{cmd: "prune", name: "image prune -a -f",
			setup: []step{created, capture("img", "commit", "-c", "LABEL {label}=1", "{name}", "{ref}"), sh("rm", "{name}")},
			args:  a("image", "prune", "-a", "-f", "--filter", "label={label}"),
			want:  ok(lines("Deleted Images:", "untagged: {ref}", "deleted: {img}", many(`deleted: sha256:[0-9a-f]{64}`), "", `Total reclaimed space: \S+`)),
			after: []probe{exists("image", "{img}", false)}},
	}
}
