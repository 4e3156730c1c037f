#!/usr/bin/env bash
# `gobuild plan` prints lines that, pasted into sh, build the same bytes as `gobuild build`;
# the vendor step comes first; naming an unknown target or platform is a usage error.
source "$(dirname "$0")/lib.sh"
gb_setup

app="$SCRATCH/hello"
gb_hello "$app"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
build:
  rebuild_all: false
  ldflags: [-s, -w]
  tags: [netgo, osusergo]
targets:
  - name: hello
    output: out/{name}-{os}-{arch}
    platforms: [linux/amd64, linux/arm64]
YAML
cd "$app"

run_gobuild plan --platform linux/amd64
expect_eq "plan exits 0" 0 "$rc"
expect_eq "two steps" 2 "$(printf '%s\n' "$out" | wc -l)"
vendor_line=$(printf '%s\n' "$out" | sed -n 1p)
build_line=$(printf '%s\n' "$out" | sed -n 2p)
expect_contains "the vendor step first" "cd $app && env -i GOCACHE=$GOCACHE GOENV=off GOMODCACHE=$GOMODCACHE GONOSUMDB=example.com GOPATH=$GOPATH GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local GOWORK=off HOME=$HOME PATH=$PATH TMPDIR=$TMPDIR go mod vendor" "$vendor_line"
expect_contains "build env from nothing" \
  "cd $app && env -i CGO_ENABLED=0 GOARCH=amd64 GOCACHE=$GOCACHE GOENV=off GOFLAGS=-mod=vendor GOMODCACHE=$GOMODCACHE GOOS=linux GOPATH=$GOPATH GOPROXY=off GOTOOLCHAIN=local GOWORK=off HOME=$HOME PATH=$PATH TMPDIR=$TMPDIR go build" \
  "$build_line"
expect_contains "build argv" \
  "go build -o $app/out/hello-linux-amd64 -trimpath -buildvcs=false -tags netgo,osusergo -ldflags '-linkmode=internal -s -w' ." \
  "$build_line"

SOURCE_DATE_EPOCH=abc run_gobuild build --platform linux/amd64 --provenance prov.json
expect_eq "a bad SOURCE_DATE_EPOCH: exit 2" 2 "$rc"
expect_no_file "a bad SOURCE_DATE_EPOCH: nothing built" out

SOURCE_DATE_EPOCH=1700000000 run_gobuild build --platform linux/amd64 --checksums SUMS --provenance prov.json
expect_eq "build exits 0" 0 "$rc"
built=$(sha out/hello-linux-amd64)
expect_eq "--checksums: sha256sum lines" "$built  out/hello-linux-amd64" "$(cat SUMS)"
got=$(python3 -c 'import json; d=json.load(open("prov.json")); s=d["subject"][0]; print(d["predicateType"], s["name"], s["digest"]["sha256"], d["predicate"]["runDetails"]["metadata"]["startedOn"])')
expect_eq "--provenance: the subject and the time" "https://slsa.dev/provenance/v1 out/hello-linux-amd64 $built 2023-11-14T22:13:20Z" "$got"
rm -rf out

# Paste into sh, from another directory and with a poisoned environment.
(cd / && GOFLAGS=-race CGO_ENABLED=1 sh -c "$vendor_line && $build_line")
expect_eq "pasted lines exit 0" 0 "$?"
expect_eq "pasted lines: same bytes" "$built" "$(sha out/hello-linux-amd64)"

rm -rf out
run_gobuild plan nosuch
expect_eq "unknown target: exit 2" 2 "$rc"
expect_eq "unknown target: message" "gobuild: error: no target named 'nosuch' in gobuild.yaml (targets: hello)" "$err"
run_gobuild build --platform windows/amd64
expect_eq "unknown platform: exit 2" 2 "$rc"
expect_eq "unknown platform: message" \
  "gobuild: error: --platform windows/amd64: not a platform of the config (platforms: linux/amd64, linux/arm64)" "$err"
expect_no_file "nothing built" out

gb_done
