#!/usr/bin/env bash
# The drop-in for `go build`: in a module without gobuild.yaml, `gobuild build -o OUT [go flags]
# [PACKAGE...]` builds static, verified, atomic outputs with gobuild's defaults; the go flags go
# through the config's allowlists (a refused one runs nothing); `gobuild plan` prints the steps
# and the gobuild.yaml they amount to. Also: options before the command word (--jobs, --file).
source "$(dirname "$0")/lib.sh"
gb_setup

app="$SCRATCH/app"
gb_module "$app" example.com/app
cat >"$app/main.go" <<'GO'
package main

import "fmt"

var v = "dev"

func main() { fmt.Println(v) }
GO
cat >"$app/extra.go" <<'GO'
//go:build extra

package main

func init() { v = "extra" }
GO
for name in one two; do
  mkdir -p "$app/cmd/$name"
  printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("%s") }\n' "$name" >"$app/cmd/$name/main.go"
done
mkdir -p "$app/cmd/lib"
printf 'package lib\n\n// X is not a program.\nconst X = 1\n' >"$app/cmd/lib/lib.go"
# A git work tree, so that go would stamp vcs.* settings if gobuild let it.
if command -v git >/dev/null; then
  (cd "$app" && git init -q && git add -A &&
    git -c user.name=t -c user.email=t@example.com commit -qm init) || fail "git init"
fi
cd "$app"

# --- -o FILE for one package ---
run_gobuild build -o bin/app .
expect_eq "build -o bin/app .: exit 0" 0 "$rc"
expect_eq "build -o bin/app .: no error" "" "$(printf '%s\n' "$err" | grep 'error' || true)"
expect_eq "bin/app runs" "dev" "$(./bin/app)"
info=$(go version -m bin/app)
expect_contains "CGO_ENABLED=0" "$(printf 'build\tCGO_ENABLED=0')" "$info"
expect_contains "-trimpath=true" "$(printf 'build\t-trimpath=true')" "$info"
expect_not_contains "no vcs settings" "vcs." "$info"
run_gobuild verify bin/app
expect_eq "bin/app verifies" 0 "$rc"
expect_contains "bin/app is static" "static" "$out"
expect_no_temps "no temporary files" "$app"
expect_no_file "no gobuild.yaml written" "$app/gobuild.yaml"

# --- no -o: NAME in the current directory, as go build names it ---
run_gobuild
expect_eq "gobuild alone: exit 0" 0 "$rc"
expect_eq "gobuild alone builds ./app" "dev" "$(./app 2>&1)"
rm -f app

# --- -o DIR/ for a pattern with two mains (the library package is skipped) ---
run_gobuild build -o bin/ ./cmd/...
expect_eq "build -o bin/ ./cmd/...: exit 0" 0 "$rc"
expect_eq "bin/one" "one" "$(./bin/one)"
expect_eq "bin/two" "two" "$(./bin/two)"
expect_no_file "no output for the library" bin/lib
# An existing directory without the slash is a directory too.
run_gobuild build -o bin ./cmd/one
expect_eq "build -o bin (a directory) ./cmd/one: exit 0" 0 "$rc"
expect_file "bin/one again" bin/one
run_gobuild build ./cmd/...
expect_eq "two mains without -o: exit 2" 2 "$rc"
expect_eq "two mains without -o: message" \
  "gobuild: error: 2 main packages: name a directory for them with -o DIR/" "$err"
run_gobuild build -o /dev/null .
expect_eq "-o /dev/null: exit 2" 2 "$rc"
expect_eq "-o /dev/null: message" \
  "gobuild: error: -o /dev/null: not a regular file or a directory; gobuild renames each verified output onto its path" "$err"
run_gobuild build -o bin/both ./cmd/one ./cmd/two
expect_eq "two mains, -o a file: exit 2" 2 "$rc"
expect_eq "two mains, -o a file: message" \
  "gobuild: error: -o bin/both: 2 main packages need a directory; end it with '/'" "$err"

