#pragma once
// The PE/COFF reader (Windows): machine, type, imported DLLs, Go build info and build ID.
#include "gobuild/binary/info.hpp"
#include "gobuild/binary/source.hpp"

namespace gobuild {

/// True when the file starts with "MZ" and e_lfanew points at "PE\0\0".
bool is_pe(const ByteSource& src);

/// Reads a PE file. linkage is Linkage::not_applicable; `needed` lists imported DLLs in
/// import-directory order. Throws ParseError.
BinaryInfo read_pe(const ByteSource& src);

} // namespace gobuild
