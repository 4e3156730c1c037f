#!/usr/bin/env bash
# --cache-prog: two "machines" (their own HOME, GOCACHE, TMPDIR and go-cacher directory) share
# one Go build cache through go-cacher and its server gocached, which this test runs on a free
# port of 127.0.0.1. The second machine's build is at least 3× faster than the first's and
# gives the same bytes. plan shows GOCACHEPROG, the provenance records it in runDetails only,
# and --check-reproducible's second build runs without it.
#
# The cache program and server are third-party tools, installed once with `go install` from
# the module proxy into GB_TOOLS_DIR (default ~/.cache/gobuild-tests/gobin), so that reruns do
# not fetch them again; exit 77 (skipped) when they are not there and the proxy cannot be had.
source "$(dirname "$0")/lib.sh"
tools=${GB_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gobuild-tests/gobin}
gb_setup
umask 022
command -v jq >/dev/null || skip "jq is not installed"

if [[ ! -x "$tools/go-cacher" || ! -x "$tools/gocached" ]]; then
  mkdir -p "$tools" "$SCRATCH/install-cache"
  # The module proxy, for these two tools only (the build under test stays offline).
  if ! GOBIN="$tools" GOPROXY=https://proxy.golang.org GOSUMDB=sum.golang.org GONOSUMDB= \
    GOCACHE="$SCRATCH/install-cache" timeout 600 go install \
    github.com/bradfitz/go-tool-cache/cmd/go-cacher@latest \
    github.com/bradfitz/go-tool-cache/cmd/gocached@latest >"$SCRATCH/install.log" 2>&1; then
    sed 's/^/    | /' "$SCRATCH/install.log" | tail -5
    skip "cannot install go-cacher and gocached from proxy.golang.org (no network?)"
  fi
fi

# gocached on a free port, stopped at the end whatever happens.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$SCRATCH/gocached"
"$tools/gocached" --listen "127.0.0.1:$port" --cache-dir "$SCRATCH/gocached" >"$SCRATCH/gocached.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; chmod -R u+w "$SCRATCH" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done
curl -s -o /dev/null "http://127.0.0.1:$port/" || { cat "$SCRATCH/gocached.log"; fail "gocached does not answer"; gb_done; }

# A module with three dependencies from a file:// proxy, each a few packages of real code, so
# that compiling dominates the build.
proxy="$SCRATCH/proxy"
for m in alpha beta gamma; do
  d="$SCRATCH/src-$m"
  gb_module "$d" "example.com/$m"
  for p in p1 p2 p3; do
    mkdir -p "$d/$p"
    python3 - "$m" "$p" >"$d/$p/$p.go" <<'PY'
import sys
m, p = sys.argv[1], sys.argv[2]
print(f"// Package {p} of example.com/{m}: generated arithmetic, so that there is code to compile.")
print(f"package {p}\n\nimport (\n\t\"sort\"\n\t\"strings\"\n)\n")
for i in range(120):
    print(f"""// F{i} mixes its input.
func F{i}(xs []int, s string) (int, string) {{
	sum := {i}
	for j, x := range xs {{
		switch {{
		case x%3 == 0:
			sum += x * (j + {i})
		case x%5 == 1:
			sum -= x ^ {i}
		default:
			sum ^= x << (uint(j) % 7)
		}}
	}}
	sort.Ints(xs)
	parts := strings.Split(s, ",")
	for k := range parts {{
		parts[k] = strings.ToUpper(strings.TrimSpace(parts[k])) + "{m}{p}{i}"
	}}
	return sum, strings.Join(parts, ";")
}}
""")
print("// All sums every F.\nfunc All(xs []int) int {\n\tt := 0")
for i in range(120):
    print(f"\tif v, _ := F{i}(xs, \"a,b\"); v > 0 {{\n\t\tt += v\n\t}}")
print("\treturn t\n}")
PY
  done
  gb_proxy_add "$proxy" "example.com/$m" v1.0.0 "$d"
done
app="$SCRATCH/app"
gb_module "$app" example.com/app
cat >"$app/main.go" <<'GO'
package main

import (
	"fmt"

	a1 "example.com/alpha/p1"
	a2 "example.com/alpha/p2"
	a3 "example.com/alpha/p3"
	b1 "example.com/beta/p1"
	b2 "example.com/beta/p2"
	b3 "example.com/beta/p3"
	g1 "example.com/gamma/p1"
	g2 "example.com/gamma/p2"
	g3 "example.com/gamma/p3"
)

