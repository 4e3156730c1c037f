#!/usr/bin/env bash
# What the build step's sandbox costs a job: a cached `gobuild build` of 4 jobs (one target, 4
# platforms, -j 1) in a network namespace (the default where the kernel allows it) against the
# same with --no-sandbox. The difference over 4 is the cost per job: a supervisor fork, the
# namespace, loopback up, and the namespace's teardown. Median of N runs with hyperfine.
#   bench/build_sandbox.sh [RUNS]     (GOBUILD=path/to/gobuild, default build/src/gobuild)
set -euo pipefail
runs=${1:-20}
src=$(cd "$(dirname "$0")/.." && pwd)
export GOBUILD=${GOBUILD:-$src/build/src/gobuild}
source "$src/tests/integration/lib.sh"
source "$src/bench/lib.sh"
command -v hyperfine >/dev/null || skip "hyperfine is not installed"
gb_setup

app="$SCRATCH/app"
gb_module "$app" example.com/app
printf 'package main\n\nfunc main() { println("hi") }\n' >"$app/main.go"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
vendor: false
build: {rebuild_all: false}
targets:
  - name: app
    platforms: [linux/amd64, linux/arm64, linux/386, linux/riscv64]
YAML
cd "$app"
"$GOBUILD" -q -j 1 build  # warm the cache: every later build finds its output up to date
print_machine
echo "sandbox here: $("$GOBUILD" env --json | sed -n 's/.*"sandbox": "\([^"]*\)".*/\1/p')"
hyperfine --style basic --warmup 2 --runs "$runs" --export-json "$SCRATCH/h.json" \
  -n "gobuild build -j 1 --no-sandbox (4 jobs)" "$GOBUILD -q -j 1 build --no-sandbox" \
  -n "gobuild build -j 1 (4 jobs, sandbox)" "$GOBUILD -q -j 1 build" >/dev/null
table "$SCRATCH/h.json"
python3 - "$SCRATCH/h.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
print("sandbox cost per job (median): %.2f ms" % ((rs[1]["median"] - rs[0]["median"]) * 1e3 / 4))
PY
