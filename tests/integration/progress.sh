#!/usr/bin/env bash
# Progress and output modes (doc/commands.md, build): on a terminal (a real pty, made by script(1)) live lines
# redrawn with cursor-up / clear escapes and a closing table with coloured status words; on a
# pipe plain lines and not one escape code; NO_COLOR and --color=never take the colour away,
# --color=always forces it even on a pipe; -q prints only errors; -v echoes each child command.
# A `go` wrapper first on PATH sleeps a second before each `go build`, so that the live lines
# get drawn however warm the Go cache is.
source "$(dirname "$0")/lib.sh"
gb_setup
command -v script >/dev/null || skip "no script(1) (util-linux)"

real_go=$(command -v go)
mkdir -p "$SCRATCH/slowgo"
cat >"$SCRATCH/slowgo/go" <<SH
#!/bin/sh
[ "\$1" = build ] && sleep 1
exec "$real_go" "\$@"
SH
chmod +x "$SCRATCH/slowgo/go"
export PATH="$SCRATCH/slowgo:$PATH"

app="$SCRATCH/app"
gb_module "$app" example.com/app
printf 'package main\n\nfunc main() { println("good") }\n' >"$app/main.go"
mkdir -p "$app/cmd/broken"
printf 'package main\n\nfunc main() { undefined() }\n' >"$app/cmd/broken/main.go"
cat >"$app/gobuild.yaml" <<'YAML'
version: 1
vendor: false
build:
  rebuild_all: false
targets:
  - name: good
    platforms: [linux/amd64, linux/arm64]
  - name: broken
    main: ./cmd/broken
    platforms: [linux/amd64]
YAML
cd "$app"

ESC=$'\x1b'
# on_tty CMD...: runs CMD on a pseudo-terminal; sets $tty (everything it wrote) and $rc.
on_tty() {
  tty=$(TERM=xterm script -qfec "$*" /dev/null)
  rc=$?
}

# A terminal: live lines and the table, colour by default.
on_tty "$GOBUILD" build -j 2 good
expect_eq "tty: exit 0" 0 "$rc"
expect_contains "tty: a live line per running build" "  good linux/amd64  " "$tty"
expect_contains "tty: both running at once" "  good linux/arm64  " "$tty"
expect_contains "tty: redrawn in place (cursor up two lines, clear down)" "${ESC}[2A"$'\r'"${ESC}[J" "$tty"
expect_contains "tty: the closing table's header" \
  "status  output                platform        size  linkage  sha256  " "$tty"
expect_contains "tty: ok in green, the output, its platform" \
  "${ESC}[32mok${ESC}[0m      bin/good-linux-amd64  linux/amd64  " "$tty"
sha_prefix=$(sha bin/good-linux-arm64 | cut -c1-12)
expect_contains "tty: the sha256 prefix in the table" "  static   $sha_prefix  " "$tty"
expect_not_contains "tty: no plain result lines" "sha256:" "$tty"

# A failing build on a terminal: the error in red, FAIL in red in the table.
on_tty "$GOBUILD" build -j 2
expect_eq "tty, one failing: exit 1" 1 "$rc"
expect_contains "tty: error in red" \
  "gobuild: ${ESC}[31merror${ESC}[0m: bin/broken: go build failed (exit status 1)" "$tty"
expect_contains "tty: FAIL in red in the table" "${ESC}[31mFAIL${ESC}[0m    bin/broken " "$tty"
expect_contains "tty: go's output above the live lines" "broken linux/amd64| cmd/broken/main.go:3:15: undefined: undefined" "$tty"

# NO_COLOR: still live (cursor codes) but no colour; --color=never likewise.
tty=$(NO_COLOR=1 TERM=xterm script -qfec "$GOBUILD build -j 2" /dev/null)
expect_contains "NO_COLOR: still redrawn in place" "${ESC}[J" "$tty"
expect_not_contains "NO_COLOR: no colour" "${ESC}[31m" "$tty"
expect_contains "three jobs on two threads: a line counts them" "  [0/3 done]" "$tty"
expect_contains "NO_COLOR: plain words" "gobuild: error: bin/broken: go build failed" "$tty"
on_tty "$GOBUILD" build -j 2 --color=never
expect_not_contains "--color=never: no colour" "${ESC}[31m" "$tty"
tty=$(NO_COLOR= TERM=xterm script -qfec "$GOBUILD build -j 2" /dev/null)
expect_contains "NO_COLOR empty: colour" "${ESC}[31mFAIL" "$tty"
tty=$(NO_COLOR=1 TERM=xterm script -qfec "$GOBUILD build -j 2 --color=always" /dev/null)
expect_contains "--color=always beats NO_COLOR" "${ESC}[31mFAIL" "$tty"

# TERM=dumb: a terminal that cannot move the cursor gets plain lines.
tty=$(TERM=dumb script -qfec "$GOBUILD build good" /dev/null)
expect_not_contains "TERM=dumb: no cursor movement" "${ESC}[J" "$tty"
expect_contains "TERM=dumb: plain lines" "bin/good-linux-amd64  linux/amd64  " "$tty"

# A pipe: plain lines, not one escape code, on either stream.
run_gobuild build -j 2
expect_eq "pipe: exit 1" 1 "$rc"
expect_not_contains "pipe: no escape code on stderr" "$ESC" "$err"
expect_not_contains "pipe: no escape code on stdout" "$ESC" "$out"
expect_contains "pipe: a plain line per output" \
  "bin/good-linux-arm64  linux/arm64  " "$out"
expect_contains "pipe: the error, plain" "gobuild: error: bin/broken: go build failed (exit status 1)" "$err"
run_gobuild build -j 2 --color=always
expect_contains "--color=always on a pipe: colour" \
  "gobuild: ${ESC}[31merror${ESC}[0m: bin/broken: go build failed (exit status 1)" "$err"
expect_not_contains "--color=always on a pipe: but no cursor movement" "${ESC}[J" "$err"

# -q: only errors, on a terminal too.
on_tty "$GOBUILD" build -q good
expect_eq "-q on a tty, all built: exit 0" 0 "$rc"
expect_eq "-q on a tty, all built: nothing at all" "" "$tty"
on_tty "$GOBUILD" build -q --color=never
expect_eq "-q, one failing: exit 1" 1 "$rc"
expect_contains "-q: the error" "gobuild: error: bin/broken: go build failed (exit status 1)" "$tty"
expect_contains "-q: with go's own output" "cmd/broken/main.go:3:15: undefined: undefined" "$tty"
expect_not_contains "-q: no table" "status  output" "$tty"
expect_not_contains "-q: no toolchain line" "gobuild: toolchain" "$tty"
expect_not_contains "-q: no live line" "${ESC}[J" "$tty"

# -v: each child command echoed, on a pipe and, above the live lines, on a terminal.
run_gobuild build -v --platform linux/arm64 good
expect_contains "-v: the go build command" "GOARCH=arm64" "$err"
expect_contains "-v: the go build command" " go build -o " "$err"
on_tty "$GOBUILD" build -v --platform linux/arm64 good
expect_contains "-v on a tty: the go build command" " go build -o " "$tty"

# --json on a terminal: the JSON document on stdout untouched, the table on stderr.
o=$(TERM=xterm script -qfec "$GOBUILD build --json good 2>/dev/null" /dev/null)
expect_not_contains "--json: no escape code in the document" "$ESC" "$o"
expect_eq "--json: the document parses" true "$(tr -d '\r' <<<"$o" | jq .ok)"

gb_done
