#!/usr/bin/env bash
# bench.sh measures skiff against podman, rootless, as the user who runs it,
# with both engines timed in the same run on the same image. run.sh prepares
# the machine and calls it as the bench user; it can also be run directly by
# a user who already has subordinate IDs and both images' prerequisites.
#
# Environment:
#   SKIFF              skiff binary (required when skiff is benchmarked)
#   BENCH_ROOTFS       rootfs tar from hack/make-busybox-rootfs.sh (required)
#   BENCH_RESULTS      directory for hyperfine JSON/CSV and summary.txt (required)
#   BENCH_ENGINES      "skiff podman" (default); "podman" checks the podman half alone
#   BENCH_RUNS, BENCH_WARMUP            timed/warm-up runs per case (20, 3)
#   BENCH_PS_COUNT                      containers present for `ps -a` (100)
#   BENCH_CLIENTS, BENCH_PER_CLIENT     throughput clients and containers each (8, 5)
#   BENCH_TP_RUNS                       timed throughput rounds (5)
#   BENCH_STRICT=1     exit 1 when a target is missed (default: report only)
#   BENCH_RESULTS_SHOWN  where the results end up, if not BENCH_RESULTS (for the summary line)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

rootfs=${BENCH_ROOTFS:?BENCH_ROOTFS must name the rootfs tar}
results=${BENCH_RESULTS:?BENCH_RESULTS must name a results directory}
read -ra engines <<<"${BENCH_ENGINES:-skiff podman}"
runs=${BENCH_RUNS:-20}
warmup=${BENCH_WARMUP:-3}
ps_count=${BENCH_PS_COUNT:-100}
export BENCH_CLIENTS=${BENCH_CLIENTS:-8} BENCH_PER_CLIENT=${BENCH_PER_CLIENT:-5}
tp_runs=${BENCH_TP_RUNS:-5}
export BENCH_IMAGE=${BENCH_IMAGE:-localhost/busybox:latest}
image=$BENCH_IMAGE
import_changes=(--change 'CMD ["sh"]' --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin')

# podman gets its own storage, run and tmp directories so the benchmark neither
# depends on nor disturbs the user's podman state; all settings are flags, so
# no config file or environment variable can reach skiff as well. runc,
# because crun 1.8 fails on hybrid cgroups; overlay, because skiff also
# prefers kernel overlay, and podman's vfs fallback would be slower.
podman_root=${BENCH_PODMAN_ROOT:-$HOME/.local/share/skiff-bench/podman}
podman_run=${BENCH_PODMAN_RUNROOT:-/tmp/skiff-bench-podman-$(id -u)}

# hyperfine -N splits its commands at spaces, as a shell would.
if [[ $podman_root$podman_run${SKIFF:-}$here == *[[:space:]]* ]]; then
	echo "bench: paths must not contain spaces ($podman_root $podman_run ${SKIFF:-} $here)" >&2
	exit 2
fi

declare -A cmd=()
for e in "${engines[@]}"; do
	case $e in
	skiff)
		cmd[skiff]=${SKIFF:?SKIFF must name the skiff binary}
		if [[ ! -x ${cmd[skiff]} ]]; then
			echo "bench: skiff binary ${cmd[skiff]} is missing; build it with 'make'" >&2
			exit 1
		fi
		;;
	podman)
		cmd[podman]="podman --runtime runc --root $podman_root/root --runroot $podman_run/run --tmpdir $podman_run/tmp --storage-driver overlay"
		;;
	*)
		echo "bench: unknown engine $e (want skiff and/or podman)" >&2
		exit 2
		;;
	esac
done

# eng NAME prints NAME's command line; word splitting of it is intended.
eng() { printf '%s' "${cmd[$1]}"; }

