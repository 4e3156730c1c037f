#!/usr/bin/env bash
# Installs what building and testing gobuild needs on Debian 12, and nothing that is already
# there. Run as root (or with sudo available). Safe to run again.
set -euo pipefail

packages=(
  g++ meson ninja-build pkg-config git ca-certificates python3 binutils file
  libboost-dev libboost-filesystem-dev libfmt-dev libyaml-cpp-dev doctest-dev libcli11-dev
  nlohmann-json3-dev nettle-dev libc6-dev
)
# The fuzz targets and the sanitizer configuration need clang with libFuzzer; the benchmarks
# need hyperfine. Asked for with GOBUILD_DEPS=full (scripts/test.sh does).
if [[ "${GOBUILD_DEPS:-}" == full ]]; then
  packages+=(clang libclang-rt-14-dev hyperfine zip unzip groff-base man-db)
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
if ! command -v go >/dev/null 2>&1 && [[ ! -x /usr/local/go/bin/go ]]; then
  missing+=(golang-go)
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: everything is installed"
fi
