#!/usr/bin/env bash
# install-deps.sh installs what building, running, testing or benchmarking
# skiff needs on Debian 12, and nothing else.
#
# Usage: hack/install-deps.sh [GROUP...]   GROUP: build runtime test bench
#        (no GROUP means "build runtime")
#
# It is idempotent and fast when there is nothing to do: installed packages are
# checked with dpkg-query, and apt-get (and its slow `update`) only runs when
# something is missing. A Go toolchain new enough for go.mod is installed
# under /usr/local/go when neither PATH nor /usr/local/go has one, because
# Debian 12's golang (1.19) is far too old.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Package groups. Each package is here for a reason:
#   runc            the OCI runtime skiff drives
#   conmon          the per-container monitor (exit files, logs, attach)
#   uidmap          newuidmap/newgidmap, setuid helpers for rootless user namespaces
#   fuse-overlayfs  overlay storage for rootless users where kernel overlay is refused
#   passt           pasta, the default rootless network (a namespace per container,
#                   published ports keeping the client's address)
#   slirp4netns     the older rootless network helper, a fallback for pasta
#   netavark aardvark-dns iptables  the bridge network backend (the root default and
#                   user networks, through containers/common's libnetwork), its DNS
#                   server, and the firewall tool netavark drives for NAT and ports
#   catatonit       the static init `run --init` bind-mounts as the container's PID 1
#   busybox-static  the only source of the test/demo image (no registry access needed)
#   ca-certificates TLS roots for pulling images and Go modules
#   gcc libc6-dev   cgo: mattn/go-sqlite3 compiles its bundled SQLite
#   git             `git describe` for the version string
#   procps          ps/pgrep, used by the e2e suite to look at host processes
#   openssh-server openssh-client  sshd and ssh for the e2e test of ssh:// remotes
#                   (the test starts its own sshd on a loopback port)
#   systemd         systemd-socket-activate and systemd-analyze, for the tests of
#                   `skiff system service` activation and of contrib/systemd units
#   docker-registry openssl  the e2e registry fixture (test/e2e/registry_fixture_test.go):
#                   a real registry on loopback, and its test CA and certificates
#   docker-compose  compose v1 (docker-py over DOCKER_HOST), for the compat test of a
#                   compose project against `skiff system service` (test/compat/compose_test.go)
#   gnupg           gpg and its agent, to make a throwaway key and "simple signing"
#                   signatures for the e2e test of policy.json signedBy (signing_test.go)
#   iproute2        ip, with which the e2e test of published ports' source addresses
#                   makes a client host: a network namespace and a veth pair
#                   (test/e2e/sourceaddr_test.go)
#   docker (test)   the docker CLI that test/compat and an e2e case drive; when none
#                   is on PATH, only the client binary of Debian's docker.io
#                   (see install_docker_cli below), never the package
#   compose v2 (test) docker/compose v2.29.7, the docker CLI plugin that
#                   test/compat's compose cases drive (see install_compose_v2);
#                   Debian 12 packages none, so it is built from the Go module
#   podman hyperfine  the yardstick and the timer for `make bench`
#   wrk socat       the API benchmark: load generator, and the unix-socket bridge
#   skopeo docker-registry  the image benchmark (test/bench/images.sh): the
#                   floor for pull, and the local registry it pulls from
pkgs_build=(gcc libc6-dev git ca-certificates curl)
pkgs_runtime=(runc conmon uidmap fuse-overlayfs passt slirp4netns netavark aardvark-dns iptables catatonit busybox-static ca-certificates)
pkgs_test=(procps openssh-server openssh-client systemd docker-registry openssl gnupg docker-compose iproute2)
pkgs_bench=(podman hyperfine wrk socat skopeo docker-registry)

groups=("$@")
[[ ${#groups[@]} -gt 0 ]] || groups=(build runtime)

want=()
need_go=false
need_docker=false
need_compose=false
for g in "${groups[@]}"; do
	case "$g" in
	build) want+=("${pkgs_build[@]}"); need_go=true ;;
	runtime) want+=("${pkgs_runtime[@]}") ;;
	test) want+=("${pkgs_test[@]}"); need_docker=true; need_compose=true ;;
	bench) want+=("${pkgs_bench[@]}") ;;
	*) echo "install-deps: unknown group $g (want: build runtime test bench)" >&2; exit 2 ;;
	esac
done

# missing_packages prints the packages of "$@" that dpkg does not report as
# installed; one dpkg-query call for all of them keeps a no-op run fast.
missing_packages() {
	local status
	declare -A have=()
	while IFS=' ' read -r pkg status; do
		[[ $status == installed ]] && have[$pkg]=1
	done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null || true)
	local p
	for p in "$@"; do
		[[ -n ${have[$p]:-} ]] || echo "$p"
	done | sort -u
}

need_root() {
	if [[ $(id -u) -ne 0 ]]; then
		echo "install-deps: $1 needs root; run as root (e.g. sudo make deps)" >&2
		exit 1
	fi
}

