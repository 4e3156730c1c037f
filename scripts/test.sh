#!/usr/bin/env bash
# Every test: unit and integration tests (meson test), the same unit tests again under
# ASan+UBSan, and a short run of each fuzz target over its seeds. Prints the wall time of each
# stage as it ends, and all of them at the end (doc/testing.md has the times on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

# stage NAME: the start of a stage; the previous one's time is printed and kept for the summary.
stage_names=() stage_secs=() stage_name="" stage_start=$SECONDS suite_start=$SECONDS
stage_end() {
  if [[ -n $stage_name ]]; then
    stage_names+=("$stage_name") stage_secs+=($((SECONDS - stage_start)))
    echo "== $stage_name: $((SECONDS - stage_start)) s"
  fi
  stage_name=""
}
stage() {
  stage_end
  stage_name=$1 stage_start=$SECONDS
  echo "== $1"
}
summary() {
  local rc=$?
  stage_end
  echo "== stage times ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
  for i in "${!stage_names[@]}"; do
    printf '%6d s  %s\n' "${stage_secs[$i]}" "${stage_names[$i]}"
  done
  printf '%6d s  total%s\n' $((SECONDS - suite_start)) "$([[ $rc == 0 ]] || echo ", FAILED (exit $rc)")"
}
trap summary EXIT

stage "dependencies"
GOBUILD_DEPS=full bash scripts/install-deps.sh
source scripts/env.sh
jobs=$(nproc)

werror=false
if [[ "${CI:-}" == true ]]; then werror=true; fi

stage "release build"
if [[ ! -f build-test/build.ninja ]]; then
  meson setup build-test -Dwerror=$werror
fi
ninja -C build-test -j "$jobs"

# The integration scenarios share one Go build cache, ~/.cache/gobuild-tests/gocache, kept from run to run
# (those that need a cold or private cache have their own: tests/integration/meson.build); the
# differential corpus is kept in ~/.cache/gobuild-tests/differential-corpus, made again when Go or the
# corpus sources change. Each test's duration is printed.
stage "unit and integration tests"
meson test -C build-test --no-rebuild --print-errorlogs --num-processes "$jobs"

stage "ASan+UBSan build of the unit tests"
if [[ ! -f build-asan/build.ninja ]]; then
  meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dstatic_exe=false \
    -Dwerror=$werror --buildtype=debug
fi
# Only what the unit suite runs: the integration tests already ran on the release build.
unit_targets=$(cd build-asan && ninja -t targets all | grep -oE '^tests/unit/[a-z]+/test_[a-z]+(:| )' | tr -d ': ' | sort -u)
ninja -C build-asan -j "$jobs" $unit_targets
stage "ASan+UBSan: the unit tests"
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
  meson test -C build-asan --no-rebuild --print-errorlogs --num-processes "$jobs" --suite unit

stage "fuzz targets: build, and a 20 s smoke run each (long runs: fuzz/run.sh SECONDS)"
bash fuzz/run.sh --smoke
