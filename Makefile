# skiff — build, set-up, test and benchmark entry points.
# On a clean Debian 12 machine, as root: `make demo` or `make test` do all set-up.

# Build tags (every go build, vet and test uses them):
#   containers_image_openpgp          verify signatures with the pure-Go openpgp
#                                     code instead of gpgme, whose C library and
#                                     headers we would otherwise need.
#   exclude_graphdriver_btrfs         we never use the btrfs graph driver; without
#                                     this tag containers/storage needs libbtrfs headers.
#   exclude_graphdriver_devicemapper  likewise for devicemapper and libdevmapper.
BUILDTAGS := containers_image_openpgp exclude_graphdriver_btrfs exclude_graphdriver_devicemapper

# A freshly installed toolchain (hack/install-deps.sh) lives in /usr/local/go.
export PATH := /usr/local/go/bin:$(PATH)
GO ?= go

# Build identity, linked into pkg/version. With no tag yet the version is the
# placeholder below; the build time is the last commit's, so that rebuilding
# the same tree gives the same binary.
VERSION ?= $(shell git describe --tags --dirty 2>/dev/null || echo 0.1.0-dev)
GIT_COMMIT ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)
BUILD_TIME ?= $(shell git log -1 --format=%cI 2>/dev/null)
VERSION_PKG := github.com/skiffcontainers/skiff/pkg/version
LDFLAGS := -X $(VERSION_PKG).Number=$(VERSION) -X $(VERSION_PKG).GitCommit=$(GIT_COMMIT) -X $(VERSION_PKG).BuildTime=$(BUILD_TIME)

BIN := bin/skiff
ROOTFS := build/busybox-rootfs.tar

# The rootless side of the tests and the benchmark run as this user, with the
# binary and rootfs copied to a directory it can read (see hack/test-user.sh).
SKIFF_TEST_USER ?= skifftest
SKIFF_TEST_BINDIR ?= /tmp/skiff-test-bin
export SKIFF_TEST_USER SKIFF_TEST_BINDIR

UNIT_PKGS := ./pkg/... ./libpod/... ./rootless/... ./cmd/... ./hack/... ./api-compat/... ./systemd/...
VET_PKGS := $(UNIT_PKGS) ./test/...

# Recipes below use bash with pipefail so a pipe never hides a failure.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.DEFAULT_GOAL := build
# apt and the test user set-up must never run twice at once.
.NOTPARALLEL:
.PHONY: all build deps test-deps bench-deps image demo test-user vet tidy-check unit e2e compat test bench completions clean

all: build

# Always hand over to go: its own cache decides what is stale.
build:
	CGO_ENABLED=1 $(GO) build -tags '$(BUILDTAGS)' -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/skiff

deps:
	hack/install-deps.sh build runtime

test-deps:
	hack/install-deps.sh test

bench-deps:
	hack/install-deps.sh bench

image: $(ROOTFS)

$(ROOTFS): hack/make-busybox-rootfs.sh
	hack/make-busybox-rootfs.sh $@

demo: deps
	$(MAKE) build image
	hack/demo.sh

test-user:
	hack/test-user.sh

vet:
	$(GO) vet -tags '$(BUILDTAGS)' $(VET_PKGS)

# go.mod and go.sum must be what `go mod tidy` makes of them, in both
# modules (skiff's and test/compat's): a direct dependency marked
# `// indirect`, or a stale requirement, fails here. `-diff` prints the
# change and never writes the tree. It reads the module cache the build
# warmed; only modules that tests of dependencies import are fetched once.
TIDY_MODULES := . test/compat
tidy-check:
	rc=0; for d in $(TIDY_MODULES); do \
	  if ! out=$$(cd $$d && $(GO) mod tidy -diff 2>&1); then \
	    echo "tidy-check: $$d/go.mod is not tidy; run \`(cd $$d && go mod tidy)\` and commit:"; \
	    echo "$$out"; rc=1; \
	  fi; \
	done; exit $$rc

# gotest NAME ARGS runs `go test -json ARGS` through hack/testsummary: plain
# `go test` output (ok/FAIL lines, failing tests in full) plus counts. The
# group exits with go test's status (pipefail keeps it) and also reports it
# to the summary, so neither can hide a failure.
# gotest NAME, GO TEST ARGS[, DIR]: go test in DIR (default: here), summarized.
define gotest
	$(GO) build -o build/testsummary ./hack/testsummary
	{ rc=0; cd $(or $(3),.) && CGO_ENABLED=1 $(GO) test -json -tags '$(BUILDTAGS)' $(2) || rc=$$?; \
	  echo "##testsummary exit $$rc"; exit $$rc; } 2>&1 | build/testsummary -name $(1) -tally build/test-tally
endef

unit:
	$(call gotest,unit,-count=1 -timeout 8m $(UNIT_PKGS))

# The suite runs the binary as root and as $(SKIFF_TEST_USER), from the copy
# hack/test-user.sh made where that user can read it.
e2e: export SKIFF_BIN := $(SKIFF_TEST_BINDIR)/skiff
e2e: export SKIFF_TEST_ROOTFS := $(SKIFF_TEST_BINDIR)/busybox-rootfs.tar
e2e:
	$(call gotest,e2e,-count=1 -timeout 25m ./test/e2e/...)

# The real docker CLI and the Docker Go SDK against `skiff system service`,
# as root and as $(SKIFF_TEST_USER). test/compat is its own module, so the
# SDK's dependencies stay out of skiff's.
compat: export SKIFF_BIN := $(SKIFF_TEST_BINDIR)/skiff
compat: export SKIFF_TEST_ROOTFS := $(SKIFF_TEST_BINDIR)/busybox-rootfs.tar
compat:
	$(call gotest,compat,-count=1 -timeout 15m ./...,test/compat)

# deps first (they may install Go), then build and set-up; vet, unit, e2e and compat
# all run even when one fails, so one CI pass shows everything, and the
# target fails at the end if any did.
# Under `make test` the set-up has installed every program a test runs, so
# a test that finds one missing fails instead of skipping (SKIFF_TEST_STRICT).
test: export SKIFF_TEST_STRICT := 1
test: deps test-deps
	$(MAKE) build image
	$(MAKE) test-user
	rc=0; rm -f build/test-tally; \
	$(MAKE) vet || rc=1; \
	$(MAKE) tidy-check || rc=1; \
	$(MAKE) unit || rc=1; \
	$(MAKE) e2e || rc=1; \
	$(MAKE) compat || rc=1; \
	if [[ $$rc -ne 0 ]]; then echo "make test: FAILED (see above)"; else echo "make test: all passed"; fi; \
	build/testsummary -total build/test-tally || rc=1; \
	exit $$rc

# run.sh also sets up the test user and podman for it (see its header).
bench: deps bench-deps
	$(MAKE) build image
	test/bench/run.sh

completions:
	@# Generated bash/zsh/fish completions arrive with a later issue.
	@echo "completions: not generated yet (a later issue)"

clean:
	rm -rf bin build
