#!/usr/bin/env python3
"""Copies an ELF file with its section headers made unreachable: noshdr.py IN OUT.

Zeroes e_shoff, e_shnum and e_shstrndx in the ELF header (ELF32 and ELF64, either byte
order), which is what `strip`-like tools and packers leave behind. The section header table
itself stays in the file, unreferenced; readers must then use the program headers alone.
"""
import shutil
import struct
import sys


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: noshdr.py IN OUT")
    src, dst = argv[1], argv[2]
    shutil.copyfile(src, dst)
    shutil.copymode(src, dst)
    with open(dst, "r+b") as f:
        ident = f.read(16)
        if ident[:4] != b"\x7fELF":
            sys.exit(f"{src}: not an ELF file")
        order = {1: "<", 2: ">"}[ident[5]]
        # Offsets of e_shoff, e_shnum and e_shstrndx for ELFCLASS32 (1) and ELFCLASS64 (2).
        shoff_at, shoff_fmt, shnum_at = {1: (32, "I", 48), 2: (40, "Q", 60)}[ident[4]]
        f.seek(shoff_at)
        f.write(struct.pack(order + shoff_fmt, 0))
        f.seek(shnum_at)
        f.write(struct.pack(order + "HH", 0, 0))


if __name__ == "__main__":
    main(sys.argv)
