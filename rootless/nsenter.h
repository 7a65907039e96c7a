/* nsenter.h: the C side of package rootless, shared with the cgo code. */
#ifndef SKIFF_NSENTER_H
#define SKIFF_NSENTER_H

#include <stddef.h>
#include <sys/types.h>

/* What the constructor did. */
enum skiff_ns_status {
	SKIFF_NS_NONE = 0,   /* constructor has not run */
	SKIFF_NS_ROOT,       /* real root: nothing to do */
	SKIFF_NS_INHERITED,  /* already inside skiff's namespace (uid 0 + env) */
	SKIFF_NS_SKIPPED,    /* the argv rule said the command needs no engine */
	SKIFF_NS_JOINED,     /* joined (maybe after creating) the pause namespace */
	SKIFF_NS_FAILED,     /* could not join: see err_kind and err */
};

/* Why the argv rule skipped the namespace (0: it did not). */
enum skiff_skip_reason {
	SKIFF_SKIP_NONE = 0,
	SKIFF_SKIP_COMMAND,     /* version, help, completion, __complete */
	SKIFF_SKIP_HELP_FLAG,   /* --help, -h, --version */
	SKIFF_SKIP_REMOTE_FLAG, /* --url, -H, --host, --connection */
	SKIFF_SKIP_REMOTE_ENV,  /* CONTAINER_HOST, CONTAINER_CONNECTION or DOCKER_HOST */
	SKIFF_SKIP_REMOTE_CONN, /* the connections file names a default */
};

enum skiff_err_kind {
	SKIFF_ERR_NONE = 0,
	SKIFF_ERR_NO_SUBID,  /* no /etc/subuid or /etc/subgid range */
	SKIFF_ERR_OTHER,
};

struct skiff_ns_state {
	int status;      /* enum skiff_ns_status */
	int skip_reason; /* enum skiff_skip_reason, when status is SKIPPED */
	int err_kind;    /* enum skiff_err_kind, when status is FAILED */
	int created;     /* this process created the pause process */
	unsigned int uid; /* the invoking user's ids (0 for real root) */
	unsigned int gid;
	int pause_pid;   /* pid joined, 0 if none */
	int set_xdg;     /* the constructor set XDG_RUNTIME_DIR (setenv) */
	int redirected;  /* the storage's recorded runtime dir was used */
	char err[1024];
};

/* skiff_ns_state returns the constructor's record; never NULL. */
const struct skiff_ns_state *skiff_ns_state(void);

/* What besides argv makes a command remote. Strings may be NULL. */
struct skiff_remote_env {
	const char *container_host;       /* CONTAINER_HOST */
	const char *container_connection; /* CONTAINER_CONNECTION */
	const char *docker_host;          /* DOCKER_HOST */
	const char *connections_file;     /* the CLI's connections.json */
};

/* skiff_skip_reason applies the argv rule to argv[1..argc-1]; env may be
 * NULL (argv only). */
int skiff_skip_reason(int argc, char **argv, const struct skiff_remote_env *env);

/* skiff_has_default_connection reports whether the connections file at
 * path names a default connection (1) or not, or cannot be read (0). */
int skiff_has_default_connection(const char *path);

/* skiff_find_subid looks up the first range of user name/uid in path.
 * Returns 0 when found, 1 when the file has no range (or does not exist),
 * -1 on a read error (errno set). */
int skiff_find_subid(const char *path, const char *name, unsigned int uid,
		     unsigned long *start, unsigned long *count);

/* The file beside a storage (<graph root>/skiff/) that names the runtime
 * base whose namespace serves it. */
#define SKIFF_STORAGE_RECORD "rootless-runtime-dir"

/* skiff_runtime_base writes a rootless user's runtime base (what
 * XDG_RUNTIME_DIR names) into buf: $XDG_RUNTIME_DIR, else /run/user/<uid>
 * when it is the user's own 0700 directory, else /tmp/skiff-<uid>
 * (created 0700 and checked). Returns 0, or -1 with a message in err. */
int skiff_runtime_base(unsigned int uid, char *buf, size_t len, char *err, size_t errlen);

/* skiff_runtime_dir_in writes <base>/skiff into buf, creating it (0700)
 * and checking it is ours. Returns 0, or -1 with a message in err. */
int skiff_runtime_dir_in(const char *base, char *buf, size_t len, char *err, size_t errlen);

/* skiff_runtime_dir is skiff_runtime_dir_in of the rootless base for uid,
 * or /run/skiff for real root. */
int skiff_runtime_dir(unsigned int uid, int rootless, char *buf, size_t len,
		      char *err, size_t errlen);

/* skiff_graph_root writes the absolute storage root argv will use, as far
 * as C can tell: --root, else skiff.conf's [storage] root, else the XDG
 * data default. Returns 0, or -1. */
int skiff_graph_root(int argc, char **argv, unsigned int uid, char *buf, size_t len);

/* skiff_read_storage_record reads the runtime base recorded beside the
 * storage at graph_root. Returns 0, or -1 when there is none. */
int skiff_read_storage_record(const char *graph_root, char *buf, size_t len);

/* skiff_recorded_base writes into out the base recorded beside graph_root
 * and returns 1 when it differs from base and its pause process lives;
 * returns 0 otherwise (use base). */
int skiff_recorded_base(const char *graph_root, const char *base, char *out, size_t len);

/* skiff_read_pause_pid returns the pid in <rtdir>/pause.pid when that
 * process is alive and named skiff-pause, else -1. */
int skiff_read_pause_pid(const char *rtdir);

#endif
