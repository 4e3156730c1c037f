#include "gobuild/binary/inspect.hpp"

#include "gobuild/binary/elf.hpp"
#include "gobuild/binary/macho.hpp"
#include "gobuild/binary/pe.hpp"

namespace gobuild {

std::optional<Format> sniff_format(const ByteSource& src) {
  if (is_elf(src)) return Format::elf;
  if (is_pe(src)) return Format::pe;
  if (is_macho(src)) return Format::macho;
  return std::nullopt;
}

BinaryInfo inspect(const ByteSource& src) {
  if (src.size() == 0) throw ParseError("empty file");
  const std::optional<Format> format = sniff_format(src);
  if (format == Format::elf) return read_elf(src);
  if (format == Format::pe) return read_pe(src);
  if (format == Format::macho) return read_macho(src);
  throw ParseError("not an ELF, PE or Mach-O file");
}

BinaryInfo inspect_file(const std::string& path) {
  FileSource src(path);
  return inspect(src);
}

} // namespace gobuild
