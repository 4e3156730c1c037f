#!/usr/bin/env bash
# One file: `gobuild verify` (linkage + Go build info) vs `readelf -d` alone vs `go version -m`,
# on the largest binary of the Go toolchain. Targets: gobuild <= readelf -d, and <= half of
# go version -m.
#   GOBUILD=path/to/gobuild bench/verify_one.sh        (default build/src/gobuild)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
print_machine
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
