#!/usr/bin/env bash
# gobuild at scale: a generated config of 50 targets × 10 platforms (500 jobs) over a module
# with a dozen packages. Measures, in one run:
#   1. `gobuild plan` (target < 200 ms), with hyperfine;
#   2. a no-op rebuild of all 500 outputs (everything built and up to date) against the same
#      500 `go build` lines from `gobuild plan` run by `xargs -P NPROC` (target ≤ 1.2×);
#   3. gobuild's own peak memory during that rebuild (VmHWM of gobuild's process alone, not its
#      children, sampled from /proc; target < 50 MiB).
#   bench/scale.sh     (GOBUILD=path/to/gobuild; TARGETS=50 PLATFORMS=10 RUNS=3 to change)
# The first full build (500 links) takes a long time on a small machine; it is not measured.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
source "$src/bench/lib.sh"
export GOBUILD
source "$src/tests/integration/lib.sh"
command -v hyperfine >/dev/null || skip "hyperfine is not installed"
targets=${TARGETS:-50}
nplat=${PLATFORMS:-10}
runs=${RUNS:-3}
gb_setup
print_machine

app="$SCRATCH/app"
gb_module "$app" example.com/scale
# A dozen packages: eleven libraries in a chain and the main package.
for i in $(seq 1 11); do
  mkdir -p "$app/lib/p$i"
  {
    echo "// Package p$i is generated for the benchmark."
    echo "package p$i"
    if ((i > 1)); then echo; echo "import \"example.com/scale/lib/p$((i - 1))\""; fi
    echo
    echo "// Sum mixes its input."
    echo "func Sum(xs []int) int {"
    echo "	t := $i"
    echo "	for j, x := range xs {"
    echo "		t += x*j ^ $i"
    echo "	}"
    if ((i > 1)); then echo "	return t + p$((i - 1)).Sum(xs[1:])"; else echo "	return t"; fi
    echo "}"
  } >"$app/lib/p$i/p$i.go"
done
mkdir -p "$app/cmd/app"
cat >"$app/cmd/app/main.go" <<'GO'
package main

import (
	"os"
	"strconv"

	"example.com/scale/lib/p11"
)

var name = "app"

func main() {
	os.Stdout.WriteString(name + " " + strconv.Itoa(p11.Sum([]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})) + "\n")
}
GO
all_platforms=(linux/amd64 linux/arm64 linux/386 linux/arm linux/riscv64 linux/ppc64le linux/s390x linux/mips64le freebsd/amd64 netbsd/amd64 openbsd/amd64 windows/amd64)
platforms=$(IFS=,; echo "${all_platforms[*]:0:$nplat}")
{
  echo "version: 1"
  echo "vendor: false"
  echo "build:"
  echo "  ldflags: [-s, -w]"
  echo "targets:"
  for t in $(seq -w 1 "$targets"); do
    echo "  - name: t$t"
    echo "    main: ./cmd/app"
    echo "    platforms: [$platforms]"
    echo "    output: bin/{name}-{os}-{arch}"
  done
} >"$app/gobuild.yaml"
cd "$app"
jobs=$("$GOBUILD" plan | wc -l)
echo "config: $targets targets × $nplat platforms = $jobs jobs, $(find lib cmd -name '*.go' | wc -l) packages"

echo
echo "## gobuild plan"
hyperfine --style basic --warmup 2 --runs 20 --export-json "$SCRATCH/plan.json" \
  -n "gobuild plan ($jobs jobs)" "$GOBUILD plan" >/dev/null
table "$SCRATCH/plan.json"

echo
echo "first build of all $jobs outputs (not measured) ..."
start=$(date +%s)
"$GOBUILD" -q build >/dev/null
echo "done in $(($(date +%s) - start)) s"

# The same go build lines, each writing the output in place (gobuild's lines name the final
# outputs), run NPROC at a time.
"$GOBUILD" plan | tr '\n' '\0' >"$SCRATCH/lines"
xargs_cmd="xargs -0 -P $(nproc) -n 1 sh -c <$SCRATCH/lines"

echo
echo "## no-op rebuild of all $jobs outputs (load average $(cut -d' ' -f1-3 /proc/loadavg))"
hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$SCRATCH/noop.json" \
  -n "go build lines, xargs -P $(nproc)" "$xargs_cmd" \
  -n "gobuild build" "$GOBUILD -q build" >/dev/null
table "$SCRATCH/noop.json"

echo
echo "## gobuild's own peak memory (VmHWM of its process, children excluded)"
"$GOBUILD" -q build >/dev/null &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
  v=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)
  [[ -n "$v" ]] && ((v > peak)) && peak=$v
  sleep 0.02
done
wait "$pid"
echo "peak RSS: $((peak / 1024)) MiB ($peak kB)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