# --- -tags and -ldflags, in both -flag value and -flag=value forms ---
run_gobuild build -o bin/tagged -tags extra .
expect_eq "-tags extra: exit 0" 0 "$rc"
expect_eq "-tags extra takes effect" "extra" "$(./bin/tagged)"
run_gobuild build -o bin/stamped -ldflags "-s -w -X main.v=1" .
expect_eq "-ldflags: exit 0" 0 "$rc"
expect_eq "-X main.v=1 takes effect" "1" "$(./bin/stamped)"
expect_not_contains "-s: no symbol table" "main.main" "$(go tool nm bin/stamped 2>&1 | head -c 100000)"
run_gobuild build -tags=netgo,osusergo "-ldflags=-X 'main.v=two words'" -o=bin/quoted .
expect_eq "-flag=value forms: exit 0" 0 "$rc"
expect_eq "-flag=value forms: quotes group words" "two words" "$(./bin/quoted)"

# --- refused flags run nothing: a fake go records any call ---
fake="$SCRATCH/fakebin"
mkdir -p "$fake"
printf '#!/bin/sh\necho "$@" >>"%s/calls"\nexit 1\n' "$SCRATCH" >"$fake/go"
chmod +x "$fake/go"
PATH="$fake:$PATH" run_gobuild build -toolexec /bin/true -o bin/evil .
expect_eq "-toolexec: exit 2" 2 "$rc"
expect_eq "-toolexec: message" \
  "gobuild: error: -toolexec=/bin/true: refused, as it would be in a gobuild.yaml (flags: -toolexec runs a program of the config's choosing)" \
  "$err"
PATH="$fake:$PATH" run_gobuild build -o bin/evil -ldflags=-linkmode=external .
expect_eq "-ldflags=-linkmode=external: exit 2" 2 "$rc"
expect_eq "-ldflags=-linkmode=external: message" \
  "gobuild: error: -ldflags -linkmode=external: refused, as it would be in a gobuild.yaml (ldflags: -linkmode is set by gobuild; use the \`linkmode\` key)" \
  "$err"
PATH="$fake:$PATH" run_gobuild build -bogus -o bin/evil .
expect_eq "an unknown flag: exit 2" 2 "$rc"
expect_eq "an unknown flag: message" \
  "gobuild: error: unknown flag -bogus: not a gobuild option nor a go build flag (see gobuild --help)" "$err"
expect_no_file "refused flags ran no go" "$SCRATCH/calls"
expect_no_file "refused flags built nothing" bin/evil

# --- --platform: the platforms to build for, outputs named after them when several ---
run_gobuild plan --platform linux/arm64 -o bin/app --platform=linux/386 .
expect_eq "plan --platform x2: exit 0" 0 "$rc"
expect_contains "plan --platform: linux/arm64" "GOARCH=arm64 " "$(printf '%s\n' "$out" | grep -- "-o $app/bin/app-linux-arm64 ")"
expect_contains "plan --platform: linux/386" "GOARCH=386 " "$(printf '%s\n' "$out" | grep -- "-o $app/bin/app-linux-386 ")"
expect_contains "plan --platform: the config" '    output: "bin/app-{os}-{arch}{variant}"
    platforms: [linux/arm64, linux/386]' "$out"
run_gobuild plan --platform linux/x86 .
expect_eq "plan --platform linux/x86: exit 2" 2 "$rc"
expect_eq "plan --platform linux/x86: message" \
  "gobuild: error: --platform linux/x86: platforms: 'linux/x86' is not a platform Go supports (did you mean 'linux/386'?)" "$err"

# --- plan: the steps and the gobuild.yaml they amount to ---
run_gobuild plan -o bin/app -ldflags "-s -w" .
expect_eq "plan: exit 0" 0 "$rc"
expect_contains "plan: the go build line" \
  "go build -o $app/bin/app -trimpath -buildvcs=false -ldflags '-linkmode=internal -s -w' ." "$out"
