#!/usr/bin/env bash
# SIGKILL of gobuild in the middle of a real build (no handler can see it): no process of that
# build is alive 5 s later (go, compile, link: the kernel tells each child's supervisor, which
# kills the group), the previous output is untouched, and the next run removes the temporaries
# the killed run left (its temporary output, its GOTMPDIR) but never a live run's.
#
# Every process of the build has the scratch directory in its command line (gobuild's own copies
# hold the module path, go's tools the GOTMPDIR under our TMPDIR), so `pgrep -f` finds them.
source "$(dirname "$0")/lib.sh"
set -euo pipefail
gb_setup
scratch=$SCRATCH
trap 'pkill -KILL -f "$scratch" 2>/dev/null || true; chmod -R u+w "$scratch" 2>/dev/null || true; rm -rf "$scratch"' EXIT

mod=$scratch/mod
gb_module "$mod" example.com/app
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' >"$mod/main.go"
# rebuild_all: the standard library is compiled again: a build long enough to be killed.
cat >"$mod/gobuild.yaml" <<'YAML'
version: 1
vendor: false
build: {rebuild_all: true}
targets:
  - name: app
YAML
mkdir -p "$mod/bin"
printf '\177ELF the previous output\n' >"$mod/bin/app" # an executable's magic: gobuild replaces only those
previous=$(sha "$mod/bin/app")

"$GOBUILD" -C "$mod" build >"$scratch/kill.log" 2>&1 &
pid=$!
started=0
for _ in $(seq 600); do
  # go's compile running: the build is well under way, with a tree of processes.
  if pgrep -f "^[^ ]*/compile .*$TMPDIR/gobuild-work-" >/dev/null; then started=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
expect_eq "go build and its compiles started" 1 "$started"
kill -KILL "$pid" || true
wait "$pid" 2>/dev/null || true
sleep 5
expect_eq "no process of the build alive 5 s later" "" "$(pgrep -af "$scratch" || true)"
expect_eq "the previous output untouched" "$previous" "$(sha "$mod/bin/app")"
left=$(ls -A "$mod/bin" | grep -c "^\.app\.gobuild-tmp-$pid-" || true)
expect_eq "the killed run left its temporary output" 1 "$left"
expect_eq "the killed run left its GOTMPDIR" 1 "$(ls -A "$TMPDIR" | grep -c "^gobuild-work-$pid-" || true)"

# A live run's temporaries (this shell's pid stands for one) must stay.
live=".app.gobuild-tmp-$$-abcdef"
printf 'a live run\n' >"$mod/bin/$live"
mkdir "$TMPDIR/gobuild-work-$$-abcdef"

# The next run: a quick one (no -a), which removes what the killed run left.
sed -i 's/rebuild_all: true/rebuild_all: false/' "$mod/gobuild.yaml"
run_gobuild -C "$mod" build
expect_eq "the next run exits 0" 0 "$rc"
expect_contains "it says what it removed" "gobuild: removed $mod/bin/.app.gobuild-tmp-$pid-" "$err"
expect_contains "it says why" ", left by a killed run" "$err"
expect_eq "the next run leaves no temporary of the killed run" "" \
  "$(ls -A "$mod/bin" "$TMPDIR" | grep -e "-$pid-" || true)"
expect_file "a live run's temporary output stays" "$mod/bin/$live"
expect_file "a live run's GOTMPDIR stays" "$TMPDIR/gobuild-work-$$-abcdef"
expect_eq "the output is the new build" hello "$("$mod/bin/app")"

gb_done
