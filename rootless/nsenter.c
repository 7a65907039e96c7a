/*
 * nsenter.c: put an unprivileged skiff process into skiff's long-lived user
 * and mount namespace. setns(CLONE_NEWUSER) needs a single-threaded process
 * and the Go runtime starts threads before main, so this is a C constructor.
 * A "pause process" (pid in <runtime dir>/pause.pid) keeps the namespaces
 * alive; every invocation joins it (fast path), the first one after boot
 * creates it (slow path). No re-exec anywhere. Nothing here exits: failures
 * are recorded in `state` for the Go side (EnsureNamespace) to report, so
 * commands that never need the engine keep working.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsenter.h"

#define ENV_UID "_SKIFF_ROOTLESS_UID"
#define ENV_GID "_SKIFF_ROOTLESS_GID"
/* Escape hatch: ignore the argv rule (re-exec after it guessed wrong). */
#define ENV_FORCE "_SKIFF_ROOTLESS_FORCE"
#define PAUSE_NAME "skiff-pause"

/* The constructor's record. Written only by the constructor, before any
 * Go code runs; read-only afterwards. */
static struct skiff_ns_state state;

const struct skiff_ns_state *skiff_ns_state(void) { return &state; }

static void fail(int kind, const char *fmt, ...)
{
	va_list ap;
	state.status = SKIFF_NS_FAILED;
	state.err_kind = kind;
	va_start(ap, fmt);
	vsnprintf(state.err, sizeof(state.err), fmt, ap);
	va_end(ap);
}

/* The argv rule: does this command line need the engine (and so the
 * namespace)? Joining when not needed costs a few hundred microseconds;
 * skipping when needed breaks the command. So we skip only when sure:
 *
 *  - Only arguments before the second non-flag word are looked at, so
 *    that flags belonging to a container's command (`run alpine ls --help`,
 *    `exec ctr grep -H x`) never count.
 *  - The first non-flag word is version, help, completion, __complete or
 *    __completeNoDesc; or the words are `system connection` or
 *    `system dial-stdio` (config files and a socket relay, no engine).
 *  - --help or --version; -h only before any word, because `run -h NAME`
 *    means --hostname.
 *  - A remote flag: --url, --host, --connection (alone or with =value),
 *    -H (alone or -Hvalue).
 *  - Scanning stops at "--".
 *  - Then, unless the words are `system service` (which serves the local
 *    engine whatever the environment says): CONTAINER_HOST,
 *    CONTAINER_CONNECTION or DOCKER_HOST is set, or the connections file
 *    names a default connection. These mirror the CLI's target precedence
 *    (cmd/skiff/command/target.go): each of them may make commands
 *    remote. DOCKER_HOST only may: the CLI honours it only where a skiff
 *    service answers, which needs an HTTP round trip we do not make here.
 *    So we skip, and when the CLI finds no skiff service there it
 *    re-executes itself with ENV_FORCE set and DOCKER_HOST unset
 *    (cmd/skiff/root.go, joinIfLocal) before the command runs.
 * A flag's value may be taken for a word (`--log-level debug version`);
 * that only ever makes us join when we could have skipped. */
static int is_flag(const char *a) { return a[0] == '-' && a[1] != '\0'; }

static const char *const nonengine_cmds[] = {"version", "help", "completion",
					     "__complete", "__completeNoDesc", NULL};
static const char *const nonengine_system_cmds[] = {"connection", "dial-stdio", NULL};
static const char *const remote_flags[] = {"--url", "--host", "--connection", NULL};

/* in_list: a is one of list, or (eq_value) one of list followed by "=...". */
static int in_list(const char *a, const char *const *list, int eq_value)
{
	for (size_t i = 0, l; list[i]; i++)
		if (strncmp(a, list[i], l = strlen(list[i])) == 0 &&
		    (a[l] == '\0' || (eq_value && a[l] == '=')))
			return 1;
	return 0;
}

/* skiff_has_default_connection: does the connections file name a default?
 * A cheap scan, not a JSON parser: it looks for the key "default" followed
 * by a non-empty string. Only keys are followed by ':' in JSON, and
 * skiff's file has no other key of that name, so a miss only ever makes
 * us join when we could have skipped. */
