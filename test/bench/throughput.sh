#!/usr/bin/env bash
# throughput.sh is one timed round of the create+start throughput case:
# $BENCH_CLIENTS clients at once, each starting $BENCH_PER_CLIENT detached
# containers (`run -d --network none IMAGE true`) one after another.
#
# Usage: throughput.sh run|clean ENGINE [ENGINE-ARGS...]
#   run    start the containers; fails if any client fails
#   clean  remove this case's containers (the untimed --prepare step)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

mode=${1:?usage: throughput.sh run|clean ENGINE [ARGS...]}
shift
[[ $# -gt 0 ]] || { echo "throughput.sh: no engine given" >&2; exit 2; }
clients=${BENCH_CLIENTS:-8}
per_client=${BENCH_PER_CLIENT:-5}
image=${BENCH_IMAGE:?BENCH_IMAGE must name the image}
prefix=${BENCH_PREFIX}tp-

case $mode in
clean)
	BENCH_PREFIX=$prefix bench_cleanup "$@"
	;;
run)
	pids=()
	for c in $(seq "$clients"); do
		(
			for i in $(seq "$per_client"); do
				"$@" run -d --network none --name "$prefix$c-$i" "$image" true >/dev/null
			done
		) &
		pids+=("$!")
	done
	failed=0
	for p in "${pids[@]}"; do
		wait "$p" || failed=$((failed + 1))
	done
	if [[ $failed -gt 0 ]]; then
		echo "throughput.sh: $failed of $clients clients failed" >&2
		exit 1
	fi
	;;
*)
	echo "throughput.sh: unknown mode $mode (want run or clean)" >&2
	exit 2
	;;
esac
