#!/usr/bin/env bash
# The build step runs offline by the kernel's hand: a network namespace of its own holding only
# loopback (up), where the kernel allows it; the vendoring step keeps the host's network;
# --no-sandbox keeps the host's namespace. `gobuild env`, `gobuild doctor`, the report (text and
# --json) and the provenance say which applied.
#
# A recording `go` first on PATH (it must see the exact environment of the step) writes, for
# each step, the network namespace it runs in, its interfaces and what a connection to a closed
# port on 127.0.0.1 gives, then runs the real go, so that the build itself is real.
source "$(dirname "$0")/lib.sh"
gb_setup
umask 022
realgo=$(command -v go)
hostns=$(readlink /proc/self/ns/net)

fake="$SCRATCH/fake"
mkdir -p "$fake"
cat >"$fake/go" <<SH
#!/bin/bash
step=\${1:-}
[ "\$step" = mod ] && step=vendor
if [ "\$step" = build ] || [ "\$step" = vendor ]; then
  {
    echo "ns=\$(readlink /proc/self/ns/net)"
    echo "ifaces=\$(tail -n +3 /proc/self/net/dev | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')"
    echo "loopback=\$( (exec 3<>/dev/tcp/127.0.0.1/9) 2>&1 | sed 's/.*: //')"
    echo "cacheprog=\${GOCACHEPROG:-}"
  } >"$SCRATCH/record.\$step"
fi
unset GOCACHEPROG # recorded above; the real go builds with its own cache
exec "$realgo" "\$@"
SH
chmod +x "$fake/go"

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

PATH="$fake:$PATH" run_gobuild env --json
mode=$(printf '%s\n' "$out" | sed -n 's/.*"sandbox": "\([^"]*\)".*/\1/p')
case "$mode" in
  netns | userns+netns) pass "env --json names a sandbox: $mode" ;;
  none) skip "the kernel allows no network namespace here" ;;
  *) fail "env --json: no sandbox key: $out $err" ;;
esac

PATH="$fake:$PATH" run_gobuild build --json --provenance prov.json
expect_eq "build exits 0" 0 "$rc"
expect_eq "the binary runs" "hello from dep" "$(./bin/app)"
expect_contains "the text line says which" "gobuild: sandbox $mode: the build step runs in " "$err"
expect_contains "the --json report says which" "\"sandbox\": \"$mode\"" "$out"
expect_eq "the provenance says which" "$mode" \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["predicate"]["runDetails"]["byproducts"][0]["annotations"]["sandbox"])' prov.json)"
build_ns=$(sed -n 's/^ns=//p' "$SCRATCH/record.build")
expect_ne "go build: a network namespace of its own" "$hostns" "$build_ns"
expect_contains "go build: a network namespace" "net:[" "$build_ns"
expect_eq "go build: loopback only" "lo " "$(sed -n 's/^ifaces=//p' "$SCRATCH/record.build")"
expect_eq "go build: loopback is up" "Connection refused" "$(sed -n 's/^loopback=//p' "$SCRATCH/record.build")"
expect_eq "go mod vendor: the host's network" "$hostns" "$(sed -n 's/^ns=//p' "$SCRATCH/record.vendor")"

PATH="$fake:$PATH" run_gobuild env
expect_contains "env: says which" "# sandbox $mode: the build step runs in " "$out"

# --no-sandbox: the host's namespace, and everything says none.
rm -f "$SCRATCH/record.build"
PATH="$fake:$PATH" run_gobuild build --json --no-sandbox --provenance prov.json
expect_eq "--no-sandbox: exits 0" 0 "$rc"
expect_eq "--no-sandbox: the host's network namespace" "$hostns" "$(sed -n 's/^ns=//p' "$SCRATCH/record.build")"
expect_contains "--no-sandbox: the text line" "gobuild: sandbox none (--no-sandbox): the build step has GOPROXY=off alone" "$err"
expect_contains "--no-sandbox: the --json report" '"sandbox": "none"' "$out"
expect_contains "--no-sandbox: the provenance" '"sandbox": "none"' "$(cat prov.json)"
PATH="$fake:$PATH" run_gobuild env --no-sandbox
expect_contains "--no-sandbox: env says so" "# sandbox none (--no-sandbox): the build step has GOPROXY=off alone" "$out"
run_gobuild plan --no-sandbox
expect_eq "--no-sandbox: plan accepts it" 0 "$rc"

# --cache-prog: the cache program talks to its server, so the build step keeps the network.
rm -f "$SCRATCH/record.build"
PATH="$fake:$PATH" run_gobuild build --cache-prog "$fake/go-cacher-stand-in"
expect_eq "--cache-prog: exits 0" 0 "$rc"
expect_eq "--cache-prog: the host's network namespace" "$hostns" "$(sed -n 's/^ns=//p' "$SCRATCH/record.build")"
expect_eq "--cache-prog: the build step got GOCACHEPROG" "$fake/go-cacher-stand-in" "$(sed -n 's/^cacheprog=//p' "$SCRATCH/record.build")"
expect_contains "--cache-prog: the text line" "gobuild: sandbox none (--cache-prog): the build step keeps the network" "$err"

run_gobuild doctor
expect_contains "doctor: an ok line" "ok    sandbox: $mode: " "$out"

# A kernel that allows no network namespace: a user namespace of the test's own whose limit of
# network namespaces is 0. gobuild says so once, as a warning, and builds with GOPROXY=off alone.
if unshare -Ur true 2>/dev/null; then
  rm -f "$SCRATCH/record.build"
  cat >gobuild.yaml <<'YAML'
version: 1
build: {rebuild_all: false}
targets:
  - name: app
    platforms: [linux/amd64, linux/arm64]
YAML
  o=$SCRATCH/none.out e=$SCRATCH/none.err
  rc=0
  PATH="$fake:$PATH" unshare -Ur sh -c 'echo 0 >/proc/sys/user/max_net_namespaces && exec "$0" -j 2 build --json' \
    "$GOBUILD" >"$o" 2>"$e" || rc=$?
  expect_eq "no namespace: exit 0" 0 "$rc"
  expect_eq "no namespace: the warning, once" 1 \
    "$(grep -c '^gobuild: warning: sandbox none: the kernel allows no network namespace here (unshare(CLONE_NEWNET): No space left on device; unshare(CLONE_NEWUSER|CLONE_NEWNET): No space left on device); the build step has GOPROXY=off alone$' "$e")"
  expect_contains "no namespace: the --json report" '"sandbox": "none"' "$(cat "$o")"
  PATH="$fake:$PATH" unshare -Ur sh -c 'echo 0 >/proc/sys/user/max_net_namespaces && exec "$0" doctor' "$GOBUILD" >"$o" 2>&1 || true
  expect_contains "no namespace: doctor warns" "warn  sandbox: none: no network namespace here (" "$(cat "$o")"
else
  pass "no namespace: not tried (unshare -Ur does not work here)"
fi

gb_done