int skiff_has_default_connection(const char *path)
{
	char buf[65536], *p;
	ssize_t n;
	int fd, found = 0;

	if (!path || !*path || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (p = buf; !found && (p = strstr(p, "\"default\"")); ) {
		p += strlen("\"default\"");
		p += strspn(p, " \t\r\n");
		if (*p != ':')
			continue;
		p++;
		p += strspn(p, " \t\r\n");
		found = p[0] == '"' && p[1] != '"' && p[1] != '\0';
	}
	return found;
}

int skiff_skip_reason(int argc, char **argv, const struct skiff_remote_env *env)
{
	int words = 0, service = 0;
	const char *first = "";

	for (int i = 1; i < argc && words < 2; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (!is_flag(a)) {
			if (words == 0 && in_list(a, nonengine_cmds, 0))
				return SKIFF_SKIP_COMMAND;
			if (words == 1 && strcmp(first, "system") == 0) {
				if (in_list(a, nonengine_system_cmds, 0))
					return SKIFF_SKIP_COMMAND;
				service = strcmp(a, "service") == 0;
			}
			if (words == 0)
				first = a;
			words++;
			continue;
		}
		if (in_list(a, remote_flags, 1) || strncmp(a, "-H", 2) == 0)
			return SKIFF_SKIP_REMOTE_FLAG;
		if (strcmp(a, "--help") == 0 || strcmp(a, "--version") == 0 ||
		    (strcmp(a, "-h") == 0 && words == 0))
			return SKIFF_SKIP_HELP_FLAG;
	}
	if (service || !env)
		return SKIFF_SKIP_NONE;
	if ((env->container_host && *env->container_host) ||
	    (env->container_connection && *env->container_connection) ||
	    (env->docker_host && *env->docker_host))
		return SKIFF_SKIP_REMOTE_ENV;
	if (skiff_has_default_connection(env->connections_file))
		return SKIFF_SKIP_REMOTE_CONN;
	return SKIFF_SKIP_NONE;
}

/* connections_file writes the path of the CLI's connections file
 * (cmd/skiff/command.ConnectionsPath: os.UserConfigDir()/skiff/...) into
 * buf, or returns NULL when there is no config directory. */
static const char *connections_file(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && *xdg) {
		if (xdg[0] != '/')
			return NULL;
		n = snprintf(buf, len, "%s/skiff/connections.json", xdg);
	} else if (home && *home) {
		n = snprintf(buf, len, "%s/.config/skiff/connections.json", home);
	} else {
		return NULL;
	}
	return n > 0 && (size_t)n < len ? buf : NULL;
}

/* read_cmdline splits /proc/self/cmdline (portable, unlike the glibc-only
 * constructor arguments). Free the result with free_argv. */
static char **read_cmdline(int *argc)
{
	FILE *f = fopen("/proc/self/cmdline", "re");
	char **argv = NULL, **nv, *arg = NULL;
	size_t cap = 0;
	int n = 0;

	if (!f)
		return NULL;
	while (getdelim(&arg, &cap, '\0', f) > 0 &&
	       (nv = realloc(argv, (n + 2) * sizeof(*argv)))) {
		argv = nv;
		argv[n++] = arg;
		argv[n] = NULL;
		arg = NULL;
		cap = 0;
	}
	free(arg);
	fclose(f);
	*argc = n;
	return argv;
}

static void free_argv(char **argv)
{
	for (char **a = argv; a && *a; a++)
		free(*a);
	free(argv);
}

/* /etc/subuid and /etc/subgid: lines "name:start:count" or
 * "uid:start:count"; the first line for the user wins. */
