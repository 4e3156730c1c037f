#!/usr/bin/env bash
# cgo linked statically (doc/build.md): linkmode external + -static gives a static binary that
# runs; without the netgo/osusergo tags glibc's NSS warnings become one gobuild warning per
# function.
source "$(dirname "$0")/lib.sh"
gb_setup
command -v gcc >/dev/null || skip "no gcc"
[[ -n "$(gcc -print-file-name=libc.a | grep /)" && -f "$(gcc -print-file-name=libc.a)" ]] ||
  skip "no static libc (libc6-dev)"

app="$SCRATCH/cgoapp"
gb_module "$app" example.com/cgoapp
cat >"$app/main.go" <<'GO'
package main

// static int answer(void) { return 42; }
import "C"

import (
	"fmt"
	"net"
	"os/user"
)

func main() {
	_, _ = user.Current()
	_, _ = net.LookupHost("localhost")
	fmt.Println(int(C.answer()))
}
GO
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
build:
  cgo: true
  linkmode: external
  extldflags: [-static]
  rebuild_all: false
targets:
  - name: app
YAML
cd "$app"

run_gobuild build
expect_eq "exit 0 (warnings only)" 0 "$rc"
expect_contains "getaddrinfo warning" \
  "gobuild: warning: app: getaddrinfo: glibc loads NSS modules at run time even in a static binary; add tags [netgo, osusergo]" \
  "$err"
expect_contains "getpwuid_r warning" "gobuild: warning: app: getpwuid_r: glibc loads NSS modules" "$err"
expect_eq "one warning per function" 1 "$(printf '%s\n' "$err" | grep -c '^gobuild: warning: app: getaddrinfo:')"
expect_contains "static" "  static  go" "$out"
expect_eq "it runs" 42 "$(./bin/app)"

# With the tags: no NSS, no warning.
printf '  tags: [netgo, osusergo]\n  static: strict\n' >tags.yaml
sed -i '/^targets:/e cat tags.yaml' gobuild.yaml
run_gobuild build
expect_eq "with tags: exit 0" 0 "$rc"
expect_not_contains "with tags: no NSS warning" "glibc loads NSS" "$err"
expect_eq "with tags: runs" 42 "$(./bin/app)"
file_json=$("$GOBUILD" verify --json bin/app)
expect_contains "verify: static" '"linkage": "static"' "$file_json"
expect_contains "verify: CGO_ENABLED=1" '"CGO_ENABLED": "1"' "$file_json"

# A static library the linker cannot find: the raw output and an error naming what to install.
sed -i 's/extldflags: \[-static\]/extldflags: [-static, -lgobuildnosuch]/' gobuild.yaml
before=$(sha bin/app)
run_gobuild build
expect_eq "missing library: exit 1" 1 "$rc"
expect_contains "the linker's own words" "cannot find -lgobuildnosuch" "$err"
expect_contains "the build failed" "gobuild: error: bin/app: go build failed (exit status 1)" "$err"
expect_contains "what to install" \
  "gobuild: error: app: the linker cannot find libgobuildnosuch.a: install the package that ships its static archive" \
  "$err"
expect_eq "previous output kept" "$before" "$(sha bin/app)"
expect_no_temps "no temporary left" "$app"

gb_done
