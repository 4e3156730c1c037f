#!/usr/bin/env bash
# The matrix: 2 targets × 7 platforms (linux amd64, arm64, 386, s390x, riscv64;
# windows/amd64; darwin/arm64) built in parallel, every output of its platform's format and
# machine (by `gobuild verify --json` and by `file`; windows outputs get .exe), linkage "n/a" for PE and Mach-O,
# --platform narrowing the set, and a platform that does not compile (a third target whose main
# needs a symbol defined only for !windows) failing alone: the others are built, exit 1.
# rebuild_all: false and vendor: false keep it quick: no -a cross-build of std seven times.
source "$(dirname "$0")/lib.sh"
gb_setup

app="$SCRATCH/app"
gb_module "$app" example.com/app
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("alpha") }\n' >"$app/main.go"
mkdir -p "$app/cmd/beta" "$app/cmd/unixonly"
printf 'package main\n\nimport "os"\n\nfunc main() { os.Stdout.WriteString("beta\\n") }\n' \
  >"$app/cmd/beta/main.go"
printf 'package main\n\nfunc main() { println(greeting()) }\n' >"$app/cmd/unixonly/main.go"
printf '//go:build !windows\n\npackage main\n\nfunc greeting() string { return "unix" }\n' \
  >"$app/cmd/unixonly/greeting_unix.go"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
vendor: false
build:
  rebuild_all: false
targets:
  - name: alpha
    platforms: [linux/amd64, linux/arm64, linux/386, linux/s390x, linux/riscv64,
                windows/amd64, darwin/arm64]
  - name: beta
    main: ./cmd/beta
    platforms: [linux/amd64, linux/arm64, linux/386, linux/s390x, linux/riscv64,
                windows/amd64, darwin/arm64]
  - name: unixonly
    main: ./cmd/unixonly
    platforms: [linux/amd64, windows/amd64]
YAML
cd "$app"

# format, verify's machine, what file(1) says, linkage in the build report
declare -A want_format=([linux/amd64]=elf [linux/arm64]=elf [linux/386]=elf [linux/s390x]=elf
  [linux/riscv64]=elf [windows/amd64]=pe [darwin/arm64]=macho)
declare -A want_machine=([linux/amd64]=x86_64 [linux/arm64]=aarch64 [linux/386]=i386
  [linux/s390x]=s390x [linux/riscv64]=riscv [windows/amd64]=x86_64 [darwin/arm64]=aarch64)
declare -A want_file=([linux/amd64]="ELF 64-bit LSB executable, x86-64"
  [linux/arm64]="ELF 64-bit LSB executable, ARM aarch64"
  [linux/386]="ELF 32-bit LSB executable, Intel 80386"
  [linux/s390x]="ELF 64-bit MSB executable, IBM S/390"
  [linux/riscv64]="ELF 64-bit LSB executable, UCB RISC-V"
  [windows/amd64]="PE32+ executable (console) x86-64"
  [darwin/arm64]="Mach-O 64-bit arm64 executable")
declare -A want_linkage=([linux/amd64]=static [linux/arm64]=static [linux/386]=static
  [linux/s390x]=static [linux/riscv64]=static [windows/amd64]=n/a [darwin/arm64]=n/a)
platforms="linux/amd64 linux/arm64 linux/386 linux/s390x linux/riscv64 windows/amd64 darwin/arm64"

run_gobuild build --json -j 2
report=$out
expect_eq "a failing platform: exit 1" 1 "$rc"
expect_contains "the failing platform is named with go's reason" \
  "unixonly windows/amd64| cmd/unixonly/main.go:3:23: undefined: greeting" "$err"
expect_contains "and gobuild's error for it" \
  "gobuild: error: bin/unixonly-windows-amd64.exe: go build failed (exit status 1)" "$err"
expect_eq "the report says not ok" false "$(jq -r .ok <<<"$report")"
expect_eq "16 outputs in the report" 16 "$(jq '.outputs | length' <<<"$report")"
expect_eq "15 of them ok" 15 "$(jq '[.outputs[] | select(.ok)] | length' <<<"$report")"
expect_eq "the failed one" "unixonly windows/amd64" \
  "$(jq -r '.outputs[] | select(.ok | not) | .target + " " + .platform' <<<"$report")"
expect_no_file "no output for the failed one" bin/unixonly-windows-amd64.exe
expect_file "the other platform of that target was built" bin/unixonly-linux-amd64
expect_no_temps "no temporary left" "$app"

for t in alpha beta; do
  for p in $platforms; do
    f="bin/$t-${p%/*}-${p#*/}"
    [[ $p == windows/* ]] && f+=.exe
    if [[ ! -f $f ]]; then
      fail "$t $p: $f not built"
      continue
    fi
    v=$("$GOBUILD" verify --json "$f")
    expect_eq "$t $p: format" "${want_format[$p]}" "$(jq -r '.files[0].format' <<<"$v")"
    expect_eq "$t $p: machine" "${want_machine[$p]}" "$(jq -r '.files[0].machine' <<<"$v")"
    expect_eq "$t $p: build info GOOS/GOARCH" "$p" \
      "$(jq -r '.files[0].go.settings.GOOS + "/" + .files[0].go.settings.GOARCH' <<<"$v")"
    expect_contains "$t $p: file(1)" "${want_file[$p]}" "$(file -b "$f")"
    expect_eq "$t $p: linkage in the build report" "${want_linkage[$p]}" \
      "$(jq -r --arg t "$t" --arg p "$p" \
        '.outputs[] | select(.target == $t and .platform == $p) | .linkage' <<<"$report")"
    expect_eq "$t $p: sha256 in the build report" "$(sha "$f")" \
      "$(jq -r --arg t "$t" --arg p "$p" \
        '.outputs[] | select(.target == $t and .platform == $p) | .sha256' <<<"$report")"
  done
done

# --platform narrows the set: only those outputs are rebuilt (and reported).
rm -f bin/alpha-linux-arm64 bin/beta-linux-arm64 bin/alpha-darwin-arm64
run_gobuild build --json --platform linux/arm64 --platform darwin/arm64 alpha beta
expect_eq "--platform: exit 0" 0 "$rc"
expect_eq "--platform: exactly the named platforms" \
  "alpha darwin/arm64,alpha linux/arm64,beta darwin/arm64,beta linux/arm64" \
  "$(jq -r '[.outputs[] | .target + " " + .platform] | sort | join(",")' <<<"$out")"
expect_file "--platform: rebuilt" bin/alpha-linux-arm64
expect_file "--platform: rebuilt" bin/alpha-darwin-arm64
run_gobuild build --platform windows/amd64 unixonly
expect_eq "--platform to the failing one alone: exit 1" 1 "$rc"
expect_not_contains "--platform to the failing one alone: nothing else built" "linux/amd64" "$out"
run_gobuild build --platform linux/mips64 alpha
expect_eq "--platform not in the config: usage error" 2 "$rc"
expect_contains "--platform not in the config: says which are" \
  "gobuild: error: --platform linux/mips64: not a platform of the selected targets (platforms: linux/amd64, linux/arm64, linux/386, linux/s390x, linux/riscv64, windows/amd64, darwin/arm64)" \
  "$err"

gb_done
