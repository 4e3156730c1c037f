#!/usr/bin/env bash
# Every test: unit and integration tests (meson test), the same unit tests again under
# ASan+UBSan, and a short run of each fuzz target over its seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
GOBUILD_DEPS=full bash scripts/install-deps.sh
source scripts/env.sh
jobs=$(nproc)

werror=false
if [[ "${CI:-}" == true ]]; then werror=true; fi

echo "== release build, unit and integration tests"
if [[ ! -f build-test/build.ninja ]]; then
  meson setup build-test -Dwerror=$werror
fi
ninja -C build-test -j "$jobs"
meson test -C build-test --print-errorlogs --num-processes "$jobs"

echo "== ASan+UBSan: the unit tests"
if [[ ! -f build-asan/build.ninja ]]; then
  meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dstatic_exe=false \
    -Dwerror=$werror --buildtype=debug
fi
# Only what the unit suite runs: the integration tests already ran on the release build.
unit_targets=$(cd build-asan && ninja -t targets all | grep -oE '^tests/unit/[a-z]+/test_[a-z]+(:| )' | tr -d ': ' | sort -u)
ninja -C build-asan -j "$jobs" $unit_targets
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
  meson test -C build-asan --no-rebuild --print-errorlogs --num-processes "$jobs" --suite unit

echo "== fuzz targets: a short smoke run each (long runs: fuzz/run.sh SECONDS)"
bash fuzz/run.sh --smoke
