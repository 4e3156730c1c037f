#!/usr/bin/env bash
# --provenance and --checksums (doc/provenance.md), checked field by field against
# the SLSA provenance v1 structure and against the files themselves:
#  - a module in a git work tree with a third-party dependency from a file:// proxy, two
#    targets, gobuild run from elsewhere with -C;
#  - every subject's sha256 is sha256sum's; the config's path and sha256; the targets and
#    platforms; go_version, each build's pinned env and argv; every module of `go version -m`
#    as pkg:golang/PATH@VERSION with dirHash = the h1: sum in hex (computed here with python3);
#    the config entry; gitCommit = git rev-parse HEAD; builder id and versions;
#    SOURCE_DATE_EPOCH=1700000000 → 2023-11-14T22:13:20Z;
#  - `sha256sum -c` accepts the checksums file from the directory gobuild ran in (after -C),
#    also when the config is in a subdirectory (-f);
#  - SOURCE_DATE_EPOCH=abc: exit 2 and nothing built, vendored or written.
source "$(dirname "$0")/lib.sh"
gb_setup

hostver=$(go env GOVERSION)
proxy="$SCRATCH/proxy"
app="$SCRATCH/app"
gb_dep_module "$app" "$proxy"
export GOPROXY="file://$proxy"
mkdir -p "$app/cmd/tool"
cat >"$app/cmd/tool/main.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("tool") }
GO
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
targets:
  - name: app
  - name: tool
    main: ./cmd/tool
YAML
(cd "$app" && git init -q . && git add -A && git -c user.name=t -c user.email=t@example.com commit -q -m init) ||
  fail "git init and commit"
rev=$(git -C "$app" rev-parse HEAD)
cd "$SCRATCH"

# A bad SOURCE_DATE_EPOCH: nothing happens.
SOURCE_DATE_EPOCH=abc run_gobuild -C app build --provenance prov.json --checksums SUMS
expect_eq "SOURCE_DATE_EPOCH=abc: exit 2" 2 "$rc"
expect_eq "SOURCE_DATE_EPOCH=abc: the message" \
  "gobuild: error: SOURCE_DATE_EPOCH='abc' is not an integer number of seconds since the epoch (see reproducible-builds.org/specs/source-date-epoch)" \
  "$err"
expect_no_file "SOURCE_DATE_EPOCH=abc: nothing built" app/bin
expect_no_file "SOURCE_DATE_EPOCH=abc: not vendored" app/vendor
expect_no_file "SOURCE_DATE_EPOCH=abc: no provenance" app/prov.json
expect_no_file "SOURCE_DATE_EPOCH=abc: no checksums" app/SUMS

SOURCE_DATE_EPOCH=1700000000 run_gobuild -C app build --provenance prov.json --checksums SUMS
expect_eq "build: exit 0" 0 "$rc"
cd app
p=prov.json
q() { jq -r "$1" "$p"; }

# The checksums: relative to the directory gobuild ran in (after -C: app/).
expect_eq "checksums: one line per output" "$(sha bin/app)  bin/app
$(sha bin/tool)  bin/tool" "$(cat SUMS)"
expect_eq "checksums: sha256sum -c accepts them" "bin/app: OK
bin/tool: OK" "$(sha256sum -c SUMS 2>&1)"

# The statement.
expect_eq "_type" "https://in-toto.io/Statement/v1" "$(q ._type)"
expect_eq "predicateType" "https://slsa.dev/provenance/v1" "$(q .predicateType)"
expect_eq "top-level keys" '["_type","subject","predicateType","predicate"]' "$(jq -c keys_unsorted "$p")"
expect_eq "subjects: names and sha256sum of each output" \
  "bin/app $(sha bin/app) bin/tool $(sha bin/tool)" \
  "$(q '[.subject[] | .name, .digest.sha256] | join(" ")')"
expect_eq "subject digests hold only sha256" '[["sha256"],["sha256"]]' "$(jq -c '[.subject[].digest | keys]' "$p")"

bd=.predicate.buildDefinition
expect_eq "predicate keys" '["buildDefinition","runDetails"]' "$(jq -c '.predicate | keys_unsorted' "$p")"
expect_eq "buildDefinition keys" '["buildType","externalParameters","internalParameters","resolvedDependencies"]' \
  "$(jq -c "$bd | keys_unsorted" "$p")"
