#!/usr/bin/env python3
"""Writes a file:// GOPROXY tree: mkproxy.py PROXY (MODULE VERSION SRCDIR)...

For each module: PROXY/MODULE/@v/list, VERSION.info, VERSION.mod and VERSION.zip, the layout
that the go command reads from a module proxy. The zip holds SRCDIR's files under
MODULE@VERSION/. Module paths here are lower case, so no case-escaping is needed.
"""
import json
import os
import sys
import zipfile


def add_module(proxy, module, version, src):
    vdir = os.path.join(proxy, module, "@v")
    os.makedirs(vdir, exist_ok=True)
    with open(os.path.join(vdir, "list"), "a") as f:
        f.write(version + "\n")
    with open(os.path.join(vdir, version + ".info"), "w") as f:
        json.dump({"Version": version, "Time": "2024-01-02T03:04:05Z"}, f)
    with open(os.path.join(src, "go.mod"), "rb") as f:
        gomod = f.read()
    with open(os.path.join(vdir, version + ".mod"), "wb") as f:
        f.write(gomod)
    with zipfile.ZipFile(os.path.join(vdir, version + ".zip"), "w") as z:
        for root, _, files in os.walk(src):
            for name in sorted(files):
                full = os.path.join(root, name)
                rel = os.path.relpath(full, src).replace(os.sep, "/")
                z.write(full, f"{module}@{version}/{rel}")


def main(argv):
    if len(argv) < 5 or (len(argv) - 2) % 3 != 0:
        sys.exit("usage: mkproxy.py PROXY (MODULE VERSION SRCDIR)...")
    proxy = argv[1]
    for i in range(2, len(argv), 3):
        add_module(proxy, argv[i], argv[i + 1], argv[i + 2])


if __name__ == "__main__":
    main(sys.argv)
