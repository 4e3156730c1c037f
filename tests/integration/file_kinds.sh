#!/usr/bin/env bash
# Files gobuild reads must be regular files: a FIFO (with no writer), /dev/zero or /dev/null as
# the config, as a `verify` argument or at an output path is refused at once with
# "PATH: not a regular file", never a hang or an endless read. Every run is under `timeout 10`:
# exit 124 would be the hang.
source "$(dirname "$0")/lib.sh"
gb_setup

cd "$SCRATCH"
mkfifo fifo
mkdir adir

# run_gobuild ARGS...: as lib.sh's, under a 10 s timeout.
GOBUILD_REAL=$GOBUILD
run_gobuild() {
  local o e
  o=$(mktemp "$SCRATCH/out.XXXXXX")
  e=$(mktemp "$SCRATCH/err.XXXXXX")
  timeout 10 "$GOBUILD_REAL" "$@" >"$o" 2>"$e"
  rc=$?
  out=$(cat "$o")
  err=$(cat "$e")
  rm -f "$o" "$e"
}

for cfg in fifo /dev/zero /dev/null adir; do
  run_gobuild -f "$cfg" plan
  expect_eq "config $cfg: exit 2 (no hang)" 2 "$rc"
  expect_eq "config $cfg: the reason" "gobuild: error: $cfg: not a regular file" "$err"
  run_gobuild -f "$cfg" build
  expect_eq "config $cfg, build: exit 2" 2 "$rc"
done

for f in fifo /dev/zero /dev/null adir; do
  run_gobuild verify "$f"
  expect_eq "verify $f: exit 2 (no hang)" 2 "$rc"
  expect_eq "verify $f: the reason" "gobuild: error: $f: not a regular file" "$err"
  run_gobuild verify --json "$f"
  expect_eq "verify --json $f: exit 2" 2 "$rc"
  expect_eq "verify --json $f: the error entry" \
    "$(printf '{\n  "files": [\n    {\n      "path": "%s",\n      "ok": false,\n      "error": "not a regular file"\n    }\n  ]\n}' "$f")" "$out"
done

# Several arguments: each one judged, the FIFO does not stop the others.
printf 'not a binary' >text
run_gobuild verify fifo text
expect_eq "verify fifo text: exit 2" 2 "$rc"
expect_eq "both reported" "gobuild: error: fifo: not a regular file
gobuild: error: text: not an ELF, PE or Mach-O file" "$err"

# A FIFO where the previous output would be: the build does not read it, wait on it or replace it.
app="$SCRATCH/app"
gb_module "$app" example.com/app
printf 'package main\n\nfunc main() { println("app") }\n' >"$app/main.go"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
build:
  rebuild_all: false
targets:
  - name: app
YAML
mkdir -p "$app/bin"
mkfifo "$app/bin/app"
cd "$app"
run_gobuild build
expect_ne "previous output a FIFO: no hang" 124 "$rc"
expect_eq "previous output a FIFO: refused before anything runs" 2 "$rc"
expect_contains "previous output a FIFO: the reason, at the output's line" \
  "gobuild.yaml:5:11: error: output: 'bin/app' is a FIFO; gobuild replaces only a regular file holding an executable" "$err"
expect_eq "the FIFO is still there" fifo "$(stat -c %F bin/app | sed 's/.*fifo.*/fifo/')"
expect_no_temps "no temporary left" "$app"

gb_done
