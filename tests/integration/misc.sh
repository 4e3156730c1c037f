#!/usr/bin/env bash
# Integration scenario for init, doctor, version, the man page, the bash completion and
# `meson install`: drives the real gobuild (and the real go) in a scratch directory.
# Environment: GOBUILD (the binary), GOBUILD_SRC (the source tree). Exit 0 pass, 1 fail.
set -u

: "${GOBUILD:?GOBUILD must name the gobuild binary}"
SRC=${GOBUILD_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/gobuild-misc.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
SCRATCH=$(cd "$SCRATCH" && pwd -P) # gobuild prints resolved paths
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
skip() { echo "SKIP: $*" >&2; }
pass() { echo "ok: $*"; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    if [[ "$2" == "$3" ]]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}
# expect_contains WHAT TEXT NEEDLE
expect_contains() {
    if [[ "$2" == *"$3"* ]]; then pass "$1"; else fail "$1: [$3] not in [$2]"; fi
}

# run ARGS...: runs gobuild, sets $out, $err and $rc.
run() {
    out=$("$GOBUILD" "$@" 2>"$SCRATCH/stderr")
    rc=$?
    err=$(cat "$SCRATCH/stderr")
}

# A module with a main package at its root, one in cmd/tool and a library.
make_module() {
    mkdir -p "$1/cmd/tool" "$1/internal/lib"
    printf 'module example.com/hello\n\ngo 1.22\n' >"$1/go.mod"
    printf 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/hello/internal/lib"\n)\n\nfunc main() { fmt.Println(lib.Greeting()) }\n' >"$1/main.go"
    printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("tool") }\n' >"$1/cmd/tool/main.go"
    printf 'package lib\n\nfunc Greeting() string { return "hello" }\n' >"$1/internal/lib/lib.go"
}

# The host platform as gobuild sees it: no GOOS/GOARCH from the environment or a go env file.
PLATFORM=$(env -u GOOS -u GOARCH GOENV=off GOTOOLCHAIN=local go env GOOS)/$(env -u GOOS -u GOARCH GOENV=off GOTOOLCHAIN=local go env GOARCH)

# ---------------------------------------------------------------------------------------
echo "== version"
run version
expect_eq "version exits 0" 0 "$rc"
first=${out%%$'\n'*}
run --version
expect_eq "--version is the first line of version" "$first" "$out"
[[ $first =~ ^gobuild\ [0-9]+\.[0-9]+\.[0-9]+$ ]] && pass "version line shape" || fail "version line: [$first]"
run version
for key in compiler standard build linkage "library: Boost" "library: fmt" "library: Nettle"; do
    expect_contains "version reports $key" "$out" $'\n'"$key"
done
linkage=$(sed -n 's/^linkage: //p' <<<"$out")
if verify_json=$("$GOBUILD" verify --allow-dynamic --json "$GOBUILD" 2>/dev/null) &&
    command -v python3 >/dev/null; then
    expected=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["linkage"])' <<<"$verify_json")
    expect_eq "version's linkage agrees with verify" "$expected" "$linkage"
else
    skip "verify --json or python3 unavailable: linkage not cross-checked ($linkage)"
fi

# ---------------------------------------------------------------------------------------
echo "== man page"
MAN=$SRC/doc/gobuild.1
if command -v groff >/dev/null; then
    warnings=$(groff -ww -z -man "$MAN" 2>&1)
    expect_eq "groff -ww renders gobuild.1 without warnings" "" "$warnings"
else
    skip "groff not installed"
