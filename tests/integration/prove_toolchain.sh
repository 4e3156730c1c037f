#!/usr/bin/env bash
# The go: toolchain pin (doc/build.md, toolchain):
#  - no go: key: GOTOOLCHAIN=local, the host's version used and said so;
#  - go: the host's exact version, and its prefix: accepted, the line says which toolchain,
#    the version recorded in the human line, --json (per output and "toolchain") and the
#    provenance (go_version, go_pin, runDetails.builder.version.go);
#  - go: "1.99.0" with GOPROXY=off: refused with exit 2 before anything ran (no vendor/, no
#    bin/), naming go1.99.0, the host's version and go's reason;
#  - an output built by another version than the pin fails and is not installed;
#  - -q: no toolchain line.
source "$(dirname "$0")/lib.sh"
gb_setup

hostver=$(go env GOVERSION) # e.g. go1.26.8
exact=${hostver#go}         # 1.26.8
prefix=$(cut -d. -f1-2 <<<"$exact") # 1.26
proxy="$SCRATCH/proxy"
app="$SCRATCH/app"
gb_dep_module "$app" "$proxy"
cd "$app"

write_config() { # write_config [GO-LINE]
  { printf 'version: 1\n'; [[ -n "${1:-}" ]] && printf '%s\n' "$1"; printf 'targets:\n  - name: app\n'; } >gobuild.yaml
}

# No go: key.
write_config
GOPROXY="file://$proxy" run_gobuild build --json
expect_eq "no pin: exit 0" 0 "$rc"
expect_contains "no pin: the host's go, said so" "gobuild: toolchain $hostver (host go, GOTOOLCHAIN=local)" "$err"
expect_eq "no pin: --json toolchain" "$hostver null local $hostver" \
  "$(jq -r '[.toolchain.go_version, .toolchain.go_pin, .toolchain.GOTOOLCHAIN, .outputs[0].go_version] | map(tostring) | join(" ")' <<<"$out")"

for pin in "$exact" "$prefix"; do
  rm -rf bin vendor prov.json
  write_config "go: \"$pin\""
  GOPROXY="file://$proxy" SOURCE_DATE_EPOCH=1700000000 run_gobuild build --json --provenance prov.json
  expect_eq "go: $pin: exit 0" 0 "$rc"
  expect_contains "go: $pin: says which toolchain" "gobuild: toolchain $hostver (pinned by go: \"$pin\")" "$err"
  expect_contains "go: $pin: the human line is printed" "bin/app  linux/amd64  " "$err"
  expect_contains "go: $pin: the human line names the version" "  static  $hostver  " "$err"
  expect_eq "go: $pin: --json toolchain and output version" "$hostver $pin go$exact $hostver" \
    "$(jq -r '[.toolchain.go_version, .toolchain.go_pin, .toolchain.GOTOOLCHAIN, .outputs[0].go_version] | map(tostring) | join(" ")' <<<"$out")"
  expect_eq "go: $pin: provenance go_version, go_pin, builder version" "$hostver $pin $hostver" \
    "$(jq -r '[.predicate.buildDefinition.internalParameters.go_version, .predicate.buildDefinition.internalParameters.go_pin, .predicate.runDetails.builder.version.go] | join(" ")' prov.json)"
  expect_eq "go: $pin: the build ran with GOTOOLCHAIN=go$exact" "go$exact" \
    "$(jq -r '.predicate.buildDefinition.internalParameters.builds[0].env.GOTOOLCHAIN' prov.json)"
  expect_eq "go: $pin: the output's build info" "$hostver" "$(go version bin/app | cut -d' ' -f2)"
done

# -q: no toolchain line.
GOPROXY="file://$proxy" run_gobuild -q build
expect_eq "-q: exit 0" 0 "$rc"
expect_not_contains "-q: no toolchain line" "gobuild: toolchain" "$err"

# A version that cannot be had: nothing fetched (GOPROXY=off), nothing run after; the
# environment failed (exit 3): with a proxy that has it, the same config works.
rm -rf bin vendor
write_config 'go: "1.99.0"'
GOPROXY=off run_gobuild build --json
expect_eq "go: 1.99.0: exit 3" 3 "$rc"
expect_contains "go: 1.99.0: names both versions and go's reason" \
  "gobuild: error: go: \"1.99.0\" in gobuild.yaml pins go1.99.0 (GOTOOLCHAIN=go1.99.0), which cannot be had; the host's go is $hostver; go env GOVERSION: " \
  "$err"
expect_contains "go: 1.99.0: go's reason, and that retrying may help" \
  "toolchain not available (the toolchain could not be downloaded: retrying may help)" "$err"
expect_no_file "go: 1.99.0: not vendored" vendor
expect_no_file "go: 1.99.0: nothing built" bin
expect_not_contains "go: 1.99.0: no toolchain line" "gobuild: toolchain" "$err"
expect_eq "go: 1.99.0: no report on stdout" "" "$out"

# An output whose build info is not the pinned version fails, and is not installed. A go
# that says it is go1.26.7 (the pin) but builds with the host's toolchain stands in for one.
realgo=$(command -v go)
mkdir -p "$SCRATCH/fakego"
cat >"$SCRATCH/fakego/go" <<SH
#!/bin/sh
if [ "\$1 \$2" = "env GOVERSION" ]; then echo go1.26.7; exit 0; fi
GOTOOLCHAIN=local exec "$realgo" "\$@"
SH
chmod +x "$SCRATCH/fakego/go"
rm -rf bin vendor
write_config 'go: "1.26.7"'
PATH="$SCRATCH/fakego:$PATH" GOPROXY="file://$proxy" run_gobuild build
expect_eq "built by another version: exit 1" 1 "$rc"
expect_contains "built by another version: names both" \
  "gobuild: error: bin/app: built by $hostver, but go: \"1.26.7\" pins go1.26.7" "$err"
expect_no_file "built by another version: not installed" bin/app
expect_no_temps "built by another version: no temporary left" "$app"
write_config 'go: "1.26"'
PATH="$SCRATCH/fakego:$PATH" GOPROXY="file://$proxy" run_gobuild build
expect_eq "prefix met by the reported version: exit 0" 0 "$rc"

rm -rf bin vendor

# A go that fetches the pinned toolchain says so on stderr first: the version is its last line.
mkdir -p "$SCRATCH/fetchgo"
cat >"$SCRATCH/fetchgo/go" <<SH
#!/bin/sh
if [ "\$1 \$2" = "env GOVERSION" ]; then echo "go: downloading $hostver (linux/amd64)" >&2; echo $hostver; exit 0; fi
exec "$realgo" "\$@"
SH
chmod +x "$SCRATCH/fetchgo/go"
write_config "go: \"$exact\""
PATH="$SCRATCH/fetchgo:$PATH" GOPROXY="file://$proxy" run_gobuild build --json
expect_eq "fetched: exit 0" 0 "$rc"
expect_contains "fetched: the version alone" "gobuild: toolchain $hostver (pinned by go: \"$exact\")
" "$err"
expect_eq "fetched: --json toolchain" "$hostver" "$(jq -r .toolchain.go_version <<<"$out")"
rm -rf bin vendor

# A prefix the host's go does not match: exit 2 naming both, before anything ran.
write_config 'go: "1.98"'
run_gobuild build
expect_eq "go: 1.98: exit 2" 2 "$rc"
expect_contains "go: 1.98: names both versions" \
  "gobuild: error: go: \"1.98\" needs a go1.98.x toolchain, but the host's go is $hostver" "$err"
expect_no_file "go: 1.98: not vendored" vendor

gb_done
