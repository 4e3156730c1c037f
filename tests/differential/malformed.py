#!/usr/bin/env python3
"""Malformed-input checks for `gobuild verify`.

  malformed.py --gobuild PATH --scratch DIR --truncate F1 F2 --flip F3 F4 ...

Makes, under DIR/malformed/:
  - truncated copies of each --truncate file, cut every 997 bytes over the first 64 KiB;
  - copies of each --flip file with 1 to 4 random bytes changed in its headers: the ELF header,
    the program header table, PT_DYNAMIC, PT_NOTE and the Go build info header (the first 4 KiB
    for PE and Mach-O files).
Then checks, for every copy: `verify` exits 0, 1 or 2 (never a signal), within 2 seconds; exit 2
prints `PATH: reason` on stderr; `verify --json` exits the same and prints one JSON document whose
entry for a file that cannot be read is exactly {path, ok: false, error}. Finally one --json call
over all the copies must give one valid document listing them all, in order.
The random choices come from a seed (DIFF_SEED, default 1) so that a failure can be replayed.
"""
import argparse
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time

LIMIT_SECONDS = 2.0
KEEP_FLIPS = 10  # flipped copies per source kept for the batch call


def elf_header_ranges(data):
    """(offset, length) of the ELF header, program headers, PT_DYNAMIC and PT_NOTE contents."""
    ranges = []
    cls, enc = data[4], data[5]
    order = "<" if enc == 1 else ">"
    if cls == 1:
        ehsize, (phoff,) = 52, struct.unpack_from(order + "I", data, 28)
        phentsize, phnum = struct.unpack_from(order + "HH", data, 42)
    else:
        ehsize, (phoff,) = 64, struct.unpack_from(order + "Q", data, 32)
        phentsize, phnum = struct.unpack_from(order + "HH", data, 54)
    ranges.append((0, ehsize))
    ranges.append((phoff, phentsize * phnum))
    for i in range(phnum):
        at = phoff + i * phentsize
        if cls == 1:
            p_type, p_offset, _, _, p_filesz = struct.unpack_from(order + "IIIII", data, at)
        else:
            p_type, _, p_offset, _, _, p_filesz = struct.unpack_from(order + "IIQQQQ", data, at)
        if p_type in (2, 4):  # PT_DYNAMIC, PT_NOTE
            ranges.append((p_offset, min(p_filesz, 4096)))
    magic = data.find(b"\xff Go buildinf:")
    if magic >= 0:
        ranges.append((magic, 64))
    return [(o, n) for o, n in ranges if n > 0 and o + n <= len(data)]


def flip_copies(src, outdir, count, rng):
    """Yields the paths of `count` flipped copies, one at a time (each is a full-size copy, so
    the caller deletes most of them once checked)."""
    with open(src, "rb") as f:
        data = f.read()
    ranges = elf_header_ranges(data) if data[:4] == b"\x7fELF" else [(0, min(4096, len(data)))]
    base = os.path.basename(src)
    for i in range(count):
        b = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            off, n = rng.choice(ranges)
            at = off + rng.randrange(n)
            b[at] = rng.choice([0x00, 0xFF, 0x7F, 0x80, b[at] ^ (1 << rng.randrange(8)),
                                rng.randrange(256)])
        out = os.path.join(outdir, "%s.flip%03d" % (base, i))
        with open(out, "wb") as f:
            f.write(b)
        yield out


def truncated_copies(src, outdir):
    with open(src, "rb") as f:
        data = f.read(65536)
    base = os.path.basename(src)
    made = []
    for cut in range(0, min(len(data), 65536), 997):
        out = os.path.join(outdir, "%s.cut%05d" % (base, cut))
        with open(out, "wb") as f:
            f.write(data[:cut])
        made.append(out)
    return made


