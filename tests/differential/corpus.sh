#!/usr/bin/env bash
# Builds the differential test's corpus into a scratch directory and writes its manifest.
#
#   corpus.sh SCRATCH
#
# SCRATCH/manifest.tsv gets one line per file: KIND<TAB>PATH. Kinds:
#   cross      the tiny program cross-built for every linux GOARCH and a few other GOOSes
#   variant    GOARM/GO386/GOMIPS/GOAMD64 variants, internal PIE, -s -w
#   cgo        host cgo builds: dynamic, PIE, static, static-pie, rpath, runpath, c-shared
#   deps       a module with path/version replacements, proxy deps, quoted settings, vcs info
#   noshdr     copies of some of the above with e_shoff/e_shnum/e_shstrndx zeroed
#   toolchain  $(go env GOROOT)/bin/* and $(go env GOTOOLDIR)/*
#   system     ELF files from /usr/bin and shared libraries from /usr/lib/<triplet>
#   system-go  Go programs found in /usr/bin, /usr/sbin, /usr/local/bin (built by others)
#   gotestdata the ELF/PE/Mach-O samples of $(go env GOROOT)/src/debug/*/testdata
#   object     relocatable objects (gcc -c, crt files)
#   core       a core file made by gcore (skipped when gcore cannot attach)
# SCRATCH/skipped.txt lists optional pieces that could not be made, with the reason.
# Compiled binaries live in the scratch directory only; nothing here is committed.
set -euo pipefail

scratch=${1:?usage: corpus.sh SCRATCH}
here=$(cd "$(dirname "$0")" && pwd)
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
out=$scratch/corpus
manifest=$scratch/manifest.tsv
skipped=$scratch/skipped.txt
mkdir -p "$out"/{cross,variant,cgo,deps,noshdr,gotestdata,object,core}
: >"$manifest"
: >"$skipped"

# The default GOCACHE, or the integration scenarios' shared one (GB_SHARED_GOCACHE), is reused
# on purpose: a private one would build the standard library ~25 times on every run.
if [[ -n ${GB_SHARED_GOCACHE:-} ]]; then export GOCACHE=$GB_SHARED_GOCACHE; fi
export GOTOOLCHAIN=local GOFLAGS= GOPROXY=off GOWORK=off GOENV=off GOSUMDB=off
export GOMODCACHE=$scratch/modcache
unset GOOS GOARCH GOARM GO386 GOAMD64 GOMIPS GOMIPS64 GOPPC64 GORISCV64 GOEXPERIMENT CC CXX \
  CGO_CFLAGS CGO_LDFLAGS GODEBUG 2>/dev/null || true

add() { printf '%s\t%s\n' "$1" "$2" >>"$manifest"; }
skip() { printf '%s: %s\n' "$1" "$2" >>"$skipped"; }
log() { printf 'corpus: %s\n' "$*" >&2; }

cp -r "$here/testdata" "$scratch/src"
chmod -R u+w "$scratch/src"

