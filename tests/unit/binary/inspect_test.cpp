#include "gobuild/binary/inspect.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "elf_builder.hpp"

namespace gobuild {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::string error_of(const Bytes& b) {
  try {
    inspect(MemorySource(b));
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

std::optional<Format> sniff(const Bytes& b) { return sniff_format(MemorySource(b)); }

/// A thin Mach-O header with no load commands (magic in the file's own byte order).
Bytes macho_header(bool is64) {
  test::Bytes b(false);
  b.u32(is64 ? 0xfeedfacf : 0xfeedface).u32(is64 ? 0x01000007 : 7).u32(3).u32(2).u32(0).u32(0).u32(0);
  if (is64) b.u32(0);
  return b.v;
}

/// MZ, e_lfanew at 0x40, then "PE\0\0" and a COFF header for amd64 with no optional header.
Bytes pe_header() {
  Bytes b(0x40, 0);
  b[0] = 'M', b[1] = 'Z';
  b[0x3c] = 0x40;
  for (char c : std::string("PE\0\0", 4)) b.push_back(std::uint8_t(c));
  Bytes coff(20, 0);
  coff[0] = 0x64, coff[1] = 0x86;
  b.insert(b.end(), coff.begin(), coff.end());
  return b;
}

} // namespace

TEST_CASE("sniff_format: the magic decides, and only the magic") {
  test::ElfBuilder e;
  CHECK(sniff(e.build()) == Format::elf);
  CHECK(sniff(macho_header(true)) == Format::macho);
  CHECK(sniff(macho_header(false)) == Format::macho);
  CHECK(sniff(pe_header()) == Format::pe);
  CHECK(sniff({0x7f, 'E', 'L', 'F'}) == Format::elf); // just the magic
  CHECK_FALSE(sniff({0x7f, 'E', 'L'}));
  CHECK_FALSE(sniff({}));
  CHECK_FALSE(sniff({'#', '!', '/', 'b', 'i', 'n', '/', 's', 'h'}));
  Bytes mz_only = pe_header();
  mz_only[0x40] = 'X'; // MZ without the PE signature: a DOS program
  CHECK_FALSE(sniff(mz_only));
}

TEST_CASE("inspect hands each format to its reader") {
  test::ElfBuilder e;
  BinaryInfo elf = inspect(MemorySource(e.build()));
  CHECK(elf.format == Format::elf);
  CHECK(elf.bits == 64);
  CHECK(elf.machine == "x86_64");
  CHECK(elf.linkage == Linkage::static_exe);

  BinaryInfo mo = inspect(MemorySource(macho_header(true)));
  CHECK(mo.format == Format::macho);
  CHECK(mo.bits == 64);
  CHECK(mo.machine == "x86_64");
  CHECK(mo.linkage == Linkage::not_applicable);
}

TEST_CASE("inspect: what is no binary at all") {
  CHECK(error_of({}) == "empty file");
  CHECK(error_of({'h', 'e', 'l', 'l', 'o'}) == "not an ELF, PE or Mach-O file");
  CHECK(error_of({0x7f, 'E', 'L', 'F'}) != "(no error)"); // a magic and nothing else
}

TEST_CASE("inspect_file reads a real executable and names the path on I/O errors") {
  BinaryInfo t = inspect_file("/bin/true");
  CHECK(t.format == Format::elf);
  CHECK_FALSE(t.machine.empty());
  CHECK_THROWS_WITH_AS(inspect_file("/nonexistent/gobuild"), "/nonexistent/gobuild: No such file or directory",
                       UsageError);
  CHECK_THROWS_WITH_AS(inspect_file("/dev/null"), "/dev/null: not a regular file", UsageError);
}

} // namespace gobuild
