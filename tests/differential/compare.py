#!/usr/bin/env python3
"""Differential check of `gobuild verify` against readelf, `go version -m`, `go tool buildid`
and Go's own debug/* packages (gomodinfo).

  compare.py --gobuild PATH --go PATH --gomodinfo PATH --manifest SCRATCH/manifest.tsv

Every file of the manifest (KIND<TAB>PATH lines) is verified by gobuild in one call and one by
one; each field of the verify JSON (doc/json.md) is computed independently from the oracles and compared.
Prints a summary and every mismatch (file, field, expected, actual); exits 1 on any mismatch
that is not in ALLOWED below.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys

# Known, explained exceptions: (kind or None for any, path regex, field, why). Keep it empty
# unless a difference is understood and accepted; each entry needs its reason.
ALLOWED = []

READELF_MACHINES = {
    "Advanced Micro Devices X86-64": "x86_64",
    "Intel 80386": "i386",
    "AArch64": "aarch64",
    "ARM": "arm",
    "PowerPC64": "ppc64",
    "PowerPC": "ppc",
    "MIPS R3000": "mips",
    "RISC-V": "riscv",
    "LoongArch": "loongarch",
    "Sparc v9": "sparcv9",
    "Sparc": "sparc",
    # "IBM S/390" depends on the class: s390 (ELF32) or s390x (ELF64), see readelf_machine.
}
PE_MACHINES = {0x8664: "x86_64", 0x14C: "i386", 0xAA64: "aarch64", 0x1C4: "arm"}
MACHO_MACHINES = {7: "i386", 0x01000007: "x86_64", 12: "arm", 0x0100000C: "aarch64"}
READELF_TYPES = {"EXEC": "exec", "DYN": "dyn", "REL": "rel", "CORE": "core"}

C_ENV = dict(os.environ, LANG="C", LC_ALL="C")


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=C_ENV, **kw)


def file_format(path):
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == b"\x7fELF":
        return "elf"
    if magic[:2] == b"MZ":
        return "pe"
    if magic in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
                 b"\xca\xfe\xba\xbe"):  # thin, either order and width; fat (universal)
        return "macho"
    return None


# --- readelf ---------------------------------------------------------------------------------

def readelf_machine(name, bits):
    if name == "IBM S/390":
        return "s390x" if bits == 64 else "s390"
    return READELF_MACHINES.get(name, "<unmapped readelf machine %r>" % name)


def parse_readelf(text):
    """What the verify JSON holds, from `readelf -h -l -d -n -W` output."""
    r = {"interpreter": None, "needed": [], "rpath": [], "runpath": [], "flags_1": [],
         "go_build_id": None, "has_interp_phdr": False}
    machine_name = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith("Class:"):
            r["class"] = {"ELF32": 32, "ELF64": 64}.get(s.split(":", 1)[1].strip())
        elif s.startswith("Data:"):
            r["endian"] = "little" if "little endian" in s else "big" if "big endian" in s else None
        elif s.startswith("Type:") and "type" not in r:
            word = s.split(":", 1)[1].split()[0]
            r["type"] = READELF_TYPES.get(word, "<readelf type %s>" % word)
        elif s.startswith("Machine:"):
            machine_name = s.split(":", 1)[1].strip()
        elif s.startswith("INTERP "):
            r["has_interp_phdr"] = True
            # An empty PT_INTERP (debug-only files keep the header with no bytes): readelf
            # cannot print a name; the interpreter is then the empty string, not null.
            if int(s.split()[4], 16) == 0:
                r["interpreter"] = ""
        elif s.startswith("[Requesting program interpreter:"):
            r["interpreter"] = s[len("[Requesting program interpreter:"):-1].strip()
        elif "(NEEDED)" in s:
            r["needed"].append(re.search(r"Shared library: \[(.*)\]$", s).group(1))
        elif "(RPATH)" in s:
            r["rpath"].append(re.search(r"Library rpath: \[(.*)\]$", s).group(1))
        elif "(RUNPATH)" in s:
            r["runpath"].append(re.search(r"Library runpath: \[(.*)\]$", s).group(1))
        elif "(FLAGS_1)" in s:
            r["flags_1"] += s.split("Flags:", 1)[1].split()
        elif re.match(r"Go\s+0x[0-9a-f]+\s+GO BUILDID", s):
            rest = s.split("description data:", 1)
            hexes = rest[1] if len(rest) == 2 else lines[i + 1].split("description data:", 1)[1]
            r["go_build_id"] = bytes(int(h, 16) for h in hexes.split()).decode("utf-8", "replace")
    r["machine"] = readelf_machine(machine_name, r.get("class"))
    r["linkage"] = spec_linkage(r)
    return r


def spec_linkage(r):
    """The linkage class (doc/json.md), from readelf's facts alone."""
    if r.get("type") in ("rel", "core"):
        return "none"
    if r["has_interp_phdr"] or r["needed"]:
        return "dynamic"
    if r.get("type") == "exec":
        return "static"
    if "PIE" in r["flags_1"]:
        return "static-pie"
    return "shared-object"