int skiff_find_subid(const char *path, const char *name, unsigned int uid,
		     unsigned long *start, unsigned long *count)
{
	FILE *f = fopen(path, "re");
	char uidstr[16], *line = NULL, *end;
	size_t cap = 0;
	int found = 1;

	if (!f)
		return errno == ENOENT ? 1 : -1;
	snprintf(uidstr, sizeof(uidstr), "%u", uid);
	while (found == 1 && getline(&line, &cap, f) >= 0) {
		char *p = line + strspn(line, " \t"), *c1 = strchr(p, ':');
		unsigned long s, c;
		if (*p == '#' || !c1)
			continue;
		*c1 = '\0';
		if (!((name && strcmp(p, name) == 0) || strcmp(p, uidstr) == 0))
			continue;
		errno = 0;
		s = strtoul(c1 + 1, &end, 10);
		if (errno || end == c1 + 1 || *end != ':' || end[1] < '0' || end[1] > '9')
			continue;
		c = strtoul(end + 1, &end, 10);
		if (errno || c == 0 || end[strspn(end, " \t\r\n")] != '\0')
			continue;
		*start = s;
		*count = c;
		found = 0;
	}
	if (found == 1 && ferror(f))
		found = -1;
	free(line);
	fclose(f);
	return found;
}

/* Pause pid file (the runtime dir itself: rundir.c). */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, len - 1)) < 0 && errno == EINTR)
		;
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static int read_pid_file(const char *rtdir)
{
	char path[PATH_MAX], buf[32], *end;
	long pid;
	snprintf(path, sizeof(path), "%s/pause.pid", rtdir);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	pid = strtol(buf, &end, 10);
	if (end == buf || pid <= 0 || pid > INT_MAX || (*end && *end != '\n'))
		return -1;
	return (int)pid;
}

/* is_pause guards against a stale pid file (e.g. from before a reboot)
 * whose pid now belongs to some other process, and against a pause
 * process that was killed but not yet reaped (a zombie has no
 * namespaces left to join). */
static int is_pause(int pid)
{
	char path[64], stat[512], *open, *close;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_small(path, stat, sizeof(stat)) <= 0 ||
	    !(open = strchr(stat, '(')) || !(close = strrchr(stat, ')')))
		return 0;
	*close = '\0';
	return strcmp(open + 1, PAUSE_NAME) == 0 && close[1] == ' ' &&
	       close[2] != 'Z' && close[2] != 'X';
}

int skiff_read_pause_pid(const char *rtdir)
{
	int pid = read_pid_file(rtdir);
	return pid > 0 && is_pause(pid) ? pid : -1;
}

/* join_pause returns 0 when joined, 1 when the pause process cannot be used
 * and nothing has changed yet (try creating one), -1 when a failure after
 * the point of no return was recorded. */
static int join_pause(int pid)
{
	char path[64], cwd[PATH_MAX], num[16];
	int userfd, mntfd, cwdfd, have_cwd, ret = 1;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
	userfd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	mntfd = open(path, O_RDONLY | O_CLOEXEC);
	/* Check the name after opening: the fds now pin that process's
	 * namespaces, so a pid reused in between cannot fool us. */
	if (userfd < 0 || mntfd < 0 || !is_pause(pid))
		goto out;
	if (setns(userfd, CLONE_NEWUSER) < 0)
		goto out;
	ret = -1;
	/* Entering a mount namespace resets the cwd: remember it by path
	 * (mounts differ) and by fd (fallback for a path we cannot see). */
	have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	cwdfd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (setns(mntfd, CLONE_NEWNS) < 0) {
		fail(SKIFF_ERR_OTHER, "setns into the mount namespace of pause process %d: %s",
		     pid, strerror(errno));
	} else if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
		fail(SKIFF_ERR_OTHER, "becoming root in the user namespace of pause process %d: %s",
		     pid, strerror(errno));
	} else {
		if (!(have_cwd && chdir(cwd) == 0) && cwdfd >= 0 && fchdir(cwdfd) < 0)
			(void)chdir("/");
		snprintf(num, sizeof(num), "%u", state.uid);
		setenv(ENV_UID, num, 1);
		snprintf(num, sizeof(num), "%u", state.gid);
		setenv(ENV_GID, num, 1);
		state.status = SKIFF_NS_JOINED;
		state.pause_pid = pid;
		ret = 0;
	}
	if (cwdfd >= 0)
		close(cwdfd);
out:
	if (userfd >= 0)
		close(userfd);
	if (mntfd >= 0)
		close(mntfd);
	return ret;
}

static int try_join(const char *rtdir)
{
	int pid = read_pid_file(rtdir);
	return pid > 0 ? join_pause(pid) : 1;
}

