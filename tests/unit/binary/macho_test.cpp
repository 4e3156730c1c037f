#include "gobuild/binary/macho.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "elf_builder.hpp" // framed_modinfo, inline_buildinfo

namespace gobuild {
namespace {

using Bytes = std::vector<std::uint8_t>;

/// Appends integers in one byte order.
struct Writer {
  bool big;
  Bytes b;
  void u8(std::uint8_t v) { b.push_back(v); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) u8(std::uint8_t(big ? v >> (24 - 8 * i) : v >> (8 * i)));
  }
  void u64(std::uint64_t v) {
    if (big) u32(std::uint32_t(v >> 32)), u32(std::uint32_t(v));
    else u32(std::uint32_t(v)), u32(std::uint32_t(v >> 32));
  }
  void name16(const std::string& s) {
    for (std::size_t i = 0; i < 16; ++i) u8(i < s.size() ? std::uint8_t(s[i]) : 0);
  }
  void str(const std::string& s) {
    for (char c : s) u8(std::uint8_t(c));
  }
  void pad_to(std::size_t n) {
    while (b.size() % n) u8(0);
  }
};

void set32(Bytes& b, std::size_t off, std::uint32_t v, bool big) {
  for (int i = 0; i < 4; ++i) b[off + std::size_t(i)] = std::uint8_t(big ? v >> (24 - 8 * i) : v >> (8 * i));
}

constexpr std::uint32_t kX86_64 = 0x01000007, kArm64 = 0x0100000c, kPpc = 18;
constexpr std::uint32_t kExecute = 2, kDylib = 6;
constexpr std::uint32_t kLoadDylib = 0xc, kLoadWeakDylib = 0x80000018, kReexportDylib = 0x8000001f,
                        kLazyLoadDylib = 0x20, kRpath = 0x8000001c, kUuid = 0x1b;

/// Builds a thin Mach-O file: the header, then load commands added in order. `sizeofcmds` and
/// `ncmds` are filled in by build().
struct MachoBuilder {
  bool is64 = true;
  bool big = false;
  std::uint32_t cpu = kArm64;
  std::uint32_t filetype = kExecute;
  std::vector<Bytes> cmds;

  std::size_t align() const { return is64 ? 8 : 4; }
  std::size_t header_size() const { return is64 ? 32 : 28; }
  Writer writer() const { return Writer{big, {}}; }
  /// Where the next command would start in the file.
  std::size_t next_cmd_offset() const {
    std::size_t off = header_size();
    for (const auto& c : cmds) off += c.size();
    return off;
  }

  /// A command with a string at offset `fixed` (dylib: 24, rpath: 12).
  MachoBuilder& lc_str(std::uint32_t cmd, const std::string& s, std::uint32_t fixed) {
    Writer w = writer();
    w.u32(cmd);
    w.u32(0);
    w.u32(fixed);
    while (w.b.size() < fixed) w.u8(0);
    w.str(s);
    w.u8(0);
    w.pad_to(align());
    set32(w.b, 4, std::uint32_t(w.b.size()), big);
    cmds.push_back(w.b);
    return *this;
  }
  MachoBuilder& dylib(const std::string& s, std::uint32_t cmd = kLoadDylib) { return lc_str(cmd, s, 24); }
  MachoBuilder& rpath(const std::string& s) { return lc_str(kRpath, s, 12); }

  struct Sect {
    std::string seg, name;
    std::uint64_t addr, size;
    std::uint32_t offset;
  };
  MachoBuilder& segment(const std::string& name, std::uint64_t vmaddr, std::uint64_t vmsize, std::uint64_t fileoff,
                        std::uint64_t filesize, std::uint32_t prot, const std::vector<Sect>& sects = {},
                        std::uint32_t maxprot = ~0u) {
    Writer w = writer();
    w.u32(is64 ? 0x19 : 0x1);
    w.u32(std::uint32_t(is64 ? 72 + 80 * sects.size() : 56 + 68 * sects.size()));
    w.name16(name);
    auto word = [&](std::uint64_t v) { is64 ? w.u64(v) : w.u32(std::uint32_t(v)); };
    word(vmaddr), word(vmsize), word(fileoff), word(filesize);
    w.u32(maxprot == ~0u ? prot : maxprot), w.u32(prot), w.u32(std::uint32_t(sects.size())), w.u32(0);
    for (const auto& s : sects) {
      w.name16(s.name), w.name16(s.seg);
      word(s.addr), word(s.size);
      w.u32(s.offset);
      for (int i = 0; i < (is64 ? 7 : 6); ++i) w.u32(0);
    }
    cmds.push_back(w.b);
    return *this;
  }

