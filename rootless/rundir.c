/*
 * rundir.c: where a rootless skiff keeps its runtime files, and which
 * namespace serves a storage. Called by the constructor (nsenter.c)
 * before Go starts, and by the Go side through cgo.
 *
 * The runtime base is what XDG_RUNTIME_DIR names, chosen as Podman does:
 * the variable; else logind's /run/user/<uid> when it is the user's own
 * 0700 directory (cron, `ssh host cmd`, su and socket activation often
 * run without the variable although the directory exists); else a
 * private /tmp/skiff-<uid>. skiff's own files live in <base>/skiff.
 *
 * One storage must be served by one namespace, or its containers split
 * between two sets of runtime files (runc state, exit files, bundles).
 * So the base a storage was first used with is recorded beside it
 * (<graph root>/skiff/rootless-runtime-dir); a command that arrives with
 * another base uses the recorded one while its pause process lives.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsenter.h"

#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* own_private_dir: path is a real directory of ours with mode 0700. */
static int own_private_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	       st.st_uid == geteuid() && (st.st_mode & 07777) == 0700;
}

int skiff_runtime_base(unsigned int uid, char *buf, size_t len, char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int n;

	if (xdg && *xdg && xdg[0] == '/' && stat(xdg, &st) == 0 && S_ISDIR(st.st_mode)) {
		n = snprintf(buf, len, "%s", xdg);
	} else {
		n = snprintf(buf, len, "/run/user/%u", uid);
		if (n > 0 && (size_t)n < len && own_private_dir(buf))
			return 0;
		n = snprintf(buf, len, "/tmp/skiff-%u", uid);
		if (n < 0 || (size_t)n >= len)
			ERR("runtime dir path too long");
		if (mkdir(buf, 0700) == 0) {
			if (chmod(buf, 0700) < 0) /* undo the umask */
				ERR("chmod %s: %s", buf, strerror(errno));
		} else if (errno != EEXIST) {
			ERR("creating runtime dir %s: %s", buf, strerror(errno));
		}
		/* In /tmp anyone may have planted a symlink or a directory. */
		if (lstat(buf, &st) < 0)
			ERR("checking runtime dir %s: %s", buf, strerror(errno));
		if (!S_ISDIR(st.st_mode))
			ERR("runtime dir %s is not a directory (a symlink?): refusing to use it", buf);
		if (st.st_uid != geteuid())
			ERR("runtime dir %s is owned by uid %u, not by us (uid %u): refusing to use it",
			    buf, (unsigned)st.st_uid, (unsigned)geteuid());
		if ((st.st_mode & 07777) != 0700)
			ERR("runtime dir %s has mode %04o, want 0700: refusing to use it",
			    buf, (unsigned)(st.st_mode & 07777));
		return 0;
	}
	if (n < 0 || (size_t)n >= len)
		ERR("runtime dir path too long");
	return 0;
}

