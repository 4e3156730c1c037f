#!/usr/bin/env bash
# `gobuild verify --json` on real PE and Mach-O files: cross-builds a stdlib-only hello world for
# windows/{amd64,386,arm64} and darwin/{amd64,arm64} (plus a fat Mach-O made of the two darwin
# builds) and checks format, class, machine, type, imports, the Go build ID against
# `go tool buildid`, and go.version / go.path / go.main / settings against `go version -m`.
# Exit 77 (skip) when go or python3 is absent.
set -euo pipefail

GOBUILD=${GOBUILD:?GOBUILD must name the built gobuild}
export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "SKIP: no go on PATH"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/hello" "$work/bin"
cat >"$work/hello/go.mod" <<'EOF'
module example.com/hello

go 1.22
EOF
cat >"$work/hello/main.go" <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello") }
EOF

# Only stdlib: nothing to download. GOFLAGS/GOENV cleared so the host's settings cannot leak in.
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS= GOENV=off GOWORK=off CGO_ENABLED=0
platforms="windows/amd64 windows/386 windows/arm64 darwin/amd64 darwin/arm64"
for p in $platforms; do
  out="$work/bin/hello-${p%/*}-${p#*/}"
  (cd "$work/hello" && GOOS=${p%/*} GOARCH=${p#*/} go build -trimpath -o "$out" .)
done

# A universal binary, as lipo would make it: the fat header and arches big-endian, each slice
# 16 KiB-aligned. gobuild reads the first architecture.
python3 - "$work/bin/hello-darwin-amd64" "$work/bin/hello-darwin-arm64" "$work/bin/hello-darwin-fat" <<'EOF'
import struct, sys
slices = [open(p, 'rb').read() for p in sys.argv[1:3]]
cpus = [0x01000007, 0x0100000c]
align = 1 << 14
offs, off = [], align
for s in slices:
    offs.append(off)
    off = (off + len(s) + align - 1) // align * align
hdr = struct.pack('>II', 0xcafebabe, len(slices))
for cpu, o, s in zip(cpus, offs, slices):
    hdr += struct.pack('>IIIII', cpu, 3 if cpu == 0x01000007 else 0, o, len(s), 14)
data = bytearray(hdr)
for o, s in zip(offs, slices):
    data += b'\0' * (o - len(data)) + s
open(sys.argv[3], 'wb').write(data)
EOF

