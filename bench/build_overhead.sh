#!/usr/bin/env bash
# What gobuild adds to a build: `gobuild build` against the very `go build` line it runs
# (taken from `gobuild plan`), with a warm build cache, vendor: false and rebuild_all: false,
# so that both do the same (cached) work. Median of N runs with hyperfine.
#   bench/build_overhead.sh [RUNS]     (GOBUILD=path/to/gobuild, default build/src/gobuild)
set -euo pipefail
runs=${1:-20}
src=$(cd "$(dirname "$0")/.." && pwd)
export GOBUILD=${GOBUILD:-$src/build/src/gobuild}
source "$src/tests/integration/lib.sh"
command -v hyperfine >/dev/null || skip "hyperfine is not installed"
gb_setup
echo "machine: $(nproc) CPUs, $(lscpu | sed -n "s/^Model name: *//p"), $(uname -r), load $(cut -d" " -f1-3 /proc/loadavg)"

app="$SCRATCH/hello"
gb_hello "$app"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
vendor: false
build:
  rebuild_all: false
targets:
  - name: hello
YAML
cd "$app"
"$GOBUILD" -q build # warms the cache
line=$("$GOBUILD" plan)
# Both skip the link: go build because -o is up to date, gobuild because it seeds its temporary
# file with the previous output (rebuild_all: false). The difference is gobuild's own work:
# config, vendor check, the copy, verification, sha256, rename.
hyperfine --style basic --warmup 2 --runs "$runs" --export-json "$SCRATCH/h.json" \
  -n "gobuild build" "$GOBUILD -q build" \
  -n "go build (same line)" "sh -c $(printf '%q' "$line")" >/dev/null
python3 - "$SCRATCH/h.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
print(f"{'command':<24} {'median ms':>10} {'mean ms':>10} {'stddev':>8} {'runs':>5}")
for r in rs:
    print(f"{r['command']:<24} {r['median']*1000:>10.1f} {r['mean']*1000:>10.1f} {r['stddev']*1000:>8.1f} {len(r['times']):>5}")
d = (rs[0]['median'] - rs[1]['median']) * 1000
print(f"gobuild overhead (median): {d:.1f} ms")
PY

# The default config (rebuild_all: true, i.e. go build -a): the case gobuild is used for. The
# same line from `gobuild plan`, both with -a, fewer runs (each one rebuilds the standard library).
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
vendor: false
targets:
  - name: hello
YAML
line=$("$GOBUILD" plan)
runs_a=${RUNS_A:-10}
hyperfine --style basic --warmup 1 --runs "$runs_a" --export-json "$SCRATCH/a.json" \
  -n "gobuild build (-a)" "$GOBUILD -q build" \
  -n "go build -a (same line)" "sh -c $(printf '%q' "$line")" >/dev/null
python3 - "$SCRATCH/a.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
print()
print(f"{'command':<24} {'median ms':>10} {'mean ms':>10} {'stddev':>8} {'runs':>5}")
for r in rs:
    print(f"{r['command']:<24} {r['median']*1000:>10.1f} {r['mean']*1000:>10.1f} {r['stddev']*1000:>8.1f} {len(r['times']):>5}")
d = (rs[0]['median'] - rs[1]['median'])
print(f"gobuild overhead with -a (median): {d*1000:.1f} ms = {100*d/rs[1]['median']:.2f} %")
PY
