#!/usr/bin/env bash
# Installs what building and testing gobuild needs on Debian 12, and nothing that is already
# there. Run as root (or with sudo available). Safe to run again.
set -euo pipefail

packages=(
  g++ meson ninja-build pkg-config git ca-certificates python3 binutils file
  libboost-dev libboost-filesystem-dev libfmt-dev libyaml-cpp-dev doctest-dev libcli11-dev
  nlohmann-json3-dev nettle-dev zlib1g-dev libc6-dev jq
)
# The fuzz targets and the sanitizer configuration need clang with libFuzzer; the benchmarks
# need hyperfine; ccache (which meson picks up by itself) makes the test suite's three C++ builds
# compile only what changed. Asked for with GOBUILD_DEPS=full (scripts/test.sh does).
if [[ "${GOBUILD_DEPS:-}" == full ]]; then
  packages+=(clang libclang-rt-14-dev hyperfine zip unzip groff-base man-db ccache)
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo=sudo; fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Go: the go on PATH or at /usr/local/go (the toolchain the project is developed with);
# Debian's golang-go only where there is none.
go_minor() { # prints the minor version of the go given, or 0
  "$1" env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p' | grep . || echo 0
}
have_go=""
for g in "$(command -v go 2>/dev/null)" /usr/local/go/bin/go; do
  if [[ -n "$g" && -x "$g" ]] && (($(go_minor "$g") >= 21)); then have_go=$g; break; fi
done
if [[ -z "$have_go" ]] && ! command -v go >/dev/null 2>&1; then
  missing+=(golang-go)
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: everything is installed"
fi

# Debian 12's golang-go is Go 1.19, older than GOTOOLCHAIN (1.21) and than the Go the tests are
# written for. Where that is all there is, it fetches the Go toolchain module (the one that
# GOTOOLCHAIN itself downloads) through the Go module proxy, and installs it as /usr/local/go.
if [[ -z "$have_go" ]]; then
  want=${GOBUILD_GO_VERSION:-1.26.8}
  arch=$(dpkg --print-architecture)
  tmp=$(mktemp -d)
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
  echo "install-deps: fetching the go$want toolchain module with $(go version)"
  (cd "$tmp" && GOPATH="$tmp/gopath" GOMODCACHE="$tmp/modcache" GOFLAGS=-mod=mod go mod init bootstrap >/dev/null 2>&1 &&
     GOPATH="$tmp/gopath" GOMODCACHE="$tmp/modcache" GOFLAGS=-mod=mod \
       go mod download "golang.org/toolchain@v0.0.1-go$want.linux-$arch")
  dir="$tmp/modcache/golang.org/toolchain@v0.0.1-go$want.linux-$arch"
  $sudo rm -rf /usr/local/go.new
  $sudo cp -r "$dir" /usr/local/go.new
  $sudo chmod -R u+w /usr/local/go.new
  # Module zips carry no modes: make the commands executable, as the go command does.
  $sudo chmod +x /usr/local/go.new/bin/* /usr/local/go.new/pkg/tool/*/*
  $sudo rm -rf /usr/local/go
  $sudo mv /usr/local/go.new /usr/local/go
  echo "install-deps: $(/usr/local/go/bin/go version) in /usr/local/go"
fi
