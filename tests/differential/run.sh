#!/usr/bin/env bash
# Differential test of `gobuild verify` (doc/json.md) against readelf, `go version -m`,
# `go tool buildid` and Go's debug/* packages (compare.py), bounded reads on a 4 GiB sparse file and
# under strace (reads.py), and truncated or byte-flipped inputs (malformed.py).
#
#   GOBUILD=path/to/gobuild tests/differential/run.sh
#
# Environment: GOBUILD (default build/src/gobuild), GO (default: go on PATH), KEEP=1 keeps the
# scratch directory, DIFF_SEED seeds the byte flips (default 1), DIFF_SCRATCH reuses a corpus
# directory made by an earlier run (KEEP=1) instead of building a new one, DIFF_CORPUS_CACHE
# keeps the corpus in DIR/KEY from run to run (meson sets it to ~/.cache/gobuild-tests/differential-corpus),
# KEY being a digest of the go version, the C compiler and the corpus sources: a change to any
# of them makes a new corpus, and the old one is removed.
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
remove_tree() {
  chmod -R u+w "$1" 2>/dev/null || true # the corpus's module cache is read-only
  rm -rf "$1"
}
corpus_tmp=""
cleanup() {
  [[ -z $corpus_tmp ]] || remove_tree "$corpus_tmp"
  if [[ ${KEEP:-0} == 1 || $reuse == 1 ]]; then
    echo "differential: scratch kept in $scratch" >&2
  else
    remove_tree "$scratch"
  fi
}
trap cleanup EXIT

# corpus: the directory holding manifest.tsv, skipped.txt and the files the manifest names;
# scratch: this run's own files (gomodinfo, the sparse copy, the malformed inputs).
corpus=$scratch
if [[ $reuse == 0 && -n ${DIFF_CORPUS_CACHE:-} ]]; then
  key=$( {
    "$GO" env GOVERSION GOROOT
    cc --version 2>/dev/null | head -1 || true
    (cd "$here" && find corpus.sh noshdr.py mkproxy.py testdata -type f -print0 | LC_ALL=C sort -z |
       xargs -0 sha256sum)
  } | sha256sum | cut -c1-16)
  corpus=$DIFF_CORPUS_CACHE/$key
  # A kept corpus is used when it is whole: every file its manifest names is still there
  # (system files are named where they are, and a package upgrade may remove one).
  if [[ -s $corpus/manifest.tsv ]] && cut -f2 "$corpus/manifest.tsv" | while IFS= read -r f; do
       [[ -e $f ]] || exit 1; done; then
    echo "differential: the corpus kept in $corpus"
  else
    mkdir -p "$DIFF_CORPUS_CACHE"
    for old in "$DIFF_CORPUS_CACHE"/*; do [[ -e $old ]] && remove_tree "$old"; done
    corpus_tmp=$DIFF_CORPUS_CACHE/.new-$key
    "$here/corpus.sh" "$corpus_tmp"
    # The manifest names files by absolute path: move them with the directory.
    sed -i "s|	$corpus_tmp/|	$corpus/|" "$corpus_tmp/manifest.tsv"
    mv "$corpus_tmp" "$corpus"
    corpus_tmp=""
  fi
elif [[ $reuse == 0 || ! -s $scratch/manifest.tsv ]]; then
  "$here/corpus.sh" "$scratch"
fi
echo "differential: corpus ready after $((SECONDS - start)) s"
if [[ -s $corpus/skipped.txt ]]; then
  sed 's/^/differential: skipped: /' "$corpus/skipped.txt"
fi

(cd "$here/gomodinfo" && GOTOOLCHAIN=local GOFLAGS= GOWORK=off CGO_ENABLED=0 \
  "$GO" build -o "$scratch/gomodinfo" .)

status=0
python3 "$here/compare.py" --gobuild "$GOBUILD" --go "$GO" --gomodinfo "$scratch/gomodinfo" \
  --manifest "$corpus/manifest.tsv" || status=1
echo "differential: comparison done after $((SECONDS - start)) s"

python3 "$here/reads.py" --gobuild "$GOBUILD" --manifest "$corpus/manifest.tsv" \
  --scratch "$scratch" || status=1

c=$corpus/corpus
python3 "$here/malformed.py" --gobuild "$GOBUILD" --scratch "$scratch" \
  --truncate "$c/cgo/cgo-dynamic" "$c/cross/hello-linux-mips" \
  --flip "$c/cross/hello-linux-amd64" "$c/cross/hello-linux-s390x" "$c/cgo/cgo-dynamic" \
         "$c/cross/hello-linux-arm" "$c/cross/hello-windows-amd64.exe" \
         "$c/cross/hello-darwin-arm64" || status=1

echo "differential: done in $((SECONDS - start)) s: $([[ $status == 0 ]] && echo PASS || echo FAIL)"
exit $status
