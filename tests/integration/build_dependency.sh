#!/usr/bin/env bash
# A module with a third-party dependency from a local file:// proxy: gobuild vendors it, builds
# a static binary that runs, skips vendoring the second time, and rebuilds the same bytes with
# GOPROXY pointing nowhere and an empty module cache (vendor/ makes the build offline).
source "$(dirname "$0")/lib.sh"
gb_setup
umask 022

proxy="$SCRATCH/proxy"
app="$SCRATCH/app"
gb_dep_module "$app" "$proxy"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
build:
  rebuild_all: false
targets:
  - name: app
YAML

cd "$app"
GOPROXY="file://$proxy" run_gobuild build
expect_eq "first build exits 0" 0 "$rc"
expect_contains "it says why it vendored" "gobuild: vendoring: vendor/modules.txt does not exist" "$err"
expect_file "vendor/modules.txt made" vendor/modules.txt
expect_file "vendor/ holds the dependency" vendor/example.com/dep/dep.go
expect_file "the stamp is written" vendor/.gobuild-stamp
expect_file "bin/app made" bin/app
expect_eq "bin/app runs" "hello from dep" "$(./bin/app)"
first=$(sha bin/app)
expect_contains "the report line" "bin/app  linux/amd64  " "$out"
expect_contains "the report names sha256 and linkage" "sha256:$first  static  go" "$out"
expect_no_temps "no temporary left" "$app"

verify=$("$GOBUILD" verify --json bin/app)
expect_contains "verify: static" '"linkage": "static"' "$verify"
expect_contains "verify: the dependency is in the build info" '"path": "example.com/dep"' "$verify"

# Second run: vendor/ is consistent, no network needed even for the vendoring step.
GOPROXY=off run_gobuild -v build
expect_eq "second build exits 0" 0 "$rc"
expect_contains "vendoring skipped" "gobuild: vendor/ is consistent with go.mod and go.sum; not vendoring" "$err"
expect_not_contains "no go mod vendor run" "go mod vendor" "$err"
# The temp file was seeded with the previous output, which go build found up to date.
expect_eq "same bytes again" "$first" "$(sha bin/app)"
expect_eq "mode of a seeded output" 755 "$(stat -c %a bin/app)"

# Offline: empty module cache, a proxy that answers nothing, an empty build cache.
chmod -R u+w "$GOMODCACHE" && rm -rf "$GOMODCACHE" && mkdir -p "$GOMODCACHE"
export GOCACHE=$SCRATCH/gocache-empty # not `go clean -cache`: the cache may be shared
mkdir -p "$GOCACHE"
rm -f bin/app
GOPROXY=http://127.0.0.1:9 run_gobuild build
expect_eq "offline rebuild exits 0" 0 "$rc"
expect_eq "offline rebuild: same bytes" "$first" "$(sha bin/app)"
expect_eq "the module cache stayed empty" "" "$(ls -A "$GOMODCACHE")"

# go.sum changes: vendoring runs again (and fails offline: the proxy is the environment, exit 3, leaving bin/app alone).
echo "example.com/other v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" >>go.sum
GOPROXY=http://127.0.0.1:9 run_gobuild build
expect_eq "failed vendoring exits 3" 3 "$rc"
expect_contains "a changed go.sum vendors again" "gobuild: vendoring: go.mod or go.sum changed since vendor/ was made" "$err"
expect_eq "bin/app untouched" "$first" "$(sha bin/app)"

gb_done
