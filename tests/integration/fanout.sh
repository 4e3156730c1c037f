#!/usr/bin/env bash
# CI fan-out: `plan --json` gives the jobs; each job runs as a shard on its own "runner" (its
# own checkout, HOME, build and module caches, TMPDIR); `gobuild merge` makes one provenance
# statement and one checksum file of the shards' --json reports, with the digests a single
# machine gets. Shards whose config, toolchain or stamps disagree, or that built one output
# with other bytes, are refused (exit 1) by name, and nothing is written.
source "$(dirname "$0")/lib.sh"
gb_setup
umask 022
command -v jq >/dev/null || skip "jq is not installed"

proxy="$SCRATCH/proxy"
src="$SCRATCH/src"
gb_dep_module "$src" "$proxy"
cat >"$src/gobuild.yaml" <<'YAML'
version: 1
build:
  ldflags: [-s, -w]
targets:
  - name: app
    platforms: [linux/amd64, linux/arm64]
  - name: app2
    platforms: [linux/amd64]
YAML
export GOPROXY="file://$proxy"

cd "$src"
run_gobuild plan --json
expect_eq "plan --json exits 0" 0 "$rc"
expect_eq "plan --json: the jobs" "app linux/amd64 bin/app-linux-amd64|app linux/arm64 bin/app-linux-arm64|app2 linux/amd64 bin/app2" \
  "$(jq -r '[.jobs[] | "\(.target) \(.platform) \(.output)"] | join("|")' <<<"$out")"
expect_eq "plan --json: the config digest" "$(sha gobuild.yaml)" "$(jq -r .config.sha256 <<<"$out")"
expect_eq "plan --json: the toolchain" "local" "$(jq -r .toolchain.GOTOOLCHAIN <<<"$out")"
expect_eq "plan --json: each job's env and argv" "arm64 go build -o $src/bin/app-linux-arm64" \
  "$(jq -r '.jobs[1] | "\(.env.GOARCH) \(.argv[0:4] | join(" "))"' <<<"$out")"
jobs=$(jq -r '.jobs[] | "\(.target) \(.platform)"' <<<"$out")

# One runner per job: a checkout of its own at the same path (as CI runners have), and its
# own HOME and caches.
n=0
while read -r target platform; do
  n=$((n + 1))
  r="$SCRATCH/runner$n"
  mkdir -p "$r/home" "$r/gocache" "$r/gomodcache" "$r/tmp" "$r/out"
  rm -rf "$SCRATCH/work" && cp -r "$src" "$SCRATCH/work"
  (
    cd "$SCRATCH/work" &&
      HOME="$r/home" GOCACHE="$r/gocache" GOMODCACHE="$r/gomodcache" GOPATH="$r/gopath" TMPDIR="$r/tmp" \
        "$GOBUILD" -q build "$target" --platform "$platform" --json >"$SCRATCH/shard$n.json" 2>"$r/err"
  )
  expect_eq "shard $n ($target $platform) exits 0" 0 "$?"
  cp -r "$SCRATCH/work/bin" "$r/out/"
  chmod -R u+w "$r/gomodcache"
done <<<"$jobs"
expect_eq "three shards" 3 "$n"

mkdir -p "$SCRATCH/merged" && cd "$SCRATCH/merged"
run_gobuild merge --provenance prov.json --checksums SHA256SUMS "$SCRATCH"/shard{1,2,3}.json
expect_eq "merge exits 0" 0 "$rc"
expect_eq "merge says what it did" "gobuild: merged 3 shards: 3 outputs" "$err"
run_gobuild merge --json --provenance prov2.json "$SCRATCH"/shard{1,2,3}.json
expect_eq "merge --json: exit 0" 0 "$rc"
expect_eq "merge --json: what it wrote" "true prov2.json null 3" \
  "$(jq -r '[.ok, .provenance, (.checksums | tostring), (.subjects | length)] | join(" ")' <<<"$out")"
expect_eq "merge --json: the same statement" "$(cat prov.json)" "$(cat prov2.json)"
for i in 1 2 3; do cp -r "$SCRATCH/runner$i/out/bin" . ; done
sha256sum -c --quiet SHA256SUMS
expect_eq "the merged checksums match the shards' outputs" 0 "$?"
expect_eq "one subject per output" "bin/app-linux-amd64 bin/app-linux-arm64 bin/app2" \
  "$(jq -r '[.subject[].name] | join(" ")' prov.json)"
expect_eq "every platform" '["linux/amd64","linux/arm64"]' "$(jq -c .predicate.buildDefinition.externalParameters.platforms prov.json)"
expect_eq "the dependency once" 1 "$(jq '[.predicate.buildDefinition.resolvedDependencies[] | select(.uri == "pkg:golang/example.com/dep@v1.0.0")] | length' prov.json)"

