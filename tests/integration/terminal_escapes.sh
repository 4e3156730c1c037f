#!/usr/bin/env bash
# Text from a binary, a path or a config reaches the terminal with its control characters
# escaped (ESC as \x1b, newline as \n), never raw: a binary whose build info carries ESC
# sequences, a file name with a newline and an ESC, a config value with an ESC. The JSON
# carries the same text, escaped by JSON's own rules.
source "$(dirname "$0")/lib.sh"
gb_setup

ESC=$'\033'
app="$SCRATCH/app"
gb_module "$app" example.com/app
printf 'package main\n\nvar v string\n\nfunc main() { println(v) }\n' >"$app/main.go"
cd "$app"
# -ldflags is recorded in the build info as it was given (without -trimpath): here with an
# OSC title sequence and a screen-clearing CSI.
CGO_ENABLED=0 go build -tags "netgo" -ldflags "-X main.v=${ESC}]0;owned${ESC}\\${ESC}[2J" -o hostile . ||
  fail "go build"

run_gobuild verify hostile
expect_eq "verify: exit 0" 0 "$rc"
expect_not_contains "verify: no raw ESC on stdout" "$ESC" "$out"
expect_contains "verify: the line" 'hostile: static, ELF64' "$out"
run_gobuild verify --json hostile
expect_eq "verify --json: exit 0" 0 "$rc"
expect_not_contains "verify --json: no raw ESC" "$ESC" "$out"
expect_contains "verify --json: JSON's escape" '-X main.v=\u001b]0;owned\u001b\\\u001b[2J' "$out"

# A dynamic binary with an ESC-laden name: the failing line names it escaped.
weird=$'bad\nname\033[31m'
cp hostile "$weird"
run_gobuild verify "$weird"
expect_not_contains "odd file name: no raw ESC" "$ESC" "$out$err"
expect_contains "odd file name: escaped" 'bad\nname\x1b[31m: static, ELF64' "$out"
printf 'junk' >"$weird"
run_gobuild verify "$weird"
expect_eq "odd file name, not a binary: exit 2" 2 "$rc"
expect_eq "odd file name, not a binary: escaped" \
  'gobuild: error: bad\nname\x1b[31m: not an ELF, PE or Mach-O file' "$err"

# The verify line shows -tags; a build setting with ESC from the build info is escaped there.
CGO_ENABLED=0 go build -trimpath -tags "netgo,x${ESC}[5m" -o tagged . || fail "go build -tags"
run_gobuild verify tagged
expect_contains "-tags with ESC: escaped" ', CGO_ENABLED=0, -trimpath, -tags=netgo,x\x1b[5m' "$out"
expect_not_contains "-tags with ESC: no raw ESC" "$ESC" "$out"

# A config value with an ESC, quoted by the error message.
printf 'version: 1\ntargets:\n  - name: "a\\e[31mb"\n' >gobuild.yaml
run_gobuild plan
expect_eq "config error: exit 2" 2 "$rc"
expect_not_contains "config error: no raw ESC" "$ESC" "$err"
expect_contains "config error: escaped" '\x1b[31m' "$err"

gb_done