mapfile -t missing < <(missing_packages "${want[@]}")
if [[ ${#missing[@]} -gt 0 ]]; then
	need_root "installing ${missing[*]}"
	echo "install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# go_min prints the Go version go.mod asks for (e.g. 1.26).
go_min() {
	awk '$1 == "go" { print $2; exit }' "$repo_root/go.mod"
}

# go_ok reports whether the go binary $1 is at least version $2.
go_ok() {
	local v
	[[ -x $1 ]] || return 1
	v=$("$1" env GOVERSION 2>/dev/null) || return 1
	v=${v#go}
	[[ $(printf '%s\n%s\n' "$2" "$v" | sort -V | head -n1) == "$2" ]]
}

# GO_VERSION is the toolchain installed when none is found; override to pin another.
GO_VERSION=${GO_VERSION:-1.26.8}

install_go() {
	local arch tarball url sum tmp
	need_root "installing Go $GO_VERSION into /usr/local/go"
	case "$(dpkg --print-architecture)" in
	amd64) arch=amd64 ;;
	arm64) arch=arm64 ;;
	*) echo "install-deps: no Go download known for $(dpkg --print-architecture)" >&2; exit 1 ;;
	esac
	tarball="go${GO_VERSION}.linux-${arch}.tar.gz"
	url="https://dl.google.com/go/${tarball}"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	echo "install-deps: installing Go $GO_VERSION from $url"
	curl -fsSL -o "$tmp/$tarball" "$url"
	sum=$(curl -fsSL "$url.sha256")
	echo "$sum  $tmp/$tarball" | sha256sum -c --quiet -
	rm -rf /usr/local/go
	tar -C /usr/local -xzf "$tmp/$tarball"
}

if $need_go; then
	min=$(go_min)
	if ! go_ok "$(command -v go || true)" "$min" && ! go_ok /usr/local/go/bin/go "$min"; then
		install_go
		go_ok /usr/local/go/bin/go "$min" || { echo "install-deps: Go $GO_VERSION is older than go.mod's $min" >&2; exit 1; }
	fi
fi

# DOCKER_CLI_DIR is where install_docker_cli puts the client. /usr/local/bin
# is on every user's PATH (the e2e and compat suites run with a fixed PATH
# that has it, and compat's default DOCKER_CLI is /usr/local/bin/docker),
# dpkg never writes there, and nothing is replaced: the client is only
# installed where no docker is on PATH at all.
DOCKER_CLI_DIR=${DOCKER_CLI_DIR:-/usr/local/bin}

# install_docker_cli takes the docker client out of Debian 12's docker.io
# (20.10) without installing the package: its maintainer scripts would set
# up and start dockerd, and the tests need no daemon (the CLI talks to
# `skiff system service`). `apt-get download` fetches the .deb alone, no
# dependencies; only usr/bin/docker is extracted from it.
install_docker_cli() {
	local tmp deb
	need_root "installing the docker CLI into $DOCKER_CLI_DIR"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	# apt downloads as its sandbox user, who must be able to write here.
	if id -u _apt >/dev/null 2>&1; then
		chown _apt "$tmp"
	fi
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-cache show docker.io >/dev/null 2>&1; then
		apt-get update -qq
	fi
	echo "install-deps: installing the docker CLI from Debian's docker.io into $DOCKER_CLI_DIR (client only, no daemon)"
	(cd "$tmp" && apt-get download -qq docker.io)
	deb=$(echo "$tmp"/docker.io_*.deb)
	[[ -f $deb ]] || { echo "install-deps: apt-get download docker.io left no .deb" >&2; exit 1; }
	dpkg-deb -x "$deb" "$tmp/root"
	install -D -m 0755 "$tmp/root/usr/bin/docker" "$DOCKER_CLI_DIR/docker"
	if ! "$DOCKER_CLI_DIR/docker" --version; then
		echo "install-deps: $DOCKER_CLI_DIR/docker does not run" >&2
		exit 1
	fi
}

if $need_docker && ! command -v docker >/dev/null; then
	install_docker_cli
fi

# COMPOSE_VERSION is the docker compose v2 the compat suite drives;
# COMPOSE_PLUGIN is where the docker CLI looks for it (a system plugin
# directory every user's CLI searches, whatever DOCKER_CONFIG says).
COMPOSE_VERSION=${COMPOSE_VERSION:-v2.29.7}
COMPOSE_PLUGIN=${COMPOSE_PLUGIN:-/usr/local/lib/docker/cli-plugins/docker-compose}

# compose_ok reports whether $COMPOSE_PLUGIN is the wanted version, so a
# second run costs one exec.
compose_ok() {
	[[ -x $COMPOSE_PLUGIN ]] && [[ $("$COMPOSE_PLUGIN" version --short 2>/dev/null) == "${COMPOSE_VERSION#v}" ]]
}

# install_compose_v2 builds docker compose from its Go module (the module
# proxy serves it; the main package is .../cmd, so the binary is named
# cmd) and installs it as the CLI plugin. It takes minutes once.
install_compose_v2() {
	local tmp gobin
	need_root "installing docker compose $COMPOSE_VERSION into $COMPOSE_PLUGIN"
	gobin=$(command -v go || echo /usr/local/go/bin/go)
	[[ -x $gobin ]] || { echo "install-deps: building docker compose needs Go (run hack/install-deps.sh build first)" >&2; exit 1; }
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	echo "install-deps: building docker compose $COMPOSE_VERSION (takes a few minutes)"
	# The version is stamped at link time, as compose's own Makefile does;
	# without it the plugin calls itself "dev".
	GOBIN=$tmp GOFLAGS=-buildvcs=false "$gobin" install \
		-ldflags "-X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" \
		"github.com/docker/compose/v2/cmd@$COMPOSE_VERSION"
	install -D -m 0755 "$tmp/cmd" "$COMPOSE_PLUGIN"
	compose_ok || { echo "install-deps: $COMPOSE_PLUGIN does not report version ${COMPOSE_VERSION#v}" >&2; exit 1; }
}

if $need_compose && ! compose_ok; then
	install_compose_v2
fi