# Runs `go build` in DIR with extra environment; prints the build log on failure.
# gobuild_go DIR OUT [VAR=VALUE...] -- [go build args...]
gobuild_go() {
  local dir=$1 output=$2
  shift 2
  local envs=()
  while [[ $# -gt 0 && $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  if ! (cd "$dir" && env "${envs[@]}" "$GO" build -o "$output" "$@") >"$output.log" 2>&1; then
    log "build failed: ${envs[*]} go build $* (in $dir)"
    cat "$output.log" >&2
    return 1
  fi
  rm -f "$output.log"
}

# --- cross: every linux GOARCH that this go offers, plus other operating systems -----------
hello=$scratch/src/hello
# Alternate -trimpath so that both kinds of path appear in the build settings; one choice per
# GOARCH, so that the builds of one GOARCH share one build of the standard library. -trimpath
# for amd64, arm64, 386, s390x and riscv64: what gobuild builds by default, so that with a
# shared cache the integration scenarios reuse these builds of the standard library.
trim_for() { (( ${#1} % 2 == 1 )) && echo -trimpath || true; }
mapfile -t linux_arches < <("$GO" tool dist list | sed -n 's|^linux/||p')
# solaris/amd64 and openbsd/amd64 link against the system libc even without cgo (dynamic).
# Each platform costs a build of the standard library on a cold cache: every ELF class, byte
# order and machine is here once (linux), each other OS once, PE and Mach-O in each class.
others=(freebsd/amd64 netbsd/arm64 openbsd/amd64 solaris/amd64 windows/amd64
        windows/386 windows/arm64 darwin/amd64 darwin/arm64)
log "cross-building ${#linux_arches[@]} linux targets and ${#others[@]} others"
for platform in "${linux_arches[@]/#/linux/}" "${others[@]}"; do
  os=${platform%/*} arch=${platform#*/}
  f=$out/cross/hello-$os-$arch
  [[ $os == windows ]] && f+=.exe
  trim=($(trim_for "$arch"))
  gobuild_go "$hello" "$f" CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" -- "${trim[@]}" .
  add cross "$f"
done

# --- variant: settings recorded in the build info, internal PIE, stripped symbols ----------
# Two variant settings (each another build of the standard library) show how a variant is
# recorded; GO386 and GOMIPS are recorded the same way. One PIE shows the class.
v=$out/variant
gobuild_go "$hello" "$v/hello-arm-v5" CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=5 -- .
gobuild_go "$hello" "$v/hello-amd64-v3" CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOAMD64=v3 -- .
gobuild_go "$hello" "$v/hello-amd64-pie" CGO_ENABLED=0 GOOS=linux GOARCH=amd64 -- -buildmode=pie .
for a in amd64 386 arm mips64 s390x ppc64; do
  gobuild_go "$hello" "$v/hello-$a-sw" CGO_ENABLED=0 GOOS=linux GOARCH=$a -- $(trim_for $a) \
    -ldflags='-s -w' .
done
for f in "$v"/*; do add variant "$f"; done
# A PIE linked with -d (no dynamic loader): see the shared-object class in doc/json.md. Optional: the
# linker may refuse the combination.
if gobuild_go "$hello" "$v/hello-amd64-pie-d" CGO_ENABLED=0 GOOS=linux GOARCH=amd64 -- \
     -buildmode=pie -ldflags=-d . 2>/dev/null; then
  add variant "$v/hello-amd64-pie-d"
else
  skip hello-amd64-pie-d "go build -buildmode=pie -ldflags=-d failed"
fi

# --- cgo: the host's C toolchain ----------------------------------------------------------
c=$out/cgo
cgohello=$scratch/src/cgohello
if command -v "$("$GO" env CC)" >/dev/null 2>&1; then
  gobuild_go "$cgohello" "$c/cgo-dynamic" CGO_ENABLED=1 -- .
  gobuild_go "$cgohello" "$c/cgo-pie" CGO_ENABLED=1 -- -buildmode=pie .
  gobuild_go "$cgohello" "$c/cgo-external" CGO_ENABLED=1 -- -ldflags='-linkmode external' .
  gobuild_go "$hello" "$c/hello-cgo-internal" CGO_ENABLED=1 -- .
  gobuild_go "$hello" "$c/hello-cgo-r" CGO_ENABLED=1 -- -ldflags='-r /opt/lib' .
  gobuild_go "$cgohello" "$c/cgo-rpath" CGO_ENABLED=1 -- \
    -ldflags='-extldflags "-Wl,-rpath,/opt/x -Wl,-rpath,/opt/y -Wl,--disable-new-dtags"' .
  gobuild_go "$cgohello" "$c/cgo-runpath" CGO_ENABLED=1 -- \
    -ldflags='-extldflags "-Wl,-rpath,/opt/x -Wl,--enable-new-dtags"' .
  gobuild_go "$scratch/src/cshared" "$c/libanswer.so" CGO_ENABLED=1 -- -buildmode=c-shared .
  for f in cgo-dynamic cgo-pie cgo-external hello-cgo-internal hello-cgo-r cgo-rpath \
           cgo-runpath libanswer.so; do
    add cgo "$c/$f"
  done
  rm -f "$c/libanswer.h"
  # Static glibc: needs libc.a; glibc's NSS warnings at link time are expected.
  if gobuild_go "$cgohello" "$c/cgo-static" CGO_ENABLED=1 -- \
       -ldflags='-linkmode external -extldflags -static' .; then
    add cgo "$c/cgo-static"
  else
    skip cgo-static "external -static link failed (no libc.a?)"
  fi
  if gobuild_go "$cgohello" "$c/cgo-static-pie" CGO_ENABLED=1 -- -buildmode=pie \
       -ldflags='-linkmode external -extldflags -static-pie' .; then
    add cgo "$c/cgo-static-pie"
  else
    skip cgo-static-pie "external -static-pie link failed"
  fi
else
  skip cgo "no C compiler ($("$GO" env CC))"
fi

# --- deps: replacements, a file:// proxy, quoted settings, vcs stamping ------------------------
proxy=$scratch/proxy
python3 "$here/mkproxy.py" "$proxy" \
  "example.com/proxydep" v1.2.3 "$scratch/src/proxymods/proxydep" \
  "example.com/newname" v1.1.0 "$scratch/src/proxymods/newname"
d=$out/deps
depapp=$scratch/src/depapp
depenv=(CGO_ENABLED=0 GOPROXY="file://$proxy" GOFLAGS="-mod=mod -modcacherw" GONOSUMDB= GOPRIVATE=)
gobuild_go "$depapp" "$d/depapp" "${depenv[@]}" -- .
gobuild_go "$depapp" "$d/depapp-quoted" "${depenv[@]}" -- -trimpath -tags 'netgo osusergo' \
  -ldflags="-X 'main.msg=hello \"quoted\" world' -X \"main.tab=a$(printf '\t')b\"" \
  -gcflags='example.com/depapp=-N -l' .
# Bytes that are not UTF-8 in a build setting: go records them raw (no quoting is triggered);
# JSON output must stay valid (Go's encoding/json writes U+FFFD for each bad byte).
if gobuild_go "$depapp" "$d/depapp-badutf8" "${depenv[@]}" -- \
     -ldflags="-X main.msg=$(printf '\xff\xfe')" .; then :; else
  skip depapp-badutf8 "go build refused -ldflags with non-UTF-8 bytes"
fi
# -buildvcs=true with a git repository: vcs, vcs.revision, vcs.time, vcs.modified settings.
if command -v git >/dev/null 2>&1; then
  (cd "$depapp" && git init -q && git add go.mod go.sum main.go &&
   GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
   GIT_COMMITTER_EMAIL=t@example.com GIT_AUTHOR_DATE=2020-01-02T03:04:05Z \
   GIT_COMMITTER_DATE=2020-01-02T03:04:05Z git commit -q -m corpus)
  gobuild_go "$depapp" "$d/depapp-vcs" "${depenv[@]}" -- -buildvcs=true .
fi
for f in "$d"/*; do add deps "$f"; done

# --- noshdr: section headers removed (Go build info then found through PT_LOAD) -------------
for f in "$out"/cross/hello-linux-{amd64,386,arm,mips,s390x,ppc64,riscv64,loong64} \
         "$v/hello-amd64-sw" "$v/hello-amd64-pie" "$c/cgo-dynamic" "$c/cgo-static-pie" \
         "$c/libanswer.so" "$d/depapp-quoted"; do
  [[ -f $f ]] || continue
  python3 "$here/noshdr.py" "$f" "$out/noshdr/$(basename "$f")"
  add noshdr "$out/noshdr/$(basename "$f")"
done

# --- toolchain -------------------------------------------------------------------------------
for f in "$("$GO" env GOROOT)"/bin/* "$("$GO" env GOTOOLDIR)"/*; do
  [[ -f $f ]] && add toolchain "$f"
done

# --- system ELF files ------------------------------------------------------------------------
is_elf() { [[ $(head -c4 "$1" 2>/dev/null | od -An -c | tr -d ' ') == 177ELF ]]; }
n=0
for f in /usr/bin/*; do
  [[ -f $f && -r $f ]] || continue
  is_elf "$f" || continue
  add system "$f"
  (( ++n >= 300 )) && break
done
# Go programs that others built (other Go versions, many deps, odd version strings): `go version`
# names the Go binaries under these directories. At most 40, each once.
n=0
while IFS= read -r f; do
  [[ -f $f ]] || continue
  cut -f2 "$manifest" | grep -qxF -- "$f" && continue
  add system-go "$f"
  (( ++n >= 40 )) && break
done < <(timeout 120 "$GO" version /usr/bin /usr/sbin /usr/local/bin 2>/dev/null |
         sed -n 's/^\(.*\): go[0-9].*$/\1/p' || true)
triplet=$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
n=0
declare -A seen=()
for f in /usr/lib/"$triplet"/*.so*; do
  r=$(readlink -f "$f")
  [[ -f $r && -z ${seen[$r]:-} ]] || continue
  seen[$r]=1
  is_elf "$r" || continue
  add system "$r"
  (( ++n >= 200 )) && break
done

# --- gotestdata: the sample files of Go's own debug/* tests ---------------------------------
# Objects for many machines and both byte orders (ppc, mips, s390x, sparc64), FreeBSD/OpenBSD
# and RISC-V executables, a shared library, a core, Mach-O (with LC_RPATH, fat), PE images,
# and a Go 1.17 binary with the older pointer-format build info.
gt=$out/gotestdata
mkdir -p "$gt"
dbg=$("$GO" env GOROOT)/src/debug
for f in "$dbg"/elf/testdata/* "$dbg"/pe/testdata/*; do
  [[ -f $f ]] || continue
  magic=$(head -c4 "$f" | od -An -tx1 | tr -d ' \n')
  [[ $magic == 7f454c46 || $magic == 4d5a* ]] && add gotestdata "$f"
done
if [[ -f $dbg/elf/testdata/hello-world-core.gz ]]; then
  gzip -dc "$dbg/elf/testdata/hello-world-core.gz" >"$gt/hello-world-core"
  add gotestdata "$gt/hello-world-core"
fi
for f in "$dbg"/macho/testdata/*.base64 "$dbg"/buildinfo/testdata/go117/go117.base64; do
  [[ -f $f ]] || continue
  b=$(basename "$f" .base64)
  base64 -d "$f" >"$gt/$b"
  add gotestdata "$gt/$b"
done

# --- object files and a core ---------------------------------------------------------------
o=$out/object
if printf 'int f(void) { return 1; }\n' >"$o/f.c" && gcc -c -o "$o/f.o" "$o/f.c" 2>/dev/null; then
  add object "$o/f.o"
fi
rm -f "$o/f.c"
for f in /usr/lib/"$triplet"/{crt1,crti,Scrt1,rcrt1}.o; do
  [[ -f $f ]] && add object "$f"
done
if command -v gcore >/dev/null 2>&1; then
  sleep 60 &
  sleeper=$!
  if timeout 30 gcore -o "$out/core/core" "$sleeper" >/dev/null 2>&1; then
    add core "$out/core/core.$sleeper"
  else
    skip core "gcore could not attach"
  fi
  kill "$sleeper" 2>/dev/null || true
  wait "$sleeper" 2>/dev/null || true
else
  skip core "no gcore"
fi

log "$(wc -l <"$manifest") files in the corpus"