  MachoBuilder& raw(Bytes cmd) {
    cmds.push_back(std::move(cmd));
    return *this;
  }

  Bytes build() const {
    Writer w = writer();
    w.u32(is64 ? 0xfeedfacf : 0xfeedface); // reads as cigam in the other byte order
    w.u32(cpu);
    w.u32(0);
    w.u32(filetype);
    w.u32(std::uint32_t(cmds.size()));
    std::size_t total = 0;
    for (const auto& c : cmds) total += c.size();
    w.u32(std::uint32_t(total));
    w.u32(0);
    if (is64) w.u32(0);
    for (const auto& c : cmds) w.b.insert(w.b.end(), c.begin(), c.end());
    return w.b;
  }
};

BinaryInfo read(const Bytes& b) {
  MemorySource src(b);
  return read_macho(src);
}

std::string error_of(const Bytes& b) {
  MemorySource src(b);
  try {
    read_macho(src);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

/// A fat file holding `slices` at 4096-aligned offsets.
Bytes fat(const std::vector<std::pair<std::uint32_t, Bytes>>& slices, bool is64 = false) {
  Writer w{true, {}};
  w.u32(is64 ? 0xcafebabf : 0xcafebabe);
  w.u32(std::uint32_t(slices.size()));
  std::size_t off = 4096;
  for (const auto& s : slices) {
    w.u32(s.first), w.u32(0);
    if (is64) w.u64(off), w.u64(s.second.size()), w.u32(12), w.u32(0);
    else w.u32(std::uint32_t(off)), w.u32(std::uint32_t(s.second.size())), w.u32(12);
    off += (s.second.size() + 4095) / 4096 * 4096;
  }
  for (const auto& s : slices) {
    w.b.resize((w.b.size() + 4095) / 4096 * 4096);
    w.b.insert(w.b.end(), s.second.begin(), s.second.end());
  }
  return w.b;
}

TEST_CASE("is_macho: thin magics in both byte orders, fat, and not Java") {
  for (bool is64 : {false, true})
    for (bool big : {false, true}) {
      MachoBuilder m;
      m.is64 = is64, m.big = big;
      CHECK(is_macho(MemorySource(m.build())));
    }
  Bytes f = fat({{kArm64, MachoBuilder().build()}});
  CHECK(is_macho(MemorySource(f)));
  Bytes java = {0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x41};
  CHECK_FALSE(is_macho(MemorySource(java)));
  Bytes elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
  CHECK_FALSE(is_macho(MemorySource(elf)));
  Bytes tiny = {0xcf, 0xfa, 0xed};
  CHECK_FALSE(is_macho(MemorySource(tiny)));
}

TEST_CASE("read_macho: 64-bit little-endian executable with dylibs and rpaths") {
  MachoBuilder m;
  m.segment("__PAGEZERO", 0, 0x100000000, 0, 0, 0)
      .dylib("/usr/lib/libSystem.B.dylib")
      .raw([] {
        Writer w{false, {}};
        w.u32(kUuid), w.u32(24);
        for (int i = 0; i < 16; ++i) w.u8(0xab);
        return w.b;
      }())
      .dylib("/System/Library/Frameworks/Security.framework/Versions/A/Security", kLoadWeakDylib)
      .rpath("@executable_path/../lib")
      .dylib("@rpath/libfoo.dylib", kReexportDylib)
      .dylib("/usr/lib/liblazy.dylib", kLazyLoadDylib)
      .rpath("/opt/lib");
  BinaryInfo info = read(m.build());
  CHECK(info.format == Format::macho);
  CHECK(info.bits == 64);
  CHECK_FALSE(info.big_endian);
  CHECK(info.machine == "aarch64");
  CHECK(info.type == "exec");
  CHECK(info.linkage == Linkage::not_applicable);
  CHECK(info.needed == std::vector<std::string>{"/usr/lib/libSystem.B.dylib",
                                                "/System/Library/Frameworks/Security.framework/Versions/A/Security",
                                                "@rpath/libfoo.dylib", "/usr/lib/liblazy.dylib"});
  CHECK(info.rpath == std::vector<std::string>{"@executable_path/../lib", "/opt/lib"});
  CHECK(info.runpath.empty());
  CHECK(info.go_build_id.empty());
  CHECK_FALSE(info.go.has_value());
}

TEST_CASE("read_macho: 32-bit big-endian ppc dylib") {
  MachoBuilder m;
  m.is64 = false, m.big = true, m.cpu = kPpc, m.filetype = kDylib;
  m.dylib("/usr/lib/libgcc_s.1.dylib");
  BinaryInfo info = read(m.build());
  CHECK(info.bits == 32);
  CHECK(info.big_endian);
  CHECK(info.machine == "ppc");
  CHECK(info.type == "dyn");
  CHECK(info.needed == std::vector<std::string>{"/usr/lib/libgcc_s.1.dylib"});
}

TEST_CASE("read_macho: machines and file types") {
  auto with = [](std::uint32_t cpu, std::uint32_t type) {
    MachoBuilder m;
    m.cpu = cpu, m.filetype = type;
    BinaryInfo info = read(m.build());
    return info.machine + " " + info.type;
  };
  CHECK(with(kX86_64, 2) == "x86_64 exec");
  CHECK(with(7, 1) == "i386 rel");
  CHECK(with(12, 4) == "arm core");
  CHECK(with(0x01000012, 8) == "ppc64 dyn");
  CHECK(with(0x99, 6) == "unknown(0x99) dyn");

  MachoBuilder bad;
  bad.filetype = 99;
  CHECK(error_of(bad.build()) == "unknown Mach-O file type 99");
}

TEST_CASE("read_macho: hostile header and load commands") {
  MachoBuilder m;
  m.dylib("/usr/lib/libSystem.B.dylib");
  Bytes good = m.build(); // header 32 bytes, one 56-byte command

  CHECK(error_of(Bytes(good.begin(), good.begin() + 20)) ==
        "Mach-O header out of bounds: 28 bytes at offset 0, file size 20");
  CHECK(error_of(Bytes(good.begin(), good.begin() + 30)) ==
        "Mach-O header out of bounds: 32 bytes at offset 0, file size 30");

  Bytes not_macho = good;
  not_macho[0] = 0;
  CHECK(error_of(not_macho) == "not a Mach-O file: magic 0x00faedfe");

  Bytes huge_n = good;
  set32(huge_n, 16, 0xffffffff, false);
  CHECK(error_of(huge_n) == "Mach-O ncmds 4294967295 cannot fit in sizeofcmds 56");

  Bytes huge_size = good;
  set32(huge_size, 20, 0xfffffff8, false);
  CHECK(error_of(huge_size) == "Mach-O sizeofcmds 4294967288 is too large");

  Bytes past_file = good;
  set32(past_file, 20, 4096, false);
  CHECK(error_of(past_file) == "Mach-O load commands out of bounds: 4096 bytes at offset 32, file size 88");

  Bytes two = good;
  set32(two, 16, 2, false);
  CHECK(error_of(two) == "Mach-O load command 1 runs past sizeofcmds");

  Bytes zero = good;
  set32(zero, 32 + 4, 0, false);
  CHECK(error_of(zero) == "Mach-O load command 0 has bad cmdsize 0");

  Bytes unaligned = good;
  set32(unaligned, 32 + 4, 52, false);
  CHECK(error_of(unaligned) == "Mach-O load command 0 has bad cmdsize 52");

  Bytes past_cmds = good;
  set32(past_cmds, 32 + 4, 64, false);
  CHECK(error_of(past_cmds) == "Mach-O load command 0 (cmdsize 64) runs past sizeofcmds");

  Bytes small_dylib = good;
  set32(small_dylib, 32 + 4, 16, false);
  set32(small_dylib, 20, 16, false);
  CHECK(error_of(small_dylib) == "Mach-O load command 0 is too small: cmdsize 16");

  Bytes name_inside_fixed = good;
  set32(name_inside_fixed, 32 + 8, 8, false);
  CHECK(error_of(name_inside_fixed) == "Mach-O load command 0 has its string at bad offset 8");

  Bytes name_past = good;
  set32(name_past, 32 + 8, 56, false);
  CHECK(error_of(name_past) == "Mach-O load command 0 has its string at bad offset 56");

  Bytes no_nul = good;
  for (std::size_t i = 32 + 24; i < good.size(); ++i)
    if (no_nul[i] == 0) no_nul[i] = 'x';
  CHECK(error_of(no_nul) == "Mach-O load command 0 string is not NUL-terminated");
}

TEST_CASE("read_macho: segments with too many sections") {
  MachoBuilder m;
  m.segment("__TEXT", 0x100000000, 0x1000, 0, 0x1000, 5, {{"__TEXT", "__text", 0x100000800, 0x10, 0x800}});
  Bytes b = m.build();
  CHECK_NOTHROW(read(b));
  set32(b, 32 + 64, 2, false); // nsects
  CHECK(error_of(b) == "Mach-O LC_SEGMENT_64 0 claims 2 sections in cmdsize 152");
  set32(b, 32 + 64, 0x40000000, false);
  CHECK(error_of(b) == "Mach-O LC_SEGMENT_64 0 claims 1073741824 sections in cmdsize 152");

  MachoBuilder m32;
  m32.is64 = false;
  m32.segment("__DATA", 0x2000, 0x1000, 0, 0, 3);
  Bytes b32 = m32.build();
  CHECK_NOTHROW(read(b32));
  set32(b32, 28 + 48, 1, false);
  CHECK(error_of(b32) == "Mach-O LC_SEGMENT 0 claims 1 sections in cmdsize 56");
  set32(b32, 28 + 4, 48, false);
  CHECK(error_of(b32) == "Mach-O LC_SEGMENT 0 is too small: cmdsize 48");
}

void place(Bytes& b, std::size_t off, const Bytes& payload) {
  if (b.size() < off + payload.size()) b.resize(off + payload.size());
  std::copy(payload.begin(), payload.end(), b.begin() + std::ptrdiff_t(off));
}

const std::string kBuildId = "AAAA/BBBB/CCCC/DDDD";
Bytes text_with_build_id() {
  std::string t = std::string("\xff Go build ID: \"", 16) + kBuildId + "\"\n \xff";
  return Bytes(t.begin(), t.end());
}
Bytes buildinfo(const std::string& version) {
  return test::inline_buildinfo(version, test::framed_modinfo("path\texample.com/mac\n"
                                                              "mod\texample.com/mac\t(devel)\t\n"
                                                              "build\tGOOS=darwin\n"));
}

/// A Go-like executable: __PAGEZERO, __TEXT (with __text at file 0x1000), two segments that are
/// not exactly rw-/rw- holding decoys (file 0x4000 and 0x5000), and __DATA at file 0x8000 holding
/// the build info at +0x10, optionally as its own __go_buildinfo section.
Bytes go_macho(bool is64, bool big, bool with_section, std::uint64_t section_addr_delta = 0) {
  MachoBuilder m;
  m.is64 = is64, m.big = big;
  std::uint64_t base = is64 ? 0x100000000 : 0x1000;
  m.segment("__PAGEZERO", 0, base, 0, 0, 0);
  m.segment("__TEXT", base, 0x4000, 0, 0x4000, 5, {{"__TEXT", "__text", base + 0x1000, 0x100, 0x1000}});
  m.segment("__DATA_CONST", base + 0x4000, 0x1000, 0x4000, 0x1000, 1, {}, 3); // initprot r--
  m.segment("__DECOY", base + 0x5000, 0x1000, 0x5000, 0x1000, 3, {}, 7);       // maxprot rwx
  std::vector<MachoBuilder::Sect> sects;
  if (with_section) sects.push_back({"__DATA", "__go_buildinfo", base + 0x8010 + section_addr_delta, 0x200, 0x8010});
  m.segment("__DATA", base + 0x8000, 0x2000, 0x8000, 0x1000, 3, sects);
  m.dylib("/usr/lib/libSystem.B.dylib");
  Bytes b = m.build();
  place(b, 0x1000, text_with_build_id());
  place(b, 0x4000, buildinfo("go0.0decoy"));
  place(b, 0x5000, buildinfo("go0.0decoy2"));
  place(b, 0x8010, buildinfo("go1.26.0"));
  b.resize(0x9000);
  return b;
}

TEST_CASE("read_macho: Go build info from __go_buildinfo or the first read-write segment") {
  for (bool is64 : {true, false})
    for (bool big : {false, true})
      for (bool with_section : {true, false}) {
        CAPTURE(is64);
        CAPTURE(big);
        CAPTURE(with_section);
        BinaryInfo info = read(go_macho(is64, big, with_section));
        CHECK(info.go_build_id == kBuildId);
        REQUIRE(info.go.has_value());
        CHECK(info.go->version == "go1.26.0");
        CHECK(info.go->path == "example.com/mac");
        CHECK(info.go->settings == std::vector<std::pair<std::string, std::string>>{{"GOOS", "darwin"}});
      }

  SUBCASE("a __go_buildinfo section whose address no segment maps") {
    CHECK_FALSE(read(go_macho(true, false, true, 0x100000)).go.has_value());
  }
  SUBCASE("a file cut inside the data segment") {
    Bytes b = go_macho(true, false, false);
    b.resize(0x8018); // the header is cut: the search does not find a whole one
    BinaryInfo info = read(b);
    CHECK_FALSE(info.go.has_value());
    CHECK(info.go_build_id == kBuildId);
  }
  SUBCASE("a file cut before the data segment") {
    Bytes b = go_macho(true, false, true);
    b.resize(0x5000);
    CHECK_FALSE(read(b).go.has_value());
  }
}

TEST_CASE("read_macho: pre-1.18 pointer build info maps addresses through segments, not __PAGEZERO") {
  std::string mod = test::framed_modinfo("path\told.example/mac\n");
  const std::uint64_t base = 0x100000000, data = base + 0x8000;
  Writer w{false, {}};
  w.str("\xff Go buildinf:");
  w.u8(8), w.u8(0);
  w.u64(data + 32), w.u64(data + 48);        // -> the two string headers
  w.u64(data + 64), w.u64(8);                // version
  w.u64(data + 72), w.u64(mod.size());       // modinfo
  w.str("go1.17.1"), w.str(mod);
  MachoBuilder m;
  // A __PAGEZERO that (wrongly) claims file bytes must not capture the addresses.
  m.segment("__PAGEZERO", 0, 0x200000000, 0, 0x200000000, 0);
  m.segment("__DATA", data, 0x1000, 0x1000, 0x1000, 3);
  Bytes b = m.build();
  place(b, 0x1000, w.b);
  b.resize(0x2000);
  BinaryInfo info = read(b);
  REQUIRE(info.go.has_value());
  CHECK(info.go->version == "go1.17.1");
  CHECK(info.go->path == "old.example/mac");
}

TEST_CASE("read_macho: fat files read the first architecture") {
  MachoBuilder amd;
  amd.cpu = kX86_64;
  amd.dylib("/usr/lib/libSystem.B.dylib");
  MachoBuilder arm;
  arm.dylib("/usr/lib/libc++.1.dylib");
  Bytes f = fat({{kX86_64, amd.build()}, {kArm64, arm.build()}});

  BinaryInfo info = read(f);
  CHECK(info.machine == "x86_64");
  CHECK(info.needed == std::vector<std::string>{"/usr/lib/libSystem.B.dylib"});

  SUBCASE("build info offsets are relative to the slice") {
    Bytes go = go_macho(true, false, true);
    Bytes g = fat({{kArm64, go}, {kX86_64, amd.build()}});
    BinaryInfo gi = read(g);
    CHECK(gi.go_build_id == kBuildId);
    REQUIRE(gi.go.has_value());
    CHECK(gi.go->version == "go1.26.0");
  }
  SUBCASE("fat64 headers") {
    BinaryInfo i64 = read(fat({{kArm64, arm.build()}}, true));
    CHECK(i64.machine == "aarch64");
    CHECK(i64.needed == std::vector<std::string>{"/usr/lib/libc++.1.dylib"});
  }
  SUBCASE("slice offset past the end of the file") {
    set32(f, 8 + 8, 0x7ffff000, true);
    CHECK(error_of(f) ==
          "Mach-O fat architecture 0 (offset 2147479552, size 88) is outside the file (size 8272)");
  }
  SUBCASE("slice size past the end of the file") {
    set32(f, 8 + 12, 0xffffffff, true);
    CHECK(error_of(f) ==
          "Mach-O fat architecture 0 (offset 4096, size 4294967295) is outside the file (size 8272)");
  }
  SUBCASE("empty slice") {
    set32(f, 8 + 12, 0, true);
    CHECK(error_of(f) == "Mach-O fat architecture 0 is empty");
  }
  SUBCASE("slice overlapping the fat header") {
    set32(f, 8 + 8, 0, true);
    CHECK(error_of(f) == "Mach-O fat architecture 0 overlaps the fat header (offset 0)");
  }
  SUBCASE("the slice is cut: its load commands may not be read from the next one") {
    set32(f, 8 + 12, 40, true);
    CHECK(error_of(f) == "Mach-O load commands out of bounds: 56 bytes at offset 32, file size 40");
  }
  SUBCASE("no architectures") {
    set32(f, 4, 0, true);
    CHECK(error_of(f) == "Mach-O fat file has no architectures");
  }
  SUBCASE("nested fat") {
    Bytes inner = fat({{kArm64, arm.build()}});
    inner.resize(4096); // only the inner fat header is needed
    Bytes outer = fat({{kArm64, inner}});
    CHECK(error_of(outer) == "Mach-O fat architecture 0 is itself a fat file");
  }
  SUBCASE("fat header cut short") {
    CHECK(error_of(Bytes(f.begin(), f.begin() + 16)) ==
          "Mach-O fat architecture out of bounds: 20 bytes at offset 8, file size 16");
  }
}

/// fuzz/seeds.sh runs this (--no-skip) to write the builders' files as fuzz_macho seeds.
TEST_CASE("fuzz seeds: macho" * doctest::skip()) {
  const char* dir = std::getenv("GOBUILD_FUZZ_SEEDS");
  if (!dir) return;
  std::vector<Bytes> seeds;
  for (bool is64 : {true, false})
    for (bool big : {false, true}) {
      Bytes b = go_macho(is64, big, is64);
      b.resize(0x8200); // a whole build info blob fits in 0x1f0 bytes here
      seeds.push_back(b);
    }
  MachoBuilder m;
  m.dylib("/usr/lib/libSystem.B.dylib").dylib("@rpath/a.dylib", kLoadWeakDylib).rpath("@loader_path");
  seeds.push_back(fat({{kArm64, m.build()}}));
  seeds.push_back(fat({{kArm64, m.build()}}, true));
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    std::ofstream out(std::string(dir) + "/macho/hand-" + std::to_string(i), std::ios::binary);
    out.write(reinterpret_cast<const char*>(seeds[i].data()), std::streamsize(seeds[i].size()));
    CHECK(out.good());
  }
}

} // namespace
} // namespace gobuild