expect_eq "buildType" "urn:gobuild:build-type:go-build:v1" "$(q "$bd.buildType")"
cfgpath=$(q "$bd.externalParameters.config.path")
expect_eq "externalParameters.config.path: relative to the module" "gobuild.yaml" "$cfgpath"
expect_eq "externalParameters.config.sha256 is sha256sum's" "$(sha gobuild.yaml)" "$(q "$bd.externalParameters.config.sha256")"
expect_eq "externalParameters.targets" '["app","tool"]' "$(jq -c "$bd.externalParameters.targets" "$p")"
expect_eq "externalParameters.platforms" '["linux/amd64"]' "$(jq -c "$bd.externalParameters.platforms" "$p")"

ip="$bd.internalParameters"
expect_eq "internalParameters.go_version" "$hostver" "$(q "$ip.go_version")"
expect_eq "internalParameters: no go_pin without a go: key" "null" "$(q "$ip.go_pin")"
expect_eq "internalParameters.builds: one per output" "app linux/amd64 bin/app tool linux/amd64 bin/tool" \
  "$(q "[$ip.builds[] | .target, .platform, .output] | join(\" \")")"
expect_eq "internalParameters: the pinned env of each build, without the host's paths" \
  "CGO_ENABLED=0 GOARCH=amd64 GOENV=off GOFLAGS=-mod=vendor GOOS=linux GOPROXY=off GOTOOLCHAIN=local GOWORK=off" \
  "$(q "$ip.builds[0].env | to_entries | map(.key + \"=\" + .value) | join(\" \")")"