fi
if command -v man >/dev/null; then
    warnings=$(MANWIDTH=80 man --warnings -l "$MAN" 2>&1 >/dev/null)
    expect_eq "man -l renders gobuild.1 without warnings" "" "$warnings"
    text=$(MANWIDTH=200 man -l "$MAN" 2>/dev/null)
    for cmd in build plan vendor verify env init doctor version; do
        # each command has its own entry in COMMANDS
        grep -qE "^ {7}$cmd( |$)" <<<"$text" || fail "man page has no entry for $cmd"
    done
    # Every option the CLI knows is documented.
    for cmd in build plan vendor verify env init doctor; do
        for opt in $("$GOBUILD" "$cmd" --help 2>/dev/null | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' |
            sed 's/^[ ,]*//' | sort -u); do
            grep -qE -- "(^|[ ,])$opt([ ,=]|$)" <<<"$text" || fail "man page lacks $opt (from gobuild $cmd --help)"
        done
    done
    for section in "EXIT STATUS" ENVIRONMENT FILES; do
        grep -q "^$section" <<<"$text" || fail "man page lacks $section"
    done
    pass "man page covers commands and options"
else
    skip "man not installed"
fi

# ---------------------------------------------------------------------------------------
echo "== init"
MOD=$SCRATCH/mod
make_module "$MOD"
run -C "$MOD" init
expect_eq "init exits 0" 0 "$rc"
expect_eq "init reports the targets" $'wrote gobuild.yaml for example.com/hello ('"$PLATFORM"$'):\n  hello            .\n  tool             ./cmd/tool' "$out"
yaml=$(cat "$MOD/gobuild.yaml" 2>/dev/null)
expect_contains "target hello" "$yaml" $'  - name: hello               # unique, [A-Za-z0-9._-]+\n    main: .  '
expect_contains "target tool" "$yaml" $'  - name: tool                # unique, [A-Za-z0-9._-]+\n    main: ./cmd/tool  '
expect_contains "version key" "$yaml" $'\nversion: 1 '
[[ -z $(find "$MOD" -name '*.tmp.*') ]] && pass "no temporary file left" || fail "temporary file left"
before=$(cksum <"$MOD/gobuild.yaml")
echo "# edited" >>"$MOD/gobuild.yaml"
edited=$(cksum <"$MOD/gobuild.yaml")
run -C "$MOD" init
expect_eq "init refuses to overwrite: exit 2" 2 "$rc"
expect_eq "init refuses to overwrite: message" "gobuild: error: gobuild.yaml already exists; use --force to overwrite it" "$err"
expect_eq "refused init leaves the file alone" "$edited" "$(cksum <"$MOD/gobuild.yaml")"
mkdir -p "$MOD/cmd/needs-c"
printf 'package main\n\nimport "C"\n\nfunc main() {}\n' >"$MOD/cmd/needs-c/main.go"
run -C "$MOD" init --force
expect_eq "init adds a cgo-only main package, marked" $'wrote gobuild.yaml for example.com/hello ('"$PLATFORM"$'):\n  hello            .\n  tool             ./cmd/tool\n  needs-c          ./cmd/needs-c  (cgo)' "$out"
expect_contains "init writes cgo: true for it" "$(cat "$MOD/gobuild.yaml")" $'    main: ./cmd/needs-c       # package to build, relative to the module\n    cgo: true  ' 
rm -r "$MOD/cmd/needs-c"
run -C "$MOD" init --force -q
expect_eq "init --force exits 0" 0 "$rc"
expect_eq "init --force rewrites the file" "$before" "$(cksum <"$MOD/gobuild.yaml")"
run -C "$MOD" init --force --json -f other.yaml
expect_eq "init --json" '{"config":"other.yaml","module":"example.com/hello","platform":"'"$PLATFORM"'","skipped":[],"targets":[{"main":".","name":"hello"},{"main":"./cmd/tool","name":"tool"}]}' "$out"
mkdir -p "$MOD/ci"
run -C "$MOD" init -q -f ci/gobuild.yaml
expect_eq "init -f ci/gobuild.yaml exits 0" 0 "$rc"
expect_contains "module: is relative to the config" "$(cat "$MOD/ci/gobuild.yaml")" $'\nmodule: ..  '
run -C "$MOD" plan -f ci/gobuild.yaml
# A config may not reach above its own directory: the module must be inside it.
expect_eq "plan refuses the module above the config: exit 2" 2 "$rc"
expect_eq "plan refuses the module above the config: message" "ci/gobuild.yaml:4:9: error: module: '..' is outside the config's directory" "$err"
run -C "$MOD" init -f nodir/gobuild.yaml
expect_eq "init into a missing directory: exit 2" 2 "$rc"
expect_eq "init into a missing directory: message" "gobuild: error: cannot write nodir/gobuild.yaml: no directory $MOD/nodir" "$err"
mkdir -p "$SCRATCH/stale/vendor"
printf 'module example.com/stale\n\ngo 1.22\n\nrequire example.org/absent v1.2.3\n' >"$SCRATCH/stale/go.mod"
printf 'package main\n\nimport "example.org/absent"\n\nfunc main() { absent.Run() }\n' >"$SCRATCH/stale/main.go"
printf '# example.org/other v1.0.0\n## explicit\nexample.org/other\n' >"$SCRATCH/stale/vendor/modules.txt"
run -C "$SCRATCH/stale" init -q
expect_eq "init ignores a stale vendor/ and an absent dependency" "0 " "$rc $err"
mkdir -p "$SCRATCH/empty"
run -C "$SCRATCH/empty" init
expect_eq "init without go.mod: exit 2" 2 "$rc"
expect_contains "init without go.mod: message" "$err" "gobuild: error: no go.mod in $SCRATCH/empty"
mkdir -p "$SCRATCH/libonly"
printf 'module example.com/lib\n\ngo 1.22\n' >"$SCRATCH/libonly/go.mod"
printf 'package lib\n' >"$SCRATCH/libonly/lib.go"
run -C "$SCRATCH/libonly" init
expect_eq "init without main package: exit 2" 2 "$rc"
expect_eq "init without main package: message" "gobuild: error: no main package in module example.com/lib ($SCRATCH/libonly): nothing for gobuild to build" "$err"
[[ ! -e $SCRATCH/libonly/gobuild.yaml ]] && pass "failed init writes nothing" || fail "failed init wrote a file"
mkdir -p "$SCRATCH/libonly/cmd/c"
printf 'package main\n\nimport "C"\n\nfunc main() {}\n' >"$SCRATCH/libonly/cmd/c/main.go"
run -C "$SCRATCH/libonly" init
expect_eq "init with only a cgo-only main package: exit 0" 0 "$rc"
expect_contains "init with only a cgo-only main package: its target has cgo: true" "$(cat "$SCRATCH/libonly/gobuild.yaml")" $'    main: ./cmd/c             # package to build, relative to the module\n    cgo: true  '
rm -f "$SCRATCH/libonly/gobuild.yaml" && rm -r "$SCRATCH/libonly/cmd/c"
mkdir -p "$SCRATCH/libonly/tests/cmd/helper"
printf 'package main\n\nfunc main() {}\n' >"$SCRATCH/libonly/tests/cmd/helper/main.go"
run -C "$SCRATCH/libonly" init
expect_eq "init with only a test helper: exit 2" 2 "$rc"
expect_eq "init with only a test helper: message" "gobuild: error: no main package in module example.com/lib ($SCRATCH/libonly): nothing for gobuild to build (test helpers and examples skipped: ./tests/cmd/helper)" "$err"

