#!/usr/bin/env bash
# What gobuild adds to a build: `gobuild build` against the very `go build` line it runs
# (taken from `gobuild plan`), measured in one run: with rebuild_all: false and a warm cache;
# with the default config (rebuild_all: auto) warm, a no-op rebuild (target ≤ 1.10×); and
# with the default config cold, an empty build cache before each run (target ≤ 1.05×).
#   bench/build_overhead.sh [RUNS]     (GOBUILD=path/to/gobuild, default build/src/gobuild;
#                                       RUNS_COLD=3 cold runs each, COLD=0 none)
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

# The default config (rebuild_all: auto: no -a for pure Go), warm: a no-op rebuild, against
# the same line from `gobuild plan`. Target: ≤ 1.10×.
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
vendor: false
targets:
  - name: hello
YAML
"$GOBUILD" -q build
line=$("$GOBUILD" plan)
hyperfine --style basic --warmup 2 --runs "$runs" --export-json "$SCRATCH/d.json" \
  -n "go build (same line)" "sh -c $(printf '%q' "$line")" \
  -n "gobuild build (default config)" "$GOBUILD -q build" >/dev/null
echo
echo "default config, warm no-op rebuild (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
python3 - "$SCRATCH/d.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
for r in rs:
    print(f"{r['command']:<32} median {r['median']*1000:>8.1f} ms  min {r['min']*1000:>8.1f} ms  runs {len(r['times'])}")
print(f"ratio (median): {rs[1]['median'] / rs[0]['median']:.3f}x  (min: {rs[1]['min'] / rs[0]['min']:.3f}x)")
PY

[[ ${COLD:-1} == 1 ]] || exit 0 # COLD=0: the warm measurements only

# Cold: an empty build cache before every run (the standard library is compiled too), both
# with the same GOCACHE. Target: ≤ 1.05×.
cold="$SCRATCH/coldcache"
mkdir -p "$cold"
line=$(GOCACHE="$cold" "$GOBUILD" plan)
runs_cold=${RUNS_COLD:-3}
hyperfine --style basic --runs "$runs_cold" --export-json "$SCRATCH/c.json" \
  --prepare "rm -rf $cold && mkdir -p $cold && rm -f $app/bin/hello" \
  -n "go build (same line), cold" "sh -c $(printf '%q' "$line")" \
  -n "gobuild build, cold" "env GOCACHE=$cold $GOBUILD -q build" >/dev/null
echo
echo "default config, cold build (load average $(cut -d' ' -f1-3 /proc/loadavg)):"
python3 - "$SCRATCH/c.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
for r in rs:
    print(f"{r['command']:<32} median {r['median']*1000:>8.1f} ms  min {r['min']*1000:>8.1f} ms  runs {len(r['times'])}")
print(f"ratio (median): {rs[1]['median'] / rs[0]['median']:.3f}x  (min: {rs[1]['min'] / rs[0]['min']:.3f}x)")
PY