static void close_fds_from(unsigned int from, unsigned int to)
{
	if (from > to)
		return;
	if (syscall(SYS_close_range, from, to, 0) == 0)
		return;
	for (long fd = from, max = sysconf(_SC_OPEN_MAX); fd <= (long)to && fd < max && fd < 65536; fd++)
		close((int)fd);
}

/* pause_main is the pause process: it unshares, waits for its id maps,
 * becomes root, and sleeps forever holding the namespaces. */
static void __attribute__((noreturn)) pause_main(int sock)
{
	char go, reply[256] = {0};
	int32_t msg;

	setsid(); /* no controlling terminal: no SIGHUP/SIGINT from it */
	/* Keep no fds: an inherited flock fd would hold the lock forever. */
	sock = fcntl(sock, F_DUPFD_CLOEXEC, 3);
	if (sock < 0)
		_exit(1);
	close_fds_from(0, sock - 1);
	close_fds_from(sock + 1, ~0U);
	if (open("/dev/null", O_RDWR) == 0 && dup2(0, 1) == 1)
		dup2(0, 2);
	msg = unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0 ? -errno : getpid();
	if (send(sock, &msg, sizeof(msg), MSG_NOSIGNAL) != sizeof(msg) || msg < 0)
		_exit(1);
	if (recv(sock, &go, 1, 0) != 1 || go != 1)
		_exit(1); /* the parent failed to write our id maps */

	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		snprintf(reply, sizeof(reply), "becoming root in the new user namespace: %s", strerror(errno));
	/* Slave: host mounts still reach us, ours never reach the host. */
	else if (mount("none", "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		snprintf(reply, sizeof(reply), "making / a recursive slave mount: %s", strerror(errno));
	if (reply[0]) {
		send(sock, reply, strlen(reply), MSG_NOSIGNAL);
		_exit(1);
	}
	/* The name must be set before we ack: joiners check it. */
	prctl(PR_SET_NAME, PAUSE_NAME, 0, 0, 0);
	if (chdir("/") < 0)
		_exit(1);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_IGN);
	send(sock, reply, 1, MSG_NOSIGNAL); /* one NUL byte: ready */
	close(sock);
	for (;;)
		pause();
}

/* run_idmap runs newuidmap/newgidmap: "<prog> <pid> 0 <id> 1 1 <start> <count>". */
static int run_idmap(const char *prog, int pid, unsigned int id,
		     unsigned long start, unsigned long count)
{
	char a_pid[16], a_id[16], a_start[24], a_count[24], out[512];
	char *argv[] = {(char *)prog, a_pid, "0", a_id, "1", "1", a_start, a_count, NULL};
	int p[2], wst = 0;
	ssize_t len = 0, n;
	pid_t c;

	snprintf(a_pid, sizeof(a_pid), "%d", pid);
	snprintf(a_id, sizeof(a_id), "%u", id);
	snprintf(a_start, sizeof(a_start), "%lu", start);
	snprintf(a_count, sizeof(a_count), "%lu", count);
	if (pipe2(p, O_CLOEXEC) < 0 || (c = fork()) < 0) {
		fail(SKIFF_ERR_OTHER, "running %s: %s", prog, strerror(errno));
		return -1;
	}
	if (c == 0) {
		dup2(open("/dev/null", O_RDONLY), 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(prog, argv);
		dprintf(2, "exec %s: %s", prog, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], out + len, sizeof(out) - 1 - len)) > 0 || (n < 0 && errno == EINTR))
		len += n > 0 ? n : 0;
	close(p[0]);
	while (waitpid(c, &wst, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(wst) && WEXITSTATUS(wst) == 0)
		return 0;
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		len--;
	out[len] = '\0';
	fail(SKIFF_ERR_OTHER, "%s %s 0 %s 1 1 %s %s failed (%s %d): %s", prog, a_pid, a_id,
	     a_start, a_count, WIFEXITED(wst) ? "exit status" : "signal",
	     WIFEXITED(wst) ? WEXITSTATUS(wst) : WTERMSIG(wst), out);
	return -1;
}

static int lookup_range(const char *file, const char *name, unsigned int id,
			unsigned long *start, unsigned long *count)
{
	int r = skiff_find_subid(file, name, id, start, count);

	if (r < 0)
		fail(SKIFF_ERR_OTHER, "reading %s: %s", file, strerror(errno));
	else if (r > 0)
		fail(SKIFF_ERR_NO_SUBID,
		     "no %s ranges found for user \"%s\" in %s: ask an administrator to run "
		     "\"usermod --add-subuids 100000-165535 --add-subgids 100000-165535 %s\"",
		     file + 5, name, file, name);
	return r ? -1 : 0;
}

/* create_pause starts the pause process in new user+mount namespaces with
 * our id maps. Returns its pid, or -1 with the failure recorded. */
static int create_pause(void)
{
	unsigned long ustart, ucount, gstart, gcount;
	struct passwd *pw = getpwuid(state.uid);
	char name[256], buf[256] = {1};
	int sv[2] = {-1, -1}, wst;
	int32_t pid = -1;
	ssize_t n;
	pid_t mid;

	if (pw)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "%u", state.uid);
	if (lookup_range("/etc/subuid", name, state.uid, &ustart, &ucount) < 0 ||
	    lookup_range("/etc/subgid", name, state.uid, &gstart, &gcount) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 || (mid = fork()) < 0) {
		fail(SKIFF_ERR_OTHER, "starting the pause process: %s", strerror(errno));
		goto out;
	}
	/* Double fork: the pause process is reparented at once and can
	 * never become our zombie. */
	if (mid == 0) {
		if (fork() == 0)
			pause_main(sv[1]);
		_exit(0);
	}
	close(sv[1]);
	sv[1] = -1;
	while (waitpid(mid, &wst, 0) < 0 && errno == EINTR)
		;
	/* The child sends its pid after unshare, or -errno. */
	if ((n = recv(sv[0], &pid, sizeof(pid), 0)) != sizeof(pid) || pid < 0) {
		fail(SKIFF_ERR_OTHER, "creating the pause process: %s",
		     n == sizeof(pid) ? strerror(-pid) : "it exited early");
		pid = -1;
		goto out;
	}
	if (run_idmap("newuidmap", pid, state.uid, ustart, ucount) < 0 ||
	    run_idmap("newgidmap", pid, state.gid, gstart, gcount) < 0)
		goto kill;
	/* Go (byte 1); the answer is one NUL byte when ready, else a message. */
	send(sv[0], buf, 1, MSG_NOSIGNAL);
	n = recv(sv[0], buf, sizeof(buf) - 1, 0);
	if (n > 0 && buf[0] == '\0') {
		state.created = 1;
		goto out;
	}
	buf[n > 0 ? n : 0] = '\0';
	fail(SKIFF_ERR_OTHER, "setting up pause process %d: %s", pid, n > 0 ? buf : "it exited early");
kill:
	kill(pid, SIGKILL);
	pid = -1;
out:
	for (int i = 0; i < 2; i++)
		if (sv[i] >= 0)
			close(sv[i]);
	return pid;
}