func main() {
	xs := []int{3, 1, 4, 1, 5, 9, 2, 6}
	fmt.Println(a1.All(xs) + a2.All(xs) + a3.All(xs) + b1.All(xs) + b2.All(xs) + b3.All(xs) + g1.All(xs) + g2.All(xs) + g3.All(xs))
}
GO
(cd "$app" && GOPROXY="file://$proxy" GOFLAGS=-mod=mod go get example.com/alpha@v1.0.0 example.com/beta@v1.0.0 example.com/gamma@v1.0.0 >/dev/null 2>&1) ||
  fail "go get the dependencies"
printf 'version: 1\ntargets:\n  - name: app\n' >"$app/gobuild.yaml"
export GOPROXY="file://$proxy"
cd "$app"

# A wrapper that counts the go commands that started the cache program.
machine() { # N: this machine's directories
  local m="$SCRATCH/machine$1"
  mkdir -p "$m/home" "$m/gocache" "$m/tmp" "$m/gomodcache" "$m/cacher"
  cat >"$m/cacher.sh" <<SH
#!/bin/sh
echo started >>"$m/cacher.log"
exec "$tools/go-cacher" --cache-dir "$m/cacher" --cache-server "http://127.0.0.1:$port"
SH
  chmod +x "$m/cacher.sh"
}
on() { # N CMD...: runs CMD with machine N's HOME, GOCACHE, TMPDIR and module cache
  local m="$SCRATCH/machine$1"
  shift
  HOME="$m/home" GOCACHE="$m/gocache" TMPDIR="$m/tmp" GOMODCACHE="$m/gomodcache" "$@"
}
ms() { echo $(($(date +%s%N) / 1000000)); }
machine 1
machine 2
prog1="$SCRATCH/machine1/cacher.sh"
prog2="$SCRATCH/machine2/cacher.sh"

run_gobuild plan --cache-prog "$prog1"
expect_contains "plan shows GOCACHEPROG" " GOCACHEPROG=$prog1 GOENV=off" "$out"
run_gobuild env --cache-prog "$prog1"
expect_contains "env shows GOCACHEPROG" "GOCACHEPROG=$prog1" "$out"

t0=$(ms)
on 1 "$GOBUILD" -q build --cache-prog "$prog1" --provenance "$SCRATCH/prov1.json" >"$SCRATCH/out1" 2>&1
rc1=$?
t1=$(ms)
expect_eq "machine 1 builds" 0 "$rc1"
first=$(sha bin/app)
rm -rf bin vendor
t2=$(ms)
on 2 "$GOBUILD" -q build --cache-prog "$prog2" >"$SCRATCH/out2" 2>&1
rc2=$?
t3=$(ms)
expect_eq "machine 2 builds" 0 "$rc2"
expect_eq "machine 2: the same bytes" "$first" "$(sha bin/app)"
cold=$((t1 - t0))
warm=$((t3 - t2))
echo "machine 1 (empty shared cache): $cold ms; machine 2 (from gocached): $warm ms; $(awk -v a="$cold" -v b="$warm" 'BEGIN { printf "%.1f", a / b }')x; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if ((warm * 3 <= cold)); then pass "machine 2 is at least 3x faster"; else fail "machine 2 is at least 3x faster: $cold ms, then $warm ms"; fi

expect_eq "the provenance records the cache program in runDetails" "$prog1" \
  "$(jq -r '.predicate.runDetails.builder.builderDependencies[] | select(.name == "GOCACHEPROG") | .annotations.command' "$SCRATCH/prov1.json")"
expect_eq "and not in buildDefinition" "false" \
  "$(jq '.predicate.buildDefinition | tostring | contains("GOCACHEPROG")' "$SCRATCH/prov1.json")"

# --check-reproducible: the first build uses the cache program, the second does not.
rm -f "$SCRATCH/machine1/cacher.log"
on 1 "$GOBUILD" -q build --cache-prog "$prog1" --check-reproducible >"$SCRATCH/out3" 2>&1
expect_eq "--check-reproducible exits 0" 0 "$?"
expect_eq "the cache program ran for the first build only" "started" "$(cat "$SCRATCH/machine1/cacher.log")"

gb_done
