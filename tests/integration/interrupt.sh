#!/usr/bin/env bash
# Interrupting `gobuild build` (doc/build.md, doc/exit-codes.md): exit 130, every child process stopped,
# no temporary file left beside the output, the previous output untouched.
#
# - the real go, in the middle of a slow `go build -a` (the standard library is compiled too),
#   stopped by SIGINT and by SIGTERM;
# - a fake go that writes part of its -o file and waits on a grandchild: the grandchild must
#   die with it; a fake go that ignores SIGINT and SIGTERM must be killed after the grace
#   period; a second SIGINT must end gobuild at once.
#
# Every process this test starts has the scratch directory in its command line (go's $WORK is
# under our TMPDIR, the fake go lives in it), so `pgrep -f "$scratch"` finds any that survive.
source "$(dirname "$0")/lib.sh"
set -euo pipefail
gb_setup
realgo=$(command -v go)
scratch=$SCRATCH
trap 'pkill -KILL -f "$scratch" 2>/dev/null || true; chmod -R u+w "$scratch" 2>/dev/null || true; rm -rf "$scratch"' EXIT
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A module with one target; bin/app holds the "previous output".
mod=$scratch/mod
gb_module "$mod" example.com/app
cat >"$mod/main.go" <<'GO'
package main

import "fmt"

func main() { fmt.Println("hello") }
GO
cat >"$mod/gobuild.yaml" <<'YAML'
version: 1
vendor: false
targets:
  - name: app
YAML
mkdir -p "$mod/bin"
# (ELF magic: gobuild replaces only a previous build's executable.)
printf '\177ELF the previous output\n' >"$mod/bin/app"
previous=$(sha "$mod/bin/app")

# A fake go on PATH: `go build -o FILE` writes part of FILE, starts a grandchild and waits; with
# IGNORE=1 it ignores SIGINT and SIGTERM (so does its grandchild). Anything else goes to the
# real go.
make_fake_go() { # DIR IGNORE(0|1)
  mkdir -p "$1"
  cat >"$1/go" <<SH
#!/bin/bash
[ "\${1:-}" = build ] || exec "$realgo" "\$@"
[ "$2" = 1 ] && trap '' INT TERM
out=
while [ \$# -gt 0 ]; do [ "\$1" = -o ] && { out=\$2; shift; }; shift; done
printf partial >"\$out"
(exec -a "\$0-grandchild" sleep 300) &
wait
SH
  chmod +x "$1/go"
}
make_fake_go "$scratch/fake" 0
make_fake_go "$scratch/fake-stubborn" 1

# Starts `gobuild build` with PATH=$2 in the background, waits until go build runs with its
# temporary output, waits $3 seconds more, sends the signals in $4 ("INT", "INT INT", ...), and
# checks the outcome. Sets `elapsed_ms` (from the first signal to gobuild's exit).
interrupt() { # NAME PATH DELAY SIGNALS
  local name=$1 path=$2 delay=$3 signals=$4
  local log=$scratch/$name.log pid rc=0 started=0 first=1 t0 sig
  elapsed_ms=0
  PATH=$path "$GOBUILD" -C "$mod" build >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do
    if pgrep -f "$mod/bin/\.app\.gobuild-tmp" >/dev/null; then started=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$started" = 0 ]; then
    wait "$pid" || true
    fail "$name: go build never started"
    sed 's/^/    | /' "$log"
    return
  fi
  sleep "$delay"
  kill -0 "$pid" 2>/dev/null || fail "$name: gobuild finished before it could be interrupted"
  t0=$(now_ms)
  for sig in $signals; do
    [ "$first" = 1 ] || sleep 0.3
    first=0
    kill -s "$sig" "$pid" 2>/dev/null || true
  done
  wait "$pid" || rc=$?
  elapsed_ms=$(($(now_ms) - t0))

  expect_eq "$name: exit code" 130 "$rc"
  [ "$rc" = 130 ] || sed 's/^/    | /' "$log"
  expect_contains "$name: says so" "gobuild: interrupted" "$(cat "$log")"
  expect_eq "$name: bin/ holds the previous output only" app "$(ls -A "$mod/bin" | tr '\n' ' ' | sed 's/ $//')"
  expect_eq "$name: previous output untouched" "$previous" "$(sha "$mod/bin/app")"
  sleep 0.2
  expect_eq "$name: no process left behind" "" "$(pgrep -af "$scratch" || true)"
}

for sig in INT TERM; do
  interrupt "real-go-SIG$sig" "$PATH" 2 "$sig"
  # `go build` does not catch signals: killed, it leaves its $WORK directory behind. gobuild
  # gives it a GOTMPDIR of its own under TMPDIR and removes that, so nothing may be left there.
  expect_eq "real-go-SIG$sig: nothing left in TMPDIR" "" "$(ls -A "$TMPDIR")"
  rm -rf "${TMPDIR:?}"/*
done

interrupt fake-go-grandchild "$scratch/fake:$PATH" 0.5 INT
if [ "$elapsed_ms" -lt 1500 ]; then pass "fake-go-grandchild: stopped in $elapsed_ms ms"
else fail "fake-go-grandchild: took $elapsed_ms ms"; fi

# A closed terminal: SIGHUP must stop the children too (they are in their own process groups).
interrupt fake-go-grandchild-SIGHUP "$scratch/fake:$PATH" 0.5 HUP

interrupt fake-go-stubborn "$scratch/fake-stubborn:$PATH" 0.5 TERM
if [ "$elapsed_ms" -ge 2000 ] && [ "$elapsed_ms" -lt 5000 ]; then
  pass "fake-go-stubborn: SIGKILLed after the grace period ($elapsed_ms ms)"
else fail "fake-go-stubborn: took $elapsed_ms ms, want 2-5 s"; fi

interrupt fake-go-second-SIGINT "$scratch/fake-stubborn:$PATH" 0.5 "INT INT"
if [ "$elapsed_ms" -lt 1500 ]; then pass "fake-go-second-SIGINT: exited at once ($elapsed_ms ms)"
else fail "fake-go-second-SIGINT: took $elapsed_ms ms"; fi

gb_done
