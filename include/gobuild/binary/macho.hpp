#pragma once
// The Mach-O reader (macOS): thin 32/64-bit files of either byte order, and fat files
// (the first architecture is read). Machine, type, LC_LOAD_DYLIB (and weak/reexport/lazy
// variants) in `needed`, LC_RPATH in `rpath`, Go build info and build ID.
#include "gobuild/binary/info.hpp"
#include "gobuild/binary/source.hpp"

namespace gobuild {

bool is_macho(const ByteSource& src);

/// Reads a Mach-O file. linkage is Linkage::not_applicable. Throws ParseError.
BinaryInfo read_macho(const ByteSource& src);

} // namespace gobuild
