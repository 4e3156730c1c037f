#!/usr/bin/env bash
# Configs written by an attacker, one per way a config could do harm (doc/safety.md): each is
# exit 2 at its exact line and column, before any program runs (a `go` first on PATH records
# every call and fails), and every file in the module and outside it is as it was — contents,
# modes, symlinks. Then the release flags that are allowed, built by the real go: they write
# the output and nothing else. config_errors.sh holds the plain mistakes.
source "$(dirname "$0")/lib.sh"
gb_setup

work="$SCRATCH/work"        # everything the tree hash covers: the module and its neighbours
app="$work/app"
gb_module "$app" example.com/app
printf 'package main\n\nvar version = "dev"\n\nfunc main() { println(version) }\n' >"$app/main.go"
mkdir -p "$app/vendor" "$app/.git/hooks" "$app/bin" "$app/cmd" "$work/outside"
printf '# example.com/app\n' >"$app/vendor/modules.txt"
printf '[core]\n\tbare = false\n' >"$app/.git/config"
mkfifo "$app/bin/fifo"
ln -s /dev/null "$app/bin/null"
ln -s "$work/outside" "$app/out"
ln -s /etc "$app/cmd/evil"
gb_module "$work/other" example.com/other
printf 'package main\nfunc main() {}\n' >"$work/other/main.go"
ln -s "$work/other" "$app/linked"
# What gcc would run with --prefix=DIR/: a collect2 that leaves a mark.
mkdir -p "$work/dir"
printf '#!/bin/sh\ntouch "%s/collect2-ran"\n' "$work" >"$work/dir/collect2"
chmod +x "$work/dir/collect2"
printf 'secret\n' >"$HOME/x"

fake="$SCRATCH/fake"
mkdir -p "$fake"
cat >"$fake/go" <<SH
#!/bin/sh
echo "\$@" >>"$SCRATCH/go-calls"
exit 1
SH
chmod +x "$fake/go"
# gobuild under a timeout, so that a hang on the FIFO is a failure and not a stuck suite.
cat >"$SCRATCH/gobuild" <<SH
#!/bin/sh
exec timeout 30 "$GOBUILD" "\$@"
SH
chmod +x "$SCRATCH/gobuild"
real_gobuild=$GOBUILD
GOBUILD="$SCRATCH/gobuild"