fail=0
check() { # FILE FORMAT CLASS MACHINE GOARCH GOOS NEEDED... ; the reference comes from the same file
  local file=$1 json
  shift
  set +e
  json=$("$GOBUILD" verify --json "$file")
  local rc=$?
  set -e
  if [[ $rc -ne 0 ]]; then
    echo "FAIL: $file: gobuild verify exited $rc"
    echo "$json"
    fail=1
    return
  fi
  # For the fat file the reference is its first slice (go version -m reads that one too).
  local ref=$file
  [[ $file == *-fat ]] && ref=${file%-fat}-amd64
  if ! python3 - "$file" "$json" "$(go version -m "$ref")" "$(go tool buildid "$ref")" "$@" <<'EOF'
import json, sys

path, doc, gov, buildid, fmt, cls, machine, goarch, goos = sys.argv[1:10]
needed = sys.argv[10:]
files = json.loads(doc)["files"]
assert len(files) == 1, files
f = files[0]
errors = []
def want(key, expected, got):
    if expected != got:
        errors.append(f"{key}: want {expected!r}, got {got!r}")

want("path", path, f.get("path"))
want("ok", True, f.get("ok"))
want("format", fmt, f.get("format"))
want("class", int(cls), f.get("class"))
want("endian", "little", f.get("endian"))
want("machine", machine, f.get("machine"))
want("type", "exec", f.get("type"))
want("needed", needed, f.get("needed"))
want("rpath", [], f.get("rpath"))
want("interpreter", None, f.get("interpreter"))
want("go_build_id", buildid.strip(), f.get("go_build_id"))

# go version -m: "FILE: goX.Y.Z", then tab-indented "path", "mod", "dep", "=>", "build" lines.
lines = gov.splitlines()
version = lines[0].rsplit(": ", 1)[1]
ref = {"path": None, "main": None, "settings": {}}
for line in lines[1:]:
    fields = line.strip("\t").split("\t")
    if fields[0] == "path":
        ref["path"] = fields[1]
    elif fields[0] == "mod":
        ref["main"] = {"path": fields[1], "version": fields[2], "sum": fields[3] if len(fields) > 3 else ""}
    elif fields[0] == "build":
        key, _, value = fields[1].partition("=")
        if value.startswith('"'):
            value = json.loads(value)  # Go's quoting of plain values is JSON's
        ref["settings"][key] = value
go = f.get("go")
if go is None:
    errors.append("go: missing")
else:
    want("go.version", version, go.get("version"))
    want("go.path", ref["path"], go.get("path"))
    main = go.get("main") or {}
    want("go.main", ref["main"], {k: main.get(k) for k in ("path", "version", "sum")})
    want("go.deps", [], go.get("deps"))
    want("go.settings", ref["settings"], go.get("settings"))
    want("GOOS", goos, go.get("settings", {}).get("GOOS"))
    want("GOARCH", goarch, go.get("settings", {}).get("GOARCH"))
    want("-trimpath", "true", go.get("settings", {}).get("-trimpath"))
if errors:
    print(f"FAIL: {path}:\n  " + "\n  ".join(errors))
    sys.exit(1)
print(f"ok: {path}: {fmt} {cls}-bit {machine}, go {version}, {len(ref['settings'])} settings")
EOF
  then
    fail=1
  fi
}

b=$work/bin
check "$b/hello-windows-amd64" pe 64 x86_64 amd64 windows kernel32.dll
check "$b/hello-windows-386" pe 32 i386 386 windows kernel32.dll
check "$b/hello-windows-arm64" pe 64 aarch64 arm64 windows kernel32.dll
check "$b/hello-darwin-amd64" macho 64 x86_64 amd64 darwin /usr/lib/libSystem.B.dylib /usr/lib/libresolv.9.dylib
check "$b/hello-darwin-arm64" macho 64 aarch64 arm64 darwin /usr/lib/libSystem.B.dylib /usr/lib/libresolv.9.dylib
check "$b/hello-darwin-fat" macho 64 x86_64 amd64 darwin /usr/lib/libSystem.B.dylib /usr/lib/libresolv.9.dylib

# Several files in one run, in order; a truncated PE is a parse error (exit 2) with ok:false.
head -c 300 "$b/hello-windows-amd64" >"$b/truncated.exe"
set +e
json=$("$GOBUILD" verify --json "$b/hello-windows-amd64" "$b/hello-darwin-arm64" "$b/truncated.exe")
rc=$?
set -e
if ! python3 - "$rc" "$json" "$b" <<'EOF'
import json, sys
rc, doc, b = int(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
files = doc["files"]
got = [(f["path"], f["ok"], f.get("format")) for f in files]
want = [(b + "/hello-windows-amd64", True, "pe"), (b + "/hello-darwin-arm64", True, "macho"),
        (b + "/truncated.exe", False, None)]
errors = []
if got != want:
    errors.append(f"files: want {want}, got {got}")
bad = files[-1]
if set(bad) != {"path", "ok", "error"}:
    errors.append(f"truncated file keys: {sorted(bad)}")
if "out of bounds" not in bad.get("error", ""):
    errors.append(f"truncated file error: {bad.get('error')!r}")
if rc != 2:
    errors.append(f"exit code: want 2, got {rc}")
if errors:
    print("FAIL: batch:\n  " + "\n  ".join(errors))
    sys.exit(1)
print("ok: batch of three, truncated PE reported:", bad["error"])
EOF
then
  fail=1
fi

exit $fail
