#!/usr/bin/env bash
# Broken and unsafe configs through the real gobuild: each is exit 2 with
# `gobuild.yaml:LINE:COL: error: ...` at the right place, and nothing runs before the refusal —
# no go child (a `go` on PATH that records every call), no vendor/, no output directory.
source "$(dirname "$0")/lib.sh"
gb_setup

app="$SCRATCH/app"
gb_module "$app" example.com/app
printf 'package main\nfunc main() {}\n' >"$app/main.go"
fake="$SCRATCH/fake"
mkdir -p "$fake"
cat >"$fake/go" <<SH
#!/bin/sh
echo "\$@" >>"$SCRATCH/go-calls"
exit 0
SH
chmod +x "$fake/go"

# case NAME EXPECTED-POSITION EXPECTED-MESSAGE-PART [gobuild options]; the config on stdin.
case_() {
  local name=$1 pos=$2 msg=$3
  shift 3
  cat >"$app/gobuild.yaml"
  rm -f "$SCRATCH/go-calls"
  (cd "$app" && PATH="$fake:$PATH" run_gobuild "$@" build && declare -p rc out err >"$SCRATCH/r")
  source "$SCRATCH/r"
  expect_eq "$name: exit 2" 2 "$rc"
  expect_contains "$name: position and message" "gobuild.yaml:$pos: error: $msg" "$err"
  expect_eq "$name: the error is the first line" "gobuild.yaml:$pos" "$(printf '%s\n' "$err" | head -1 | cut -d: -f1-3)"
  expect_no_file "$name: no go was run" "$SCRATCH/go-calls"
  expect_no_file "$name: no vendor/" "$app/vendor"
  expect_no_file "$name: no bin/" "$app/bin"
}

case_ "version missing" 1:1 "version: missing; the config must say version: 1" <<'Y'
targets:
  - name: app
Y
case_ "version 2" 1:10 "version: 2 is not supported; this gobuild reads version 1" <<'Y'
version: 2
targets:
  - name: app
Y
case_ "unknown top-level key" 2:1 "unknown key 'vendr' (did you mean 'vendor'?)" <<'Y'
version: 1
vendr: true
targets:
  - name: app
Y
case_ "unknown build key" 3:3 "unknown key 'trimpth' (did you mean 'trimpath'?)" <<'Y'
version: 1
build:
  trimpth: true
targets:
  - name: app
Y
case_ "wrong type" 3:8 "cgo: expected true or false, got a list" <<'Y'
version: 1
build:
  cgo: [yes]
targets:
  - name: app
Y
case_ "bad linkmode" 3:13 "linkmode: 'foo' is not one of internal, external" <<'Y'
version: 1
build:
  linkmode: foo
targets:
  - name: app
Y
case_ "external without cgo" 3:13 "linkmode: external needs cgo: true, but target 'app' has cgo: false" <<'Y'
version: 1
build:
  linkmode: external
targets:
  - name: app
Y
case_ "bad static" 3:11 "static: 'maybe' is not one of true, false, strict" <<'Y'
version: 1
build:
  static: maybe
targets:
  - name: app
Y
case_ "bad go version" 2:5 "go: 'banana' is not a Go version like 1.26, 1.26.1 or 1.27rc1" <<'Y'
version: 1
go: banana
targets:
  - name: app
Y
case_ "unknown platform" 4:17 "platforms: 'linux/amd65' is not a platform Go supports (did you mean 'linux/amd64'?)" <<'Y'
version: 1
targets:
  - name: app
    platforms: [linux/amd65]
Y
case_ "not OS/ARCH" 4:17 "platforms: 'linux' is not OS/ARCH or OS/ARCH/VARIANT (e.g. linux/amd64, linux/arm/v7)" <<'Y'
version: 1
targets:
  - name: app
    platforms: [linux]
Y
case_ "duplicate target" 4:11 "name: 'app' is already used by the target at line 3" <<'Y'
version: 1
targets:
  - name: app
  - name: app
Y
case_ "unsafe name" 3:11 "name: '../x' is not a safe name" <<'Y'
version: 1
targets:
  - name: ../x
Y
case_ "unknown placeholder" 4:13 "output: unknown placeholder '{nam}' (did you mean '{name}'?)" <<'Y'
version: 1
targets:
  - name: app
    output: bin/{nam}
Y
case_ "outputs collide" 4:13 "output: 'bin/app' has no {os} or {arch}, so the 2 platforms of target 'app' would overwrite each other" <<'Y'
version: 1
targets:
  - name: app
    output: bin/app
    platforms: [linux/amd64, linux/arm64]
Y
case_ "targets missing" 1:1 "targets: missing; list at least one target" <<'Y'
version: 1
Y
case_ "YAML syntax" 3:3 "invalid YAML: illegal block entry" <<'Y'
version: 1
targets: [
  - name: app
Y
case_ "nested build in a target" 4:5 "build: per-target settings go directly in the target" <<'Y'
version: 1
targets:
  - name: app
    build: {cgo: true}
Y

# Unsafe configs (doc/safety.md): refused, naming the key and why, before any program runs.
case_ "-toolexec" 3:11 "flags: -toolexec runs a program of the config's choosing" <<'Y'
version: 1
build:
  flags: [-toolexec=/bin/sh]
targets:
  - name: app
Y
case_ "-overlay" 3:11 "flags: -overlay replaces source files with others" <<'Y'
version: 1
build:
  flags: [-overlay=o.json]
targets:
  - name: app
Y
case_ "CC without --allow-cc" 3:9 "env: CC runs a program of the config's choosing; pass --allow-cc to permit it" <<'Y'
version: 1
build:
  env: {CC: /tmp/evil}
targets:
  - name: app
Y
case_ "GOFLAGS in env" 3:9 "env: GOFLAGS is not allowed: set by gobuild; use the \`flags\` key" <<'Y'
version: 1
build:
  env: {GOFLAGS: -toolexec=/bin/sh}
targets:
  - name: app
Y
case_ "-linkmode hidden in ldflags" 3:13 "ldflags: -linkmode is set by gobuild; use the \`linkmode\` key" <<'Y'
version: 1
build:
  ldflags: ["-s -linkmode=external"]
targets:
  - name: app
Y
case_ "-fuse-ld without --allow-cc" 5:16 "extldflags: '-fuse-ld=/tmp/evil' picks the linker program; pass --allow-cc to permit it" <<'Y'
version: 1
build:
  cgo: true
  linkmode: external
  extldflags: [-fuse-ld=/tmp/evil]
targets:
  - name: app
Y

# --allow-cc lets the same CC through: the real go builds it (cgo is off, so CC is unused).
cat >"$app/gobuild.yaml" <<'Y'
version: 1
vendor: false
build:
  env: {CC: gcc}
targets:
  - name: app
Y
(cd "$app" && run_gobuild --allow-cc build && declare -p rc err >"$SCRATCH/r")
source "$SCRATCH/r"
expect_eq "--allow-cc: the config is accepted and builds" 0 "$rc"
expect_file "--allow-cc: bin/app built" "$app/bin/app"

gb_done