expect_contains "plan: the gobuild.yaml" "# the gobuild.yaml these steps amount to:
version: 1
module: .
vendor: false
build:
  ldflags: [-s, -w]
targets:
  - name: app
    output: bin/app" "$out"
build_line=$(printf '%s\n' "$out" | grep ' go build ')
yaml_text=$(printf '%s\n' "$out" | sed -n '/^# the gobuild.yaml/,$p' | tail -n +2)
run_gobuild plan --json -o bin/app -ldflags "-s -w" .
expect_eq "plan --json: exit 0" 0 "$rc"
expect_eq "plan --json: the config member" "$yaml_text" \
  "$(python3 -c 'import json,sys; sys.stdout.write(json.load(sys.stdin)["config"]["yaml"])' <<<"$out")"
mkdir -p "$SCRATCH/nomod"
run_gobuild -C "$SCRATCH/nomod" build -o x .
expect_eq "no go.mod: exit 2" 2 "$rc"
expect_eq "no go.mod: message" \
  "gobuild: error: no gobuild.yaml here and no go.mod in $SCRATCH/nomod or above: gobuild builds a Go module (go mod init makes one)" \
  "$err"
# The printed config plans the same go build.
printf '%s\n' "$yaml_text" >gobuild.yaml
run_gobuild plan
expect_eq "the printed config: plan exits 0" 0 "$rc"
expect_eq "the printed config plans the same go build" "$build_line" "$out"

# --- with a gobuild.yaml here, go flags are refused; options before the command word ---
run_gobuild build -o bin/x .
expect_eq "-o with gobuild.yaml: exit 2" 2 "$rc"
expect_eq "-o with gobuild.yaml: message" \
  "gobuild: error: -o is a go build flag for a module without a config, but gobuild.yaml is here: set output, tags, ldflags and flags in it (gobuild plan in a directory without one prints the config go flags amount to)" \
  "$err"
run_gobuild --jobs 2 plan
expect_eq "--jobs 2 plan: exit 0" 0 "$rc"
expect_eq "--jobs 2 plan: plans, builds no target named plan" "$build_line" "$out"
cp gobuild.yaml x.yaml
run_gobuild --file x.yaml verify bin/app
expect_eq "--file x.yaml verify bin/app: exit 0" 0 "$rc"
expect_contains "--file x.yaml verify bin/app: verifies" "bin/app" "$out"
run_gobuild plan -j 2 --file=x.yaml
expect_eq "plan -j 2 --file=x.yaml: exit 0" 0 "$rc"
expect_eq "plan -j 2 --file=x.yaml: the same plan" "$build_line" "$out"

# A dependency not yet in the module cache: go list fills it (through the proxy settings, like
# vendoring) and says "go: downloading ..." on the way; the drop-in still finds the main package.
dep="$SCRATCH/depapp"
gb_dep_module "$dep" "$SCRATCH/proxy"
cd "$dep"
chmod -R u+w "$GOMODCACHE" && rm -rf "$GOMODCACHE" && mkdir -p "$GOMODCACHE"
GOPROXY="file://$SCRATCH/proxy" run_gobuild build -o bin/app .
expect_eq "cold module cache: exit 0" 0 "$rc"
expect_eq "cold module cache: the program runs" "hello from dep" "$(./bin/app 2>&1)"

# -o over a source file: refused before anything runs, by plan too (a recording go sees nothing).
run_gobuild plan -o main.go .
expect_eq "-o over a source file: plan exit 2" 2 "$rc"
run_gobuild build -o main.go .
expect_eq "-o over a source file: build exit 2" 2 "$rc"
expect_eq "-o over a source file: the message" \
  "gobuild: error: -o main.go: exists and holds no executable; gobuild replaces only a regular file holding an executable (ELF, PE or Mach-O)" "$err"
expect_eq "-o over a source file: main.go unchanged" "package main" "$(head -1 main.go)"

gb_done
