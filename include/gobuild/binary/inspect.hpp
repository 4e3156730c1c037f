#pragma once
// Format dispatch: look at the magic once, then hand the file to the ELF, PE or Mach-O reader.
#include <optional>
#include <string>

#include "gobuild/binary/info.hpp"
#include "gobuild/binary/source.hpp"

namespace gobuild {

/// The format whose magic number `src` starts with (ELF, PE's MZ with its PE header, Mach-O
/// or a fat Mach-O), or nullopt. Reads a few bytes only. The one magic check in gobuild.
std::optional<Format> sniff_format(const ByteSource& src);

/// Reads any supported binary. Throws ParseError("not an ELF, PE or Mach-O file") and the
/// readers' ParseErrors; never reads the whole file.
BinaryInfo inspect(const ByteSource& src);

/// Opens `path` and inspects it. Throws UsageError for I/O errors ("PATH: No such file...")
/// and ParseError (without the path) for malformed content.
BinaryInfo inspect_file(const std::string& path);

} // namespace gobuild
