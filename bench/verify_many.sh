#!/usr/bin/env bash
# Many files: one `gobuild verify` call on 400 ELF files vs a `readelf -d` loop over the same
# files (and one `go version -m` call, for reference). Target: gobuild >= 5x faster than the loop.
#   GOBUILD=path/to/gobuild bench/verify_many.sh       (default build/src/gobuild)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
N=${N:-400}
print_machine
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
list=$tmp/files
# ELF files only: executables from /usr/bin, then shared libraries, then the Go toolchain.
: >"$list"
n=0
for f in /usr/bin/* /usr/lib/"$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)"/*.so* \
         "$("$GO" env GOROOT)"/bin/* "$("$GO" env GOTOOLDIR)"/*; do
  (( n < N )) || break
  [[ -f $f && -r $f && $(head -c4 "$f" | od -An -c | tr -d ' ') == 177ELF ]] || continue
  echo "$f" >>"$list"
  n=$((n + 1))
done
echo "files: $n ELF files, $(du -cLh $(cat "$list") | tail -1 | cut -f1) in total"
"$GOBUILD" verify --json --allow-dynamic $(cat "$list") >"$tmp/out.json" || true
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("verify: %d entries, %d errors" % (len(d["files"]), sum("error" in f for f in d["files"])))' "$tmp/out.json"

md=$tmp/results.json
hyperfine -i --warmup 2 --min-runs 10 --export-json "$md" \
  -n "gobuild verify (1 call, $n files)" "$GOBUILD verify --allow-dynamic \$(cat $list) >/dev/null" \
  -n "gobuild verify --json (1 call)" "$GOBUILD verify --json --allow-dynamic \$(cat $list) >/dev/null" \
  -n "readelf -d loop ($n calls)" "for f in \$(cat $list); do readelf -d \"\$f\"; done >/dev/null" \
  -n "go version -m (1 call)" "$GO version -m \$(cat $list) >/dev/null 2>&1" >/dev/null
table "$md"
