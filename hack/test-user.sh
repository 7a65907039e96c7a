#!/usr/bin/env bash
# test-user.sh prepares this machine for skiff's rootless tests and benchmark,
# idempotently. Run it as root from the repository root, after `make` and
# `make image`.
#
# It:
#   - creates the unprivileged user $SKIFF_TEST_USER (default skifftest) with a
#     home directory and bash as its shell;
#   - makes sure it has subordinate ID ranges in /etc/subuid and /etc/subgid:
#     Debian 12's useradd already allocates a free one (e.g. 100000:65536);
#     otherwise it adds $SKIFF_TEST_USER:200000:65536. Tests must not assume
#     a particular range.
#   - makes /dev/net/tun usable by everyone (mode 0666), which pasta and
#     slirp4netns need for rootless networking; a fresh machine has 0600;
#   - copies bin/skiff and build/busybox-rootfs.tar into $SKIFF_TEST_BINDIR
#     (default /tmp/skiff-test-bin), a root-owned, world-readable directory,
#     because the test user cannot be assumed to read the repository (a clone
#     under /root is private).
#
# The e2e suite and the benchmark read SKIFF_TEST_BINDIR (and SKIFF_BIN,
# SKIFF_TEST_ROOTFS, SKIFF_TEST_USER, which `make test` sets from it).
set -euo pipefail

user=${SKIFF_TEST_USER:-skifftest}
bindir=${SKIFF_TEST_BINDIR:-/tmp/skiff-test-bin}
subid_start=${SKIFF_TEST_SUBID_START:-200000}
subid_count=65536
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
skiff_bin=${SKIFF_BUILD_BIN:-$repo_root/bin/skiff}
rootfs=${SKIFF_BUILD_ROOTFS:-$repo_root/build/busybox-rootfs.tar}

if [[ $(id -u) -ne 0 ]]; then
	echo "test-user: must run as root" >&2
	exit 1
fi

say() { echo "test-user: $*"; }

if id "$user" >/dev/null 2>&1; then
	say "user $user exists (uid $(id -u "$user"))"
else
	useradd -m -s /bin/bash "$user"
	say "created user $user (uid $(id -u "$user"))"
fi

# ensure_subid adds "user:start:count" to file $1 unless the user has a range
# there already (by name or by uid, the two forms newuidmap accepts).
ensure_subid() {
	local file=$1 uid
	uid=$(id -u "$user")
	touch "$file"
	if grep -qE "^($user|$uid):" "$file"; then
		say "$file already has a range for $user: $(grep -E "^($user|$uid):" "$file" | head -n1)"
		return
	fi
	echo "$user:$subid_start:$subid_count" >>"$file"
	say "added $user:$subid_start:$subid_count to $file"
}
ensure_subid /etc/subuid
ensure_subid /etc/subgid

# /dev/net/tun: pasta and slirp4netns open it inside the user's namespace,
# where only the "other" permission bits apply. The mode does not survive a
# reboot; this script is re-run by every `make test` and `make bench`.
if [[ ! -e /dev/net/tun ]]; then
	mkdir -p /dev/net
	mknod -m 0666 /dev/net/tun c 10 200
	say "created /dev/net/tun (mode 0666)"
elif [[ $(stat -c %a /dev/net/tun) != 666 ]]; then
	chmod 0666 /dev/net/tun
	say "made /dev/net/tun mode 0666"
fi

# The bin dir sits in /tmp, so refuse one that someone else could have
# prepared: it must be a real directory owned by root and writable only by root.
if [[ -L $bindir ]]; then
	echo "test-user: $bindir is a symlink; refusing to use it" >&2
	exit 1
fi
mkdir -p "$bindir"
if [[ $(stat -c %u "$bindir") != 0 ]] || [[ $(( 0$(stat -c %a "$bindir") & 022 )) -ne 0 ]]; then
	echo "test-user: $bindir must be owned by root and not group/world-writable" >&2
	exit 1
fi
chmod 0755 "$bindir"

# copy_in installs $1 as $bindir/$2 with mode $3 when it exists; a missing
# input is not an error here because `make test` builds them first and a lone
# run of this script may only need the user.
copy_in() {
	if [[ -f $1 ]]; then
		install -m "$3" "$1" "$bindir/$2.tmp"
		mv -f "$bindir/$2.tmp" "$bindir/$2"
		say "copied $1 -> $bindir/$2"
	else
		say "warning: $1 not found (run 'make' and 'make image' first); not copied"
	fi
}
copy_in "$skiff_bin" skiff 0755
copy_in "$rootfs" busybox-rootfs.tar 0644
