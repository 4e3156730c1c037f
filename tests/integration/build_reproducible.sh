#!/usr/bin/env bash
# --check-reproducible (doc/build.md): a second build from a copy of the module elsewhere, with
# another HOME, TMPDIR, empty GOCACHE, TZ, LANG and umask, gives the same bytes; with trimpath
# off it does not: exit 1, the output named, the first build's output kept, no scratch left.
source "$(dirname "$0")/lib.sh"
gb_setup

app="$SCRATCH/hello"
gb_hello "$app"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
build:
  rebuild_all: false
targets:
  - name: hello
YAML
cd "$app"

run_gobuild build --check-reproducible --json
expect_eq "reproducible: exit 0" 0 "$rc"
sum=$(sha bin/hello)
# With --json the human report (results and verdict) is on stderr, the document on stdout.
expect_contains "says so with the sha256" "
bin/hello: reproducible: sha256:$sum" "
$err"
got=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["ok"], d["outputs"][0]["reproducible"])')
expect_eq "--json: reproducible" "True True" "$got"
expect_eq "no scratch left" "" "$(ls "$TMPDIR" | grep gobuild-repro)"

sed -i 's/rebuild_all: false/rebuild_all: false\n  trimpath: false/' gobuild.yaml
run_gobuild build --check-reproducible
expect_eq "trimpath off: exit 1" 1 "$rc"
sum=$(sha bin/hello)
expect_contains "the verdict is in the report on stdout: the output and the first sha256" "
bin/hello: not reproducible: sha256:$sum then sha256:" "$out"
expect_not_contains "the verdict is not on stderr" "sha256:$sum then" "$err"
expect_contains "stderr says there is an error" "gobuild: error: bin/hello: not reproducible
" "$err
"
expect_contains "the first build's output is kept and was reported" "bin/hello  linux/amd64  " "$out"
expect_eq "no scratch left" "" "$(ls "$TMPDIR" | grep gobuild-repro)"

gb_done
