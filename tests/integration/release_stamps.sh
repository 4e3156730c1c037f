#!/usr/bin/env bash
# Release stamps (doc/release.md): a git repository module with an annotated and a lightweight tag on
# HEAD builds with `-X main.version={version}` etc. and the binary prints the values; the stamps
# line, --json and the provenance record them; --set overrides; a tarball without .git takes
# the date from SOURCE_DATE_EPOCH and names an unresolved {version} (exit 2); linux/arm/v6 and
# v7 get GOARM=6/7 in their build info; go.mod's toolchain line: the warning, and go: mod.
# Git runs with no system or user config and fixed dates, so every id is the same everywhere.
source "$(dirname "$0")/lib.sh"
gb_setup
command -v git >/dev/null || skip "no git"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=c GIT_COMMITTER_EMAIL=c@example.com
export GIT_AUTHOR_DATE=2024-01-02T03:04:05Z GIT_COMMITTER_DATE=2024-01-02T03:04:05Z

app="$SCRATCH/app"
gb_module "$app" example.com/app
cat >"$app/main.go" <<'GO'
package main

import "fmt"

var version, commit, date = "dev", "none", "unknown"

func main() { fmt.Printf("%s %s %s\n", version, commit, date) }
GO
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
vendor: false
build:
  rebuild_all: false
  ldflags: ["-s -w -X main.version={version}", "-X main.commit={short_commit} -X 'main.date={date}'"]
targets:
  - name: app
    output: bin/{name}-{version}
YAML
cd "$app"
git init -q -b main . && git add -A && git commit -q -m one
git tag -a -m release v1.4.0 && git tag v1.4.0-rc2 && git tag stable
git pack-refs --all # the tags now live in packed-refs, with the annotated one's peeled line
short=$(git rev-parse --short=7 HEAD)

run_gobuild build
expect_eq "stamped build: exit 0" 0 "$rc"
expect_contains "the stamps line says each value and its source" \
  "gobuild: stamps version=v1.4.0 (the highest of 3 git tags), short_commit=$short (git HEAD), date=2024-01-02T03:04:05Z (HEAD's committer time)" "$err"
expect_eq "the binary prints the stamps" "v1.4.0 $short 2024-01-02T03:04:05Z" "$(./bin/app-v1.4.0)"

# --set wins over git; the values reach --json and the provenance.
run_gobuild build --set version=v9.9.9 --set timestamp=0 --json --provenance prov.json
expect_eq "--set build: exit 0" 0 "$rc"
expect_eq "--set: the binary" "v9.9.9 $short 1970-01-01T00:00:00Z" "$(./bin/app-v9.9.9)"
expect_eq "--json stamps" '{"version":"v9.9.9","short_commit":"'$short'","date":"1970-01-01T00:00:00Z"}' \
  "$(jq -c .stamps <<<"$out")"
expect_eq "provenance stamps" '{"version":"v9.9.9","short_commit":"'$short'","date":"1970-01-01T00:00:00Z"}' \
  "$(jq -c .predicate.buildDefinition.externalParameters.stamps prov.json)"

# Unknown --set key; a value with spaces is one word; one that holds a refused flag is refused.
run_gobuild build --set tag=v1
expect_eq "--set tag=: exit 2" 2 "$rc"
expect_eq "--set tag=: the message" \
  "gobuild: error: --set tag=v1: 'tag' is not a stamp (stamps: version, commit, short_commit, date, timestamp)" "$err"
run_gobuild plan --set 'version=1.0 beta'
expect_contains "a value with spaces is quoted as one word" "-X '\\''main.version=1.0 beta'\\'' -X" "$out"
run_gobuild plan --set 'version=1 -extld=evil'
expect_eq "a stamp that holds a flag: exit 0" 0 "$rc"
expect_contains "a stamp that holds a flag stays the value of -X, one word" \
  "-X '\\''main.version=1 -extld=evil'\\'' -X" "$out"
run_gobuild plan --set 'version=1 -extld=/bin/evil'
expect_eq "a stamp with '/' in an output name: exit 2" 2 "$rc"
expect_eq "a stamp with '/' in an output name: the message" \
  "gobuild: error: stamp {version} is '1 -extld=/bin/evil', which holds '/'; the output of target 'app' (bin/{name}-{version}) cannot use it" "$err"