def shown(path):
    """How a path appears in decoded output: bytes that are not UTF-8 become U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gobuild", required=True)
    ap.add_argument("--scratch", required=True)
    ap.add_argument("--truncate", nargs="*", default=[])
    ap.add_argument("--flip", nargs="*", default=[])
    ap.add_argument("--flips-per-file", type=int, default=60)
    a = ap.parse_args()
    seed = int(os.environ.get("DIFF_SEED", "1"))
    rng = random.Random(seed)
    outdir = os.path.join(a.scratch, "malformed")
    os.makedirs(outdir, exist_ok=True)
    missing = [f for f in a.truncate + a.flip if not os.path.exists(f)]
    for f in missing:
        print("malformed: skipping %s (not in the corpus)" % f)
    truncate = [f for f in a.truncate if f not in missing]
    flip = [f for f in a.flip if f not in missing]

    def inputs():
        """(path, keep): kept files also go to the final batch call; the others are deleted
        once checked, to keep the scratch directory small."""
        for f in truncate:
            for p in truncated_copies(f, outdir):
                yield p, True
        for f in flip:
            for i, p in enumerate(flip_copies(f, outdir, a.flips_per_file, rng)):
                yield p, i < KEEP_FLIPS
        # A valid binary under a name that is not UTF-8: the JSON must still be valid.
        if flip:
            odd = os.fsdecode(os.path.join(os.fsencode(outdir), b"name-\xff\xfe"))
            shutil.copyfile(flip[0], odd)
            yield odd, True
        # Not files at all: a missing path and a directory (exit 2 with a reason).
        yield os.path.join(outdir, "does-not-exist"), True
        yield outdir, True

    failures = []
    exits = {0: 0, 1: 0, 2: 0}
    slowest = (0.0, None)
    files, checked = [], 0  # files: those kept for the batch call
    for path, keep in inputs():
        checked += 1
        failures_before = len(failures)
        if keep:
            files.append(path)
        t0 = time.monotonic()
        try:
            r = subprocess.run([a.gobuild, "verify", path], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=30)
        except subprocess.TimeoutExpired:
            failures.append("%s: verify did not finish in 30 s" % path)
            continue
        took = time.monotonic() - t0
        slowest = max(slowest, (took, path))
        err = r.stderr.decode("utf-8", "replace")
        if took > LIMIT_SECONDS:
            failures.append("%s: verify took %.2f s" % (path, took))
        if r.returncode not in exits:
            failures.append("%s: verify exit %d (a signal or crash?) stderr: %s"
                            % (path, r.returncode, err.strip()))
            continue
        exits[r.returncode] += 1
        if r.returncode == 2:
            at = shown(path) + ": "
            reason = err.split(at, 1)[1].strip() if at in err else ""
            if not reason:
                failures.append("%s: exit 2 without 'PATH: reason' on stderr: %r" % (path, err))
        rj = subprocess.run([a.gobuild, "verify", "--json", path], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=30)
        if rj.returncode != r.returncode:
            failures.append("%s: exit %d with --json, %d without" % (path, rj.returncode, r.returncode))
        try:
            doc = json.loads(rj.stdout.decode("utf-8"))
            entry = doc["files"][0]
            if len(doc["files"]) != 1 or entry["path"] != shown(path):
                failures.append("%s: --json files[] does not hold just this file" % path)
            elif rj.returncode == 2 and (sorted(entry) != ["error", "ok", "path"]
                                         or entry["ok"] is not False or not entry["error"]):
                failures.append("%s: exit 2 but the entry is not {path, ok: false, error}: %s"
                                % (path, json.dumps(entry)))
            elif rj.returncode != 2 and "error" in entry:
                failures.append("%s: an 'error' entry but exit %d" % (path, rj.returncode))
        except (ValueError, KeyError, IndexError, TypeError) as e:
            failures.append("%s: --json output is not one valid document (%s): %r"
                            % (path, e, rj.stdout[:200]))
        if not keep and len(failures) == failures_before:
            os.unlink(path)  # files that failed stay, for replaying

    if checked <= 2:
        print("malformed: no input files")
        return 1
    r = subprocess.run([a.gobuild, "verify", "--json"] + files, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    try:
        doc = json.loads(r.stdout.decode("utf-8"))
        if [f["path"] for f in doc["files"]] != [shown(f) for f in files]:
            failures.append("batch --json: files[] does not list the inputs in order")
        want = 2 if exits[2] else 1 if exits[1] else 0
        if r.returncode != want:
            failures.append("batch --json: exit %d, expected %d" % (r.returncode, want))
    except (ValueError, KeyError, TypeError) as e:
        failures.append("batch --json: not one valid JSON document (%s)" % e)

    print("malformed: %d files checked, %d in the batch call (seed %d): exit 0: %d, exit 1: %d, exit 2: %d; slowest %.3f s (%s)"
          % (checked, len(files), seed, exits[0], exits[1], exits[2], slowest[0], slowest[1]))
    for f in failures:
        print("FAIL: " + f)
    print("malformed failures: %d" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
