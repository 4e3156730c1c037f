#!/usr/bin/env bash
# rebuild_all: auto, the default: -a only for cgo targets. A pure-Go build without -a (served
# from go's content-keyed cache) gives the very bytes that -a gives, for a module with a
# third-party dependency; a cgo target still gets -a.
source "$(dirname "$0")/lib.sh"
gb_setup
umask 022

proxy="$SCRATCH/proxy"
app="$SCRATCH/app"
gb_dep_module "$app" "$proxy"
cd "$app"
GOPROXY="file://$proxy" go mod vendor >/dev/null 2>&1 || fail "go mod vendor"
cat >gobuild.yaml <<'YAML'
version: 1
build:
  ldflags: [-s, -w]
targets:
  - name: app
    output: out/auto
  - name: app-cgo
    cgo: true
    linkmode: external
    output: out/cgo
YAML

run_gobuild plan app
expect_eq "plan exits 0" 0 "$rc"
expect_not_contains "auto without cgo: no -a" " -a " "$out"
run_gobuild plan app-cgo
expect_contains "auto with cgo: -a" "go build -o $app/out/cgo -a -trimpath" "$out"

# Warm the cache, then the default build: served from the cache.
run_gobuild build app
expect_eq "auto build exits 0" 0 "$rc"
auto=$(sha out/auto)
rm -f out/auto
run_gobuild build app
expect_eq "auto rebuild exits 0" 0 "$rc"
expect_eq "auto rebuild: same bytes" "$auto" "$(sha out/auto)"

# The same target with rebuild_all: true: every package compiled again, the same bytes.
sed -i 's/^  ldflags: \[-s, -w\]$/  ldflags: [-s, -w]\n  rebuild_all: true/' gobuild.yaml
run_gobuild plan app
expect_contains "rebuild_all: true: -a" "go build -o $app/out/auto -a -trimpath" "$out"
run_gobuild build app
expect_eq "-a build exits 0" 0 "$rc"
expect_eq "auto's pure-Go output is byte-identical to -a's" "$auto" "$(sha out/auto)"

sed -i 's/^  rebuild_all: true$/  rebuild_all: sometimes/' gobuild.yaml
run_gobuild plan app
expect_eq "a bad value: exit 2" 2 "$rc"
expect_eq "a bad value: message" "gobuild.yaml:4:16: error: rebuild_all: 'sometimes' is not one of true, false, auto" "$err"

gb_done