int skiff_runtime_dir_in(const char *base, char *buf, size_t len, char *err, size_t errlen)
{
	struct stat st;
	int n = snprintf(buf, len, "%s/skiff", base);

	if (n < 0 || (size_t)n >= len)
		ERR("runtime dir path too long");
	if (mkdir(buf, 0700) == 0) {
		if (chmod(buf, 0700) < 0)
			ERR("chmod %s: %s", buf, strerror(errno));
	} else if (errno != EEXIST) {
		ERR("creating runtime dir %s: %s", buf, strerror(errno));
	}
	if (lstat(buf, &st) < 0)
		ERR("checking runtime dir %s: %s", buf, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		ERR("runtime dir %s is not a directory (a symlink?): refusing to use it", buf);
	if (st.st_uid != geteuid())
		ERR("runtime dir %s is owned by uid %u, not by us (uid %u): refusing to use it",
		    buf, (unsigned)st.st_uid, (unsigned)geteuid());
	return 0;
}

int skiff_runtime_dir(unsigned int uid, int rootless, char *buf, size_t len,
		      char *err, size_t errlen)
{
	char base[PATH_MAX];

	if (!rootless)
		return skiff_runtime_dir_in("/run", buf, len, err, errlen);
	if (skiff_runtime_base(uid, base, sizeof(base), err, errlen) < 0)
		return -1;
	return skiff_runtime_dir_in(base, buf, len, err, errlen);
}

/* Storage discovery mirrors pkg/config and the root command's --root
 * flag closely enough for the common cases; the Go side checks the
 * outcome against the real configuration (rootless.ClaimStorage), so a
 * miss costs a clear error, never a second namespace. */

/* Commands that group others: their flags come one word later. */
static const char *const group_cmds[] = {"container", "image", "system", "manifest",
					 "network", "volume", "pod", "generate", "kube", NULL};

static int is_group(const char *w)
{
	for (int i = 0; group_cmds[i]; i++)
		if (strcmp(w, group_cmds[i]) == 0)
			return 1;
	return 0;
}

/* root_flag finds --root's value among the flags before the command's own
 * arguments (the words after `run IMAGE` belong to the container). */
static const char *root_flag(int argc, char **argv)
{
	int words = 0, max_words = 2;

	for (int i = 1; i < argc && words < max_words; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--root=", 7) == 0)
			return a + 7;
		if (strcmp(a, "--root") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (a[0] == '-' && a[1] != '\0')
			continue;
		if (words == 0 && is_group(a))
			max_words = 3;
		words++;
	}
	return NULL;
}

/* conf_root reads `root = "…"` from the [storage] table of skiff.conf.
 * skiff.conf is skiff's own small TOML file; this reads only that key. */
static int conf_root(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, section[64] = "";
	size_t cap = 0;
	int found = 0;

	if (!f)
		return 0;
	while (!found && getline(&line, &cap, f) >= 0) {
		char *p = line + strspn(line, " \t"), *end, q;
		if (*p == '[') {
			end = strchr(p, ']');
			if (end && (size_t)(end - p - 1) < sizeof(section)) {
				memcpy(section, p + 1, end - p - 1);
				section[end - p - 1] = '\0';
			}
			continue;
		}
		if (strcmp(section, "storage") != 0 || strncmp(p, "root", 4) != 0)
			continue;
		p += 4 + strspn(p + 4, " \t");
		if (*p++ != '=')
			continue;
		p += strspn(p, " \t");
		q = *p;
		if ((q != '"' && q != '\'') || !(end = strchr(p + 1, q)))
			continue;
		*end = '\0';
		found = snprintf(buf, len, "%s", p + 1) > 0 && strlen(p + 1) < len;
	}
	free(line);
	fclose(f);
	return found;
}

static int config_file(char *buf, size_t len)
{
	const char *p = getenv("SKIFF_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (p && *p)
		n = snprintf(buf, len, "%s", p);
	else if (xdg && *xdg)
		n = snprintf(buf, len, "%s/skiff/skiff.conf", xdg);
	else if (home && *home)
		n = snprintf(buf, len, "%s/.config/skiff/skiff.conf", home);
	else
		return 0;
	return n > 0 && (size_t)n < len;
}

int skiff_graph_root(int argc, char **argv, unsigned int uid, char *buf, size_t len)
{
	const char *flag = root_flag(argc, argv), *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char conf[PATH_MAX], val[PATH_MAX], cwd[PATH_MAX];
	int n;

	if (flag && *flag)
		n = snprintf(val, sizeof(val), "%s", flag);
	else if (config_file(conf, sizeof(conf)) && conf_root(conf, val, sizeof(val)))
		n = (int)strlen(val);
	else if (data && *data)
		n = snprintf(val, sizeof(val), "%s/skiff/storage", data);
	else if (home && *home)
		n = snprintf(val, sizeof(val), "%s/.local/share/skiff/storage", home);
	else
		n = snprintf(val, sizeof(val), "/home/%u/.local/share/skiff/storage", uid);
	if (n <= 0 || (size_t)n >= sizeof(val))
		return -1;
	if (val[0] == '/')
		n = snprintf(buf, len, "%s", val);
	else if (getcwd(cwd, sizeof(cwd)))
		n = snprintf(buf, len, "%s/%s", cwd, val);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}

int skiff_read_storage_record(const char *graph_root, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	int ok;

	if (snprintf(path, sizeof(path), "%s/skiff/" SKIFF_STORAGE_RECORD, graph_root) >= (int)sizeof(path))
		return -1;
	if (!(f = fopen(path, "re")))
		return -1;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] == '/' ? 0 : -1;
}

int skiff_recorded_base(const char *graph_root, const char *base, char *out, size_t len)
{
	char rec[PATH_MAX], dir[PATH_MAX];
	struct stat st;

	if (skiff_read_storage_record(graph_root, rec, sizeof(rec)) < 0 || strcmp(rec, base) == 0)
		return 0;
	if (snprintf(dir, sizeof(dir), "%s/skiff", rec) >= (int)sizeof(dir))
		return 0;
	/* Only a directory of ours with a live pause process counts: a
	 * stale record (reboot, logout) yields to the base chosen now. */
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    skiff_read_pause_pid(dir) <= 0)
		return 0;
	return snprintf(out, len, "%s", rec) < (int)len;
}
#undef ERR
