#!/usr/bin/env bash
# What --check-reproducible must show (doc/build.md, reproducibility check):
#  - a pinned (go: the host's exact version) pure-Go build with a third-party dependency is
#    confirmed reproducible, with the sha256 of the kept output;
#  - trimpath: false is caught: exit 1, the output named, the first differing ELF section, the
#    likely cause "trimpath is off";
#  - buildvcs: true in a git work tree is caught: the second build (from a copy without .git)
#    has no vcs.* lines, so the build-info lines that differ are printed with the VCS cause;
#  - each time the first build's output is the one kept and the scratch directory is gone.
source "$(dirname "$0")/lib.sh"
gb_setup

hostver=$(go env GOVERSION) # go1.26.8
pin=${hostver#go}
proxy="$SCRATCH/proxy"
app="$SCRATCH/app"
gb_dep_module "$app" "$proxy"
export GOPROXY="file://$proxy"
cd "$app"

write_config() { # write_config EXTRA-BUILD-LINES...
  {
    printf 'version: 1\ngo: "%s"\nbuild:\n  rebuild_all: false\n' "$pin"
    local l
    for l in "$@"; do printf '  %s\n' "$l"; done
    printf 'targets:\n  - name: app\n'
  } >gobuild.yaml
}
no_scratch() { expect_eq "$1: the scratch directory is gone" "" "$(ls -A "$TMPDIR" | grep gobuild-repro)"; }

# 1. Pinned, pure Go, a dependency through vendor/: reproducible.
write_config
run_gobuild build --check-reproducible --json
expect_eq "pinned: exit 0" 0 "$rc"
sum=$(sha bin/app)
expect_contains "pinned: says which toolchain" "gobuild: toolchain $hostver (pinned by go: \"$pin\")" "$err"
expect_contains "pinned: reproducible with the output's sha256 (--json: the human report is on stderr)" "
bin/app: reproducible: sha256:$sum" "$err"
expect_eq "pinned: --json reproducible, the sha256, the version" "true true $sum $hostver" \
  "$(jq -r '[.ok, .outputs[0].reproducible, .outputs[0].sha256, .outputs[0].go_version] | map(tostring) | join(" ")' <<<"$out")"
expect_eq "pinned: the binary runs" "hello from dep" "$(./bin/app)"
no_scratch "pinned"

# 1b. vendor: false with the module cache where go puts it by default ($HOME/go/pkg/mod): the
# second build, with another HOME, still finds the dependency there (its build step has
# GOPROXY=off) and gives the same bytes.
printf 'version: 1\ngo: "%s"\nvendor: false\nbuild:\n  rebuild_all: false\ntargets:\n  - name: app\n' "$pin" >gobuild.yaml
(unset GOMODCACHE GOPATH && GOFLAGS=-mod=mod go mod download example.com/dep) || fail "go mod download into \$HOME/go/pkg/mod"
(unset GOMODCACHE GOPATH && run_gobuild build --check-reproducible && printf '%s\n%s\n' "$rc" "$out" >"$SCRATCH/1b")
expect_eq "default module cache: exit 0" 0 "$(head -1 "$SCRATCH/1b")"
expect_contains "default module cache: reproducible, in the report on stdout" "bin/app: reproducible: sha256:$(sha bin/app)" "$(cat "$SCRATCH/1b")"
no_scratch "default module cache"

# 2. trimpath off: the module's absolute path leaks, so the copy elsewhere differs.
write_config "trimpath: false"
run_gobuild build --check-reproducible --json
expect_eq "trimpath off: exit 1" 1 "$rc"
sum=$(sha bin/app)
expect_contains "trimpath off: the output and both sha256" "
bin/app: not reproducible: sha256:$sum then sha256:" "$err"
sum2=$(printf '%s\n' "$err" | sed -n "s/^bin\/app: not reproducible: sha256:$sum then sha256:\([0-9a-f]*\);.*/\1/p")
where=$(printf '%s\n' "$err" | sed -n 's/.*; first difference at //p')
expect_eq "trimpath off: --json: the difference in the document" \
  "$sum2|$where|trimpath is off: the build directory's path is written into the binary (set trimpath: true)" \
  "$(jq -r '.outputs[0].difference | [.second_sha256, .where, .likely_causes[0]] | join("|")' <<<"$out")"
# The first differing byte is in a section, or in a header whose fields follow from the
# sections' sizes; then the first section whose bytes differ is named after it (with
# trimpath off, go1.26.8: the program headers, then .gopclntab, which holds the file names).
section_re='^section \.[a-z_.]+ \(file offset 0x[0-9a-f]+\)|\(file offset 0x[0-9a-f]+\).*; first differing section \.[a-z_.]+(: 0x[0-9a-f]+ bytes, then 0x[0-9a-f]+| at \+0x[0-9a-f]+)$'
if [[ "$where" =~ $section_re ]]; then
  pass "trimpath off: the first differing section is named ($where)"
else
  fail "trimpath off: no section named: [$where]"
fi
expect_not_contains "trimpath off: not the build ID, which differs whenever anything does" "build-id" "$where"
expect_contains "trimpath off: the likely cause" \
  "  likely cause: trimpath is off: the build directory's path is written into the binary (set trimpath: true)" "$err"
expect_eq "trimpath off: --json says not reproducible, not ok" "false false" \
  "$(jq -r '[.ok, .outputs[0].reproducible] | map(tostring) | join(" ")' <<<"$out")"
expect_eq "trimpath off: the first build's output is kept (its sha256 reported)" "$sum" \
  "$(jq -r '.outputs[0].sha256' <<<"$out")"
expect_eq "trimpath off: the kept output holds the first build's path" yes \
  "$(grep -q -F "$app/main.go" bin/app && echo yes)"
no_scratch "trimpath off"

# 3. buildvcs: true in a git work tree: the copy has no .git, so the VCS stamp differs.
git init -q . && git add -A && git -c user.name=t -c user.email=t@example.com commit -q -m init ||
  fail "git init and commit"
write_config "buildvcs: true"
run_gobuild build --check-reproducible
expect_eq "buildvcs: exit 1" 1 "$rc"
sum=$(sha bin/app)
expect_contains "buildvcs: the output named, in the report on stdout" "bin/app: not reproducible: sha256:$sum then sha256:" "$out"
expect_contains "buildvcs: stderr names the error" "gobuild: error: bin/app: not reproducible" "$err"
rev=$(git rev-parse HEAD)
expect_contains "buildvcs: build-info line vcs=git only in the first" "  - build vcs=git" "$out"
expect_contains "buildvcs: build-info line vcs.revision only in the first" "  - build vcs.revision=$rev" "$out"
expect_contains "buildvcs: the likely cause" \
  "  likely cause: VCS stamping differs (vcs.modified/vcs.time/vcs.revision): set buildvcs: false, or build a clean commit" "$out"
expect_not_contains "buildvcs: trimpath is on, not blamed" "trimpath is off" "$out"
expect_eq "buildvcs: the kept output is the first build's, with its vcs stamp" "$rev" \
  "$(go version -m bin/app | sed -n 's/^[[:space:]]*build[[:space:]]*vcs.revision=//p')"
no_scratch "buildvcs"

gb_done