# One line per file: path, type, mode, size, symlink target, and the sha256 of regular files.
# FIFOs and devices are listed, never opened.
snapshot() {
  local d
  for d in "$work" "$HOME"; do
    (cd "$d" && find . -printf '%p %y %m %s %l\n' | LC_ALL=C sort &&
       find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
  done | sha256sum
}

# case_ NAME LINE:COL MESSAGE [gobuild options]; the config on stdin.
case_() {
  local name=$1 pos=$2 msg=$3
  shift 3
  cat >"$app/gobuild.yaml"
  rm -f "$SCRATCH/go-calls"
  local before after
  before=$(snapshot)
  (cd "$app" && PATH="$fake:$PATH" run_gobuild "$@" build && declare -p rc out err >"$SCRATCH/r")
  source "$SCRATCH/r"
  after=$(snapshot)
  expect_eq "$name: exit 2" 2 "$rc"
  expect_eq "$name: the error at its line and column" "gobuild.yaml:$pos: error: $msg" "$err"
  expect_no_file "$name: no program ran" "$SCRATCH/go-calls"
  expect_no_file "$name: no collect2 ran" "$work/collect2-ran"
  expect_eq "$name: every file as it was" "$before" "$after"
}

only="gobuild replaces only a regular file holding an executable (ELF, PE or Mach-O)"

# gcc's long spelling of -B: runs DIR/collect2.
case_ "--prefix=DIR/" 5:25 "extldflags: '--prefix=$work/dir/' makes the C compiler run programs from a directory the config names; pass --allow-cc to permit it" <<Y
version: 1
build:
  cgo: true
  linkmode: external
  extldflags: [-static, "--prefix=$work/dir/"]
targets:
  - name: app
Y
# Files written anywhere by the tools, past verification and the atomic rename.
case_ "ldflags -o PATH" 3:13 "ldflags: -o writes a file the config names (gobuild sets the output)" <<Y
version: 1
build:
  ldflags: [-o, "$HOME/x"]
targets:
  - name: app
Y
case_ "ldflags -cpuprofile PATH" 3:17 "ldflags: -cpuprofile writes a file the config names" <<Y
version: 1
build:
  ldflags: [-s, -cpuprofile, "$HOME/x"]
targets:
  - name: app
Y
case_ "-o hidden in one ldflags item" 3:13 "ldflags: -o writes a file the config names (gobuild sets the output)" <<Y
version: 1
build:
  ldflags: ["-s -w -X 'main.version=1 2' -o $HOME/x"]
targets:
  - name: app
Y
case_ "extldflags -o PATH" 5:16 "extldflags: '-o' writes a file the config names (gobuild sets the output); pass --allow-cc to permit it" <<Y
version: 1
build:
  cgo: true
  linkmode: external
  extldflags: [-o, "$HOME/x"]
targets:
  - name: app
Y
case_ "-gcflags=-o=PATH" 3:11 "flags: -gcflags: -o writes a file the config names (gobuild sets the output)" <<Y
version: 1
build:
  flags: ["-gcflags=-o=$HOME/x"]
targets:
  - name: app
Y
case_ "-gcflags=-asmhdr=PATH" 3:11 "flags: -gcflags: -asmhdr writes a file the config names" <<Y
version: 1
build:
  flags: ["-gcflags=all=-N -asmhdr=$HOME/x"]
targets:
  - name: app
Y
case_ "-gcflags PATTERN=-trace=PATH as two items" 3:21 "flags: -gcflags: -trace writes a file the config names" <<Y
version: 1
build:
  flags: [-gcflags, "all=-trace=$HOME/x"]
targets:
  - name: app
Y
case_ "-asmflags=-o=PATH" 3:11 "flags: -asmflags: -o writes a file the config names (gobuild sets the output)" <<Y
version: 1
build:
  flags: ["-asmflags=-o=$HOME/x"]
targets:
  - name: app
Y
case_ "-pgo=FILE" 3:11 "flags: -pgo '/etc/passwd' reads a file the config names; put the profile at default.pgo in the main package and use -pgo=auto" <<'Y'
version: 1
build:
  flags: [-pgo=/etc/passwd]
targets:
  - name: app
Y
case_ "-Wl,--dynamic-linker" 5:16 "extldflags: '-Wl,--dynamic-linker=/tmp/ld.so' sets the program interpreter, so the output would not be static; pass --allow-cc to permit it" <<'Y'
version: 1
build:
  cgo: true
  linkmode: external
  extldflags: ["-Wl,--dynamic-linker=/tmp/ld.so"]
targets:
  - name: app
Y
case_ "@file" 5:25 "extldflags: '@/tmp/args' reads more options from a file; pass --allow-cc to permit it" <<'Y'
version: 1
build:
  cgo: true
  linkmode: external
  extldflags: [-static, "@/tmp/args"]
targets:
  - name: app
Y
case_ "GOCACHEPROG in env" 3:9 "env: GOCACHEPROG is not allowed: runs a program of the config's choosing; the operator gives --cache-prog" <<'Y'
version: 1
build:
  env: {GOCACHEPROG: /tmp/evil}
targets:
  - name: app
Y
case_ "-buildmode=pie under static: true" 3:11 "flags: -buildmode=pie makes an executable that needs the dynamic loader, which static: true refuses (set static: false, or build a static PIE with linkmode: external and extldflags: [-static-pie])" <<'Y'
version: 1
build:
  flags: [-buildmode=pie]
targets:
  - name: app
Y

# Outputs over files that are not a previous build's executable.
for f in main.go go.mod gobuild.yaml vendor/modules.txt .git/config .git/hooks/pre-commit; do
  case "$f" in
  vendor/*) why="lies in vendor/, which gobuild vendors and checks" ;;
  .git/*) why="lies in .git/, where git keeps its configuration and hooks" ;;
  *) why="exists and holds no executable; $only" ;;
  esac
  case_ "output over $f" 4:13 "output: '$f' $why" <<Y
version: 1
targets:
  - name: app
    output: $f
Y
done
case_ "output in .GIT/ (case-insensitive file systems)" 4:13 "output: '.GIT/hooks/pre-commit' lies in .git/, where git keeps its configuration and hooks" <<'Y'
version: 1
targets:
  - name: app
    output: .GIT/hooks/pre-commit
Y
case_ "output in Vendor/" 4:13 "output: 'Vendor/modules.txt' lies in vendor/, which gobuild vendors and checks" <<'Y'
version: 1
targets:
  - name: app
    output: Vendor/modules.txt
Y
case_ "output ../x" 4:13 "output: '../outside/x' has a '..' component; outputs stay below the config's directory" <<'Y'
version: 1
targets:
  - name: app
    output: ../outside/x
Y
case_ "output {name}/../../x" 4:13 "output: 'app/../../x' has a '..' component; outputs stay below the config's directory" <<'Y'
version: 1
targets:
  - name: app
    output: "{name}/../../x"
Y
case_ "absolute output" 4:13 "output: '$work/outside/x' is an absolute path; outputs are relative to the config's directory (the operator may move them all with --out-dir)" <<Y
version: 1
targets:
  - name: app
    output: $work/outside/x
Y
case_ "output \$HOME/x" 4:13 "output: '\$HOME/x' holds ~ or \$, which gobuild does not expand; give a path relative to the config's directory" <<'Y'
version: 1
targets:
  - name: app
    output: $HOME/x
Y
case_ "output through a symlinked directory" 4:13 "output: 'out/x' goes through the symlink 'out', which leads outside the output directory" <<'Y'
version: 1
targets:
  - name: app
    output: out/x
Y
case_ "output over a FIFO (no hang)" 4:13 "output: 'bin/fifo' is a FIFO; $only" <<'Y'
version: 1
targets:
  - name: app
    output: bin/fifo
Y
case_ "output over a symlink to /dev/null" 4:13 "output: 'bin/null' is a symlink; $only" <<'Y'
version: 1
targets:
  - name: app
    output: bin/null
Y
case_ "outputs bin/x and bin/x/y" 4:23 "output: 'bin/x/y' lies inside 'bin/x', the output of target 'x'" <<'Y'
version: 1
targets:
  - {name: x, output: bin/x}
  - {name: y, output: bin/x/y}
Y
long=$(printf 'n%.0s' {1..240})
case_ "a 240-character name" 3:11 "output: 'bin/$long' has a file name of 240 bytes; with the affixes of its temporary file it may have at most 235" <<Y
version: 1
targets:
  - name: $long
Y

# module and main outside the config's directory.
case_ "module: ../other" 2:9 "module: '../other' is outside the config's directory" <<'Y'
version: 1
module: ../other
targets:
  - name: app
Y
case_ "module through a symlink" 2:9 "module: 'linked' is outside the config's directory (through a symlink)" <<'Y'
version: 1
module: linked
targets:
  - name: app
Y
case_ "module: /abs" 2:9 "module: '$work/other' is an absolute path; give the module's directory relative to the config's" <<Y
version: 1
module: $work/other
targets:
  - name: app
Y
case_ "main: /etc" 4:11 "main: '/etc' is an absolute path; give the package's directory relative to the module, such as ./cmd/app" <<'Y'
version: 1
targets:
  - name: app
    main: /etc
Y
case_ "main: ../other" 4:11 "main: '../other' is outside the module" <<'Y'
version: 1
targets:
  - name: app
    main: ../other
Y
case_ "main through a symlinked directory" 4:11 "main: './cmd/evil' is outside the module (through a symlink)" <<'Y'
version: 1
targets:
  - name: app
    main: ./cmd/evil
Y

# The release flags that are allowed, built by the real go with a go that records its calls:
# the build writes bin/app and nothing else, and go ran only `go build` with those words.
GOBUILD=$real_gobuild
real_go=$(command -v go)
rec="$SCRATCH/rec"
mkdir -p "$rec"
cat >"$rec/go" <<SH
#!/bin/sh
printf '%s\n' "\$*" >>"$SCRATCH/go-calls"
"$real_go" "\$@"
rc=\$?
# Something that appears at the output path while go builds (see the end).
if [ "\$1" = build ] && [ -f "$SCRATCH/make-fifo" ]; then mkfifo "\$(cat "$SCRATCH/make-fifo")"; fi
exit \$rc
SH
chmod +x "$rec/go"
rm -rf "$app/bin/fifo" "$app/bin/null"
cat >"$app/gobuild.yaml" <<'Y'
version: 1
vendor: false
build:
  flags: [-trimpath, -buildvcs=false, -p, "2", -v]
  ldflags: ["-s -w -X 'main.version=1.0 beta'", -buildid=]
targets:
  - name: app
Y
listing() { (cd "$1" && find . -printf '%p %y\n' | LC_ALL=C sort); }
before=$(listing "$work")
home_before=$(sha "$HOME/x")
rm -f "$SCRATCH/go-calls"
(cd "$app" && PATH="$rec:$PATH" run_gobuild build && declare -p rc out err >"$SCRATCH/r")
source "$SCRATCH/r"
expect_eq "release flags: exit 0" 0 "$rc"
expect_eq "release flags: the binary carries the -X value" "1.0 beta" "$("$app/bin/app" 2>&1)"
expect_eq "release flags: bin/app is the only new file" "./app/bin/app f" \
  "$(comm -13 <(printf '%s\n' "$before") <(listing "$work"))"
expect_eq "release flags: nothing else was removed" "" "$(comm -23 <(printf '%s\n' "$before") <(listing "$work"))"
expect_eq "release flags: \$HOME/x unchanged" "$home_before" "$(sha "$HOME/x")"
expect_contains "release flags: go build into a temporary beside the output" \
  "build -o $app/bin/.app.gobuild-tmp-" "$(cat "$SCRATCH/go-calls")"
expect_contains "release flags: the words as checked; -trimpath once" \
  " -trimpath -buildvcs=false -ldflags -linkmode=internal -s -w -X 'main.version=1.0 beta' -buildid= -p 2 -v ." \
  "$(cat "$SCRATCH/go-calls")"
expect_eq "release flags: go was run only to build" "" \
  "$(grep -v '^build ' "$SCRATCH/go-calls" | grep -v '^env ' || true)"

# --out-dir: the operator puts the outputs elsewhere; the config's tree gets nothing.
rm -f "$app/bin/app"
before=$(listing "$work")
(cd "$app" && run_gobuild plan --out-dir "$SCRATCH/dist" && declare -p rc out err >"$SCRATCH/r")
source "$SCRATCH/r"
expect_contains "--out-dir: plan shows the output under DIR" "go build -o $SCRATCH/dist/bin/app " "$out"
(cd "$app" && run_gobuild build --out-dir "$SCRATCH/dist" && declare -p rc out err >"$SCRATCH/r")
source "$SCRATCH/r"
expect_eq "--out-dir: exit 0" 0 "$rc"
expect_file "--out-dir: the output under DIR" "$SCRATCH/dist/bin/app"
expect_eq "--out-dir: the config's tree unchanged" "$before" "$(listing "$work")"
expect_no_temps "--out-dir: no temporaries" "$SCRATCH/dist"

# The output path is checked again right before the rename: a FIFO that appears there during
# the build is left alone (and does not hang gobuild), and no temporary is left.
rm -rf "$SCRATCH/dist"
printf '%s' "$SCRATCH/dist/bin/app" >"$SCRATCH/make-fifo"
(cd "$app" && PATH="$rec:$PATH" run_gobuild build --out-dir "$SCRATCH/dist" &&
   declare -p rc out err >"$SCRATCH/r")
source "$SCRATCH/r"
expect_eq "appeared during the build: exit 1" 1 "$rc"
expect_contains "appeared during the build: named" "bin/app: is a FIFO; $only" "$err"
expect_eq "appeared during the build: the FIFO stays" "fifo" "$(stat -c %F "$SCRATCH/dist/bin/app")"
expect_no_temps "appeared during the build: no temporaries" "$SCRATCH/dist"

gb_done
