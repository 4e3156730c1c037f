#include "gobuild/binary/inspect.hpp"

#include "gobuild/binary/elf.hpp"
#include "gobuild/binary/macho.hpp"
#include "gobuild/binary/pe.hpp"

namespace gobuild {

BinaryInfo inspect(const ByteSource& src) {
  if (src.size() == 0) throw ParseError("empty file");
  if (is_elf(src)) return read_elf(src);
  if (is_pe(src)) return read_pe(src);
  if (is_macho(src)) return read_macho(src);
  throw ParseError("not an ELF, PE or Mach-O file");
}

BinaryInfo inspect_file(const std::string& path) {
  FileSource src(path);
  return inspect(src);
}

} // namespace gobuild
