#!/usr/bin/env bash
# demo.sh shows skiff working, first as root and then rootless as an
# unprivileged user, using the busybox image built by `make image`.
# `make demo` runs it after installing dependencies and building; run it as root.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
skiff=${SKIFF_BIN:-$repo_root/bin/skiff}
rootfs=$repo_root/build/busybox-rootfs.tar
image=localhost/busybox:latest
demo_user=${SKIFF_DEMO_USER:-skiffdemo}
demo_bindir=${SKIFF_DEMO_BINDIR:-/tmp/skiff-demo-bin}
sleeper="skiff-demo-sleeper"
# A distinctive argument lets us find the container's process on the host.
sleep_arg=4242

heading() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
# show prints a command the way one would type it (binary as "skiff", quotes
# only where needed) and runs it.
show() {
	local a line="\$ skiff"
	for a in "${@:2}"; do
		if [[ $a =~ ^[A-Za-z0-9_./:=@%+-]+$ ]]; then line+=" $a"; else line+=" ${a@Q}"; fi
	done
	echo "$line"
	"$@"
}

# as_demo runs a command as the demo user with a clean XDG environment, so
# root's XDG_RUNTIME_DIR (if any) does not leak into the rootless run.
as_demo() {
	runuser -u "$demo_user" -- env -u XDG_RUNTIME_DIR -u XDG_DATA_HOME -u XDG_CONFIG_HOME \
		HOME="$(getent passwd "$demo_user" | cut -d: -f6)" "$@"
}

if [[ $(id -u) -ne 0 ]]; then
	echo "demo: run as root (it creates the user $demo_user for the rootless part)" >&2
	exit 1
fi
for f in "$skiff" "$rootfs"; do
	if [[ ! -e $f ]]; then
		echo "demo: $f is missing; run 'make demo' (or 'make && make image')" >&2
		exit 1
	fi
done

import_args=(import --change 'CMD ["sh"]' --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin')
# The $(...) are for the container's shell, not ours.
# shellcheck disable=SC2016
greeting='echo "Hello from skiff!"; echo "kernel: $(uname -srm)"; echo "inside:  $(id)"; echo "hostname: $(hostname)"'

heading "skiff $("$skiff" version 2>/dev/null | head -n1 || echo '(version unknown)')"

heading "As root: import the busybox rootfs as $image (once)"
if "$skiff" image exists "$image"; then
	echo "$image is already present"
else
	show "$skiff" "${import_args[@]}" "$rootfs" "$image"
fi
show "$skiff" images

heading "As root: run a container"
show "$skiff" run --rm --network none "$image" sh -c "$greeting"

heading "Rootless: prepare user $demo_user and its subordinate IDs"
SKIFF_TEST_USER=$demo_user SKIFF_TEST_BINDIR=$demo_bindir SKIFF_TEST_SUBID_START=300000 \
	SKIFF_BUILD_BIN=$skiff SKIFF_BUILD_ROOTFS=$rootfs "$repo_root/hack/test-user.sh" | sed "s/^test-user:/  /"

uskiff=$demo_bindir/skiff
urootfs=$demo_bindir/busybox-rootfs.tar

cleanup() { as_demo "$uskiff" rm -f "$sleeper" >/dev/null 2>&1 || true; }
trap cleanup EXIT

heading "Rootless, as $demo_user: import the same rootfs (once)"
if as_demo "$uskiff" image exists "$image"; then
	echo "$image is already present in $demo_user's storage"
else
	echo "\$ runuser -u $demo_user -- skiff ${import_args[*]@Q} $urootfs $image"
	as_demo "$uskiff" "${import_args[@]}" "$urootfs" "$image"
fi

heading "Rootless, as $demo_user: run the same container"
echo "\$ runuser -u $demo_user -- skiff run --rm --network none $image sh -c '...'"
as_demo "$uskiff" run --rm --network none "$image" sh -c "$greeting"

heading "Rootless: uid 0 inside is $demo_user outside"
cleanup
as_demo "$uskiff" run -d --network none --name "$sleeper" "$image" sleep "$sleep_arg" >/dev/null
echo "\$ runuser -u $demo_user -- skiff exec $sleeper id"
as_demo "$uskiff" exec "$sleeper" id
echo "On the host, the container's process:"
pid=""
for _ in $(seq 50); do
	pid=$(pgrep -u "$demo_user" -f "^sleep $sleep_arg\$" | head -n1 || true)
	[[ -n $pid ]] && break
	sleep 0.1
done
if [[ -z $pid ]]; then
	echo "demo: could not find the container's sleep process on the host" >&2
	exit 1
fi
ps -o user:16,pid,args -p "$pid"
echo "its uid map (inside-uid host-uid count):"
sed 's/^ */    /' "/proc/$pid/uid_map"
as_demo "$uskiff" rm -f "$sleeper" >/dev/null
trap - EXIT

heading "Done. Try: runuser -u $demo_user -- $uskiff run --rm -it --network none $image"
