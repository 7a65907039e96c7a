#!/usr/bin/env bash
# api.sh benchmarks the API services: `skiff system service` against
# `podman system service`, rootless, as the user who runs it, in the same
# run. Each service listens on its own unix socket with --time 0, and each
# socket is bridged to a loopback TCP port the same way (socat, one process
# per connection) for wrk, which speaks TCP only.
#
# Cases (wrk -t2 -c16 -d10s --latency unless API_* say otherwise):
#   GET /containers/json?all=1 with 100 containers present
#        target: skiff >= 10 x podman's requests/s
#   GET /_ping                 target: skiff's p99 < 5 ms
#   activation: systemd-socket-activate + one GET /_ping, repeated, median
#        time from the first connection to the answer (reported, no target)
# An endpoint that does not answer 200 (e.g. 404 before the Docker routes
# exist) fails the benchmark with a message saying so.
#
# Environment: SKIFF, BENCH_ROOTFS, BENCH_RESULTS, BENCH_ENGINES, BENCH_STRICT
# as bench.sh; API_CONTAINERS (100), API_THREADS (2), API_CONNS (16),
# API_DURATION (10s), API_ACT_RUNS (10), API_PORT (27350: it and the next
# port must be free), BENCH_API=0 to skip.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

if [[ ${BENCH_API:-1} == 0 ]]; then
	echo "api bench: skipped (BENCH_API=0)"
	exit 0
fi
results=${BENCH_RESULTS:?BENCH_RESULTS must name a results directory}
rootfs=${BENCH_ROOTFS:?BENCH_ROOTFS must name the rootfs tar}
read -ra engines <<<"${BENCH_ENGINES:-skiff podman}"
count=${API_CONTAINERS:-100}
threads=${API_THREADS:-2}
conns=${API_CONNS:-16}
duration=${API_DURATION:-10s}
act_runs=${API_ACT_RUNS:-10}
port_base=${API_PORT:-27350}
image=${BENCH_IMAGE:-localhost/busybox:latest}
prefix=${BENCH_PREFIX}api-

for tool in wrk socat curl systemd-socket-activate; do
	if ! command -v "$tool" >/dev/null; then
		echo "api bench: $tool is missing (hack/install-deps.sh bench installs it)" >&2
		exit 1
	fi
done

podman_root=${BENCH_PODMAN_ROOT:-$HOME/.local/share/skiff-bench/podman}
podman_run=${BENCH_PODMAN_RUNROOT:-/tmp/skiff-bench-podman-$(id -u)}
declare -A cmd=()
for e in "${engines[@]}"; do
	case $e in
	skiff) cmd[skiff]=${SKIFF:?SKIFF must name the skiff binary} ;;
	podman) cmd[podman]="podman --runtime runc --root $podman_root/root --runroot $podman_run/run --tmpdir $podman_run/tmp --storage-driver overlay" ;;
	*) echo "api bench: unknown engine $e" >&2; exit 2 ;;
	esac
done
eng() { printf '%s' "${cmd[$1]}"; }

