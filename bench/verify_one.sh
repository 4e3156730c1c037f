#!/usr/bin/env bash
# One file: `gobuild verify` (linkage + Go build info) vs `readelf -d` alone vs `go version -m`,
# on the largest binary of the Go toolchain. Targets: gobuild <= readelf -d, and <= half of
# go version -m.
#   GOBUILD=path/to/gobuild bench/verify_one.sh        (default build/src/gobuild)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
GOBUILD=$(realpath "${GOBUILD:-$root/build/src/gobuild}")
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
export LANG=C LC_ALL=C

# Prints hyperfine's JSON results as a table: mean ± σ, median and min (the machine is shared, so
# the median and min say more than the mean), and each command's median relative to the first.
table() {
  python3 - "$1" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
base = rs[0]["median"]
print("| Command | Mean [ms] | Median [ms] | Min [ms] | Runs | Median vs first |")
print("|:---|---:|---:|---:|---:|---:|")
for r in rs:
    print("| `%s` | %.2f ± %.2f | %.2f | %.2f | %d | %.2f× |" % (
        r["command"], r["mean"] * 1e3, r["stddev"] * 1e3, r["median"] * 1e3, r["min"] * 1e3,
        len(r["times"]), r["median"] / base))
PY
}

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), Linux $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tools: $("$GOBUILD" version 2>/dev/null | head -1), $(readelf --version | head -1), $("$GO" version)"
file=$(ls -S "$("$GO" env GOROOT)"/bin/* "$("$GO" env GOTOOLDIR)"/* | head -1)
echo "file: $file ($(stat -c %s "$file") bytes)"
"$GOBUILD" verify --allow-dynamic "$file" || true

md=$(mktemp)
trap 'rm -f "$md"' EXIT
# -N: no intermediate shell; -i: verify exits 1 for a dynamic file, which is not a failure here.
hyperfine -N -i --warmup 5 --min-runs 200 --export-json "$md" \
  -n "gobuild verify" "$GOBUILD verify --allow-dynamic $file" \
  -n "gobuild verify --json" "$GOBUILD verify --json --allow-dynamic $file" \
  -n "readelf -d" "readelf -d $file" \
  -n "go version -m" "$GO version -m $file" >/dev/null
table "$md"
