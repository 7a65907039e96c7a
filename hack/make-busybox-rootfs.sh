#!/usr/bin/env bash
# make-busybox-rootfs.sh builds the demo/test image's root filesystem as a tar
# from Debian's busybox-static, with no network access.
#
# Usage: hack/make-busybox-rootfs.sh OUT.tar
#
# The tar is deterministic (sorted names, fixed mtimes, numeric root
# ownership), so importing it always yields the same layer digest and image ID.
# Import it with:
#   skiff import --change 'CMD ["sh"]' --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
#       OUT.tar localhost/busybox:latest
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 OUT.tar" >&2
	exit 2
fi
out=$1
busybox=${BUSYBOX:-/usr/bin/busybox}

if [[ ! -x $busybox ]]; then
	echo "make-busybox-rootfs: $busybox not found; run 'make deps' (it installs busybox-static)" >&2
	exit 1
fi
# A dynamically linked busybox would need the host's libc inside the image.
if ! "$busybox" true; then
	echo "make-busybox-rootfs: $busybox does not run" >&2
	exit 1
fi
if ldd "$busybox" >/dev/null 2>&1; then
	echo "make-busybox-rootfs: $busybox is dynamically linked; install busybox-static" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,home,proc,sys,dev,run,var/www,var/tmp,tmp}
chmod 0755 "$root" "$root"/{bin,sbin,usr,usr/bin,usr/sbin,etc,home,proc,sys,dev,run,var,var/www}
chmod 0700 "$root/root"
chmod 1777 "$root/tmp" "$root/var/tmp"

install -m 0755 "$busybox" "$root/bin/busybox"

# One symlink per applet, where busybox itself would put it (--list-full gives
# bin/ls, usr/sbin/chroot, ...). Names already taken are left alone.
while read -r applet; do
	[[ -n $applet && $applet != bin/busybox ]] || continue
	dest=$root/$applet
	[[ -e $dest || -L $dest ]] && continue
	mkdir -p "$(dirname "$dest")"
	# Relative links keep the image correct wherever its root is mounted.
	rel=$(realpath -m --relative-to="$(dirname "$dest")" "$root/bin/busybox")
	ln -s "$rel" "$dest"
done < <("$busybox" --list-full | sort)
[[ -L $root/bin/sh ]] || ln -s busybox "$root/bin/sh"

cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
daemon:x:1:
tty:x:5:
www-data:x:33:
users:x:100:
nogroup:x:65534:
GROUP
chmod 0644 "$root/etc/passwd" "$root/etc/group"

version=$("$busybox" 2>&1 | awk 'NR == 1 { sub(/^v/, "", $2); print $2 }' || true)
cat >"$root/etc/os-release" <<OSREL
NAME="skiff busybox"
ID=skiff-busybox
PRETTY_NAME="skiff busybox test image (BusyBox $version)"
VERSION_ID="$version"
HOME_URL="https://github.com/skiffcontainers/skiff"
OSREL

# The line tests and the demo look for when serving this page.
cat >"$root/var/www/index.html" <<'HTML'
<!DOCTYPE html>
<html><body>
<h1>hello from skiff</h1>
</body></html>
HTML
chmod 0644 "$root/etc/os-release" "$root/var/www/index.html"

mkdir -p "$(dirname "$out")"
tmp_out=$(mktemp "$(dirname "$out")/.rootfs.XXXXXX")
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
	--format=gnu --no-acls --no-xattrs --no-selinux \
	-C "$root" -cf "$tmp_out" .
chmod 0644 "$tmp_out"
mv -f "$tmp_out" "$out"
echo "make-busybox-rootfs: wrote $out ($(du -h "$out" | cut -f1), $(tar -tf "$out" | wc -l) entries, sha256 $(sha256sum "$out" | cut -c1-12))"
