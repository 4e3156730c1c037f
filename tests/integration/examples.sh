#!/usr/bin/env bash
# The examples really gate: examples/hello's Makefile builds static binaries and its verify
# target passes them, then fails (exit != 0) once bin/ holds a dynamic binary under an output's
# name; examples/ci/gobuild.yml is valid YAML whose steps run `gobuild build --json` and then
# `gobuild verify` as the gate. The example is copied to scratch: the source tree is never
# written.
source "$(dirname "$0")/lib.sh"
gb_setup
command -v make >/dev/null || skip "no make"

cp -r "$GOBUILD_SRC/examples/hello" "$SCRATCH/hello"
hello="$SCRATCH/hello"
rm -rf "$hello/bin" "$hello/vendor"

make_out=$(make -C "$hello" build verify GOBUILD="$GOBUILD" 2>&1)
rc=$?
expect_eq "make build verify: exit 0" 0 "$rc"
for p in linux-amd64 linux-arm64; do
  expect_file "make build: bin/hello-$p" "$hello/bin/hello-$p"
  expect_contains "make verify: bin/hello-$p is static" "bin/hello-$p: static, ELF64 " "$make_out"
done
v=$("$GOBUILD" verify --json "$hello/bin/hello-linux-arm64")
expect_eq "the arm64 build is an aarch64 ELF" "elf aarch64 static" \
  "$(jq -r '.files[0] | .format + " " + .machine + " " + .linkage' <<<"$v")"

# A dynamic binary under an output's name: the gate fails and says why.
[[ -e /bin/ls ]] || skip "no /bin/ls to play the dynamic binary"
cp /bin/ls "$hello/bin/hello-linux-amd64"
make_out=$(make -C "$hello" verify GOBUILD="$GOBUILD" 2>&1)
rc=$?
expect_ne "make verify with a dynamic binary: fails" 0 "$rc"
expect_contains "make verify: names the binary and its linkage" \
  "bin/hello-linux-amd64: dynamic: needs " "$make_out"
expect_contains "make verify: make says the recipe failed" ": verify] Error 1" "$make_out"

# make build puts a static one back, and the gate passes again.
make_out=$(make -C "$hello" build verify GOBUILD="$GOBUILD" 2>&1)
expect_eq "make build verify after: exit 0" 0 "$?"
expect_eq "the dynamic one was replaced" "static" \
  "$("$GOBUILD" verify --json "$hello/bin/hello-linux-amd64" | jq -r '.files[0].linkage')"

# The CI example: valid YAML, the build with --json, then the verify gate, in that order.
wf="$GOBUILD_SRC/examples/ci/gobuild.yml"
expect_file "examples/ci/gobuild.yml" "$wf"
expect_file "examples/ci/README.md" "$GOBUILD_SRC/examples/ci/README.md"
python3 -c 'import yaml' 2>/dev/null || { echo "SKIP: no python3 yaml for the CI workflow"; gb_done; }
steps=$(python3 - "$wf" <<'PY' 2>&1
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
for job in doc["jobs"].values():
    for step in job["steps"]:
        run = step.get("run")
        if run:
            for line in run.splitlines():
                if line.strip().startswith("gobuild "):
                    print(line.strip())
PY
)
expect_eq "the workflow's gobuild steps, in order" \
  "gobuild version
gobuild doctor || true
gobuild build --json --checksums SHA256SUMS > gobuild-report.json
gobuild verify bin/*" "$steps"

# The fan-out workflow: a plan job whose --json makes the matrix, one build job per matrix
# entry, then the merge; its jq program turns a real plan into one entry per job.
fan="$GOBUILD_SRC/examples/ci/fanout.yml"
expect_file "examples/ci/fanout.yml" "$fan"
shape=$(python3 - "$fan" <<'PY' 2>&1
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
jobs = doc["jobs"]
print(" ".join(jobs), jobs["build"]["needs"], jobs["merge"]["needs"], jobs["build"]["strategy"]["matrix"])
for name, job in jobs.items():
    for step in job["steps"]:
        for line in step.get("run", "").splitlines():
            if line.strip().startswith("gobuild "):
                print(name + ": " + line.strip().split(" >")[0])
PY
)
expect_eq "the fan-out workflow: plan, build per entry, merge" \
  "plan build merge plan build \${{ fromJSON(needs.plan.outputs.matrix) }}
plan: gobuild plan --json
build: gobuild build \"\${{ matrix.target }}\" --platform \"\${{ matrix.platform }}\" --json \\
build: gobuild verify \"\${{ matrix.output }}\"
merge: gobuild merge --provenance provenance.intoto.json --checksums SHA256SUMS shards/*/report.json" "$shape"
if command -v jq >/dev/null; then
  prog=$(python3 - "$fan" <<'PY'
import re, sys, yaml
run = [s["run"] for s in yaml.safe_load(open(sys.argv[1]))["jobs"]["plan"]["steps"] if s.get("id") == "plan"][0]
print(re.search(r"jq -c '(.*?)' plan.json", run, re.S).group(1))
PY
)
  matrix=$(cd "$hello" && "$GOBUILD" plan --json | jq -c "$prog")
  expect_eq "the matrix from a real plan" \
    '{"include":[{"target":"hello","platform":"linux/amd64","output":"bin/hello-linux-amd64","shard":"hello-linux-amd64"},{"target":"hello","platform":"linux/arm64","output":"bin/hello-linux-arm64","shard":"hello-linux-arm64"}]}' \
    "$matrix"
fi

gb_done
