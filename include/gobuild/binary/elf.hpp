#pragma once
// The ELF reader: ELF32/ELF64, either byte order. Reads the ELF header, the program headers,
// PT_INTERP, PT_DYNAMIC (NEEDED, RPATH, RUNPATH, FLAGS_1 through DT_STRTAB mapped via PT_LOAD),
// the Go build-ID note, section headers only to find `.go.buildinfo`, and the Go build info.
#include <cstdint>
#include <string>
#include <vector>

#include "gobuild/binary/info.hpp"
#include "gobuild/binary/source.hpp"

namespace gobuild {

/// A section or a segment: where its file bytes are. For reports that point into a file
/// (the reproducibility check names the first differing section).
struct ElfRegion {
  bool is_section = false;
  std::uint64_t index = 0;
  std::string name;          ///< ".rodata", or the segment type ("PT_LOAD", "PT_GNU_RELRO", or hex)
  std::uint64_t offset = 0;
  std::uint64_t size = 0;    ///< file size (0 for SHT_NOBITS)
};

/// The sections (when there is a section header table) and segments of an ELF file.
/// Throws ParseError like read_elf.
std::vector<ElfRegion> elf_layout(const ByteSource& src);

/// Where the ELF header and the two header tables are; the counts are the real ones (PN_XNUM
/// and e_shnum == 0 resolved), 0 for a table that is not there.
struct ElfTables {
  std::uint64_t ehsize = 0;
  std::uint64_t phoff = 0, phentsize = 0, phnum = 0;
  std::uint64_t shoff = 0, shentsize = 0, shnum = 0;
};

/// Throws ParseError like read_elf.
ElfTables elf_tables(const ByteSource& src);

/// True when the file starts with \x7fELF.
bool is_elf(const ByteSource& src);

/// Reads an ELF file into a BinaryInfo, linkage classified as doc/json.md lists.
/// Throws ParseError with a reason ("truncated program header table", ...).
BinaryInfo read_elf(const ByteSource& src);

} // namespace gobuild
