#!/usr/bin/env bash
# net.sh benchmarks container networking: skiff's default rootless network
# (pasta) against podman's (slirp4netns: Debian 12's podman 4.3 has no pasta
# support), rootless, as the user who runs it, in the same run. Podman's
# published ports do not go through slirp4netns by default: rootlessport
# (rootlesskit's builtin driver) proxies them from the host into the
# container's namespace, fast, but the container sees the proxy's address
# (10.0.2.100) instead of the client's; pasta keeps the client's.
#
# Cases:
#   port-in   a NET_FILE_MB MB file served by busybox httpd in a container,
#             published with -p 127.0.0.1:PORT:80, fetched NET_RUNS times by
#             curl on the host (after one untimed fetch); median MB/s
#                                               target: skiff >= 2 x podman
#   host-out  the container fetches the same file NET_RUNS times (after one
#             untimed fetch) from busybox httpd on the host, which listens on
#             all addresses, through host.containers.internal (each engine
#             says in /etc/hosts where the host is: pasta's gateway, or the
#             host's own address for slirp4netns without host loopback);
#             timed inside the container with adjtimex's microseconds;
#             median MB/s                       reported (no target)
#             Both throughput cases also time the same transfer with no
#             container in the way (curl, or the same wget script, against
#             busybox httpd on the host's loopback): the machine's ceiling,
#             printed beside them.
#   run       hyperfine of run --rm IMAGE true with the default network and
#             with --network none, for each engine; reported: the time the
#             default network adds (wall time, and the CPU time hyperfine
#             sees: the engine and the children it reaps, which a busy
#             machine distorts less; a helper left running is not in it),
#             and skiff-default / podman-default
#                                               targets: <= 0.5, and skiff's
#                                               default adds < 30 ms
#
# Environment: SKIFF, BENCH_ROOTFS, BENCH_RESULTS, BENCH_ENGINES, BENCH_STRICT,
# BENCH_RUNS (20), BENCH_WARMUP (3) as bench.sh; NET_RUNS (7), NET_FILE_MB
# (200), NET_PORT (27370: it and the next two ports must be free),
# NET_CASES (some of "port-in host-out run", all by default), BENCH_NET=0
# to skip.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

if [[ ${BENCH_NET:-1} == 0 ]]; then
	echo "net bench: skipped (BENCH_NET=0)"
	exit 0
fi
results=${BENCH_RESULTS:?BENCH_RESULTS must name a results directory}
rootfs=${BENCH_ROOTFS:?BENCH_ROOTFS must name the rootfs tar}
read -ra engines <<<"${BENCH_ENGINES:-skiff podman}"
runs=${BENCH_RUNS:-20}
warmup=${BENCH_WARMUP:-3}
net_runs=${NET_RUNS:-7}
file_mb=${NET_FILE_MB:-200}
port_base=${NET_PORT:-27370}
image=${BENCH_IMAGE:-localhost/busybox:latest}
prefix=${BENCH_PREFIX}net-
cases=${NET_CASES:-port-in host-out run}
file_bytes=$((file_mb * 1000 * 1000))

fail() {
	echo "net bench: $*" >&2
	exit 1
}
for tool in hyperfine curl busybox; do
	command -v "$tool" >/dev/null || fail "$tool is missing (hack/install-deps.sh build runtime bench installs it)"
done

# pasta and slirp4netns open it as the user, inside the user's namespace.
if [[ ! -r /dev/net/tun || ! -w /dev/net/tun ]]; then
	fail "/dev/net/tun is not usable by $(id -un); rootless networks need it mode 0666 (hack/test-user.sh sets that)"
fi

podman_root=${BENCH_PODMAN_ROOT:-$HOME/.local/share/skiff-bench/podman}
podman_run=${BENCH_PODMAN_RUNROOT:-/tmp/skiff-bench-podman-$(id -u)}
declare -A cmd=() port=()
i=0
for e in "${engines[@]}"; do
	case $e in
	skiff) cmd[skiff]=${SKIFF:?SKIFF must name the skiff binary} ;;
	podman) cmd[podman]="podman --runtime runc --root $podman_root/root --runroot $podman_run/run --tmpdir $podman_run/tmp --storage-driver overlay" ;;
	*) fail "unknown engine $e (want skiff and/or podman)" ;;
	esac
	port[$e]=$((port_base + i))
	i=$((i + 1))
