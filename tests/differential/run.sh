#!/usr/bin/env bash
# Differential test of `gobuild verify` (doc/json.md) against readelf, `go version -m`,
# `go tool buildid` and Go's debug/* packages (compare.py), bounded reads on a 4 GiB sparse file and
# under strace (reads.py), and truncated or byte-flipped inputs (malformed.py).
#
#   GOBUILD=path/to/gobuild tests/differential/run.sh
#
# Environment: GOBUILD (default build/src/gobuild), GO (default: go on PATH), KEEP=1 keeps the
# scratch directory, DIFF_SEED seeds the byte flips (default 1), DIFF_SCRATCH reuses a corpus
# directory made by an earlier run (KEEP=1) instead of building a new one.
# Exits 0 when everything agrees, 1 on any mismatch, 77 (skip) when a tool is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
GOBUILD=${GOBUILD:-$root/build/src/gobuild}
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
export GO

for tool in "$GOBUILD" "$GO" readelf python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "differential: SKIP: $tool not found" >&2
    exit 77
  fi
done
GOBUILD=$(command -v "$GOBUILD")
case $GOBUILD in /*) ;; *) GOBUILD=$PWD/$GOBUILD ;; esac

start=$SECONDS
if [[ -n ${DIFF_SCRATCH:-} ]]; then
  scratch=$DIFF_SCRATCH
  reuse=1
else
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/gobuild-diff.XXXXXX")
  reuse=0
fi
cleanup() {
  if [[ ${KEEP:-0} == 1 || $reuse == 1 ]]; then
    echo "differential: scratch kept in $scratch" >&2
  else
    chmod -R u+w "$scratch" 2>/dev/null || true
    rm -rf "$scratch"
  fi
}
trap cleanup EXIT

if [[ $reuse == 0 || ! -s $scratch/manifest.tsv ]]; then
  "$here/corpus.sh" "$scratch"
fi
echo "differential: corpus ready after $((SECONDS - start)) s"
if [[ -s $scratch/skipped.txt ]]; then
  sed 's/^/differential: skipped: /' "$scratch/skipped.txt"
fi

(cd "$here/gomodinfo" && GOTOOLCHAIN=local GOFLAGS= GOWORK=off CGO_ENABLED=0 \
  "$GO" build -o "$scratch/gomodinfo" .)

status=0
python3 "$here/compare.py" --gobuild "$GOBUILD" --go "$GO" --gomodinfo "$scratch/gomodinfo" \
  --manifest "$scratch/manifest.tsv" || status=1
echo "differential: comparison done after $((SECONDS - start)) s"

python3 "$here/reads.py" --gobuild "$GOBUILD" --manifest "$scratch/manifest.tsv" \
  --scratch "$scratch" || status=1

c=$scratch/corpus
python3 "$here/malformed.py" --gobuild "$GOBUILD" --scratch "$scratch" \
  --truncate "$c/cgo/cgo-dynamic" "$c/cross/hello-linux-mips" \
  --flip "$c/cross/hello-linux-amd64" "$c/cross/hello-linux-s390x" "$c/cgo/cgo-dynamic" \
         "$c/cross/hello-linux-arm" "$c/cross/hello-windows-amd64.exe" \
         "$c/cross/hello-darwin-arm64" || status=1

echo "differential: done in $((SECONDS - start)) s: $([[ $status == 0 ]] && echo PASS || echo FAIL)"
exit $status
