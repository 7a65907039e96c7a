# lib.sh holds helpers shared by bench.sh and throughput.sh; source it, do not run it.
# shellcheck shell=bash

# Every container the benchmark makes is named with this prefix, so cleanup
# can find them in both engines without touching anything else.
BENCH_PREFIX=${BENCH_PREFIX:-skiffbench-}

# bench_names ENGINE... prints the names of this benchmark's containers that
# ENGINE lists (`ps -a` with NAMES as the last column, as Docker and Podman print it).
bench_names() {
	"$@" ps -a 2>/dev/null | awk -v p="$BENCH_PREFIX" 'NR > 1 && index($NF, p) == 1 { print $NF }'
}

# bench_cleanup ENGINE... removes every container of this benchmark; one
# `rm -f` for all, then one by one if that call refused (e.g. on a name that
# vanished meanwhile). It never fails: it runs from traps.
bench_cleanup() {
	local names n
	mapfile -t names < <(bench_names "$@")
	[[ ${#names[@]} -gt 0 ]] || return 0
	if ! "$@" rm -f "${names[@]}" >/dev/null 2>&1; then
		for n in "${names[@]}"; do
			"$@" rm -f "$n" >/dev/null 2>&1 || true
		done
	fi
	return 0
}

# bench_import ENGINE... -- ROOTFS IMAGE imports ROOTFS as IMAGE (with the
# command and PATH bench.sh gives it) unless the engine has IMAGE already.
bench_import() {
	local eng=()
	while [[ $# -gt 0 && $1 != -- ]]; do
		eng+=("$1")
		shift
	done
	shift
	local rootfs=$1 image=$2
	"${eng[@]}" image exists "$image" 2>/dev/null && return 0
	"${eng[@]}" import --change 'CMD ["sh"]' --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' "$rootfs" "$image" >/dev/null
}