cleanup() {
	local e
	for e in "${engines[@]}"; do
		# shellcheck disable=SC2046
		bench_cleanup $(eng "$e")
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

heading() { printf '\n==> %s\n' "$*"; }

mkdir -p "$results"
style=()
[[ -t 1 ]] || style=(--style basic)

# measure CASE [HYPERFINE-OPTIONS...] -- prints nothing itself; hyperfine shows progress.
measure() {
	local name=$1
	shift
	hyperfine -N "${style[@]}" --export-json "$results/$name.json" --export-csv "$results/$name.csv" "$@"
}

heading "Preparing: $image in each engine, and one container run as a check"
for e in "${engines[@]}"; do
	# shellcheck disable=SC2046
	if ! $(eng "$e") image exists "$image" 2>/dev/null; then
		$(eng "$e") import "${import_changes[@]}" "$rootfs" "$image" >/dev/null
		echo "$e: imported $rootfs as $image"
	fi
	# shellcheck disable=SC2046
	if ! out=$($(eng "$e") run --rm --network none "$image" echo bench-ok 2>&1) || [[ $out != *bench-ok* ]]; then
		echo "bench: $e cannot run a container as $(id -un):" >&2
		echo "$out" >&2
		exit 1
	fi
	echo "$e: ok ($(eng "$e"))"
done
cleanup

# args_for TEMPLATE prints hyperfine "-n ENGINE 'ENGINE-CMD TEMPLATE'" pairs.
cases_args=()
args_for() {
	local e
	cases_args=()
	for e in "${engines[@]}"; do
		cases_args+=(-n "$e" "$(eng "$e") $1")
	done
}

heading "Case run: run --rm --network none $image true"
args_for "run --rm --network none $image true"
measure run --warmup "$warmup" --runs "$runs" "${cases_args[@]}"

if [[ -n ${cmd[skiff]:-} ]]; then
	# What the default confinement (seccomp profile, capability set)
	# costs a run: skiff alone, both ways; hyperfine prints the ratio.
	heading "Case security: skiff run --rm true, default security vs seccomp=unconfined --cap-add all"
	measure security --warmup "$warmup" --runs "$runs" \
		-n default "$(eng skiff) run --rm --network none $image true" \
		-n unconfined "$(eng skiff) run --rm --network none --security-opt seccomp=unconfined --cap-add all $image true"
fi

heading "Case ps: ps -a with $ps_count containers present"
for e in "${engines[@]}"; do
	for i in $(seq -w "$ps_count"); do
		# shellcheck disable=SC2046
		$(eng "$e") create --network none --name "${BENCH_PREFIX}ps-$i" "$image" true >/dev/null
	done
done
args_for "ps -a"
measure ps --warmup "$warmup" --runs "$runs" "${cases_args[@]}"
for e in "${engines[@]}"; do
	# shellcheck disable=SC2046
	BENCH_PREFIX=${BENCH_PREFIX}ps- bench_cleanup $(eng "$e")
done

heading "Case exec: exec CTR true on a running container"
for e in "${engines[@]}"; do
	# The trap lets the container stop at once on SIGTERM, so cleanup is quick.
	# shellcheck disable=SC2046,SC2016
	$(eng "$e") run -d --network none --name "${BENCH_PREFIX}exec" "$image" \
		sh -c 'trap "exit 0" TERM; while :; do sleep 1; done' >/dev/null
done
args_for "exec ${BENCH_PREFIX}exec true"
measure exec --warmup "$warmup" --runs "$runs" "${cases_args[@]}"
cleanup

tp_total=$((BENCH_CLIENTS * BENCH_PER_CLIENT))
heading "Case throughput: $BENCH_CLIENTS clients at once, each doing $BENCH_PER_CLIENT x run -d --network none $image true"
tp_args=()
for e in "${engines[@]}"; do
	tp_args+=(--prepare "bash $here/throughput.sh clean $(eng "$e")")
done
for e in "${engines[@]}"; do
	tp_args+=(-n "$e" "bash $here/throughput.sh run $(eng "$e")")
done
measure throughput --warmup 1 --runs "$tp_runs" "${tp_args[@]}"
cleanup

# median CASE ENGINE prints the median seconds hyperfine measured, or nothing.
median() {
	awk -F, -v e="$2" 'NR > 1 && $1 == e { print $4 }' "$results/$1.csv"
}

summary() {
	local -a row
	printf '%-34s %12s %12s %14s %10s %s\n' case skiff podman skiff/podman target verdict
	local c label target s p ratio verdict
	for c in run exec ps throughput; do
		case $c in
		run) label="run --rm --network none true"; target=0.5 ;;
		exec) label="exec CTR true"; target=0.5 ;;
		ps) label="ps -a ($ps_count containers)"; target=0.5 ;;
		throughput) label="create+start, $BENCH_CLIENTS clients (ctr/s)" ;;
		esac
		s=$(median "$c" skiff || true)
		p=$(median "$c" podman || true)
		if [[ $c == throughput ]]; then
			# containers per second, so higher is better and the target is > podman
			[[ -n $s ]] && s=$(awk -v n="$tp_total" -v t="$s" 'BEGIN { printf "%.1f", n / t }')
			[[ -n $p ]] && p=$(awk -v n="$tp_total" -v t="$p" 'BEGIN { printf "%.1f", n / t }')
			row=("$label" "${s:--}" "${p:--}")
			if [[ -n $s && -n $p ]]; then
				ratio=$(awk -v a="$s" -v b="$p" 'BEGIN { printf "%.2f", a / b }')
				verdict=$(awk -v r="$ratio" 'BEGIN { print (r > 1.0) ? "met" : "MISSED" }')
			else
				ratio=-; verdict=-
			fi
			printf '%-34s %12s %12s %14s %10s %s\n' "${row[@]}" "$ratio" "> 1.0" "$verdict"
		else
			[[ -n $s ]] && s=$(awk -v t="$s" 'BEGIN { printf "%.1f ms", t * 1000 }')
			[[ -n $p ]] && p=$(awk -v t="$p" 'BEGIN { printf "%.1f ms", t * 1000 }')
			if [[ -n $s && -n $p ]]; then
				ratio=$(awk -v a="${s% ms}" -v b="${p% ms}" 'BEGIN { printf "%.2f", a / b }')
				verdict=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r <= t) ? "met" : "MISSED" }')
			else
				ratio=-; verdict=-
			fi
			printf '%-34s %12s %12s %14s %10s %s\n' "$label" "${s:--}" "${p:--}" "$ratio" "<= $target" "$verdict"
		fi
	done
	return 0
}

heading "Summary (medians; rootless as $(id -un); results in ${BENCH_RESULTS_SHOWN:-$results})"
summary >"$results/summary.txt"
cat "$results/summary.txt"
miss=$(grep -c MISSED "$results/summary.txt" || true)
if [[ $miss -gt 0 && ${BENCH_STRICT:-0} == 1 ]]; then
	echo "bench: $miss target(s) missed" >&2
	exit 1
fi
