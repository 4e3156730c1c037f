#!/usr/bin/env bash
# A 4 GiB sparse ELF verifies as fast as the small original: gobuild reads the headers, the
# dynamic segment, the notes and the build info, never the whole file.
# The file is a static Go binary (the largest of the Go toolchain) extended with `truncate -s 4G`:
# its headers stay valid, the tail is a hole.
#   GOBUILD=path/to/gobuild bench/verify_sparse.sh     (default build/src/gobuild)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
print_machine
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$(ls -S "$("$GO" env GOROOT)"/bin/* "$("$GO" env GOTOOLDIR)"/* | head -1)
cp "$src" "$tmp/small"
cp "$src" "$tmp/sparse"
truncate -s 4G "$tmp/sparse"
echo "small:  $(stat -c %s "$tmp/small") bytes ($src)"
echo "sparse: $(stat -c %s "$tmp/sparse") bytes, $(du -k "$tmp/sparse" | cut -f1) KiB on disk"
# Same answer apart from the path.
a=$("$GOBUILD" verify --json "$tmp/small" | sed "s|$tmp/small|F|")
b=$("$GOBUILD" verify --json "$tmp/sparse" | sed "s|$tmp/sparse|F|")
if [[ $a == "$b" ]]; then echo "outputs: identical"; else echo "outputs: DIFFER"; diff <(echo "$a") <(echo "$b") || true; fi

md=$tmp/results.json
hyperfine -N -i --warmup 5 --min-runs 200 --export-json "$md" \
  -n "verify small ($(du -h "$tmp/small" | cut -f1))" "$GOBUILD verify --json $tmp/small" \
  -n "verify sparse 4 GiB" "$GOBUILD verify --json $tmp/sparse" \
  -n "readelf -d sparse 4 GiB" "readelf -d $tmp/sparse" >/dev/null
table "$md"
