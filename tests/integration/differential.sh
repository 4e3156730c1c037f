#!/usr/bin/env bash
# The differential test of `gobuild verify` (tests/differential/run.sh) as a meson test:
# gobuild against readelf, `go version -m` and Go's debug/* packages over a corpus built at
# test time, plus truncated and byte-flipped inputs. Exit 77 (skip) when go or readelf is absent.
set -euo pipefail
src=${GOBUILD_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
exec "$src/tests/differential/run.sh"
