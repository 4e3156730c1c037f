#!/usr/bin/env bash
# The main job: build gobuild, then use it to build and verify examples/hello.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/env.sh

if [[ ! -f build/build.ninja ]]; then
  meson setup build --buildtype=release
fi
ninja -C build src/gobuild
gobuild="$PWD/build/src/gobuild"

echo "== gobuild verify on itself (a tool that enforces static binaries is one itself)"
"$gobuild" verify "$gobuild"
echo "== gobuild build in examples/hello"
"$gobuild" -C examples/hello build
echo "== gobuild verify examples/hello/bin/*"
"$gobuild" verify examples/hello/bin/*
echo "== run the host's binary"
"examples/hello/bin/hello-$(go env GOOS)-$(go env GOARCH)"