# ---------------------------------------------------------------------------------------
echo "== completion"
(
    failures=0
    # shellcheck source=/dev/null
    source "$SRC/completion/gobuild.bash"
    complete_words() {
        COMP_WORDS=("$@")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMPREPLY=()
        _gobuild
        printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
    }
    cd "$MOD" || exit 1
    expect_eq "completes commands and targets" "build doctor env hello init merge plan tool vendor verify version " "$(complete_words gobuild '')"
    expect_eq "completes targets after build" "hello tool " "$(complete_words gobuild build '')"
    expect_eq "completes targets of -C's config" "tool " "$(cd / && complete_words gobuild -C "$MOD" build t)"
    expect_eq "completes init's options" "--file --force " "$(complete_words gobuild init --f)"
    expect_eq "completes --color values" "always auto " "$(complete_words gobuild --color = a)"
    expect_eq "completes the config's platform first" "$PLATFORM " "$(complete_words gobuild --platform "$PLATFORM")"
    exit "$failures"
)
failures=$((failures + $?))

# ---------------------------------------------------------------------------------------
echo "== doctor"
run -C "$MOD" doctor
[[ $rc == 0 || $rc == 1 ]] && pass "doctor exit code $rc" || fail "doctor exit code $rc"
bad=$(grep -vE '^(ok    |info  |warn  |fail  )[^:]+: .+$|^      advice: .+$' <<<"$out")
expect_eq "every doctor line has the check shape" "" "$bad"
if grep -q '^fail' <<<"$out"; then expect_eq "doctor fails when a check fails" 1 "$rc"; else expect_eq "doctor passes without failed checks" 0 "$rc"; fi
for check in go GOROOT "C compiler" "static libc" musl-gcc GOCACHE "output directory" WSL environment "go env file" config toolchain; do
    grep -qE "^[a-z]+ +$check: " <<<"$out" || fail "doctor has no $check check"
