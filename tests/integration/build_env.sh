#!/usr/bin/env bash
# `gobuild env`: the pinned build environment as sorted, shell-quoted KEY=VALUE lines and the
# dropped host variables; --json gives {"env": {...}, "dropped": [...]}.
source "$(dirname "$0")/lib.sh"
gb_setup

app="$SCRATCH/my app"
gb_hello "$app"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
vendor: false
build:
  env: {GOAMD64: v2}
targets:
  - name: hello
    platforms: [linux/arm64, linux/amd64]
YAML
cd "$app"

GOFLAGS=-race GOEXPERIMENT=boringcrypto CC=false LC_ALL=C run_gobuild env
expect_eq "exit 0" 0 "$rc"
want="# build environment of hello linux/arm64
CGO_ENABLED=0
GOAMD64=v2
GOARCH=arm64
GOCACHE=$GOCACHE
GOENV=off
GOFLAGS=-mod=readonly
GOMODCACHE=$GOMODCACHE
GOOS=linux
GOPATH=$GOPATH
GOPROXY=off
GOTOOLCHAIN=local
GOWORK=off
HOME=$HOME
PATH=$PATH
TMPDIR=$TMPDIR"
expect_eq "the pinned environment" "$want" "$(printf '%s\n' "$out" | sed '/^# sandbox /d;$d')"
expect_eq "the second line says which sandbox" "# sandbox " "$(printf '%s\n' "$out" | sed -n '2s/^\(# sandbox \).*/\1/p')"
last=$(printf '%s\n' "$out" | tail -n1)
for v in CC GOEXPERIMENT GOFLAGS GONOSUMDB GOSUMDB LC_ALL; do
  expect_contains "env drops $v" " $v " "$last "
done
expect_not_contains "PATH is not dropped" " PATH " "$last "
names=$(printf '%s\n' "${last#\# dropped: }" | tr ' ' '\n')
expect_eq "dropped names sorted" "$(printf '%s\n' "$names" | LC_ALL=C sort)" "$names"

# The lines are shell: a value with a space and a quote comes back through eval.
path_line=$(GOFLAGS=-race "$GOBUILD" env -f gobuild.yaml | grep '^PATH=')
expect_eq "PATH line" "PATH=$PATH" "$path_line"
# (A value the go command checks, like GOAMD64's, cannot hold them: a C flag with --allow-cc can.)
sed -i "s/GOAMD64: v2}/GOAMD64: v2, CGO_CFLAGS: \"-O2 it's\"}/" gobuild.yaml
line=$("$GOBUILD" env --allow-cc 2>&1 | grep '^CGO_CFLAGS=')
expect_eq "quoted value" "CGO_CFLAGS='-O2 it'\\''s'" "$line"
expect_eq "eval gives it back" "-O2 it's" "$(eval "$line"; echo "$CGO_CFLAGS")"
sed -i "s/GOAMD64: .*}/GOAMD64: v2}/" gobuild.yaml

run_gobuild env --platform linux/amd64 --json
expect_eq "--json exit 0" 0 "$rc"
got=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted(d), d["env"]["GOARCH"], d["env"]["GOFLAGS"], "GOSUMDB" in d["dropped"])')
expect_eq "--json document" "['dropped', 'env', 'sandbox'] amd64 -mod=readonly True" "$got"

gb_done
