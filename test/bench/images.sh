#!/usr/bin/env bash
# images.sh benchmarks image transfer: skiff against podman, rootless, as the
# user who runs it, in the same run, with skopeo as the floor for pull.
#
# It builds a multi-layer image with skiff (the busybox rootfs, then
# IMG_LAYERS commits each adding IMG_LAYER_MB MiB from /dev/urandom, so about
# 50 MB that gzip cannot shrink), pushes it to a docker-registry it starts on
# 127.0.0.1:IMG_REG_PORT (plain HTTP), and times, with hyperfine:
#   pull   pull -q --tls-verify=false of it into a store of its own, emptied
#          before every run (--prepare)        target: skiff <= 1.0 x podman,
#          and skopeo copy docker://… containers-storage:… the same way as
#          the floor                            target: skiff <= 1.2 x skopeo
#   save   save -o FILE (docker-archive) from that store (reported)
#   load   load -i FILE of one archive (skiff's) into the emptied store (reported)
# Each engine pulls into its own store, so no layer is ever already there.
#
# Environment: SKIFF, BENCH_ROOTFS, BENCH_RESULTS, BENCH_ENGINES, BENCH_STRICT
# as bench.sh; IMG_RUNS (10), IMG_WARMUP (1), IMG_LAYERS (5), IMG_LAYER_MB
# (10), IMG_REG_PORT (27360; must be free), BENCH_IMAGES=0 to skip.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

if [[ ${BENCH_IMAGES:-1} == 0 ]]; then
	echo "images bench: skipped (BENCH_IMAGES=0)"
	exit 0
fi
results=${BENCH_RESULTS:?BENCH_RESULTS must name a results directory}
rootfs=${BENCH_ROOTFS:?BENCH_ROOTFS must name the rootfs tar}
read -ra engines <<<"${BENCH_ENGINES:-skiff podman}"
skiff=
[[ " ${engines[*]} " == *" skiff "* ]] && skiff=${SKIFF:?SKIFF must name the skiff binary}
runs=${IMG_RUNS:-10}
warmup=${IMG_WARMUP:-1}
layers=${IMG_LAYERS:-5}
layer_mb=${IMG_LAYER_MB:-10}
reg_port=${IMG_REG_PORT:-27360}
prefix=${BENCH_PREFIX}img-

for tool in hyperfine skopeo docker-registry curl; do
	if ! command -v "$tool" >/dev/null; then
		echo "images bench: $tool is missing (hack/install-deps.sh bench installs it)" >&2
		exit 1
	fi
done

# Each pulling tool gets a store of its own on the same file system as the
# others (under $HOME, like bench.sh's podman store), and run state in /tmp.
base=${BENCH_IMG_ROOT:-$HOME/.local/share/skiff-bench/images}
runbase=/tmp/skiff-bench-images-$(id -u)
if [[ $base$runbase$skiff$here == *[[:space:]]* ]]; then
	echo "images bench: paths must not contain spaces ($base $runbase $skiff $here)" >&2
	exit 2
fi
tools=("${engines[@]}" skopeo)
declare -A cmd=()
store_args() { printf -- '--root %s/%s/root --runroot %s/%s/run --storage-driver overlay' "$base" "$1" "$runbase" "$1"; }
for e in "${engines[@]}"; do
	case $e in
	skiff) cmd[skiff]="$skiff $(store_args skiff)" ;;
	podman) cmd[podman]="podman --runtime runc $(store_args podman) --tmpdir $runbase/podman/tmp" ;;
	*) echo "images bench: unknown engine $e" >&2; exit 2 ;;
	esac
done
# skopeo's store is emptied with skiff, or with podman when skiff is not
# benchmarked: both speak containers/storage.
if [[ -n ${cmd[skiff]:-} ]]; then
	skopeo_rmi="$skiff $(store_args skopeo)"
else
	skopeo_rmi="podman --runtime runc $(store_args skopeo) --tmpdir $runbase/skopeo/tmp"
fi
eng() { printf '%s' "${cmd[$1]}"; }

