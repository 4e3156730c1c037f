#!/usr/bin/env bash
# cgo: true with internal linking makes a dynamic binary; with static: true gobuild refuses it:
# exit 1, the reason and the fix, the previous output untouched and no temporary left. With
# static: false the same build is reported and installed.
source "$(dirname "$0")/lib.sh"
gb_setup
command -v gcc >/dev/null || skip "no gcc"

app="$SCRATCH/cgoapp"
gb_module "$app" example.com/cgoapp
cat >"$app/main.go" <<'GO'
package main

// static int answer(void) { return 42; }
import "C"

import "fmt"

func main() { fmt.Println(int(C.answer())) }
GO
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
build:
  cgo: true
  rebuild_all: false
  static: true
targets:
  - name: app
  - name: pure
    main: ./cmd/pure
    cgo: false
YAML
mkdir -p "$app/cmd/pure"
printf 'package main\n\nfunc main() { println("pure") }\n' >"$app/cmd/pure/main.go"
cd "$app"
mkdir -p bin
printf '\177ELF previous build\n' >bin/app # gobuild replaces only a previous executable

run_gobuild build
expect_eq "exit code 1" 1 "$rc"
expect_contains "the reason and the fix" \
  "gobuild: error: bin/app: dynamically linked: needs libc.so.6 (interpreter /lib64/ld-linux-x86-64.so.2); set cgo: false, or linkmode: external with extldflags: [-static]" \
  "$err"
expect_eq "previous output untouched" "$(printf '\177ELF previous build')" "$(cat bin/app)"
expect_no_temps "no temporary left" "$app"
expect_file "the other target was built all the same" bin/pure
expect_contains "and reported" "bin/pure  linux/amd64  " "$out"

run_gobuild build --json app
expect_eq "--json: exit code 1" 1 "$rc"
ok=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); o=d["outputs"][0]; print(d["ok"], o["ok"], o["linkage"], o["sha256"], o["problems"][0])')
expect_eq "--json: the failure" "False False dynamic None bin/app: dynamically linked: needs libc.so.6 (interpreter /lib64/ld-linux-x86-64.so.2); set cgo: false, or linkmode: external with extldflags: [-static]" "$ok"

sed -i 's/static: true/static: false/' gobuild.yaml
run_gobuild build app
expect_eq "static: false reports only: exit 0" 0 "$rc"
expect_contains "the report says dynamic" "  dynamic  go" "$out"
expect_eq "the dynamic binary runs" 42 "$(./bin/app)"

gb_done
