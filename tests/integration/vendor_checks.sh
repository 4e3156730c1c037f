#!/usr/bin/env bash
# vendor/ is an input, checked: the stamp holds a digest of every vendored file, so a vendored
# file edited, added or deleted by hand (a whole module deleted) is vendored again, and the
# binary runs the module's code, not the edit; `vendor: check` refuses a vendor/ that differs
# from what `go mod vendor` writes, naming the files, exit 1, and never rewrites it.
source "$(dirname "$0")/lib.sh"
gb_setup
umask 022

proxy="$SCRATCH/proxy"
app="$SCRATCH/app"
gb_dep_module "$app" "$proxy"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
build: {rebuild_all: false}
targets:
  - name: app
YAML
cd "$app"
export GOPROXY="file://$proxy"
dep=vendor/example.com/dep/dep.go

run_gobuild build
expect_eq "first build exits 0" 0 "$rc"
expect_eq "bin/app runs the dependency's code" "hello from dep" "$(./bin/app)"
expect_contains "the stamp lists the vendored files" "example.com/dep/dep.go" "$(cat vendor/.gobuild-stamp)"
original=$(sha "$dep")

# A vendored .go file edited by hand: vendored again, the edit gone, the binary the original.
sed -i 's/hello from dep/tampered/' "$dep"
run_gobuild build
expect_eq "edited: exit 0" 0 "$rc"
expect_contains "edited: says why it vendors" "gobuild: vendoring: vendor/ changed since gobuild vendored it: modified $dep" "$err"
expect_eq "edited: the file is go mod vendor's again" "$original" "$(sha "$dep")"
expect_eq "edited: the binary runs the original code" "hello from dep" "$(./bin/app)"

# A file added by hand: vendored again, the file gone.
printf 'package dep\n\nfunc init() { println("planted") }\n' >vendor/example.com/dep/planted.go
run_gobuild build
expect_eq "added: exit 0" 0 "$rc"
expect_contains "added: says why it vendors" "added vendor/example.com/dep/planted.go" "$err"
expect_no_file "added: the planted file is gone" vendor/example.com/dep/planted.go
expect_eq "added: the binary runs the original code" "hello from dep" "$(./bin/app 2>&1)"

# A whole vendored module deleted: vendored again.
rm -rf vendor/example.com/dep
run_gobuild build
expect_eq "deleted: exit 0" 0 "$rc"
expect_contains "deleted: says why it vendors" "deleted $dep" "$err"
expect_eq "deleted: the module is back" "$original" "$(sha "$dep")"

# Untouched: no vendoring.
run_gobuild -v build
expect_contains "untouched: not vendored again" "gobuild: vendor/ is consistent with go.mod and go.sum; not vendoring" "$err"

# vendor: check. A vendor/ that is go mod vendor's passes and builds.
cat >gobuild.yaml <<'YAML'
version: 1
vendor: check
build: {rebuild_all: false}
targets:
  - name: app
YAML
stamp=$(sha vendor/.gobuild-stamp)
run_gobuild vendor
expect_eq "check: consistent vendor/ passes" 0 "$rc"
expect_contains "check: says so" "gobuild: vendor/ is what go mod vendor writes, file for file" "$err"
run_gobuild build
expect_eq "check: consistent vendor/ builds" 0 "$rc"
expect_no_file "check: no scratch directory left" "$(ls -d "$TMPDIR"/gobuild-vendor-* 2>/dev/null | head -1)"

# Tampered: refused, naming each file, exit 1, nothing rewritten, nothing built.
sed -i 's/hello from dep/tampered/' "$dep"
printf 'package dep\n' >vendor/example.com/dep/planted.go
rm -f vendor/example.com/dep/go.mod 2>/dev/null
touch -d @0 bin/app
before=$(stat -c %Y bin/app)
tampered=$(sha "$dep")
run_gobuild build
expect_eq "check: tampered vendor/ is exit 1" 1 "$rc"
expect_contains "check: the message" "gobuild: error: vendor/ differs from what go mod vendor writes (vendor: check never rewrites it; run go mod vendor, or set vendor: true):" "$err"
expect_contains "check: names the edited file" "  modified $dep" "$err"
expect_contains "check: names the added file" "  added vendor/example.com/dep/planted.go" "$err"
expect_eq "check: vendor/ not rewritten" "$tampered" "$(sha "$dep")"
expect_file "check: the added file stays" vendor/example.com/dep/planted.go
expect_eq "check: the stamp not rewritten" "$stamp" "$(sha vendor/.gobuild-stamp)"
expect_eq "check: nothing built" "$before" "$(stat -c %Y bin/app)"
expect_not_contains "check: no go build ran" "bin/app  linux/" "$out"

# A deleted module under vendor: check.
cp -r vendor "$SCRATCH/vendor.bak"
rm -rf vendor/example.com
run_gobuild vendor
expect_eq "check: deleted module is exit 1" 1 "$rc"
expect_contains "check: names the deleted file" "  deleted $dep" "$err"
expect_no_file "check: not vendored again" "$dep"

gb_done
