#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan+libFuzzer) and runs each one.
#   fuzz/run.sh --smoke        20 s a target: what scripts/test.sh runs
#   fuzz/run.sh [SECONDS]      SECONDS a target (default 300), corpora kept in fuzz/corpus/
# Seeds are made at run time by fuzz/seeds.sh (real Go binaries cut short, hand-made blobs):
# nothing binary is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

seconds=300
if [[ "${1:-}" == --smoke ]]; then seconds=20; elif [[ -n "${1:-}" ]]; then seconds=$1; fi

if [[ ! -f build-fuzz/build.ninja ]]; then
  # The libraries are instrumented too (fuzzer-no-link), so that libFuzzer sees their coverage.
  CXX=clang++ meson setup build-fuzz -Dfuzz=true -Dstatic_exe=false -Dtests=false \
    -Dintegration_tests=false --buildtype=debugoptimized \
    -Dcpp_args=-fsanitize=fuzzer-no-link,address,undefined >/dev/null
fi
ninja -C build-fuzz fuzz/fuzz_elf fuzz/fuzz_buildinfo fuzz/fuzz_pe fuzz/fuzz_macho fuzz/fuzz_config fuzz/fuzz_git

corpus=fuzz/corpus
mkdir -p "$corpus"
if [[ -x fuzz/seeds.sh || -f fuzz/seeds.sh ]]; then
  bash fuzz/seeds.sh "$corpus"
fi

status=0
for t in elf buildinfo pe macho config git; do
  mkdir -p "$corpus/$t"
  echo "== fuzz_$t for ${seconds}s"
  if ! build-fuzz/fuzz/fuzz_$t "$corpus/$t" -max_total_time="$seconds" -rss_limit_mb=1024 \
      -malloc_limit_mb=128 -timeout=10 -print_final_stats=1 -artifact_prefix="$corpus/crash-$t-" \
      2> "$corpus/fuzz_$t.log"; then
    echo "fuzz_$t FAILED:"; tail -40 "$corpus/fuzz_$t.log"; status=1
  else
    grep -E 'stat::number_of_executed_units|cov:' "$corpus/fuzz_$t.log" | tail -2
  fi
done
exit $status
