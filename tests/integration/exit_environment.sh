#!/usr/bin/env bash
# Exit codes of a failed vendoring step: whose fault it is decides the code.
#  - the environment (exit 3, retrying may help): a file:// GOPROXY without the module (a
#    proxy's refusal), GOPROXY=off with the module missing from the module cache, a proxy that
#    cannot be reached;
#  - the module's own mistake (exit 2, nothing was built, retrying cannot help): a replace
#    directive naming a directory that does not exist;
#  - `gobuild vendor` says the same as `gobuild build`; --json still prints its document.
source "$(dirname "$0")/lib.sh"
gb_setup

proxy="$SCRATCH/proxy"
app="$SCRATCH/app"
gb_dep_module "$app" "$proxy"
printf 'version: 1\ntargets:\n  - name: app\n' >"$app/gobuild.yaml"
mkdir -p "$SCRATCH/empty"
# gb_dep_module's go get left the module in the module cache: empty it, so that vendoring has
# to fetch.
chmod -R u+w "$GOMODCACHE" && rm -rf "$GOMODCACHE" && mkdir -p "$GOMODCACHE"
cd "$app"

check_env_failure() { # check_env_failure WHAT GO-REASON
  expect_eq "$1: exit 3" 3 "$rc"
  expect_contains "$1: go's reason" "$2" "$err"
  expect_contains "$1: the error, and that retrying may help" \
    "gobuild: error: go mod vendor failed (exit status 1) in $app: the module proxy, the network or the disk failed; retrying may help" "$err"
  expect_no_file "$1: nothing built" bin
  expect_no_file "$1: not vendored" vendor
}

GOPROXY="file://$SCRATCH/empty" run_gobuild build --json
check_env_failure "an empty file:// proxy" \
  "example.com/dep@v1.0.0: reading file://$SCRATCH/empty/example.com/dep/@v/v1.0.0.zip: no such file or directory"
expect_eq "an empty file:// proxy: --json still prints its document" '{"outputs":[],"ok":false}' "$(jq -c . <<<"$out")"

GOPROXY=off run_gobuild build
check_env_failure "GOPROXY=off, the module not in the cache" "example.com/dep: module lookup disabled by GOPROXY=off"

GOPROXY=off run_gobuild vendor
check_env_failure "gobuild vendor, GOPROXY=off" "example.com/dep: module lookup disabled by GOPROXY=off"

# Port 9 (discard) on the loopback: nothing listens there.
GOPROXY=http://127.0.0.1:9 run_gobuild build
check_env_failure "an unreachable proxy" "connect: connection refused"

# The module's mistake: exit 2.
printf 'replace example.com/dep => ../pkg\n' >>go.mod
GOPROXY="file://$proxy" run_gobuild build
expect_eq "a missing replacement directory: exit 2" 2 "$rc"
expect_contains "a missing replacement directory: go's reason" \
  "example.com/dep@v1.0.0: replacement directory ../pkg does not exist" "$err"
expect_contains "a missing replacement directory: the error" \
  "gobuild: error: go mod vendor failed (exit status 1) in $app: the module's go.mod or go.sum is wrong" "$err"
expect_no_file "a missing replacement directory: nothing built" bin

# And with the proxy that has it, the same module builds: the failures above were the environment's.
sed -i '/^replace/d' go.mod
GOPROXY="file://$proxy" run_gobuild build
expect_eq "the proxy that has the module: exit 0" 0 "$rc"

gb_done
