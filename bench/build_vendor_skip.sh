#!/usr/bin/env bash
# The vendoring skip: `gobuild vendor` on a consistent vendor/ (reads go.mod, go.sum,
# vendor/modules.txt and the stamp) against `go mod vendor` itself (warm module cache, file://
# proxy). Median of N runs with hyperfine.
#   bench/build_vendor_skip.sh [RUNS]     (GOBUILD=path/to/gobuild, default build/src/gobuild)
set -euo pipefail
runs=${1:-20}
src=$(cd "$(dirname "$0")/.." && pwd)
export GOBUILD=${GOBUILD:-$src/build/src/gobuild}
source "$src/tests/integration/lib.sh"
command -v hyperfine >/dev/null || skip "hyperfine is not installed"
gb_setup

proxy="$SCRATCH/proxy"
app="$SCRATCH/app"
gb_dep_module "$app" "$proxy"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
targets:
  - name: app
YAML
cd "$app"
export GOPROXY="file://$proxy"
"$GOBUILD" -q vendor
# `go mod vendor` rewrites vendor/ and drops the stamp: each gobuild run is prepared by one
# that restores it, so that the timed run measures the skip.
hyperfine --style basic --warmup 2 --runs "$runs" --export-json "$SCRATCH/h.json" \
  --prepare "$GOBUILD -q vendor" --prepare true \
  -n "gobuild vendor (skip)" "$GOBUILD -q vendor" \
  -n "go mod vendor" "go mod vendor" >/dev/null
python3 - "$SCRATCH/h.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
print(f"{'command':<24} {'median ms':>10} {'mean ms':>10} {'stddev':>8} {'runs':>5}")
for r in rs:
    print(f"{r['command']:<24} {r['median']*1000:>10.1f} {r['mean']*1000:>10.1f} {r['stddev']*1000:>8.1f} {len(r['times']):>5}")
PY
