#!/usr/bin/env bash
# A poisoned host environment changes nothing: GOFLAGS=-race, CGO_ENABLED=1, GOOS=windows,
# GOEXPERIMENT, CC=false, CGO_CFLAGS and a `go env -w` file under HOME all give the same bytes
# as a clean build, and `gobuild env` lists them as dropped.
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

run_gobuild build
expect_eq "clean build exits 0" 0 "$rc"
clean=$(sha bin/hello)
rm -f bin/hello

# The go env file that `go env -w` writes: GOENV=off makes the child ignore it.
mkdir -p "$HOME/.config/go"
printf 'GOFLAGS=-race\nCGO_ENABLED=1\n' >"$HOME/.config/go/env"

GOFLAGS=-race CGO_ENABLED=1 GOOS=windows GOARCH=386 GOEXPERIMENT=boringcrypto CC=false \
  CGO_CFLAGS=-DPOISON GODEBUG=panicnil=1 GOAMD64=v3 GOWORK="$SCRATCH/go.work" GOENV= \
  run_gobuild build
expect_eq "poisoned build exits 0" 0 "$rc"
expect_eq "poisoned build: same bytes" "$clean" "$(sha bin/hello)"
info=$(go version -m bin/hello)
expect_contains "CGO_ENABLED=0 recorded" "build	CGO_ENABLED=0" "$info"
expect_contains "GOOS=linux recorded" "build	GOOS=linux" "$info"
expect_not_contains "no -race" "-race" "$info"
expect_not_contains "no GOEXPERIMENT" "GOEXPERIMENT" "$info"

GOFLAGS=-race CGO_ENABLED=1 GOOS=windows GOEXPERIMENT=boringcrypto CC=false run_gobuild env
expect_eq "env exits 0" 0 "$rc"
dropped=$(printf '%s\n' "$out" | sed -n 's/^# dropped: //p')
for v in GOFLAGS CGO_ENABLED GOOS GOEXPERIMENT CC; do
  expect_contains "env drops $v" " $v " " $dropped "
done

gb_done
