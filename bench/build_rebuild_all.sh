#!/usr/bin/env bash
# rebuild_all (-a) against a cached build: the time each takes with a warm cache, and whether
# the output bytes are the same (they should be: -a only refuses the cache).
#   bench/build_rebuild_all.sh [RUNS]     (GOBUILD=path/to/gobuild, default build/src/gobuild)
set -euo pipefail
runs=${1:-3}
src=$(cd "$(dirname "$0")/.." && pwd)
export GOBUILD=${GOBUILD:-$src/build/src/gobuild}
source "$src/tests/integration/lib.sh"
command -v hyperfine >/dev/null || skip "hyperfine is not installed"
gb_setup

app="$SCRATCH/hello"
gb_hello "$app"
for a in true false; do
  cat >"$app/gobuild-$a.yaml" <<YAML
version: 1
vendor: false
build:
  rebuild_all: $a
targets:
  - name: hello
    output: bin/hello-a-$a
YAML
done
cd "$app"
"$GOBUILD" -q build -f gobuild-false.yaml # warms the cache
hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$SCRATCH/h.json" \
  -n "rebuild_all: true (-a)" "$GOBUILD -q build -f gobuild-true.yaml" \
  -n "rebuild_all: false" "$GOBUILD -q build -f gobuild-false.yaml" >/dev/null
python3 - "$SCRATCH/h.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
print(f"{'command':<24} {'median ms':>10} {'mean ms':>10} {'stddev':>8} {'runs':>5}")
for r in rs:
    print(f"{r['command']:<24} {r['median']*1000:>10.1f} {r['mean']*1000:>10.1f} {r['stddev']*1000:>8.1f} {len(r['times']):>5}")
PY
a=$(sha bin/hello-a-true)
b=$(sha bin/hello-a-false)
if [[ "$a" == "$b" ]]; then echo "output bytes: identical ($a)"; else echo "output bytes: DIFFER ($a vs $b)"; fi