work=$(mktemp -d /tmp/skiff-api-bench.XXXXXX)
pids=()
cleanup() {
	local p e
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	for e in "${engines[@]}"; do
		# shellcheck disable=SC2046
		BENCH_PREFIX=$prefix bench_cleanup $(eng "$e")
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$results"
heading() { printf '\n==> %s\n' "$*"; }
fail() {
	echo "api bench: $*" >&2
	exit 1
}

heading "API: $count containers in each engine"
for e in "${engines[@]}"; do
	# shellcheck disable=SC2046
	if ! $(eng "$e") image exists "$image" 2>/dev/null; then
		$(eng "$e") import --change 'CMD ["sh"]' "$rootfs" "$image" >/dev/null
	fi
	for i in $(seq -w "$count"); do
		# shellcheck disable=SC2046
		$(eng "$e") create --network none --name "${prefix}$i" "$image" true >/dev/null
	done
	echo "$e: $count containers created"
done

# start_service ENGINE PORT: the service on a unix socket, bridged to PORT.
declare -A port=()
start_service() {
	local e=$1 p=$2 sock=$work/$1.sock i
	# shellcheck disable=SC2046
	$(eng "$e") system service --time 0 "unix://$sock" >"$results/api-$e-service.log" 2>&1 &
	pids+=($!)
	for i in $(seq 200); do
		curl -sf --unix-socket "$sock" http://d/_ping >/dev/null 2>&1 && break
		[[ $i == 200 ]] && fail "$e's service did not answer on $sock (log: $results/api-$e-service.log)"
		sleep 0.05
	done
	# nodelay: without it Nagle's algorithm and delayed ACKs stall every
	# multi-segment answer by ~40 ms, and the bridge, not the engine, is
	# what gets measured.
	socat "TCP-LISTEN:$p,bind=127.0.0.1,fork,reuseaddr,nodelay" "UNIX-CONNECT:$sock" 2>"$results/api-$e-socat.log" &
	pids+=($!)
	for i in $(seq 100); do
		curl -sf "http://127.0.0.1:$p/_ping" >/dev/null 2>&1 && break
		[[ $i == 100 ]] && fail "the socat bridge on port $p for $e does not work (port in use?)"
		sleep 0.05
	done
	port[$e]=$p
}

# check ENGINE PATH: the endpoint must answer 200 (and list the containers).
check() {
	local e=$1 path=$2 code body n
	body=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:${port[$e]}$path")
	code=${body##*$'\n'}
	if [[ $code != 200 ]]; then
		fail "$e answers $code for GET $path, not 200$([[ $code == 404 ]] && echo ' (is the endpoint implemented?)'): ${body%$'\n'*}"
	fi
	if [[ $path == /containers/json* ]]; then
		n=$(grep -o '"Id"' <<<"$body" | wc -l)
		((n >= count)) || fail "$e lists $n containers for GET $path, want at least $count"
	fi
}

# to_ms VALUE-WITH-UNIT (as wrk prints latencies) prints milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f", n }'
}

# load ENGINE NAME PATH: runs wrk, keeps its output, sets rps and p99.
declare -A rps=() p99=()
load() {
	local e=$1 name=$2 path=$3
	local out=$results/api-$name-$e.wrk
	wrk -t"$threads" -c"$conns" -d"$duration" --timeout 10s --latency "http://127.0.0.1:${port[$e]}$path" >"$out"
	cat "$out"
	if grep -q 'Non-2xx or 3xx responses' "$out"; then
		fail "$e: $(grep 'Non-2xx' "$out" | xargs) for GET $path (see $out)"
	fi
	rps[$e,$name]=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	p99[$e,$name]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
}

p=$port_base
for e in "${engines[@]}"; do
	start_service "$e" "$p"
	p=$((p + 1))
done
for e in "${engines[@]}"; do
	check "$e" "/containers/json?all=1"
	check "$e" "/_ping"
done

for c in "containers /containers/json?all=1" "ping /_ping"; do
	read -r name path <<<"$c"
	for e in "${engines[@]}"; do
		heading "API $name: $e, GET $path, wrk -t$threads -c$conns -d$duration"
		load "$e" "$name" "$path"
	done
done

# Activation: systemd-socket-activate passes only the environment named
# with -E, so name what the engines need.
act_env=()
for v in HOME PATH USER LOGNAME XDG_RUNTIME_DIR LANG; do
	[[ -n ${!v:-} ]] && act_env+=(-E "$v=${!v}")
done
declare -A act=()
for e in "${engines[@]}"; do
	heading "API activation: $e, $act_runs x systemd-socket-activate + GET /_ping"
	sock=$work/act-$e.sock
	times=()
	for i in $(seq "$act_runs"); do
		rm -f "$sock"
		# shellcheck disable=SC2046
		systemd-socket-activate -l "$sock" "${act_env[@]}" $(eng "$e") system service --time 0 \
			>>"$results/api-activation-$e.log" 2>&1 &
		apid=$!
		for _ in $(seq 200); do
			[[ -S $sock ]] && break
			sleep 0.01
		done
		t0=$(date +%s%N)
		curl -sf --max-time 30 --unix-socket "$sock" http://d/_ping >/dev/null ||
			fail "$e: no answer after socket activation (log: $results/api-activation-$e.log)"
		t1=$(date +%s%N)
		times+=($(((t1 - t0) / 1000)))
		kill -TERM "$apid" 2>/dev/null || true
		wait "$apid" 2>/dev/null || true
	done
	act[$e]=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }')
	echo "$e: median ${act[$e]} ms (runs in us: ${times[*]})"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
summary() {
	local s=skiff pd=podman r v
	printf '%-40s %14s %14s %10s %12s %s\n' case skiff podman ratio target verdict
	r=$(ratio "${rps[$s,containers]:-0}" "${rps[$pd,containers]:-0}")
	v=$(awk -v r="$r" 'BEGIN { print (r != "-" && r >= 10) ? "met" : "MISSED" }')
	printf '%-40s %14s %14s %10s %12s %s\n' "containers/json ($count ctrs) req/s" "${rps[$s,containers]:--}" "${rps[$pd,containers]:--}" "$r" ">= 10x" "$v"
	printf '%-40s %14s %14s %10s %12s %s\n' "containers/json p99 (ms)" "${p99[$s,containers]:--}" "${p99[$pd,containers]:--}" "-" "-" "-"
	r=$(ratio "${rps[$s,ping]:-0}" "${rps[$pd,ping]:-0}")
	printf '%-40s %14s %14s %10s %12s %s\n' "_ping req/s" "${rps[$s,ping]:--}" "${rps[$pd,ping]:--}" "$r" "-" "-"
	v=$(awk -v p="${p99[$s,ping]:-}" 'BEGIN { print (p != "" && p < 5) ? "met" : "MISSED" }')
	printf '%-40s %14s %14s %10s %12s %s\n' "_ping p99 (ms)" "${p99[$s,ping]:--}" "${p99[$pd,ping]:--}" "-" "< 5 ms" "$v"
	printf '%-40s %14s %14s %10s %12s %s\n' "activation to first answer (ms, median)" "${act[$s]:--}" "${act[$pd]:--}" \
		"$(ratio "${act[$s]:-0}" "${act[$pd]:-0}")" "-" "-"
}
heading "API summary (rootless as $(id -un); wrk -t$threads -c$conns -d$duration over socat; results in ${BENCH_RESULTS_SHOWN:-$results})"
summary >"$results/api-summary.txt"
cat "$results/api-summary.txt"
if [[ ${BENCH_STRICT:-0} == 1 ]] && grep -q MISSED "$results/api-summary.txt"; then
	echo "api bench: target(s) missed" >&2
	exit 1
fi