static int write_pid_file(const char *rtdir, int pid)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/pause.pid.%d.tmp", rtdir, (int)getpid());
	snprintf(path, sizeof(path), "%s/pause.pid", rtdir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || dprintf(fd, "%d\n", pid) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		fail(SKIFF_ERR_OTHER, "writing %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* slow_path runs when no usable pause process exists. The lock serializes
 * racing first invocations: the loser finds the winner's pid file. */
static void slow_path(const char *rtdir)
{
	char path[PATH_MAX];
	int fd, pid, r = 0;

	snprintf(path, sizeof(path), "%s/pause.lock", rtdir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	while (fd >= 0 && (r = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
		;
	if (fd < 0 || r < 0) {
		fail(SKIFF_ERR_OTHER, "locking %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	if (try_join(rtdir) != 1) {
		close(fd);
		return;
	}
	pid = create_pause();
	if (pid > 0 && write_pid_file(rtdir, pid) < 0) {
		kill(pid, SIGKILL);
		pid = -1;
	}
	close(fd); /* unlocks */
	if (pid > 0 && join_pause(pid) == 1)
		fail(SKIFF_ERR_OTHER, "joining the new pause process %d: cannot open its namespaces", pid);
}

static int parse_uint(const char *s, unsigned int *out)
{
	char extra;

	return s && *s >= '0' && *s <= '9' && sscanf(s, "%u%c", out, &extra) == 1 ? 0 : -1;
}

/* choose_runtime_dir picks the runtime base (rundir.c), switches to the
 * one recorded beside this command's storage while that namespace lives,
 * exports it as XDG_RUNTIME_DIR for every library and child, and makes
 * <base>/skiff. Returns 0, or -1 with the failure recorded. */
static int choose_runtime_dir(int argc, char **argv, char *rtdir, size_t len)
{
	char base[PATH_MAX], graph[PATH_MAX], rec[PATH_MAX];

	if (skiff_runtime_base(state.uid, base, sizeof(base), state.err, sizeof(state.err)) < 0)
		goto fail;
	if (argv && skiff_graph_root(argc, argv, state.uid, graph, sizeof(graph)) == 0 &&
	    skiff_recorded_base(graph, base, rec, sizeof(rec)) > 0) {
		snprintf(base, sizeof(base), "%s", rec);
		state.redirected = 1;
	}
	setenv("XDG_RUNTIME_DIR", base, 1);
	state.set_xdg = 1;
	if (skiff_runtime_dir_in(base, rtdir, len, state.err, sizeof(state.err)) < 0)
		goto fail;
	return 0;
fail:
	state.status = SKIFF_NS_FAILED;
	state.err_kind = SKIFF_ERR_OTHER;
	return -1;
}

/* export_runtime_base sets XDG_RUNTIME_DIR by the same rule for commands
 * that skip the namespace (remote clients among them), so containers/image
 * never falls back to /run/containers/<uid>, which root may have made
 * unreadable. A failure here is left to whatever needs the directory. */
static void export_runtime_base(void)
{
	char base[PATH_MAX], err[256];

	if (skiff_runtime_base(state.uid, base, sizeof(base), err, sizeof(err)) == 0) {
		setenv("XDG_RUNTIME_DIR", base, 1);
		state.set_xdg = 1;
	}
}

__attribute__((constructor)) static void skiff_rootless_init(void)
{
	char rtdir[PATH_MAX - 64], **argv; /* room for "/pause.pid.<pid>.tmp" */
	const char *force = getenv(ENV_FORCE);
	struct sigaction dfl = {.sa_handler = SIG_DFL}, old;
	int argc = 0, rc;

	if (getuid() == 0) {
		/* Root inside skiff's namespace (e.g. the exit command conmon
		 * runs) carries the invoking user's ids in env; any other
		 * uid 0, in any user namespace, is plain root. */
		if (parse_uint(getenv(ENV_UID), &state.uid) == 0 && state.uid != 0) {
			if (parse_uint(getenv(ENV_GID), &state.gid) < 0)
				state.gid = state.uid;
			state.status = SKIFF_NS_INHERITED;
		} else {
			state.status = SKIFF_NS_ROOT;
		}
		return;
	}
	state.uid = getuid();
	state.gid = getgid();
	argv = read_cmdline(&argc);
	if (!(force && *force)) {
		char conns[PATH_MAX];
		struct skiff_remote_env env = {
			.container_host = getenv("CONTAINER_HOST"),
			.container_connection = getenv("CONTAINER_CONNECTION"),
			.docker_host = getenv("DOCKER_HOST"),
			.connections_file = connections_file(conns, sizeof(conns)),
		};
		state.skip_reason = argv ? skiff_skip_reason(argc, argv, &env) : SKIFF_SKIP_NONE;
		if (state.skip_reason != SKIFF_SKIP_NONE) {
			state.status = SKIFF_NS_SKIPPED;
			export_runtime_base();
			free_argv(argv);
			return;
		}
	}
	rc = choose_runtime_dir(argc, argv, rtdir, sizeof(rtdir));
	free_argv(argv);
	if (rc < 0)
		return;
	if (try_join(rtdir) == 1) {
		/* With SIGCHLD inherited as ignored, waitpid could not report
		 * newuidmap's exit status. */
		sigaction(SIGCHLD, &dfl, &old);
		slow_path(rtdir);
		sigaction(SIGCHLD, &old, NULL);
	}
}