work=$(mktemp -d /tmp/skiff-img-bench.XXXXXX)
# The stores below hold only this image, so removing it empties them.
ref=127.0.0.1:$reg_port/skiffbench/big:latest
reg_pid=
# The first engine builds the image, in a private store.
read -ra src_store <<<"$(eng "${engines[0]}" | sed "s|$base/${engines[0]}/root|$work/src/root|; s|$runbase/${engines[0]}/run|$work/src/run|")"
cleanup() {
	local t
	if [[ -n $reg_pid ]]; then
		kill "$reg_pid" 2>/dev/null || true
		wait "$reg_pid" 2>/dev/null || true
	fi
	for t in "${engines[@]}"; do
		# shellcheck disable=SC2046
		$(eng "$t") rmi -f "$ref" >/dev/null 2>&1 || true
	done
	$skopeo_rmi rmi -f "$ref" >/dev/null 2>&1 || true
	BENCH_PREFIX=$prefix bench_cleanup "${src_store[@]}"
	# Files left by layers belong to subordinate IDs: remove them from
	# inside the user namespace.
	podman unshare rm -rf "$work" 2>/dev/null || rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$results" "$work/registry"
heading() { printf '\n==> %s\n' "$*"; }
fail() {
	echo "images bench: $*" >&2
	exit 1
}
style=()
[[ -t 1 ]] || style=(--style basic)
measure() {
	local name=$1
	shift
	hyperfine -N "${style[@]}" --export-json "$results/$name.json" --export-csv "$results/$name.csv" "$@"
}

heading "Images: a local registry on 127.0.0.1:$reg_port"
cat >"$work/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/registry/data
http:
  addr: 127.0.0.1:$reg_port
EOF
docker-registry serve "$work/registry/config.yml" >"$results/images-registry.log" 2>&1 &
reg_pid=$!
for i in $(seq 200); do
	curl -sf "http://127.0.0.1:$reg_port/v2/" >/dev/null 2>&1 && break
	kill -0 "$reg_pid" 2>/dev/null || fail "docker-registry exited (port $reg_port in use?): $(cat "$results/images-registry.log")"
	[[ $i == 200 ]] && fail "docker-registry did not answer on 127.0.0.1:$reg_port"
	sleep 0.05
done

heading "Images: building a $layers x $layer_mb MiB image and pushing it to $ref"
src="localhost/skiffbench/big"
"${src_store[@]}" import --change 'CMD ["sh"]' --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' "$rootfs" "$src:0" >/dev/null
for i in $(seq "$layers"); do
	"${src_store[@]}" run --name "${prefix}layer" --network none "$src:$((i - 1))" \
		sh -c "head -c $((layer_mb * 1024 * 1024)) /dev/urandom >/data$i" >/dev/null
	"${src_store[@]}" commit -q "${prefix}layer" "$src:$i" >/dev/null
	"${src_store[@]}" rm -f "${prefix}layer" >/dev/null
done
"${src_store[@]}" push -q --tls-verify=false "$src:$layers" "docker://$ref"
size=$(du -sk "$work/registry/data" | awk '{ printf "%.1f", $1 / 1024 }')
echo "pushed $ref: $((layers + 1)) layers, $size MiB in the registry"

# empty ENGINE-CMD prints a hyperfine --prepare command that removes the
# image from that store and fails if it is still there, so that no run can
# time a pull or load with nothing to do.
empty() { printf "bash -c '%s rmi -f %s >/dev/null 2>&1; ! %s image exists %s'" "$1" "$ref" "$1" "$ref"; }

# Each tool pulls into its emptied store; the last run's image stays for save.
pull_args=()
for t in "${tools[@]}"; do
	case $t in
	skopeo) pull_args+=(--prepare "$(empty "$skopeo_rmi")") ;;
	*) pull_args+=(--prepare "$(empty "$(eng "$t")")") ;;
	esac
done
for t in "${tools[@]}"; do
	case $t in
	skopeo) pull_args+=(-n skopeo "skopeo copy -q --src-no-creds --src-tls-verify=false docker://$ref containers-storage:[overlay@$base/skopeo/root+$runbase/skopeo/run]$ref") ;;
	*) pull_args+=(-n "$t" "$(eng "$t") pull -q --tls-verify=false $ref") ;;
	esac
done
heading "Case pull: $ref (each tool into its own emptied store)"
measure images-pull --warmup "$warmup" --runs "$runs" "${pull_args[@]}"

heading "Case save: save -o FILE $ref (docker-archive)"
save_args=()
for e in "${engines[@]}"; do
	save_args+=(--prepare "rm -f $work/$e.tar")
done
for e in "${engines[@]}"; do
	save_args+=(-n "$e" "$(eng "$e") save -o $work/$e.tar $ref")
done
measure images-save --warmup "$warmup" --runs "$runs" "${save_args[@]}"

# One archive for every loader: the first engine's.
archive=$work/${engines[0]}.tar
heading "Case load: load -i $(basename "$archive") (each engine into its emptied store)"
load_args=()
for e in "${engines[@]}"; do
	load_args+=(--prepare "$(empty "$(eng "$e")")")
done
for e in "${engines[@]}"; do
	load_args+=(-n "$e" "$(eng "$e") load -q -i $archive")
done
measure images-load --warmup "$warmup" --runs "$runs" "${load_args[@]}"

median() { awk -F, -v e="$2" 'NR > 1 && $1 == e { print $4 }' "$results/$1.csv"; }
ms() { [[ -n $1 ]] && awk -v t="$1" 'BEGIN { printf "%.1f ms", t * 1000 }'; }
ratio() {
	if [[ -n $1 && -n $2 ]]; then
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
	else
		echo -
	fi
}
verdict() {
	if [[ $1 == - ]]; then
		echo -
	else
		awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "met" : "MISSED" }'
	fi
}
summary() {
	local c label s p k rp rk
	printf '%-34s %12s %12s %12s %13s %13s %s\n' case skiff podman skopeo skiff/podman skiff/skopeo "target / verdict"
	for c in pull save load; do
		s=$(median "images-$c" skiff || true)
		p=$(median "images-$c" podman || true)
		k=$(median "images-$c" skopeo || true)
		rp=$(ratio "$s" "$p")
		rk=$(ratio "$s" "$k")
		case $c in
		pull)
			label="pull ($size MiB, $((layers + 1)) layers)"
			printf '%-34s %12s %12s %12s %13s %13s %s\n' "$label" "$(ms "$s" || echo -)" "$(ms "$p" || echo -)" "$(ms "$k" || echo -)" "$rp" "$rk" \
				"<= 1.0 x podman $(verdict "$rp" 1.0), <= 1.2 x skopeo $(verdict "$rk" 1.2)"
			;;
		*)
			label="$c (docker-archive)"
			printf '%-34s %12s %12s %12s %13s %13s %s\n' "$label" "$(ms "$s" || echo -)" "$(ms "$p" || echo -)" - "$rp" - "-"
			;;
		esac
	done
	return 0
}
heading "Images summary (medians; rootless as $(id -un); results in ${BENCH_RESULTS_SHOWN:-$results})"
summary >"$results/images-summary.txt"
cat "$results/images-summary.txt"
if [[ ${BENCH_STRICT:-0} == 1 ]] && grep -q MISSED "$results/images-summary.txt"; then
	echo "images bench: target(s) missed" >&2
	exit 1
fi