done
expect_contains "doctor checks the config's output directory" "$out" "output directory: $MOD/bin ("
run -C "$MOD" doctor --json
if command -v python3 >/dev/null; then
    shape=$(python3 -c '
import json, sys
d = json.load(sys.stdin)
ok = list(d) == ["checks"] and all(sorted(c) == ["advice", "detail", "name", "status"] and
     c["status"] in ("ok", "info", "warn", "fail") for c in d["checks"])
print(ok, len(d["checks"]) > 5)' <<<"$out")
    expect_eq "doctor --json shape" "True True" "$shape"
else
    skip "python3 not installed: doctor --json not parsed"
fi
out=$(env -i PATH="$PATH" HOME="$HOME" GOFLAGS=-v CC=false CGO_ENABLED=1 "$GOBUILD" -C "$MOD" doctor 2>&1)
expect_contains "doctor lists the variables gobuild drops" "$out" "warn  environment: CC, CGO_ENABLED, GOFLAGS set: gobuild drops them"
out=$(env PATH=/nonexistent "$GOBUILD" -C "$MOD" doctor 2>&1)
rc=$?
expect_eq "doctor without go fails" 1 "$rc"
expect_contains "doctor without go says so" "$out" $'fail  go: not found on PATH\n      advice: install Go'

# ---------------------------------------------------------------------------------------
echo "== build what init wrote"
run -C "$MOD" -q build
if [[ $err == *"not implemented"* ]]; then
    skip "gobuild build is not implemented yet"
else
    expect_eq "build of the init config exits 0" 0 "$rc"
    [[ $rc == 0 ]] || echo "$err" >&2
    expect_eq "bin/hello runs" hello "$("$MOD/bin/hello" 2>&1)"
    expect_eq "bin/tool runs" tool "$("$MOD/bin/tool" 2>&1)"
fi

# ---------------------------------------------------------------------------------------
echo "== meson install"
BUILDDIR=$(dirname "$(dirname "$GOBUILD")")
if [[ -d $BUILDDIR/meson-private ]] && command -v meson >/dev/null; then
    DEST=$SCRATCH/dest
    if meson install -C "$BUILDDIR" --destdir "$DEST" --no-rebuild --quiet >"$SCRATCH/install.log" 2>&1; then
        for f in bin/gobuild share/man/man1/gobuild.1 share/bash-completion/completions/gobuild; do
            found=$(find "$DEST" -path "*/$f" | head -1)
            [[ -n $found ]] && pass "installs $f" || fail "meson install did not install $f"
        done
        installed=$(find "$DEST" -path '*/bin/gobuild' | head -1)
        [[ -n $installed ]] && expect_eq "installed gobuild runs" "$first" "$("$installed" --version)"
        man1=$(find "$DEST" -path '*/man1/gobuild.1' | head -1)
        [[ -n $man1 ]] && cmp -s "$man1" "$MAN" && pass "installed man page is doc/gobuild.1"
    else
        fail "meson install --destdir failed: $(cat "$SCRATCH/install.log")"
    fi
else
    skip "$BUILDDIR is not a meson build directory: install not tested"
fi

echo "$failures failure(s)"
[[ $failures == 0 ]]
