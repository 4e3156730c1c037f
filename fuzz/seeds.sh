#!/usr/bin/env bash
# Generates fuzzer seeds into DIR/{elf,buildinfo,pe,macho,config}; nothing binary is committed.
#   fuzz/seeds.sh DIR
# Seeds:
#  - real Go binaries: the go toolchain's own, and a tiny program cross-built for several
#    GOOS/GOARCH (ELF32/64, both byte orders, PIE, PE, Mach-O), cut to their first 64 KiB;
#    ELF ones also with e_shoff/e_shnum zeroed (the section table is past the cut), so that
#    the reader gets past the header and into the program headers and notes;
#  - their build info: 16 KiB from the `\xff Go buildinf:` header on (for fuzz_buildinfo);
#  - hand-made blobs written by the unit tests' builders (the skipped "fuzz seeds" test cases),
#    when a unit-test binary is found in a build directory.
# Needs: go (GO, default /usr/local/go/bin/go or the one on PATH), GNU grep, dd, od.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"/elf "$dir"/buildinfo "$dir"/pe "$dir"/macho
dir=$(cd "$dir" && pwd)

go=${GO:-}
if [[ -z "$go" ]]; then
  if [[ -x /usr/local/go/bin/go ]]; then go=/usr/local/go/bin/go; else go=$(command -v go || true); fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# cut SRC DEST: the first 64 KiB of SRC.
cut64() { head -c 65536 "$1" > "$2"; }

# zero_sections FILE: sets e_shoff and e_shnum of an ELF file to 0.
zero_sections() {
  local class
  class=$(od -An -tu1 -j4 -N1 "$1" | tr -d ' ')
  if [[ $class == 2 ]]; then
    head -c 8 /dev/zero | dd of="$1" bs=1 seek=40 conv=notrunc status=none
    head -c 2 /dev/zero | dd of="$1" bs=1 seek=60 conv=notrunc status=none
  else
    head -c 4 /dev/zero | dd of="$1" bs=1 seek=32 conv=notrunc status=none
    head -c 2 /dev/zero | dd of="$1" bs=1 seek=48 conv=notrunc status=none
  fi
}

# buildinfo SRC DEST: 16 KiB from the first build info header of SRC, if it has one.
buildinfo() {
  local off
  off=$(LC_ALL=C grep -obUaP '\xff Go buildinf:' "$1" | head -1 | cut -d: -f1 || true)
  if [[ -n "$off" ]]; then
    dd if="$1" of="$2" bs=16384 count=1 iflag=skip_bytes skip="$off" status=none
  fi
}

# add NAME FILE: files FILE under the fuzzers that read its format.
add() {
  local name=$1 file=$2 magic
  magic=$(od -An -tx1 -N4 "$file" | tr -d ' ')
  case $magic in
    7f454c46)
      cut64 "$file" "$dir/elf/real-$name"
      cut64 "$file" "$dir/elf/real-$name-nosections"
      zero_sections "$dir/elf/real-$name-nosections" ;;
    4d5a*) cut64 "$file" "$dir/pe/real-$name" ;;
    cffaedfe | cefaedfe | feedfacf | feedface) cut64 "$file" "$dir/macho/real-$name" ;;
    *) return 0 ;;
  esac
  buildinfo "$file" "$dir/buildinfo/real-$name"
}

count=0
if [[ -n "$go" ]]; then
  goroot=$("$go" env GOROOT)
  for f in "$goroot"/bin/* "$goroot"/pkg/tool/*/{asm,vet}; do
    if [[ -f $f ]]; then
      add "host-$(basename "$f")" "$f"
      count=$((count + 1))
    fi
  done

  mkdir -p "$work/m"
  printf 'module example.com/seed\n\ngo 1.21\n' > "$work/m/go.mod"
  printf 'package main\n\nfunc main() { println("seed") }\n' > "$work/m/main.go"
  # GOOS/GOARCH[/buildmode]: every class, byte order and format the readers handle.
  for p in linux/amd64 linux/amd64/pie linux/386 linux/arm64 linux/arm linux/s390x linux/mips \
           linux/ppc64le linux/riscv64 linux/loong64 windows/amd64 windows/386 darwin/arm64; do
    IFS=/ read -r os arch mode <<< "$p"
    out="$work/$os-$arch${mode:+-$mode}"
    if (cd "$work/m" && env -u GOFLAGS GOTOOLCHAIN=local GOPROXY=off GOWORK=off CGO_ENABLED=0 \
          GOOS=$os GOARCH=$arch "$go" build -trimpath ${mode:+-buildmode=$mode} -o "$out" . 2>/dev/null); then
      add "$(basename "$out")" "$out"
      count=$((count + 1))
    else
      echo "seeds.sh: could not build $p (skipped)" >&2
    fi
  done
else
  echo "seeds.sh: no go toolchain: real-binary seeds skipped" >&2
fi

# Hand-made blobs from the unit tests' builders.
test_binary=$(ls -t "$root"/build*/tests/unit/binary/test_binary 2>/dev/null | head -1 || true)
if [[ -n "$test_binary" ]]; then
  GOBUILD_FUZZ_SEEDS=$dir "$test_binary" --no-skip -tc='fuzz seeds*' >/dev/null
else
  echo "seeds.sh: no tests/unit/binary/test_binary in a build directory: hand-made seeds skipped" >&2
fi

# Configs for fuzz_config: the examples, and ones that use every word list, so that mutations
# start from accepted configs and reach the allowlists and the command line.
mkdir -p "$dir/config"
for f in "$root"/examples/*/gobuild.yaml; do
  [[ -f "$f" ]] && cp "$f" "$dir/config/example-$(basename "$(dirname "$f")").yaml"
done
cat >"$dir/config/words.yaml" <<'Y'
version: 1
build:
  cgo: true
  linkmode: external
  extldflags: ["-static -Wl,-z,relro,-z,now", -lm, -Llib]
  ldflags: ["-s -w -X 'main.version=1.0 beta'", -X, "main.commit=abc", -buildid=, -B, gobuildid]
  flags: [-trimpath, -p, "2", "-gcflags=all=-N -l", -asmflags=-spectre=all, -v]
  env: {GOAMD64: v3, GOEXPERIMENT: "arenas"}
targets:
  - name: app
    main: ./cmd/app
    output: "bin/{name}-{os}-{arch}"
    platforms: [linux/amd64, linux/arm64]
Y
printf 'version: 1\nbuild: {ldflags: ["-X \\"main.v=it'"'"'s\\""]}\ntargets: [{name: a}]\n' >"$dir/config/quotes.yaml"

echo "seeds.sh: $count real binaries; $(ls "$dir/elf" | wc -l) elf, $(ls "$dir/buildinfo" | wc -l) buildinfo," \
     "$(ls "$dir/pe" | wc -l) pe, $(ls "$dir/macho" | wc -l) macho, $(ls "$dir/config" | wc -l) config seeds in $dir"