# A commit without a tag: {version} has no value, exit 2 before anything runs.
git commit -q --allow-empty -m two
short2=$(git rev-parse --short=7 HEAD)
rm -rf bin
run_gobuild build
expect_eq "untagged HEAD: exit 2" 2 "$rc"
expect_eq "untagged HEAD: names the stamp and the fixes" \
  "gobuild: error: stamp {version} has no value: no tag points at HEAD ($short2) in $app; tag the commit (git tag -a v1.2.3) or pass --set version=VALUE" "$err"
expect_no_file "untagged HEAD: nothing built" "$app/bin"

# A tarball (no .git): --set version, the date from SOURCE_DATE_EPOCH, which must be a number.
tarball="$SCRATCH/tarball"
mkdir -p "$tarball" && cp main.go go.mod gobuild.yaml "$tarball/"
cd "$tarball"
run_gobuild build
expect_eq "tarball without --set: exit 2" 2 "$rc"
expect_eq "tarball: names {version}" \
  "gobuild: error: stamp {version} has no value: $tarball is not in a git work tree; pass --set version=VALUE" "$err"
SOURCE_DATE_EPOCH=1700000000 run_gobuild build --set version=v2.0.0 --set commit=0123456789abcdef
expect_eq "tarball with --set and SOURCE_DATE_EPOCH: exit 0" 0 "$rc"
expect_eq "tarball: the binary" "v2.0.0 0123456 2023-11-14T22:13:20Z" "$(./bin/app-v2.0.0)"
SOURCE_DATE_EPOCH=yesterday run_gobuild build --set version=v2.0.0 --set commit=0
expect_eq "SOURCE_DATE_EPOCH not a number: exit 2" 2 "$rc"

# Variants: linux/arm/v6 and v7, each with its GOARM; --platform linux/arm/v7 alone.
cat >"$tarball/gobuild.yaml" <<'YAML'
version: 1
vendor: false
build:
  rebuild_all: false
targets:
  - name: app
    platforms: [linux/arm/v6, linux/arm/v7]
YAML
run_gobuild build
expect_eq "arm variants: exit 0" 0 "$rc"
expect_contains "arm v6 in the report" "bin/app-linux-armv6  linux/arm/v6  " "$out"
expect_eq "v6: GOARM=6 in the build info" "GOARM=6" "$(go version -m bin/app-linux-armv6 | awk '$2 ~ /^GOARM=/ {print $2}')"
expect_eq "v7: GOARM=7 in the build info" "GOARM=7" "$(go version -m bin/app-linux-armv7 | awk '$2 ~ /^GOARM=/ {print $2}')"
run_gobuild plan --platform linux/arm/v7
expect_eq "--platform linux/arm/v7: one step" 1 "$(grep -c 'go build' <<<"$out")"
expect_contains "--platform linux/arm/v7: GOARM=7" "GOARM=7 " "$out"

# go.mod's toolchain line: a warning with no go: key; go: mod pins it.
printf 'module example.com/app\n\ngo 1.22\n\ntoolchain go1.99.0\n' >go.mod
run_gobuild build --platform linux/arm/v7
expect_contains "newer toolchain line: the warning" \
  "gobuild: warning: go.mod's toolchain line asks for go1.99.0, newer than the host's go" "$err"
expect_contains "newer toolchain line: names the fix" "Set go: mod to use the version go.mod names" "$err"
sed -i 's/^vendor: false/vendor: false\ngo: mod/' gobuild.yaml
run_gobuild plan
expect_contains "go: mod: GOTOOLCHAIN is the toolchain line's" "GOTOOLCHAIN=go1.99.0 " "$out"

# examples/release from a tarball (a copy outside any git work tree): its Makefile passes
# VERSION and COMMIT as --set, the date comes from SOURCE_DATE_EPOCH, one output per variant.
if command -v make >/dev/null; then
  cp -r "$GOBUILD_SRC/examples/release" "$SCRATCH/example"
  rm -rf "$SCRATCH/example/dist"
  plan=$(SOURCE_DATE_EPOCH=1700000000 make -s -C "$SCRATCH/example" plan GOBUILD="$GOBUILD" VERSION=v1.2.3 COMMIT=0123abc 2>&1)
  expect_eq "examples/release: make plan, five platforms" 5 "$(grep -c ' go build ' <<<"$plan")"
  for o in linux-amd64 linux-amd64v3 linux-arm64 linux-armv6 linux-armv7; do
    expect_contains "examples/release: dist/release-v1.2.3-$o" "/dist/release-v1.2.3-$o " "$plan"
  done
  expect_contains "examples/release: stamped ldflags" \
    "-X main.version=v1.2.3 -X main.commit=0123abc -X main.date=2023-11-14T22:13:20Z" "$plan"
fi
gb_done
