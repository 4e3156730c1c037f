#include "gobuild/binary/elf.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "elf_builder.hpp"

namespace gobuild {
namespace {

using test::Bytes;
using test::ElfBuilder;
using namespace test; // the PT_/PF_/DT_ constants

BinaryInfo read(const std::vector<std::uint8_t>& v) { return read_elf(MemorySource(v)); }

std::string error_of(const std::vector<std::uint8_t>& v) {
  try {
    read(v);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

/// An executable with a PT_DYNAMIC whose strings live in a read-only PT_LOAD.
struct Dyn {
  ElfBuilder b;
  std::uint64_t strtab = 0;
  std::string strings{'\0'};

  explicit Dyn(bool is64 = true, bool big = false) : b(is64, big) {}
  std::uint64_t str(const std::string& s) {
    std::uint64_t off = strings.size();
    strings += s + '\0';
    return off;
  }
  /// Lays out the string table and the dynamic segment; entries may use str() offsets.
  std::vector<std::uint8_t> build(std::vector<std::pair<std::uint64_t, std::uint64_t>> entries, bool add_strtab = true) {
    std::uint64_t off = b.put(strings);
    if (add_strtab) {
      entries.insert(entries.begin(), {DT_STRSZ, strings.size()});
      entries.insert(entries.begin(), {DT_STRTAB, ElfBuilder::kVaddr + off});
    }
    auto dyn = b.dynamic(entries);
    std::uint64_t doff = b.put(dyn);
    b.load_all();
    b.segment(PT_DYNAMIC, PF_R | PF_W, doff, dyn.size());
    return b.build();
  }
};

TEST_CASE("is_elf looks at the magic only") {
  std::vector<std::uint8_t> elf{0x7f, 'E', 'L', 'F'}, other{'M', 'Z', 0, 0}, short_{0x7f, 'E', 'L'};
  CHECK(is_elf(MemorySource(elf)));
  CHECK_FALSE(is_elf(MemorySource(other)));
  CHECK_FALSE(is_elf(MemorySource(short_)));
}

TEST_CASE("the ELF identification is validated") {
  CHECK(error_of({'M', 'Z', 0, 0, 0}) == "not an ELF file");
  CHECK(error_of({}) == "not an ELF file");
  CHECK(error_of({0x7f, 'E', 'L', 'F', 2, 1, 1}) == "truncated ELF header");

  ElfBuilder b;
  auto ok = b.build();
  auto cut = std::vector<std::uint8_t>(ok.begin(), ok.begin() + 63);
  CHECK(error_of(cut) == "truncated ELF header");
  ElfBuilder b32(false);
  auto ok32 = b32.build();
  CHECK(error_of(std::vector<std::uint8_t>(ok32.begin(), ok32.begin() + 52)) != "truncated ELF header");
  CHECK(error_of(std::vector<std::uint8_t>(ok32.begin(), ok32.begin() + 51)) == "truncated ELF header");

  b.ei_class = 3;
  CHECK(error_of(b.build()) == "unsupported ELF class 3");
  b.ei_class.reset();
  b.ei_data = 0;
  CHECK(error_of(b.build()) == "unsupported ELF data encoding 0");
  b.ei_data.reset();
  b.ei_version = 2;
  CHECK(error_of(b.build()) == "unsupported ELF version 2");
}

TEST_CASE("ELF64 little-endian static executable") {
  ElfBuilder b;
  b.segment(PT_LOAD, PF_R | PF_X, 0, 0x1000);
  auto info = read(b.build());
  CHECK(info.format == Format::elf);
  CHECK(info.bits == 64);
  CHECK_FALSE(info.big_endian);
  CHECK(info.machine == "x86_64");
  CHECK(info.type == "exec");
  CHECK(info.linkage == Linkage::static_exe);
  CHECK_FALSE(info.interpreter);
  CHECK(info.needed.empty());
  CHECK(info.go_build_id.empty());
  CHECK_FALSE(info.go);
}

TEST_CASE("ELF32 big-endian dynamic executable: interpreter, NEEDED, RPATH, RUNPATH in order") {
  Dyn d(false, true);
  d.b.machine = 8; // EM_MIPS
  auto libc = d.str("libc.so.6"), libm = d.str("libm.so.6");
  auto rpath = d.str("/opt/a:/opt/b"), runpath = d.str("$ORIGIN/../lib");
  auto interp = d.b.put(std::string("/lib/ld.so.1\0", 13));
  d.b.segment(PT_INTERP, PF_R, interp, 13);
  auto info = read(d.build({{DT_NEEDED, libm}, {DT_RPATH, rpath}, {DT_NEEDED, libc}, {DT_RUNPATH, runpath}}));
  CHECK(info.bits == 32);
  CHECK(info.big_endian);
  CHECK(info.machine == "mips");
  CHECK(info.linkage == Linkage::dynamic);
  REQUIRE(info.interpreter);
  CHECK(*info.interpreter == "/lib/ld.so.1");
  CHECK(info.needed == std::vector<std::string>{"libm.so.6", "libc.so.6"});
  CHECK(info.rpath == std::vector<std::string>{"/opt/a:/opt/b"}); // one entry, not split on ':'
  CHECK(info.runpath == std::vector<std::string>{"$ORIGIN/../lib"});
}

TEST_CASE("the linkage classes") {
  SUBCASE("ET_DYN with DF_1_PIE and nothing needed is static-pie") {
    Dyn d;
    d.b.type = 3;
    auto info = read(d.build({{DT_FLAGS_1, DF_1_NOW | DF_1_PIE}}));
    CHECK(info.type == "dyn");
    CHECK(info.linkage == Linkage::static_pie);
  }
  SUBCASE("ET_DYN without DF_1_PIE is a shared object") {
    Dyn d;
    d.b.type = 3;
    CHECK(read(d.build({{DT_FLAGS_1, DF_1_NOW}})).linkage == Linkage::shared_object);
    ElfBuilder bare;
    bare.type = 3;
    CHECK(read(bare.build()).linkage == Linkage::shared_object);
  }
  SUBCASE("a PIE with an interpreter is dynamic") {
    Dyn d;
    d.b.type = 3;
    auto interp = d.b.put(std::string("/lib64/ld-linux-x86-64.so.2\0", 28));
    d.b.segment(PT_INTERP, PF_R, interp, 28);
    auto info = read(d.build({{DT_FLAGS_1, DF_1_PIE}}));
    CHECK(info.linkage == Linkage::dynamic);
    CHECK(*info.interpreter == "/lib64/ld-linux-x86-64.so.2");
  }
  SUBCASE("DT_NEEDED alone makes it dynamic") {
    Dyn d;
    auto info = read(d.build({{DT_NEEDED, d.str("libpthread.so.0")}}));
    CHECK(info.linkage == Linkage::dynamic);
    CHECK_FALSE(info.interpreter);
  }
  SUBCASE("PT_INTERP alone makes it dynamic; the string stops at its NUL") {
    ElfBuilder b;
    auto interp = b.put(std::string("/lib/ld\0junk", 12));
    b.segment(PT_INTERP, PF_R, interp, 12);
    auto info = read(b.build());
    CHECK(info.linkage == Linkage::dynamic);
    CHECK(*info.interpreter == "/lib/ld");
  }
  SUBCASE("an interpreter without a NUL is kept whole") {
    ElfBuilder b;
    auto interp = b.put("/lib/ld");
    b.segment(PT_INTERP, PF_R, interp, 7);
    CHECK(*read(b.build()).interpreter == "/lib/ld");
  }
  SUBCASE("ET_REL and ET_CORE are not executables") {
    ElfBuilder b;
    b.type = 1;
    CHECK(read(b.build()).type == "rel");
    CHECK(read(b.build()).linkage == Linkage::none);
    b.type = 4;
    CHECK(read(b.build()).type == "core");
    CHECK(read(b.build()).linkage == Linkage::none);
    b.type = 0xfe00;
    CHECK(read(b.build()).type == "unknown(0xfe00)");
    CHECK(read(b.build()).linkage == Linkage::none);
  }
}

TEST_CASE("DT_NULL ends the dynamic section") {
  Dyn d;
  auto info = read(d.build({{DT_NEEDED, d.str("liba.so")}, {DT_NULL, 0}, {DT_NEEDED, d.str("libb.so")}}));
  CHECK(info.needed == std::vector<std::string>{"liba.so"});
}

TEST_CASE("dynamic strings are bounded") {
  SUBCASE("DT_STRTAB outside any PT_LOAD") {
    Dyn d;
    auto v = d.build({{DT_NEEDED, 1}, {DT_STRTAB, 0x7000000}}, false);
    CHECK(error_of(v) == "DT_STRTAB 0x7000000 is not in any PT_LOAD segment");
  }
  SUBCASE("no DT_STRTAB at all") {
    Dyn d;
    CHECK(error_of(d.build({{DT_NEEDED, 1}}, false)) == "DT_NEEDED, DT_RPATH or DT_RUNPATH without DT_STRTAB");
  }
  SUBCASE("an offset past DT_STRSZ") {
    Dyn d;
    d.str("libc.so.6");
    CHECK(error_of(d.build({{DT_NEEDED, 11}})) == "dynamic string offset 11 out of bounds (string table size 11)");
  }
  SUBCASE("a string without NUL before the end of DT_STRSZ") {
    Dyn d;
    d.strings += "libc.so"; // no terminator, and DT_STRSZ ends right after it
    CHECK(error_of(d.build({{DT_NEEDED, 1}})) == "unterminated dynamic string");
  }
  SUBCASE("a string longer than 4096 bytes") {
    Dyn d;
    auto off = d.str(std::string(5000, 'a'));
    CHECK(error_of(d.build({{DT_NEEDED, off}})) == "dynamic string longer than 4096 bytes");
  }
  SUBCASE("all strings together are capped at 1 MiB") {
    Dyn d;
    auto off = d.str(std::string(4000, 'a'));
    std::vector<std::pair<std::uint64_t, std::uint64_t>> needed(300, {DT_NEEDED, off});
    CHECK(error_of(d.build(needed)) == "dynamic strings exceed 1048576 bytes");
  }
  SUBCASE("DT_STRTAB in a PT_LOAD whose file bytes stop early") {
    ElfBuilder b;
    auto strs = b.put(std::string("\0liba.so", 8)); // no terminator: the PT_LOAD ends here
    auto dyn = b.dynamic({{DT_NEEDED, 1}, {DT_STRTAB, ElfBuilder::kVaddr + strs}});
    auto doff = b.put(dyn);
    b.segment(PT_LOAD, PF_R, strs, 8);
    b.segment(PT_DYNAMIC, PF_R, doff, dyn.size());
    CHECK(error_of(b.build()) == "unterminated dynamic string");
  }
}

TEST_CASE("hostile dynamic segments") {
  SUBCASE("past the end of the file") {
    ElfBuilder b;
    b.segment(PT_DYNAMIC, PF_R, 0x1000, 0x10000000);
    CHECK(error_of(b.build()) == "dynamic segment out of bounds");
    b.segs.back().offset = ~std::uint64_t(0) - 4;
    CHECK(error_of(b.build()) == "dynamic segment out of bounds");
  }
  SUBCASE("more than 65536 entries before DT_NULL") {
    ElfBuilder b;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> many(65537, {DT_FLAGS_1, 0});
    auto dyn = b.dynamic(many);
    b.segment(PT_DYNAMIC, PF_R, b.put(dyn), dyn.size());
    CHECK(error_of(b.build()) == "more than 65536 dynamic entries");
    many.resize(65536);
    auto ok = ElfBuilder();
    auto dyn2 = ok.dynamic(many);
    ok.segment(PT_DYNAMIC, PF_R, ok.put(dyn2), dyn2.size());
    CHECK(read(ok.build()).linkage == Linkage::static_exe);
  }
  SUBCASE("the 65536-entry budget covers all PT_DYNAMIC segments together") {
    ElfBuilder b;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> half(40000, {DT_FLAGS_1, 0});
    auto dyn = b.dynamic(half);
    auto off = b.put(dyn);
    b.segment(PT_DYNAMIC, PF_R, off, dyn.size());
    CHECK(read(b.build()).linkage == Linkage::static_exe);
    b.segment(PT_DYNAMIC, PF_R, off, dyn.size()); // the same bytes again
    CHECK(error_of(b.build()) == "more than 65536 dynamic entries");
  }
  SUBCASE("a trailing partial entry is ignored") {
    Dyn d;
    auto v = d.build({{DT_NEEDED, d.str("liba.so")}});
    // Grow the PT_DYNAMIC file size by 3 bytes: not a whole entry.
    ElfBuilder& b = d.b;
    b.segs.back().filesz += 3;
    b.data.resize(b.data.size() + 3);
    CHECK(read(b.build()).needed == std::vector<std::string>{"liba.so"});
    (void)v;
  }
  SUBCASE("PT_INTERP past the end, or too long") {
    ElfBuilder b;
    b.segment(PT_INTERP, PF_R, 0x1000, 100);
    CHECK(error_of(b.build()) == "PT_INTERP out of bounds");
    ElfBuilder big;
    big.segment(PT_INTERP, PF_R, big.put(std::string(5000, 'x')), 5000);
    CHECK(error_of(big.build()) == "PT_INTERP longer than 4096 bytes");
  }
}

TEST_CASE("program header table bounds") {
  ElfBuilder b;
  b.segment(PT_LOAD, PF_R, 0, 0x100);
  SUBCASE("table cut by the end of the file") {
    b.phoff = 0x1000 - 8; // the one entry straddles the end of the 4 KiB file
    CHECK(error_of(b.build()) == "program header table out of bounds");
  }
  SUBCASE("phoff near 2^64") {
    b.phoff = ~std::uint64_t(0) - 8;
    CHECK(error_of(b.build()) == "program header table out of bounds");
  }
  SUBCASE("entries smaller than Elf64_Phdr") {
    b.phentsize = 32;
    CHECK(error_of(b.build()) == "invalid program header entry size 32");
  }
  SUBCASE("ELF32 entries smaller than Elf32_Phdr") {
    ElfBuilder b32(false, true);
    b32.segment(PT_LOAD, PF_R, 0, 0x100);
    b32.phentsize = 31;
    CHECK(error_of(b32.build()) == "invalid program header entry size 31");
    b32.phentsize = 40; // larger entries are fine: the reader strides by e_phentsize
    b32.phnum = 1;
    CHECK(read(b32.build()).bits == 32);
  }
  SUBCASE("huge e_phnum") {
    b.phnum = 0xfffe;
    CHECK(error_of(b.build()) == "program header table out of bounds");
  }
  SUBCASE("e_phoff == 0 means no table, whatever e_phnum says") {
    b.phoff = 0;
    b.phnum = 0xfffe;
    CHECK(read(b.build()).linkage == Linkage::static_exe);
  }
}

TEST_CASE("PN_XNUM: the program header count is in sh_info of section 0") {
  ElfBuilder b;
  auto interp = b.put(std::string("/lib/ld\0", 8));
  b.segment(PT_LOAD, PF_R, 0, 0x100);
  b.segment(PT_INTERP, PF_R, interp, 8);
  b.sections = true;
  b.phnum = 0xffff;
  SUBCASE("real count") {
    b.sh0_info = 2;
    auto info = read(b.build());
    CHECK(info.linkage == Linkage::dynamic); // the second header was read
  }
  SUBCASE("count that does not fit") {
    b.sh0_info = 0xffffffff;
    CHECK(error_of(b.build()) == "too many program headers (4294967295)");
    b.sh0_info = 1000;
    CHECK(error_of(b.build()) == "program header table out of bounds");
  }
  SUBCASE("without a section header table") {
    b.sections = false;
    CHECK(error_of(b.build()) == "PN_XNUM without a section header table");
  }
}

/// A file whose only build info is in a `.go.buildinfo` section (no writable PT_LOAD).
ElfBuilder with_buildinfo_section(const std::string& version) {
  ElfBuilder b;
  auto blob = test::inline_buildinfo(version, test::framed_modinfo("path\texample.com/x\n"));
  auto bi = b.put(blob);
  b.sections = true;
  b.secs.push_back({".data", SHT_PROGBITS, 0x500000, bi, 16, 16});
  b.secs.push_back({".go.buildinfo", SHT_PROGBITS, 0x600000, bi, blob.size(), 16});
  return b;
}

TEST_CASE("section headers: .go.buildinfo, e_shnum == 0 and SHN_XINDEX") {
  SUBCASE("found by name") {
    auto info = read(with_buildinfo_section("go1.26.8").build());
    REQUIRE(info.go);
    CHECK(info.go->version == "go1.26.8");
    CHECK(info.go->path == "example.com/x");
  }
  SUBCASE("e_shnum == 0: the count is in sh_size of section 0") {
    auto b = with_buildinfo_section("go1.22.0");
    b.shnum = 0;
    b.sh0_size = 4;
    REQUIRE(read(b.build()).go);
    CHECK(read(b.build()).go->version == "go1.22.0");
    b.sh0_size = 0; // then there are no sections at all
    CHECK_FALSE(read(b.build()).go);
  }
  SUBCASE("SHN_XINDEX: the name table index is in sh_link of section 0") {
    auto b = with_buildinfo_section("go1.23.1");
    b.shstrndx = 0xffff;
    b.sh0_link = 3;
    REQUIRE(read(b.build()).go);
    CHECK(read(b.build()).go->version == "go1.23.1");
    b.sh0_link = 9;
    CHECK(error_of(b.build()) == "section name string table index 9 out of range");
  }
  SUBCASE("no name table: the section cannot be found") {
    auto b = with_buildinfo_section("go1.23.1");
    b.shstrndx = 0;
    CHECK_FALSE(read(b.build()).go);
  }
  SUBCASE("a SHT_NOBITS .go.buildinfo is ignored") {
    auto b = with_buildinfo_section("go1.23.1");
    b.secs[1].type = SHT_NOBITS;
    CHECK_FALSE(read(b.build()).go);
  }
  SUBCASE("a name that only starts with .go.buildinfo does not match") {
    auto b = with_buildinfo_section("go1.23.1");
    b.secs[1].name = ".go.buildinfo2";
    CHECK_FALSE(read(b.build()).go);
  }
  SUBCASE("table out of bounds") {
    auto b = with_buildinfo_section("go1.23.1");
    b.shnum = 200;
    CHECK(error_of(b.build()) == "section header table out of bounds");
    b.shnum.reset();
    b.shoff = 0xfffff000;
    CHECK(error_of(b.build()) == "section header table out of bounds");
  }
  SUBCASE("entries smaller than Elf64_Shdr") {
    auto b = with_buildinfo_section("go1.23.1");
    b.shentsize = 40;
    CHECK(error_of(b.build()) == "invalid section header entry size 40");
  }
  SUBCASE("huge count in section 0") {
    auto b = with_buildinfo_section("go1.23.1");
    b.shnum = 0;
    b.sh0_size = std::uint64_t(1) << 40;
    CHECK(error_of(b.build()) == "too many section headers (1099511627776)");
  }
  SUBCASE("name table out of bounds") {
    auto b = with_buildinfo_section("go1.23.1");
    auto v = b.build();
    // .shstrtab is the last section header; make its size absurd.
    std::size_t shoff = v.size() - 4 * 64;
    std::size_t size_field = shoff + 3 * 64 + 32;
    for (int i = 0; i < 8; ++i) v[size_field + i] = 0x7f;
    CHECK(error_of(v) == "section name string table out of bounds");
  }
}

TEST_CASE("Go build info through the first writable, non-executable PT_LOAD") {
  ElfBuilder b;
  auto text = b.put(std::string(64, '\x90'));
  auto decoy = test::inline_buildinfo("go1.0-decoy", test::framed_modinfo("path\tdecoy\n"));
  auto real = test::inline_buildinfo("go1.26.8", test::framed_modinfo("path\treal\n"));
  auto rwx = b.put(decoy), rw = b.put(real);
  b.segment(PT_LOAD, PF_R | PF_X, text, 64);
  b.segment(PT_LOAD, PF_R | PF_W | PF_X, rwx, decoy.size()); // writable but executable: skipped
  b.segment(PT_LOAD, PF_R | PF_W, rw, real.size());
  auto info = read(b.build());
  REQUIRE(info.go);
  CHECK(info.go->version == "go1.26.8");
  CHECK(info.go->path == "real");
}

TEST_CASE("pre-1.18 pointer format in ELF32 big-endian, through the PT_LOADs") {
  ElfBuilder b(false, true);
  std::string mod = test::framed_modinfo("path\tcmd/old\nmod\tcmd/old\t(devel)\t\n");
  auto vers_data = b.put("go1.17.13");
  auto mod_data = b.put(mod);
  Bytes strings(true);
  strings.u32(ElfBuilder::kVaddr + vers_data).u32(9).u32(ElfBuilder::kVaddr + mod_data).u32(mod.size());
  auto str_hdrs = b.put(strings.v);
  Bytes hdr(true);
  hdr.str("\xff Go buildinf:").u8(4).u8(1).u32(ElfBuilder::kVaddr + str_hdrs).u32(ElfBuilder::kVaddr + str_hdrs + 8);
  hdr.zeros(8);
  auto h = b.put(hdr.v);
  b.load_all();
  b.segment(PT_LOAD, PF_R | PF_W, h, 32);
  auto info = read(b.build());
  REQUIRE(info.go);
  CHECK(info.go->version == "go1.17.13");
  CHECK(info.go->path == "cmd/old");
  REQUIRE(info.go->main);
  CHECK(info.go->main->mod.version == "(devel)");
}

TEST_CASE("the Go build-ID note") {
  const std::string id = "abc/def/ghi/jkl";
  SUBCASE("in PT_NOTE, after a GNU note") {
    ElfBuilder b;
    auto notes = b.note("GNU", 3, std::string(20, '\x11'));
    auto go = b.note(std::string("Go\0\0", 4), 4, id);
    notes.insert(notes.end(), go.begin(), go.end());
    b.segment(PT_NOTE, PF_R, b.put(notes), notes.size()).align = 4;
    CHECK(read(b.build()).go_build_id == id);
  }
  SUBCASE("big-endian ELF32") {
    ElfBuilder b(false, true);
    auto go = b.note(std::string("Go\0\0", 4), 4, id);
    b.segment(PT_NOTE, PF_R, b.put(go), go.size());
    CHECK(read(b.build()).go_build_id == id);
  }
  SUBCASE("a Go note of another type, or another name, is not the build ID") {
    ElfBuilder b;
    auto n1 = b.note(std::string("Go\0\0", 4), 1, "x");
    auto n2 = b.note(std::string("Gx\0\0", 4), 4, "y");
    n1.insert(n1.end(), n2.begin(), n2.end());
    b.segment(PT_NOTE, PF_R, b.put(n1), n1.size());
    CHECK(read(b.build()).go_build_id.empty());
  }
  SUBCASE("8-aligned notes") {
    ElfBuilder b;
    auto n1 = b.note("GNU", 5, std::string(4, 'p')); // 20 bytes: the next note starts at 24
    n1.resize(24);
    auto go = b.note(std::string("Go\0\0", 4), 4, id);
    n1.insert(n1.end(), go.begin(), go.end());
    b.segment(PT_NOTE, PF_R, b.put(n1), n1.size()).align = 8;
    CHECK(read(b.build()).go_build_id == id);
  }
  SUBCASE("a note whose description runs past the segment stops the scan") {
    ElfBuilder b;
    auto go = b.note(std::string("Go\0\0", 4), 4, id);
    b.segment(PT_NOTE, PF_R, b.put(go), go.size() - 4);
    CHECK(read(b.build()).go_build_id.empty());
    Bytes huge(false);
    huge.u32(4).u32(0xffffffff).u32(4).str(std::string("Go\0\0", 4));
    ElfBuilder c;
    c.segment(PT_NOTE, PF_R, c.put(huge.v), huge.v.size());
    CHECK(read(c.build()).go_build_id.empty());
  }
  SUBCASE("at most 4096 notes are scanned in a file") {
    auto with_fillers = [&](int fillers) {
      ElfBuilder b;
      auto filler = b.note("", 1, "");
      std::vector<std::uint8_t> notes;
      for (int i = 0; i < fillers; ++i) notes.insert(notes.end(), filler.begin(), filler.end());
      auto go = b.note(std::string("Go\0\0", 4), 4, id);
      notes.insert(notes.end(), go.begin(), go.end());
      b.segment(PT_NOTE, PF_R, b.put(notes), notes.size()).align = 4; // 12-byte notes, packed
      return read(b.build()).go_build_id;
    };
    CHECK(with_fillers(4095) == id); // the 4096th note
    CHECK(with_fillers(4096) == "");
  }
  SUBCASE("a note segment past the end of the file") {
    ElfBuilder b;
    b.segment(PT_NOTE, PF_R, 0x1000, 0x100000);
    CHECK(error_of(b.build()) == "note segment out of bounds");
  }
  SUBCASE("SHT_NOTE in a relocatable file") {
    ElfBuilder b;
    b.type = 1;
    auto go = b.note(std::string("Go\0\0", 4), 4, id);
    b.sections = true;
    b.secs.push_back({".note.go.buildid", SHT_NOTE, 0, b.put(go), go.size(), 4});
    CHECK(read(b.build()).go_build_id == id);
    b.secs.back().size = 0x100000;
    CHECK(error_of(b.build()) == "note section out of bounds");
  }
}

TEST_CASE("machine names follow readelf, lower-cased") {
  auto machine = [](std::uint16_t m, bool is64 = true) {
    ElfBuilder b(is64);
    b.machine = m;
    return read(b.build()).machine;
  };
  CHECK(machine(62) == "x86_64");
  CHECK(machine(3, false) == "i386");
  CHECK(machine(183) == "aarch64");
  CHECK(machine(40, false) == "arm");
  CHECK(machine(22) == "s390x");
  CHECK(machine(22, false) == "s390");
  CHECK(machine(21) == "ppc64");
  CHECK(machine(20, false) == "ppc");
  CHECK(machine(8) == "mips");
  CHECK(machine(243) == "riscv");
  CHECK(machine(258) == "loongarch");
  CHECK(machine(43) == "sparcv9");
  CHECK(machine(2, false) == "sparc");
  CHECK(machine(50) == "ia64");
  CHECK(machine(4, false) == "m68k");
  CHECK(machine(0x1234) == "unknown(0x1234)");
  CHECK(machine(0x99) == "unknown(0x99)");
}

/// Runs a command and returns its stdout (empty if it cannot run).
std::string run(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    pclose(p);
  }
  return out;
}

TEST_CASE("a real Go binary: /usr/local/go/bin/go agrees with `go version -m` and `go tool buildid`") {
  const std::string go = "/usr/local/go/bin/go";
  struct stat st;
  if (stat(go.c_str(), &st) != 0) {
    MESSAGE("skipped: " << go << " not found");
    return;
  }
  BinaryInfo info = read_elf(FileSource(go));
  CHECK(info.machine != "");
  CHECK(info.type == "exec");
  CHECK(info.linkage == Linkage::static_exe);
  REQUIRE(info.go);

  // `go version -m` prints "PATH: VERSION", then "\tpath\t...", "\tbuild\tK=V" lines.
  std::string m = run(go + " version -m " + go);
  REQUIRE(!m.empty());
  std::string first = m.substr(0, m.find('\n'));
  CHECK(first == go + ": " + info.go->version);
  CHECK(m.find("\tpath\t" + info.go->path + "\n") != std::string::npos);
  REQUIRE(!info.go->settings.empty());
  for (const auto& [k, v] : info.go->settings) {
    bool plain = k.find_first_of("= \t\r\n\"`") == std::string::npos && v.find_first_of(" \t\r\n\"`") == std::string::npos;
    if (plain) CHECK(m.find("\tbuild\t" + k + "=" + v + "\n") != std::string::npos);
  }
  std::string id = run(go + " tool buildid " + go + " 2>/dev/null");
  if (!id.empty()) CHECK(info.go_build_id + "\n" == id);
}


// Not a test: writes hand-made ELF files into $GOBUILD_FUZZ_SEEDS/elf as fuzzer seeds
// (fuzz/seeds.sh runs it with --no-skip), so that the seeds reuse this file's builder.
TEST_CASE("fuzz seeds: ELF" * doctest::skip()) {
  const char* dir = std::getenv("GOBUILD_FUZZ_SEEDS");
  if (!dir) return;
  std::vector<std::vector<std::uint8_t>> seeds;
  for (bool is64 : {false, true}) {
    for (bool big : {false, true}) {
      Dyn d(is64, big);
      d.b.type = 3;
      auto interp = d.b.put(std::string("/lib/ld.so\0", 11));
      d.b.segment(PT_INTERP, PF_R, interp, 11);
      auto go = d.b.note(std::string("Go\0\0", 4), 4, "seed/build/id");
      d.b.segment(PT_NOTE, PF_R, d.b.put(go), go.size());
      auto bi = test::inline_buildinfo("go1.26.8", test::framed_modinfo("path\tp\nmod\tp\t(devel)\t\nbuild\tK=V\n"));
      d.b.segment(PT_LOAD, PF_R | PF_W, d.b.put(bi), bi.size());
      d.b.sections = true;
      d.b.secs.push_back({".go.buildinfo", SHT_PROGBITS, 0x600000, ElfBuilder::kDataBase, 64, 16});
      seeds.push_back(d.build({{DT_NEEDED, d.str("libc.so.6")}, {DT_RUNPATH, d.str("/a:/b")}, {DT_FLAGS_1, DF_1_PIE}}));
    }
  }
  auto x = with_buildinfo_section("go1.26.8");
  x.phnum = 0xffff;
  x.shnum = 0;
  x.shstrndx = 0xffff;
  x.sh0_size = 4;
  x.sh0_link = 3;
  x.segment(PT_LOAD, PF_R, 0, 0x100);
  x.sh0_info = 1;
  seeds.push_back(x.build());
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    std::ofstream out(std::string(dir) + "/elf/hand-" + std::to_string(i), std::ios::binary);
    out.write(reinterpret_cast<const char*>(seeds[i].data()), std::streamsize(seeds[i].size()));
    CHECK(out.good());
  }
}

TEST_CASE("elf_layout lists segments, then sections with their names and file ranges") {
  auto b = with_buildinfo_section("go1.26.8");
  b.segs.push_back({PT_LOAD, PF_R | PF_W, 0x1000, 0x401000, 0x40, 0x40, 0x1000});
  auto v = b.build();
  MemorySource src(v);
  auto regions = elf_layout(src);
  std::vector<std::string> names;
  for (const auto& r : regions) names.push_back((r.is_section ? "S:" : "P:") + r.name);
  REQUIRE(names.size() >= 4);
  CHECK(names[0] == "P:PT_LOAD");
  CHECK(regions[0].offset == 0x1000);
  CHECK(regions[0].size == 0x40);
  CHECK(std::find(names.begin(), names.end(), "S:.go.buildinfo") != names.end());
  CHECK(std::find(names.begin(), names.end(), "S:.shstrtab") != names.end());
  for (const auto& r : regions)
    if (r.is_section && r.name == ".data") {
      CHECK(r.size == 16);
      CHECK(r.index == 1);
    }
  // Hostile tables fail the same way as in read_elf.
  b.shnum = 200;
  auto bad = b.build();
  MemorySource bad_src(bad);
  CHECK_THROWS_WITH_AS(elf_layout(bad_src), "section header table out of bounds", ParseError);
}

} // namespace
} // namespace gobuild