# The same outputs, built on one machine: the same digests.
cd "$src"
run_gobuild -q build --checksums "$SCRATCH/one.sums"
expect_eq "one-machine build exits 0" 0 "$rc"
expect_eq "the shards' digests are one machine's" "$(sort "$SCRATCH/one.sums")" "$(sort "$SCRATCH/merged/SHA256SUMS")"

# The same output in two shards with the same digest is fine.
cd "$SCRATCH/merged"
run_gobuild merge --provenance again.json "$SCRATCH"/shard{1,2,3,1}.json
expect_eq "a repeated shard: exit 0" 0 "$rc"
expect_eq "a repeated shard: still 3 outputs" 3 "$(jq '.subject | length' again.json)"

# Refusals. Another config: a shard built after an edit of gobuild.yaml.
refuse() { # WHAT WANT-MESSAGE-LINE SHARDS...
  local what=$1 want=$2
  shift 2
  rm -f bad.json bad.sums
  run_gobuild merge --provenance bad.json --checksums bad.sums "$@"
  expect_eq "$what: exit 1" 1 "$rc"
  expect_contains "$what: the reason, naming the shards" "$want" "$err"
  expect_contains "$what: nothing written" "gobuild: error: nothing written: the $# shards cannot be merged" "$err"
  expect_no_file "$what: no statement" bad.json
  expect_no_file "$what: no checksums" bad.sums
}
(
  cd "$SCRATCH/work" && echo "# edited" >>gobuild.yaml &&
    "$GOBUILD" -q build app2 --json >"$SCRATCH/edited.json" 2>/dev/null
)
c1=$(sha "$src/gobuild.yaml")
c2=$(sha "$SCRATCH/work/gobuild.yaml")
refuse "another config" \
  "gobuild: error: the shards were built from different configs: sha256:$c1 in $SCRATCH/shard1.json, $SCRATCH/shard2.json; $c2 in $SCRATCH/edited.json" \
  "$SCRATCH/shard1.json" "$SCRATCH/shard2.json" "$SCRATCH/edited.json"

jq '.provenance.predicate.buildDefinition.internalParameters.go_version = "go1.26.0"' "$SCRATCH/shard2.json" >"$SCRATCH/oldgo.json"
goversion=$(jq -r .provenance.predicate.buildDefinition.internalParameters.go_version "$SCRATCH/shard1.json")
refuse "another toolchain" \
  "gobuild: error: the shards were built by different toolchains: $goversion in $SCRATCH/shard1.json; go1.26.0 in $SCRATCH/oldgo.json" \
  "$SCRATCH/shard1.json" "$SCRATCH/oldgo.json"

jq '.stamps = {"version": "v2.0.0"}' "$SCRATCH/shard2.json" >"$SCRATCH/stamped.json"
refuse "other stamps" \
  "gobuild: error: the shards were built with different stamps: {} in $SCRATCH/shard1.json; {\"version\":\"v2.0.0\"} in $SCRATCH/stamped.json" \
  "$SCRATCH/shard1.json" "$SCRATCH/stamped.json"

# One output, two digests (a shard whose report says other bytes; with the same config and
# toolchain, only a non-reproducible build or a tampered report gets there).
first=$(jq -r '.outputs[0].sha256' "$SCRATCH/shard1.json")
jq --arg s "$(printf 'f%.0s' {1..64})" '.provenance.subject[0].digest.sha256 = $s' "$SCRATCH/shard1.json" >"$SCRATCH/other-bytes.json"
refuse "one output, two digests" \
  "gobuild: error: bin/app-linux-amd64: built twice with different bytes: sha256:$first in $SCRATCH/shard1.json, sha256:$(printf 'f%.0s' {1..64}) in $SCRATCH/other-bytes.json" \
  "$SCRATCH/shard1.json" "$SCRATCH/other-bytes.json"

echo '{"files": []}' >"$SCRATCH/verify.json"
run_gobuild merge --provenance bad.json "$SCRATCH/verify.json"
expect_eq "not a report: exit 2" 2 "$rc"
expect_eq "not a report: message" "gobuild: error: $SCRATCH/verify.json: not a \`gobuild build --json\` report or a provenance statement" "$err"

printf '# not JSON\n' >"$SCRATCH/notjson.yaml"
run_gobuild merge --provenance bad.json "$SCRATCH/notjson.yaml"
expect_eq "not JSON: exit 2" 2 "$rc"
expect_eq "not JSON: message" "gobuild: error: $SCRATCH/notjson.yaml: not a JSON document (parse error at line 1, column 1: syntax error while parsing value - invalid literal; last read: '#'); merge takes the shards' \`gobuild build --json\` reports or provenance statements" "$err"

gb_done