# --- go version -m ---------------------------------------------------------------------------

GO_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
              "\\": "\\", '"': '"', "'": "'"}


def go_unquote_prefix(s):
    """Reads a Go double-quoted string (strconv.Quote syntax) at the start of s.
    Returns (value, rest)."""
    assert s[0] == '"', s
    out, raw, i = [], bytearray(), 1

    def flush():
        if raw:
            out.append(raw.decode("utf-8", "replace"))
            raw.clear()

    while True:
        c = s[i]
        if c == '"':
            flush()
            return "".join(out), s[i + 1:]
        if c != "\\":
            flush()
            out.append(c)
            i += 1
            continue
        e = s[i + 1]
        if e in GO_ESCAPES:
            flush()
            out.append(GO_ESCAPES[e])
            i += 2
        elif e == "x":  # a byte, possibly part of invalid UTF-8
            raw.append(int(s[i + 2:i + 4], 16))
            i += 4
        elif e in "01234567":
            raw.append(int(s[i + 1:i + 4], 8))
            i += 4
        elif e in "uU":
            n = 4 if e == "u" else 8
            flush()
            out.append(chr(int(s[i + 2:i + 2 + n], 16)))
            i += 2 + n
        else:
            raise ValueError("bad escape in %r" % s)


def parse_build_line(rest):
    """`key=value` of a `build` line, unquoted the way runtime/debug.ParseBuildInfo does."""
    if rest.startswith('"'):
        key, rest = go_unquote_prefix(rest)
        assert rest.startswith("="), rest
        value = rest[1:]
    else:
        key, value = rest.split("=", 1)
    if value.startswith('"'):
        value, tail = go_unquote_prefix(value)
        assert tail == "", tail
    return key, value


def parse_go_version_m(text, paths):
    """`go version -m` output for many files -> {path: info} in gomodinfo's shape."""
    result, cur = {}, None
    for line in text.splitlines():
        if not line.startswith("\t"):
            path, _, version = line.rpartition(": ")
            if path not in paths:
                raise ValueError("unexpected go version -m line %r" % line)
            cur = result[path] = {"version": version, "path": "", "main": None, "deps": [],
                                  "settings": []}
            continue
        if line == "\t":  # BuildInfo.String() leaves an empty line after each `=>` line
            continue
        word, _, rest = line[1:].partition("\t")
        fields = rest.split("\t")
        if word == "path":
            cur["path"] = rest
        elif word in ("mod", "dep", "=>"):
            m = {"path": fields[0], "version": fields[1] if len(fields) > 1 else "",
                 "sum": fields[2] if len(fields) > 2 else "", "replace": None}
            if word == "mod":
                cur["main"] = m
            elif word == "dep":
                cur["deps"].append(m)
            else:
                target = cur["deps"][-1] if cur["deps"] else cur["main"]
                target["replace"] = m
        elif word == "build":
            cur["settings"].append(list(parse_build_line(rest)))
        else:
            raise ValueError("unexpected go version -m line %r" % line)
    return result


# --- expectations ----------------------------------------------------------------------------

def replace_json(m):
    """`replace` is {path, version, sum} or null."""
    return None if m is None else {"path": m["path"], "version": m["version"], "sum": m["sum"]}