done
host_port=$((port_base + 2))
eng() { printf '%s' "${cmd[$1]}"; }

work=$(mktemp -d /tmp/skiff-net-bench.XXXXXX)
if [[ $work$podman_root$podman_run${SKIFF:-} == *[[:space:]]* ]]; then
	fail "paths must not contain spaces ($work $podman_root $podman_run ${SKIFF:-})"
fi
server_pid=
cleanup() {
	local e
	if [[ -n $server_pid ]]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	for e in "${engines[@]}"; do
		# shellcheck disable=SC2046
		BENCH_PREFIX=$prefix bench_cleanup $(eng "$e")
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$results" "$work/www"
heading() { printf '\n==> %s\n' "$*"; }
style=()
[[ -t 1 ]] || style=(--style basic)

heading "Net: preparing $image in each engine and a $file_mb MB file"
for e in "${engines[@]}"; do
	# shellcheck disable=SC2046
	bench_import $(eng "$e") -- "$rootfs" "$image" || fail "$e cannot import $rootfs"
done
# Random bytes, so that nothing on the way could make the transfer cheaper.
head -c "$file_bytes" /dev/urandom >"$work/www/big"
chmod -R a+rX "$work"

# median prints the median of the numbers on stdin (one a line).
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; m = int((NR + 1) / 2); if (NR % 2) print v[m]; else print (v[m] + v[m + 1]) / 2 }'; }

# curl_speeds URL NAME fetches URL 1 + NET_RUNS times with curl, checks
# every size, keeps the timed runs' MB/s in net-NAME.txt and prints their median.
curl_speeds() {
	local url=$1 name=$2 speeds=() line size speed n
	for n in $(seq 0 "$net_runs"); do
		line=$(curl -sS -o /dev/null -w '%{size_download} %{speed_download}' "$url") || fail "curl $url failed"
		read -r size speed <<<"$line"
		[[ $size == "$file_bytes" ]] || fail "curl $url got $size bytes, not $file_bytes"
		# The first fetch only warms caches and connections.
		[[ $n == 0 ]] || speeds+=("$(awk -v s="$speed" 'BEGIN { printf "%.1f", s / 1e6 }')")
	done
	printf '%s\n' "${speeds[@]}" >"$results/net-$name.txt"
	printf '%s\n' "${speeds[@]}" | median
}

# wait_http URL waits until URL answers, or fails with WHY after 20 s.
wait_http() {
	local n
	for n in $(seq 200); do
		curl -sf -o /dev/null -r 0-0 "$1" && return 0
		sleep 0.1
	done
	fail "nothing answers on $1: $2"
}

# Case port-in: curl on the host fetches the file from a container.
port_in() {
	local e=$1 url
	url=http://127.0.0.1:${port[$e]}/big
	# The trap lets the container stop at once on SIGTERM (httpd as PID 1
	# would ignore it), so removing it is quick.
	# shellcheck disable=SC2046,SC2016
	$(eng "$e") run -d --name "${prefix}srv" -p "127.0.0.1:${port[$e]}:80" -v "$work/www:/www:ro" \
		"$image" sh -c 'trap "exit 0" TERM; httpd -f -p 80 -h /www & wait' >/dev/null ||
		fail "$e: the server container did not start"
	# shellcheck disable=SC2046
	wait_http "$url" "$e's server container ($(eng "$e") logs: $($(eng "$e") logs "${prefix}srv" 2>&1))"
	curl_speeds "$url" "port-in-$e"
	# shellcheck disable=SC2046
	$(eng "$e") rm -f "${prefix}srv" >/dev/null
}

# wget_script URL prints a busybox sh script that fetches URL 1 + NET_RUNS
# times with wget and prints "RUN MICROSECONDS" for each. busybox date has no
# %N, but adjtimex (read-only, allowed by the default seccomp profiles)
# prints the time of day to the microsecond. Every command is named through
# busybox, so the script also runs on the host, for the reference.
wget_script() {
	# shellcheck disable=SC2016
	printf '%s\n' 'now() { busybox adjtimex | busybox awk '\''/tv_sec/ { s = $2 } /tv_usec/ { u = $2 } END { printf "%d%06d\n", s, u }'\''; }' \
		'for i in $(busybox seq 0 '"$net_runs"'); do' \
		'	t0=$(now)' \
		'	busybox wget -q -O /dev/null '"$1"' || { echo "wget '"$1"' failed; /etc/hosts:" >&2; busybox cat /etc/hosts >&2; exit 1; }' \
		'	t1=$(now)' \
		'	echo "$i $((t1 - t0))"' \
		'done'
}

