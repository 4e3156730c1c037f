# Helpers for the integration scenarios: source it first thing.
#
#   source "$(dirname "$0")/lib.sh"
#   gb_setup            # scratch dir ($SCRATCH, removed on exit) and a hermetic Go environment
#   ...                 # run "$GOBUILD" ..., check with expect_eq / expect_contains / ...
#   gb_done             # prints the summary; the exit code is 1 if any check failed
#
# The Go environment is private to the test: GOPATH, GOMODCACHE, GOCACHE and HOME under
# $SCRATCH (GOCACHE is GB_SHARED_GOCACHE instead when that is set: meson sets it for the
# scenarios that can share one, see meson.build), GOFLAGS and every other GO*/CGO_*/CC
# variable unset (and the proxy and SSL_CERT_* settings), GOTOOLCHAIN=local, GOENV=off,
# GOPROXY=off. gb_proxy_* make a local file:// module proxy so that nothing touches the network.
set -uo pipefail

GOBUILD=${GOBUILD:?GOBUILD must name the built gobuild}
GOBUILD_SRC=${GOBUILD_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
GB_FAILURES=0
GB_CHECKS=0

# Exit 77 (meson's "skipped") with a reason.
skip() {
  echo "SKIP: $*"
  exit 77
}

pass() {
  GB_CHECKS=$((GB_CHECKS + 1))
  echo "pass: $*"
}

fail() {
  GB_CHECKS=$((GB_CHECKS + 1))
  GB_FAILURES=$((GB_FAILURES + 1))
  echo "FAIL: $*"
}

# expect_eq WHAT WANT GOT
expect_eq() {
  if [[ "$2" == "$3" ]]; then
    pass "$1"
  else
    fail "$1: want [$2], got [$3]"
  fi
}

# expect_ne WHAT A B
expect_ne() {
  if [[ "$2" != "$3" ]]; then
    pass "$1"
  else
    fail "$1: both are [$2]"
  fi
}

# expect_contains WHAT NEEDLE HAYSTACK
expect_contains() {
  if [[ "$3" == *"$2"* ]]; then
    pass "$1"
  else
    fail "$1: [$2] not in:"
    printf '%s\n' "$3" | sed 's/^/    | /'
  fi
}

# expect_not_contains WHAT NEEDLE HAYSTACK
expect_not_contains() {
  if [[ "$3" != *"$2"* ]]; then
    pass "$1"
  else
    fail "$1: [$2] unexpectedly in:"
    printf '%s\n' "$3" | sed 's/^/    | /'
  fi
}

# expect_file WHAT PATH / expect_no_file WHAT PATH
expect_file() { if [[ -e "$2" ]]; then pass "$1"; else fail "$1: $2 does not exist"; fi; }
expect_no_file() { if [[ ! -e "$2" ]]; then pass "$1"; else fail "$1: $2 exists"; fi; }

# expect_no_temps WHAT DIR: no .*.gobuild-tmp-* left in DIR (or below)
expect_no_temps() {
  local left
  left=$(find "$2" -name '.*.gobuild-tmp-*' 2>/dev/null)
  expect_eq "$1" "" "$left"
}

# run_gobuild ARGS...: runs gobuild, sets $out (stdout), $err (stderr) and $rc.
run_gobuild() {
  local o e
  o=$(mktemp "$SCRATCH/out.XXXXXX")
  e=$(mktemp "$SCRATCH/err.XXXXXX")
  "$GOBUILD" "$@" >"$o" 2>"$e"
  rc=$?
  out=$(cat "$o")
  err=$(cat "$e")
  rm -f "$o" "$e"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

gb_done() {
  echo "$GB_CHECKS checks, $GB_FAILURES failed"
  [[ $GB_FAILURES -eq 0 ]] || exit 1
  exit 0
}

# The scratch directory and the hermetic Go environment.
gb_setup() {
  local go_bin
  go_bin=$(command -v go || true)
  [[ -n "$go_bin" ]] || go_bin=/usr/local/go/bin/go
  [[ -x "$go_bin" ]] || skip "no go toolchain"
  SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/gobuild-it.XXXXXX")
  # The module cache is read-only by design: make it writable before removing it.
  trap 'chmod -R u+w "$SCRATCH" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
  local v
  for v in $(env | sed -n 's/^\(GO[A-Z0-9_]*\|CGO_[A-Z0-9_]*\|CC\|CXX\)=.*/\1/p'); do
    [[ $v == GOBUILD* ]] || unset "$v"
  done
  # What the vendoring step would take from the host: nothing, since the tests use file://.
  unset SSL_CERT_FILE SSL_CERT_DIR http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY
  export PATH="$(dirname "$go_bin"):/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  export HOME="$SCRATCH/home"
  export GOPATH="$SCRATCH/gopath"
  export GOMODCACHE="$SCRATCH/gomodcache"
  export GOCACHE="${GB_SHARED_GOCACHE:-$SCRATCH/gocache}"
  export GOTOOLCHAIN=local
  export GOENV=off
  export GOPROXY=off
  export GOSUMDB=off
  export GONOSUMDB=example.com
  export TMPDIR="$SCRATCH/tmp"
  mkdir -p "$HOME" "$GOPATH" "$GOMODCACHE" "$GOCACHE" "$TMPDIR"
}

# gb_module DIR MODPATH: a module skeleton (go.mod at the host go's language version).
gb_module() {
  mkdir -p "$1"
  printf 'module %s\n\ngo 1.26\n' "$2" >"$1/go.mod"
}

# gb_proxy_add PROXY MODPATH VERSION SRCDIR: publishes SRCDIR (holding go.mod) as
# MODPATH@VERSION in the file:// proxy rooted at PROXY (GOPROXY=file://PROXY).
gb_proxy_add() {
  local proxy=$1 mod=$2 ver=$3 src=$4
  local d="$proxy/$mod/@v"
  mkdir -p "$d"
  echo "$ver" >>"$d/list"
  printf '{"Version":"%s","Time":"2024-01-01T00:00:00Z"}\n' "$ver" >"$d/$ver.info"
  cp "$src/go.mod" "$d/$ver.mod"
  python3 - "$src" "$mod@$ver" "$d/$ver.zip" <<'PY' || fail "gb_proxy_add: zip $mod@$ver"
import os, sys, zipfile
src, prefix, dst = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            rel = os.path.relpath(p, src)
            info = zipfile.ZipInfo(prefix + "/" + rel, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(p, "rb") as fh:
                z.writestr(info, fh.read())
PY
}

# gb_dep_module DIR PROXY: a module example.com/app that needs example.com/dep v1.0.0 from
# the file:// proxy PROXY (published here), with go.sum made from the proxy, not sum.golang.org.
gb_dep_module() {
  local dir=$1 proxy=$2
  local depsrc="$SCRATCH/depsrc"
  gb_module "$depsrc" example.com/dep
  cat >"$depsrc/dep.go" <<'GO'
// Package dep is the third-party dependency of the integration tests.
package dep

// Greeting is what the app prints.
func Greeting() string { return "hello from dep" }
GO
  gb_proxy_add "$proxy" example.com/dep v1.0.0 "$depsrc"
  gb_module "$dir" example.com/app
  cat >"$dir/main.go" <<'GO'
package main

import (
	"fmt"

	"example.com/dep"
)

func main() { fmt.Println(dep.Greeting()) }
GO
  (cd "$dir" && GOPROXY="file://$proxy" GOFLAGS=-mod=mod go get example.com/dep@v1.0.0 >/dev/null 2>&1) ||
    fail "gb_dep_module: go get example.com/dep@v1.0.0"
}

# gb_hello DIR: a stdlib-only module example.com/hello whose main imports net and os/user.
gb_hello() {
  gb_module "$1" example.com/hello
  cat >"$1/main.go" <<'GO'
package main

import (
	"fmt"
	"net"
	"os/user"
)

func main() {
	_, err := user.Current()
	_, err2 := net.LookupHost("localhost")
	fmt.Println("hello", err == nil, err2 == nil)
}
GO
}