def expected_go(info):
    """The `go` object of the verify JSON from an oracle's build info (gomodinfo or go version -m)."""
    if info is None:
        return None
    settings = {}
    for k, v in info["settings"]:
        settings[k] = v  # a later duplicate wins, in the first one's place
    main = info.get("main")
    return {
        "version": info["version"],
        "path": info["path"],
        "main": None if main is None else dict(
            {k: main[k] for k in ("path", "version", "sum")},
            replace=replace_json(main.get("replace"))),
        "deps": [dict({k: d[k] for k in ("path", "version", "sum")},
                      replace=replace_json(d.get("replace"))) for d in info["deps"]],
        "settings": settings,
    }


class Checker:
    def __init__(self):
        self.fields = collections.Counter()  # field -> comparisons made
        self.mismatches = []  # (kind, path, field, expected, actual, allowed_reason)

    def eq(self, kind, path, field, expected, actual):
        self.fields[field] += 1
        if expected == actual:
            return True
        reason = None
        for akind, apath, afield, why in ALLOWED:
            if (akind in (None, kind)) and re.search(apath, path) and afield == field:
                reason = why
        self.mismatches.append((kind, path, field, expected, actual, reason))
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gobuild", required=True)
    ap.add_argument("--go", required=True)
    ap.add_argument("--gomodinfo", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()

    entries = []
    with open(a.manifest) as f:
        for line in f:
            kind, path = line.rstrip("\n").split("\t", 1)
            entries.append((kind, path))
    paths = [p for _, p in entries]
    if len(set(paths)) != len(paths):
        sys.exit("compare.py: duplicate paths in the manifest")
    kind_of = dict((p, k) for k, p in entries)
    fmt_of = {p: file_format(p) for p in paths}
    pool = concurrent.futures.ThreadPoolExecutor(a.jobs)
    ck = Checker()
    problems = []  # failures that are not per-field comparisons

    # Oracle 1: readelf, per ELF file.
    def readelf(p):
        r = run(["readelf", "-h", "-l", "-d", "-n", "-W", p])
        return parse_readelf(r.stdout.decode("utf-8", "replace"))
    elf_paths = [p for p in paths if fmt_of[p] == "elf"]
    rd = dict(zip(elf_paths, pool.map(readelf, elf_paths)))

    # Oracle 2: Go's debug/* packages.
    r = run([a.gomodinfo, "-"], input="\n".join(paths).encode())
    if r.returncode != 0:
        sys.exit("compare.py: gomodinfo failed: " + r.stderr.decode())
    gm = {}
    for line in r.stdout.decode().splitlines():
        j = json.loads(line)
        gm[j["path"]] = j

    # Oracle 3: `go version -m`, all files at once (it prints nothing for non-Go files).
    r = run([a.go, "version", "-m"] + paths)
    gv = parse_go_version_m(r.stdout.decode("utf-8", "replace"), set(paths))

    # Oracle 4: `go tool buildid` for Go binaries.
    go_paths = [p for p in paths if gm[p]["go"] is not None]
    def buildid(p):
        r = run([a.go, "tool", "buildid", p])
        return r.stdout.decode("utf-8", "replace").strip() if r.returncode == 0 else None
    gb = dict(zip(go_paths, pool.map(buildid, go_paths)))

    # gobuild: everything in one call, with and without --allow-dynamic.
    def verify(args):
        r = subprocess.run([a.gobuild, "verify"] + args, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        try:
            doc = json.loads(r.stdout.decode("utf-8"))
        except ValueError as e:
            doc = None
            problems.append("verify %s: stdout is not one JSON document: %s"
                            % (" ".join(args[:3]) + (" ..." if len(args) > 3 else ""), e))
        return r.returncode, doc, r.stderr.decode("utf-8", "replace")

    rc_allow, batch, _ = verify(["--json", "--allow-dynamic"] + paths)
    rc_strict, strict, _ = verify(["--json"] + paths)
    rc_human = subprocess.run([a.gobuild, "verify", "--allow-dynamic"] + paths,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode

    def entries_of(doc, name):
        if doc is None:
            return None
        files = doc.get("files") or []
        if [f.get("path") for f in files] != paths:
            problems.append("verify --json %s: files[] does not list the inputs in order" % name)
            return None
        return dict(zip(paths, files))
    batch_allow = entries_of(batch, "--allow-dynamic")
    batch_strict = entries_of(strict, "(strict)")

    # gobuild: one call per file, with and without --allow-dynamic. The answers must equal the
    # batch's; when a batch call failed as a whole, they stand in for it so that every file
    # still gets compared.
    def single(job):
        p, allow = job
        r = subprocess.run([a.gobuild, "verify", "--json"] + (["--allow-dynamic"] if allow else [])
                           + [p], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            doc = json.loads(r.stdout.decode("utf-8"))
            entry = doc["files"][0] if len(doc.get("files", [])) == 1 else doc
        except ValueError:
            entry = None
        return r.returncode, entry, r.stderr.decode("utf-8", "replace").strip()
    jobs = [(p, allow) for p in paths for allow in (True, False)]
    singles = dict(zip(jobs, pool.map(single, jobs)))

    expect_strict_fail = False
    unverified = []  # files or fields that no oracle can judge, listed in the summary
    for kind, p in entries:
        fmt = fmt_of[p]
        rc1, g1, err1 = singles[(p, True)]
        rcs, gs1, _ = singles[(p, False)]
        ck.eq(kind, p, "single-call exit code in (0, 1)", True, rc1 in (0, 1))
        ck.eq(kind, p, "single-call stdout is one JSON document", True, g1 is not None)
        if g1 is None:
            ck.eq(kind, p, "single-call stderr", "", err1)
        if batch_allow is not None:
            ck.eq(kind, p, "single-call JSON equals batch entry", batch_allow[p], g1)
        if batch_strict is not None:
            ck.eq(kind, p, "single-call JSON equals batch entry (strict)", batch_strict[p], gs1)
        g = batch_allow[p] if batch_allow is not None else g1
        g_strict = batch_strict[p] if batch_strict is not None else gs1
        if g is None or g_strict is None:
            continue
        if "error" in g:
            ck.eq(kind, p, "parsed (no error)", None, g["error"])
            continue
        ck.eq(kind, p, "keys", ["path", "ok", "problems", "format", "class", "endian", "machine",
                                "type", "linkage", "interpreter", "needed", "rpath", "runpath",
                                "go_build_id", "go"], list(g.keys()))
        ck.eq(kind, p, "format", fmt, g.get("format"))
        ck.eq(kind, p, "ok (--allow-dynamic)", True, g.get("ok"))
        o = gm[p]
        if fmt == "elf":
            e = rd[p]
            for field in ("class", "endian", "type", "machine", "interpreter", "needed", "rpath",
                          "runpath", "linkage", "go_build_id"):
                ck.eq(kind, p, field, e[field], g.get(field))
            # Without a Go note, `go tool buildid` falls back to the raw GNU build ID bytes,
            # which are not a Go build ID: cross-check only where readelf saw the Go note.
            if gb.get(p) is not None and e["go_build_id"] is not None:
                ck.eq(kind, p, "go_build_id (go tool buildid)", gb[p], g.get("go_build_id"))
            ok = e["linkage"] in ("static", "static-pie")
        elif o["format"] != fmt:
            # Go's debug/pe or debug/macho refused the file (e.g. a symbol table it cannot
            # read, which gobuild never looks at): no oracle for the other fields.
            unverified.append("%s (Go's debug/%s: %s)" % (p, fmt, o.get("go_error", "?")))
            continue
        else:
            ck.eq(kind, p, "class", o["class"], g.get("class"))
            ck.eq(kind, p, "endian", o["endian"], g.get("endian"))
            if o["type"]:
                ck.eq(kind, p, "type", o["type"], g.get("type"))
            else:
                unverified.append("%s: type %s (a Mach-O file type the verify JSON has no word for)"
                                  % (p, json.dumps(g.get("type"))))
            table = PE_MACHINES if fmt == "pe" else MACHO_MACHINES
            ck.eq(kind, p, "machine", table.get(o["machine"], "<code %#x>" % o["machine"]),
                  g.get("machine"))
            ck.eq(kind, p, "linkage", None, g.get("linkage"))
            ck.eq(kind, p, "interpreter", None, g.get("interpreter"))
            ck.eq(kind, p, "needed", o["imports"], g.get("needed"))
            ck.eq(kind, p, "rpath", o["rpath"], g.get("rpath"))
            ck.eq(kind, p, "runpath", [], g.get("runpath"))
            ck.eq(kind, p, "go_build_id", gb.get(p), g.get("go_build_id"))
            ok = True  # Only ELF files fail verification
        # Strict mode (no --allow-dynamic): only static and static-pie ELF files pass.
        ck.eq(kind, p, "ok (strict)", ok, g_strict.get("ok"))
        if not g_strict.get("ok"):  # a failure says why
            ck.eq(kind, p, "problems non-empty when not ok (strict)", True,
                  bool(g_strict.get("problems")))
        expect_strict_fail |= not ok
        # Go build info: the standard library's reading, and `go version -m`'s text.
        want = expected_go(o["go"])
        ck.eq(kind, p, "go (oracles agree: go version -m vs debug/buildinfo)", want,
              expected_go(gv.get(p)))
        have = g.get("go")
        if want is None or have is None:
            ck.eq(kind, p, "go", want, have)
        else:
            for field in ("version", "path", "main", "deps", "settings"):
                ck.eq(kind, p, "go." + field, want[field], have.get(field))
            ck.eq(kind, p, "go.settings order", list(want["settings"]),
                  list(have.get("settings", {})))
            # A static binary with cgo but without netgo+osusergo gets a warning.
            s = want["settings"]
            tags = s.get("-tags", "").split(",")
            nss = (fmt == "elf" and ok and s.get("CGO_ENABLED") == "1"
                   and not ("netgo" in tags and "osusergo" in tags))
            if fmt == "elf" and ok:
                ck.eq(kind, p, "problems (NSS warning iff static cgo without netgo+osusergo)",
                      nss, bool(g.get("problems")))

    allow_rc = 0
    if rc_allow != allow_rc:
        problems.append("verify --json --allow-dynamic ALL: exit %d, expected %d" % (rc_allow, allow_rc))
    if rc_human != rc_allow:
        problems.append("verify --allow-dynamic ALL (human): exit %d, but %d with --json"
                        % (rc_human, rc_allow))
    strict_rc = 1 if expect_strict_fail else 0
    if rc_strict != strict_rc:
        problems.append("verify --json ALL: exit %d, expected %d" % (rc_strict, strict_rc))

    # Coverage sanity: the corpus must contain what the test claims to compare.
    linkages = collections.Counter(rd[p]["linkage"] for p in elf_paths)
    machines = collections.Counter(rd[p]["machine"] for p in elf_paths)
    formats = collections.Counter(fmt_of[p] for p in paths)
    print("corpus: %d files: %s" % (len(paths), dict(collections.Counter(k for k, _ in entries))))
    print("formats: %s" % dict(formats))
    print("ELF linkage (readelf): %s" % dict(linkages))
    print("ELF machines (readelf): %s" % dict(machines))
    for u in unverified:
        print("not compared: " + u)
    print("Go binaries: %d, with deps: %d, with replacements: %d" % (
        len(go_paths), sum(1 for p in go_paths if gm[p]["go"]["deps"]),
        sum(1 for p in go_paths if any(d.get("replace") for d in gm[p]["go"]["deps"]))))
    return report(entries, ck, problems)


def report(entries, ck, problems):
    print("fields compared: %d comparisons" % sum(ck.fields.values()))
    for field, n in sorted(ck.fields.items()):
        print("  %-60s %6d" % (field, n))
    bad = [m for m in ck.mismatches if m[5] is None]
    allowed = [m for m in ck.mismatches if m[5] is not None]
    for kind, path, field, exp, act, why in ck.mismatches:
        tag = "ALLOWED (%s)" % why if why else "MISMATCH"
        print("%s [%s] %s: %s\n    expected: %s\n    actual:   %s" % (
            tag, kind, path, field, json.dumps(exp), json.dumps(act)))
    for pr in problems:
        print("FAIL: " + pr)
    print("mismatches: %d (allowed: %d), other failures: %d" % (len(bad), len(allowed), len(problems)))
    return 1 if bad or problems else 0


if __name__ == "__main__":
    sys.exit(main())