# wget_speeds NAME reads wget_script's output, keeps the timed runs' MB/s in
# net-NAME.txt and prints their median.
wget_speeds() {
	local name=$1 out n t speeds=()
	out=$(cat)
	while read -r n t; do
		[[ $t =~ ^[0-9]+$ && $t -gt 0 ]] || fail "$name: the client printed: $out"
		[[ $n == 0 ]] || speeds+=("$(awk -v b="$file_bytes" -v t="$t" 'BEGIN { printf "%.1f", b / t }')")
	done <<<"$out"
	[[ ${#speeds[@]} == "$net_runs" ]] || fail "$name: the client printed: $out"
	printf '%s\n' "${speeds[@]}" >"$results/net-$name.txt"
	printf '%s\n' "${speeds[@]}" | median
}

# Case host-out: the container fetches the file from the host.
host_out() {
	local e=$1 out
	# shellcheck disable=SC2046
	out=$($(eng "$e") run --rm --name "${prefix}client" "$image" \
		sh -c "$(wget_script "http://host.containers.internal:$host_port/big")") ||
		fail "$e: the client container failed"
	wget_speeds "host-out-$e" <<<"$out"
}

# The host's own server: the source of host-out, and with no container in
# the way the reference (the ceiling) for both throughput cases.
busybox httpd -f -p "0.0.0.0:$host_port" -h "$work/www" &
server_pid=$!
kill -0 "$server_pid" 2>/dev/null || fail "busybox httpd on the host exited (port $host_port in use?)"
wait_http "http://127.0.0.1:$host_port/big" "busybox httpd on the host (port $host_port in use?)"

declare -A in_mbs=() out_mbs=()
# want_case CASE says whether NET_CASES asks for CASE.
want_case() { [[ " $cases " == *" $1 "* ]]; }
if want_case port-in; then
	heading "Case port-in: curl on the host fetches $file_mb MB from busybox httpd in a container (-p 127.0.0.1:PORT:80), $net_runs times"
	in_mbs[host]=$(curl_speeds "http://127.0.0.1:$host_port/big" port-in-host)
	echo "host (no container, the ceiling): median ${in_mbs[host]} MB/s ($(tr '\n' ' ' <"$results/net-port-in-host.txt"))"
	for e in "${engines[@]}"; do
		in_mbs[$e]=$(port_in "$e")
		echo "$e: median ${in_mbs[$e]} MB/s ($(tr '\n' ' ' <"$results/net-port-in-$e.txt"))"
	done
fi

if want_case host-out; then
	heading "Case host-out: a container fetches $file_mb MB from busybox httpd on the host (host.containers.internal:$host_port), $net_runs times"
	out_mbs[host]=$(busybox sh -c "$(wget_script "http://127.0.0.1:$host_port/big")" | wget_speeds host-out-host)
	echo "host (no container, the ceiling): median ${out_mbs[host]} MB/s ($(tr '\n' ' ' <"$results/net-host-out-host.txt"))"
	for e in "${engines[@]}"; do
		out_mbs[$e]=$(host_out "$e")
		echo "$e: median ${out_mbs[$e]} MB/s ($(tr '\n' ' ' <"$results/net-host-out-$e.txt"))"
	done
fi
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=

if want_case run; then
	heading "Case run: run --rm $image true, default network and --network none"
	run_args=()
	for e in "${engines[@]}"; do
		run_args+=(-n "$e default" "$(eng "$e") run --rm $image true")
		run_args+=(-n "$e none" "$(eng "$e") run --rm --network none $image true")
	done
	hyperfine -N "${style[@]}" --export-json "$results/net-run.json" --export-csv "$results/net-run.csv" \
		--warmup "$warmup" --runs "$runs" "${run_args[@]}"
fi

run_median() { [[ -e $results/net-run.csv ]] && awk -F, -v e="$1" 'NR > 1 && $1 == e { print $4 }' "$results/net-run.csv"; }
# run_cpu NAME prints the mean user+system CPU seconds of one run; on a busy
# machine it says more than the wall time, which waits for the CPU.
run_cpu() { [[ -e $results/net-run.csv ]] && awk -F, -v e="$1" 'NR > 1 && $1 == e { print $5 + $6 }' "$results/net-run.csv"; }
ms() { [[ -n $1 ]] && awk -v t="$1" 'BEGIN { printf "%.1f ms", t * 1000 }'; }
ratio() {
	if [[ -n $1 && -n $2 ]]; then
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
	else
		echo -
	fi
}
# ratio_pos A B is ratio, but - unless both are positive (a difference of
# two noisy medians may not be).
ratio_pos() {
	if [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > 0 && b > 0) }'; then
		ratio "$1" "$2"
	else
		echo -
	fi
}
# verdict RATIO OP TARGET prints met or MISSED (or - without a ratio).
verdict() {
	if [[ $1 == - ]]; then
		echo -
	else
		awk -v r="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? r >= t : (op == "<=") ? r <= t : r < t; print ok ? "met" : "MISSED" }'
	fi
}

summary() {
	local fmt='%-44s %12s %12s %13s %12s %10s %s\n' r sd sn pd pn sadd padd
	printf "$fmt" case skiff podman skiff/podman "no container" target verdict
	r=$(ratio "${in_mbs[skiff]:-}" "${in_mbs[podman]:-}")
	printf "$fmt" "port-in: host curl <- -p 127.0.0.1 (MB/s)" "${in_mbs[skiff]:--}" "${in_mbs[podman]:--}" "$r" "${in_mbs[host]:--}" ">= 2.0" "$(verdict "$r" '>=' 2.0)"
	r=$(ratio "${out_mbs[skiff]:-}" "${out_mbs[podman]:-}")
	printf "$fmt" "host-out: ctr wget <- host httpd (MB/s)" "${out_mbs[skiff]:--}" "${out_mbs[podman]:--}" "$r" "${out_mbs[host]:--}" - -
	sd=$(run_median "skiff default" || true)
	sn=$(run_median "skiff none" || true)
	pd=$(run_median "podman default" || true)
	pn=$(run_median "podman none" || true)
	r=$(ratio "$sd" "$pd")
	printf "$fmt" "run --rm true, default network" "$(ms "$sd" || echo -)" "$(ms "$pd" || echo -)" "$r" - "<= 0.5" "$(verdict "$r" '<=' 0.5)"
	printf "$fmt" "run --rm true, --network none" "$(ms "$sn" || echo -)" "$(ms "$pn" || echo -)" "$(ratio "$sn" "$pn")" - - -
	sadd= padd=
	[[ -n $sd && -n $sn ]] && sadd=$(awk -v a="$sd" -v b="$sn" 'BEGIN { printf "%.4f", a - b }')
	[[ -n $pd && -n $pn ]] && padd=$(awk -v a="$pd" -v b="$pn" 'BEGIN { printf "%.4f", a - b }')
	r=-
	[[ -n $sadd ]] && r=$(awk -v a="$sadd" 'BEGIN { printf "%.1f", a * 1000 }')
	printf "$fmt" "time the default network adds (skiff: ms)" "$(ms "$sadd" || echo -)" "$(ms "$padd" || echo -)" "$(ratio_pos "$sadd" "$padd")" - "< 30 ms" "$(verdict "$r" '<' 30)"
	sadd= padd=
	sd=$(run_cpu "skiff default" || true)
	sn=$(run_cpu "skiff none" || true)
	pd=$(run_cpu "podman default" || true)
	pn=$(run_cpu "podman none" || true)
	[[ -n $sd && -n $sn ]] && sadd=$(awk -v a="$sd" -v b="$sn" 'BEGIN { printf "%.4f", a - b }')
	[[ -n $pd && -n $pn ]] && padd=$(awk -v a="$pd" -v b="$pn" 'BEGIN { printf "%.4f", a - b }')
	printf "$fmt" "CPU (user+sys) the default network adds" "$(ms "$sadd" || echo -)" "$(ms "$padd" || echo -)" "$(ratio_pos "$sadd" "$padd")" - - -
	return 0
}
heading "Net summary (medians; rootless as $(id -un); results in ${BENCH_RESULTS_SHOWN:-$results})"
summary >"$results/net-summary.txt"
cat "$results/net-summary.txt"
if [[ ${BENCH_STRICT:-0} == 1 ]] && grep -q MISSED "$results/net-summary.txt"; then
	echo "net bench: target(s) missed" >&2
	exit 1
fi