expect_eq "internalParameters: both builds have the same env" "true" "$(q "$ip.builds[0].env == $ip.builds[1].env")"
expect_eq "internalParameters: the argv of each build, -o relative to the config" \
  "go build -o bin/app -trimpath -buildvcs=false -ldflags -linkmode=internal . | go build -o bin/tool -trimpath -buildvcs=false -ldflags -linkmode=internal ./cmd/tool" \
  "$(q "[$ip.builds[] | .argv | join(\" \")] | join(\" | \")")"

# resolvedDependencies: every module of the outputs' build info (a build from vendor/ records
# no sums there: the h1: sum is go.sum's), then the config, then git.
want=$(go version -m bin/app bin/tool | python3 -c '
import sys, base64
sums = {}
for line in open("go.sum"):
    f = line.split()
    if len(f) == 3 and f[2].startswith("h1:"):
        sums[(f[0], f[1])] = f[2]
mods = {}
for line in sys.stdin:
    f = line.split()
    if len(f) >= 3 and f[0] == "dep":
        h1 = f[3] if len(f) >= 4 else sums[(f[1], f[2])]
        mods["pkg:golang/%s@%s" % (f[1], f[2])] = base64.b64decode(h1[3:]).hex()
for uri in sorted(mods):
    print(uri, "dirHash", mods[uri])
')
expect_contains "the dependency is in the build info" "pkg:golang/example.com/dep@v1.0.0 dirHash " "$want"
got=$(q "$bd.resolvedDependencies[] | select(.uri // \"\" | startswith(\"pkg:golang/\")) | select(.annotations.main | not) | .uri + \" \" + (.digest | to_entries | map(.key + \" \" + .value) | join(\" \"))")
expect_eq "resolvedDependencies: every module, dirHash = the h1: sum in hex" "$want" "$got"
expect_eq "resolvedDependencies: the config file" "file:$cfgpath sha256 $(sha gobuild.yaml)" \
  "$(q "$bd.resolvedDependencies[] | select(.uri // \"\" | startswith(\"file:\")) | .uri + \" sha256 \" + .digest.sha256")"
expect_eq "resolvedDependencies: the git commit, without the work tree's path" "git gitCommit $rev ." \
  "$(q "$bd.resolvedDependencies[] | select(.name == \"git\") | .name + \" gitCommit \" + .digest.gitCommit + \" \" + .annotations.module_subdir")"
# The main module, first: Go's h1: dirhash of what its module zip would hold (here: without
# .git, vendor/, the outputs and the files gobuild writes), computed here with python3; Go
# names the files MODULE@VERSION/PATH, and the main module's version is (devel).
# h1_of DIR PREFIX SKIP...
h1_of() {
  python3 - "$@" <<'PY'
import hashlib, base64, os, sys
root, prefix = sys.argv[1], sys.argv[2]
skip = set(sys.argv[3:])
lines = []
for d, dirs, files in os.walk(root):
    rel = os.path.relpath(d, root)
    dirs[:] = [x for x in dirs if x not in (".git", "vendor") or rel != "."]
    for f in files:
        p = os.path.normpath(os.path.join(rel, f))
        if p not in skip:
            lines.append("%s  %s/%s\n" % (hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest(), prefix, p))
print("h1:" + base64.b64encode(hashlib.sha256("".join(sorted(lines, key=lambda l: l.split("  ", 1)[1])).encode()).digest()).decode())
PY
}
h1=$(h1_of "$PWD" "example.com/app@(devel)" bin/app bin/tool prov.json SUMS)
expect_eq "resolvedDependencies: the main module with its dirHash, hex and h1:" \
  "pkg:golang/example.com/app $(python3 -c 'import base64,sys; print(base64.b64decode(sys.argv[1][3:]).hex())' "$h1") $h1" \
  "$(q "$bd.resolvedDependencies[0] | select(.annotations.main) | .uri + \" \" + .digest.dirHash + \" \" + .annotations.h1")"
expect_eq "resolvedDependencies: the main module's h1: names its files as example.com/app@(devel)" \
  "example.com/app@(devel)" "$(q "$bd.resolvedDependencies[0].annotations.h1_names")"
expect_eq "resolvedDependencies: nothing else" 4 "$(q "$bd.resolvedDependencies | length")"
expect_eq "buildDefinition: no host path in it" "" \
  "$(jq -c "$bd" "$p" | grep -o -e "$SCRATCH" -e "$HOME" -e "$GOCACHE" -e "$TMPDIR" | head -1)"

rd=.predicate.runDetails
gbver=$("$GOBUILD" --version | cut -d' ' -f2)
expect_eq "runDetails.builder" "urn:gobuild:builder:local $gbver $hostver" \
  "$(q "[$rd.builder.id, $rd.builder.version.gobuild, $rd.builder.version.go] | join(\" \")")"
expect_eq "runDetails.metadata: SOURCE_DATE_EPOCH for both times" "2023-11-14T22:13:20Z 2023-11-14T22:13:20Z" \
  "$(q "[$rd.metadata.startedOn, $rd.metadata.finishedOn] | join(\" \")")"
expect_eq "runDetails.byproducts: the host's paths" \
  "host $app $app/gobuild.yaml $app $app/bin/app HOME=$HOME GOCACHE=$GOCACHE" \
  "$(q "$rd.byproducts[0] | [.name, .annotations.module_dir, .annotations.config, .annotations.git_work_tree, .annotations.builds[0].output, \"HOME=\" + .annotations.builds[0].env.HOME, \"GOCACHE=\" + .annotations.builds[0].env.GOCACHE] | join(\" \")")"

# The config in a subdirectory (-f): the paths are still relative to where gobuild ran. (The
# module must lie inside the config's directory: a copy of the app below ci/.)
mkdir -p "$SCRATCH/ci"
cp -r "$SCRATCH/app" "$SCRATCH/ci/app"
rm -rf "$SCRATCH/ci/app/bin" "$SCRATCH/ci/app/out"
printf 'version: 1\nmodule: app\ntargets:\n  - name: app\n    output: out/app\n' >"$SCRATCH/ci/gobuild.yaml"
cd "$SCRATCH"
run_gobuild build -f ci/gobuild.yaml --checksums SUMS.ci --provenance prov.ci.json
expect_eq "-f ci/gobuild.yaml: exit 0" 0 "$rc"
expect_eq "-f ci/gobuild.yaml: the path from here" "$(sha ci/out/app)  ci/out/app" "$(cat SUMS.ci)"
expect_eq "-f ci/gobuild.yaml: sha256sum -c accepts it here" "ci/out/app: OK" "$(sha256sum -c SUMS.ci 2>&1)"
expect_eq "-f ci/gobuild.yaml: the subject is named the same" "ci/out/app" "$(jq -r '.subject[0].name' prov.ci.json)"
expect_eq "-f ci/gobuild.yaml: the config path relative to the module, the output to the config" \
  "../gobuild.yaml out/app" \
  "$(jq -r '.predicate.buildDefinition | [.externalParameters.config.path, .internalParameters.builds[0].output] | join(" ")' prov.ci.json)"

# Portability: the same source (not a git checkout) built at two paths, with other HOMEs,
# TMPDIRs, GOCACHEs and module caches, writes byte-identical buildDefinitions; runDetails
# tells the machines apart. The source is published to the file:// proxy too, so that the
# go command says what its h1: sum is: the main module's dirHash is that sum.
src1="$SCRATCH/m1/src/app"
mkdir -p "$src1/cmd/tool"
cp "$app/go.mod" "$app/go.sum" "$app/main.go" "$app/gobuild.yaml" "$src1/"
cp "$app/cmd/tool/main.go" "$src1/cmd/tool/"
gb_proxy_add "$proxy" example.com/app v1.0.0 "$src1"
gb_module "$SCRATCH/consumer" example.com/consumer
gosum=$(cd "$SCRATCH/consumer" && GOPROXY="file://$proxy" GOFLAGS=-mod=mod go mod download -json example.com/app@v1.0.0 | jq -r .Sum)
src2="$SCRATCH/machine2/elsewhere/deeper/app"
mkdir -p "$(dirname "$src2")" && cp -r "$src1" "$src2"
for m in m1 machine2; do mkdir -p "$SCRATCH/$m/home" "$SCRATCH/$m/tmp" "$SCRATCH/$m/gocache" "$SCRATCH/$m/modcache"; done
cd "$src1"
SOURCE_DATE_EPOCH=1700000000 run_gobuild build --provenance prov.json
expect_eq "portable: first build: exit 0" 0 "$rc"
cd "$src2"
SOURCE_DATE_EPOCH=1700000000 HOME="$SCRATCH/machine2/home" TMPDIR="$SCRATCH/machine2/tmp" \
  GOCACHE="$SCRATCH/machine2/gocache" GOMODCACHE="$SCRATCH/machine2/modcache" run_gobuild build --provenance prov.json
expect_eq "portable: second build: exit 0" 0 "$rc"
expect_eq "portable: the same bytes" "$(sha "$src1/bin/app") $(sha "$src1/bin/tool")" "$(sha bin/app) $(sha bin/tool)"
def1=$(jq -c .predicate.buildDefinition "$src1/prov.json")
def2=$(jq -c .predicate.buildDefinition "$src2/prov.json")
expect_eq "portable: byte-identical buildDefinitions" "$def1" "$def2"
# The same computation, named as the proxy names the module, gives the go command's sum; named
# (devel), it gives gobuild's.
expect_eq "portable: this dirhash of the published tree is the go command's h1: sum" "$gosum" \
  "$(h1_of "$src1" example.com/app@v1.0.0 bin/app bin/tool prov.json)"
expect_ne "portable: the go command's sum is real" "" "$gosum"
expect_contains "portable: gobuild's dirHash of the main module is that computation" \
  "\"h1\":\"$(h1_of "$src1" "example.com/app@(devel)" bin/app bin/tool prov.json)\"" "$def1"
expect_ne "portable: runDetails differ" "$(jq -c .predicate.runDetails "$src1/prov.json")" \
  "$(jq -c .predicate.runDetails "$src2/prov.json")"
expect_eq "portable: runDetails names each machine's module directory" "$src1 $src2" \
  "$(jq -r '.predicate.runDetails.byproducts[0].annotations.module_dir' "$src1/prov.json") $(jq -r '.predicate.runDetails.byproducts[0].annotations.module_dir' "$src2/prov.json")"
expect_eq "portable: no git entry without a git checkout" "" \
  "$(jq -r '.predicate.buildDefinition.resolvedDependencies[] | select(.name == "git") | .name' "$src1/prov.json")"

gb_done
