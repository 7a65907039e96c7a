#!/usr/bin/env bash
# run.sh is `make bench`: it benchmarks skiff side by side with podman,
# rootless, as the test user, and prints a table of medians against targets.
#
# As root (make bench) it first prepares the machine, idempotently:
#   - installs podman and hyperfine (hack/install-deps.sh bench);
#   - sets up the test user and copies bin/skiff and the rootfs for it
#     (hack/test-user.sh);
#   - gives that user a ~/.config/containers/containers.conf choosing runc
#     (crun 1.8 fails on hybrid cgroups) unless it has one;
# then runs bench.sh as that user with a clean environment and copies the
# results to build/bench/<time>/ in the repository.
# As any other user it runs bench.sh directly, as that user.
#
# Cases (hyperfine, --warmup 3 --runs 20 unless BENCH_WARMUP/BENCH_RUNS say):
#   run         run --rm --network none IMAGE true           target: skiff <= 0.5 x podman
#   security    skiff alone: run --rm true with the default seccomp profile and
#               capabilities vs seccomp=unconfined --cap-add all (what confinement costs)
#   exec        exec CTR true on a running container         target: <= 0.5 x
#   ps          ps -a with 100 containers present            target: <= 0.5 x
#   throughput  8 clients each doing 5 x run -d IMAGE true   target: more containers/s than podman
# Then api.sh benchmarks the API services (see its header; BENCH_API=0 skips it),
# and images.sh pull, save and load of a ~50 MB image from a local registry,
# with skopeo as the floor (see its header; BENCH_IMAGES=0 skips it), and
# net.sh the default rootless networks: published-port and container-to-host
# throughput, and what the default network adds to `run` (see its header;
# BENCH_NET=0 skips it).
# BENCH_ENGINES=podman checks the podman half alone (e.g. before skiff builds).
# Every container it makes is removed at the end, also on failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
user=${SKIFF_TEST_USER:-skifftest}
bindir=${SKIFF_TEST_BINDIR:-/tmp/skiff-test-bin}
engines=${BENCH_ENGINES:-skiff podman}

# Settings bench.sh reads, passed through the clean environment below.
pass_vars=(BENCH_ENGINES BENCH_RUNS BENCH_WARMUP BENCH_PS_COUNT BENCH_CLIENTS BENCH_PER_CLIENT BENCH_TP_RUNS BENCH_STRICT
	BENCH_API API_CONTAINERS API_THREADS API_CONNS API_DURATION API_ACT_RUNS API_PORT
	BENCH_IMAGES IMG_RUNS IMG_WARMUP IMG_LAYERS IMG_LAYER_MB IMG_REG_PORT
	BENCH_NET NET_RUNS NET_FILE_MB NET_PORT NET_CASES)

if [[ $engines == *skiff* && ! -x $repo_root/bin/skiff && $(id -u) -eq 0 ]]; then
	echo "bench: $repo_root/bin/skiff is missing; build it first ('make bench' does)" >&2
	exit 1
fi

if [[ $(id -u) -ne 0 ]]; then
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	export SKIFF=${SKIFF_BIN:-$repo_root/bin/skiff} BENCH_ROOTFS=${BENCH_ROOTFS:-$repo_root/build/busybox-rootfs.tar} \
		BENCH_RESULTS=${BENCH_RESULTS:-$repo_root/build/bench/$stamp}
	rc=0
	"$here/bench.sh" || rc=$?
	"$here/api.sh" || rc=$?
	"$here/images.sh" || rc=$?
	"$here/net.sh" || rc=$?
	exit "$rc"
fi

"$repo_root/hack/install-deps.sh" runtime bench
"$repo_root/hack/test-user.sh"

home=$(getent passwd "$user" | cut -d: -f6)
conf=$home/.config/containers/containers.conf
if [[ ! -e $conf ]]; then
	runuser -u "$user" -- mkdir -p "$(dirname "$conf")"
	runuser -u "$user" -- tee "$conf" >/dev/null <<'CONF'
# Written by skiff's test/bench/run.sh: crun 1.8 (Debian 12) fails on hybrid
# cgroup v1 machines; runc works rootless there.
[engine]
runtime = "runc"
CONF
	echo "bench: wrote $conf (runtime = \"runc\")"
elif ! grep -qE '^[[:space:]]*runtime[[:space:]]*=[[:space:]]*"runc"' "$conf"; then
	# The benchmark passes --runtime runc itself; this only matters for
	# someone running podman by hand as $user.
	echo "bench: note: $conf exists and does not choose runc; left as it is"
fi

# The user cannot be assumed to read the repository: stage the scripts and
# collect the results in a private directory it owns.
work=$(mktemp -d /tmp/skiff-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
install -m 0755 "$here/bench.sh" "$here/throughput.sh" "$here/api.sh" "$here/images.sh" "$here/net.sh" "$work/"
install -m 0644 "$here/lib.sh" "$work/"
mkdir "$work/results"
chown -R "$user:" "$work"

out=$repo_root/build/bench/$(date -u +%Y%m%dT%H%M%SZ)
env_args=(HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	LANG=C.UTF-8 TERM="${TERM:-dumb}"
	SKIFF="$bindir/skiff" BENCH_ROOTFS="$bindir/busybox-rootfs.tar" BENCH_RESULTS="$work/results" BENCH_RESULTS_SHOWN="$out")
for v in "${pass_vars[@]}"; do
	[[ -n ${!v:-} ]] && env_args+=("$v=${!v}")
done

rc=0
# runuser from / so the user's shell never starts in an unreadable directory.
(cd / && runuser -u "$user" -- env -i "${env_args[@]}" bash "$work/bench.sh") || rc=$?
(cd / && runuser -u "$user" -- env -i "${env_args[@]}" bash "$work/api.sh") || rc=$?
(cd / && runuser -u "$user" -- env -i "${env_args[@]}" bash "$work/images.sh") || rc=$?
(cd / && runuser -u "$user" -- env -i "${env_args[@]}" bash "$work/net.sh") || rc=$?

mkdir -p "$out"
cp -r "$work/results/." "$out/"
ln -sfn "$(basename "$out")" "$repo_root/build/bench/latest"
echo "bench: results in $out"
exit "$rc"
