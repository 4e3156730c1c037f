#pragma once
// The ELF reader: ELF32/ELF64, either byte order. Reads the ELF header, the program headers,
// PT_INTERP, PT_DYNAMIC (NEEDED, RPATH, RUNPATH, FLAGS_1 through DT_STRTAB mapped via PT_LOAD),
// the Go build-ID note, section headers only to find `.go.buildinfo`, and the Go build info.
#include "gobuild/binary/info.hpp"
#include "gobuild/binary/source.hpp"

namespace gobuild {

/// True when the file starts with \x7fELF.
bool is_elf(const ByteSource& src);

/// Reads an ELF file into a BinaryInfo, linkage classified per SPEC §4.
/// Throws ParseError with a reason ("truncated program header table", ...).
BinaryInfo read_elf(const ByteSource& src);

} // namespace gobuild
