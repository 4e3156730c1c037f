#!/usr/bin/env python3
"""verify reads the headers, the dynamic segment, the notes and the build info, never
the whole file.

  reads.py --gobuild PATH --manifest SCRATCH/manifest.tsv --scratch SCRATCH

1. A 4 GiB sparse copy of a static Go binary (`truncate -s 4G`: the headers stay valid) gives the
   same JSON as the original, apart from the path, within 2 seconds.
2. Under strace (skipped when strace is missing): for every Go binary of the corpus and a sample
   of system files, the bytes that verify reads (read, pread64, readv, preadv) stay under
   READ_LIMIT, and no file is mapped into memory.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

READ_LIMIT = 1 << 20  # 1 MiB: a few KiB of headers plus at most a bounded build-info search
KINDS = ("cross", "variant", "cgo", "deps", "noshdr", "toolchain")
SYSTEM_SAMPLE = 40

READ_CALL = re.compile(r"^(?:\d+ +)?(?:read|pread64|readv|preadv|preadv2)\(.*\) = (\d+)$")
FILE_MMAP = re.compile(r"^(?:\d+ +)?mmap\([^,]*, [^,]*, [^,]*, [^,]*, (\d+),")


def verify_json(gobuild, path):
    t0 = time.monotonic()
    r = subprocess.run([gobuild, "verify", "--json", "--allow-dynamic", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode, json.loads(r.stdout or b"null"), time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gobuild", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--scratch", required=True)
    a = ap.parse_args()
    entries = [l.rstrip("\n").split("\t", 1) for l in open(a.manifest)]
    failures = []

    # 1. Sparse 4 GiB copy.
    src = next(p for k, p in entries if k == "cross" and p.endswith("hello-linux-amd64"))
    sparse = os.path.join(a.scratch, "sparse-4g")
    shutil.copyfile(src, sparse)
    os.truncate(sparse, 4 << 30)
    rc0, small, t_small = verify_json(a.gobuild, src)
    rc1, big, t_big = verify_json(a.gobuild, sparse)
    if big is not None:
        big["files"][0]["path"] = src
    if (rc0, small) != (rc1, big):
        failures.append("sparse 4 GiB copy of %s: exit %d and %s, original: exit %d and %s"
                        % (src, rc1, json.dumps(big), rc0, json.dumps(small)))
    if t_big > 2.0:
        failures.append("sparse 4 GiB copy: verify took %.2f s" % t_big)
    print("reads: sparse 4 GiB copy: %.3f s (original %.3f s), same answer: %s"
          % (t_big, t_small, (rc0, small) == (rc1, big)))
    os.unlink(sparse)

    # 2. Bytes read, under strace.
    strace = shutil.which("strace")
    if strace is not None and subprocess.run(
            [strace, "-qq", "-o", os.devnull, "true"], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL).returncode != 0:
        strace = None  # e.g. a container that forbids ptrace
    if strace is None:
        print("reads: strace missing or not permitted, byte counts skipped")
    else:
        files = [p for k, p in entries if k in KINDS]
        files += [p for k, p in entries if k == "system"][:SYSTEM_SAMPLE]
        worst = (0, None)
        log = os.path.join(a.scratch, "strace.txt")
        for p in files:
            subprocess.run([strace, "-f", "-qq", "-o", log, "-e",
                            "trace=read,pread64,readv,preadv,preadv2,mmap", a.gobuild, "verify",
                            "--json", "--allow-dynamic", p],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            total = 0
            with open(log) as f:
                for line in f:
                    m = READ_CALL.match(line.strip())
                    if m:
                        total += int(m.group(1))
                    elif FILE_MMAP.match(line.strip()):
                        failures.append("%s: verify maps a file: %s" % (p, line.strip()))
            worst = max(worst, (total, p))
            if total > READ_LIMIT:
                failures.append("%s: verify read %d bytes of a %d-byte file (limit %d)"
                                % (p, total, os.path.getsize(p), READ_LIMIT))
        print("reads: %d files under strace, most bytes read: %d (%s, %d bytes)"
              % (len(files), worst[0], worst[1], os.path.getsize(worst[1]) if worst[1] else 0))
    for f in failures:
        print("FAIL: " + f)
    print("reads failures: %d" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
