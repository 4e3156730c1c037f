#include "gobuild/binary/pe.hpp"

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

void put16(Bytes& b, std::size_t off, std::uint16_t v) {
  if (b.size() < off + 2) b.resize(off + 2);
  b[off] = std::uint8_t(v), b[off + 1] = std::uint8_t(v >> 8);
}
void put32(Bytes& b, std::size_t off, std::uint32_t v) {
  put16(b, off, std::uint16_t(v)), put16(b, off + 2, std::uint16_t(v >> 16));
}
void put64(Bytes& b, std::size_t off, std::uint64_t v) {
  put32(b, off, std::uint32_t(v)), put32(b, off + 4, std::uint32_t(v >> 32));
}
void put_bytes(Bytes& b, std::size_t off, const std::string& s) {
  if (b.size() < off + s.size()) b.resize(off + s.size());
  for (std::size_t i = 0; i < s.size(); ++i) b[off + i] = std::uint8_t(s[i]);
}

constexpr std::uint32_t kCode = 0x60000020;  // CNT_CODE | MEM_EXECUTE | MEM_READ
constexpr std::uint32_t kRdata = 0x40000040; // INITIALIZED_DATA | MEM_READ
constexpr std::uint32_t kData = 0xc0000040;  // INITIALIZED_DATA | MEM_READ | MEM_WRITE

/// Builds a small PE image: DOS header with e_lfanew 0x80, COFF header, a PE32 or PE32+
/// optional header with 16 data directories, then the sections' raw data at 0x200-aligned
/// offsets from 0x400. Tests patch the result to break one thing at a time.
struct PeBuilder {
  struct Sec {
    std::string name;
    std::uint32_t va;
    Bytes data;
    std::uint32_t chars;
    std::uint32_t vsize; ///< 0: data.size()
  };
  std::uint16_t machine = 0x8664;
  int bits = 64;
  std::uint16_t characteristics = 0x0022; // EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE
  std::uint64_t image_base = 0x140000000;
  std::uint32_t import_rva = 0, import_size = 0;
  std::vector<Sec> sections;

  static constexpr std::size_t kLfanew = 0x80;
  static constexpr std::size_t kCoff = kLfanew + 4;
  static constexpr std::size_t kOpt = kCoff + 20;
  std::size_t opt_size() const { return bits == 64 ? 240 : 224; }
  std::size_t section_table() const { return kOpt + opt_size(); }
  /// File offset of section i's raw data.
  std::size_t raw_offset(std::size_t i) const {
    std::size_t off = 0x400;
    for (std::size_t k = 0; k < i; ++k) off += (sections[k].data.size() + 0x1ff) & ~std::size_t(0x1ff);
    return off;
  }

  PeBuilder& add(std::string name, std::uint32_t va, Bytes data, std::uint32_t chars, std::uint32_t vsize = 0) {
    sections.push_back(Sec{std::move(name), va, std::move(data), chars, vsize});
    return *this;
  }

  Bytes build() const {
    Bytes b(0x400, 0);
    b[0] = 'M', b[1] = 'Z';
    put32(b, 0x3c, kLfanew);
    put_bytes(b, kLfanew, std::string("PE\0\0", 4));
    put16(b, kCoff, machine);
    put16(b, kCoff + 2, std::uint16_t(sections.size()));
    put16(b, kCoff + 16, std::uint16_t(opt_size()));
    put16(b, kCoff + 18, characteristics);
    std::size_t dirs;
    if (bits == 64) {
      put16(b, kOpt, 0x20b);
      put64(b, kOpt + 24, image_base);
      put32(b, kOpt + 108, 16);
      dirs = kOpt + 112;
    } else {
      put16(b, kOpt, 0x10b);
      put32(b, kOpt + 28, std::uint32_t(image_base));
      put32(b, kOpt + 92, 16);
      dirs = kOpt + 96;
    }
    put32(b, dirs + 8, import_rva);
    put32(b, dirs + 12, import_size);
    for (std::size_t i = 0; i < sections.size(); ++i) {
      const Sec& s = sections[i];
      std::size_t h = section_table() + 40 * i;
      put_bytes(b, h, s.name.substr(0, 8));
      put32(b, h + 8, s.vsize ? s.vsize : std::uint32_t(s.data.size()));
      put32(b, h + 12, s.va);
      put32(b, h + 16, std::uint32_t(s.data.size()));
      put32(b, h + 20, std::uint32_t(raw_offset(i)));
      put32(b, h + 36, s.chars);
      std::size_t off = raw_offset(i);
      if (b.size() < off + s.data.size()) b.resize(off + s.data.size());
      std::copy(s.data.begin(), s.data.end(), b.begin() + std::ptrdiff_t(off));
    }
    return b;
  }
};

/// An import section at `va`: one descriptor per DLL, the zero descriptor, then the names.
Bytes idata(std::uint32_t va, const std::vector<std::string>& dlls) {
  Bytes b((dlls.size() + 1) * 20, 0);
  for (std::size_t i = 0; i < dlls.size(); ++i) {
    std::size_t name_off = b.size();
    put_bytes(b, name_off, dlls[i] + std::string(1, '\0'));
    put32(b, i * 20 + 12, va + std::uint32_t(name_off));
    put32(b, i * 20 + 16, va + 0x800); // FirstThunk: any non-zero value
  }
  return b;
}

BinaryInfo read(const Bytes& b) {
  MemorySource src(b);
  return read_pe(src);
}

std::string error_of(const Bytes& b) {
  MemorySource src(b);
  try {
    read_pe(src);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_CASE("is_pe recognises MZ + PE signature and rejects the rest") {
  Bytes good = PeBuilder().build();
  CHECK(is_pe(MemorySource(good)));

  Bytes shortb(good.begin(), good.begin() + 63);
  CHECK_FALSE(is_pe(MemorySource(shortb)));

  Bytes no_mz = good;
  no_mz[0] = 'X';
  CHECK_FALSE(is_pe(MemorySource(no_mz)));

  Bytes far = good;
  put32(far, 0x3c, 0xfffffff0);
  CHECK_FALSE(is_pe(MemorySource(far)));

  Bytes bad_sig = good;
  bad_sig[PeBuilder::kLfanew + 2] = 'X';
  CHECK_FALSE(is_pe(MemorySource(bad_sig)));

  Bytes elf = {0x7f, 'E', 'L', 'F'};
  elf.resize(64);
  CHECK_FALSE(is_pe(MemorySource(elf)));
}

TEST_CASE("read_pe: PE32+ amd64 executable without imports") {
  BinaryInfo info = read(PeBuilder().build());
  CHECK(info.format == Format::pe);
  CHECK(info.bits == 64);
  CHECK_FALSE(info.big_endian);
  CHECK(info.machine == "x86_64");
  CHECK(info.type == "exec");
  CHECK(info.linkage == Linkage::not_applicable);
  CHECK(info.needed.empty());
  CHECK(info.rpath.empty());
  CHECK_FALSE(info.interpreter.has_value());
  CHECK(info.go_build_id.empty());
  CHECK_FALSE(info.go.has_value());
}

TEST_CASE("read_pe: PE32 i386 DLL") {
  PeBuilder pe;
  pe.machine = 0x14c;
  pe.bits = 32;
  pe.image_base = 0x10000000;
  pe.characteristics = 0x2102; // DLL | 32BIT_MACHINE | EXECUTABLE_IMAGE
  BinaryInfo info = read(pe.build());
  CHECK(info.bits == 32);
  CHECK(info.machine == "i386");
  CHECK(info.type == "dyn");
}

TEST_CASE("read_pe: machine names") {
  auto machine = [](std::uint16_t m) {
    PeBuilder pe;
    pe.machine = m;
    return read(pe.build()).machine;
  };
  CHECK(machine(0xaa64) == "aarch64");
  CHECK(machine(0x1c4) == "arm");
  CHECK(machine(0x1c0) == "arm");
  CHECK(machine(0x5064) == "riscv");
  CHECK(machine(0x6264) == "loongarch");
  CHECK(machine(0x1234) == "unknown(0x1234)");
}

TEST_CASE("read_pe: imported DLLs in descriptor order, through the section table") {
  PeBuilder pe;
  pe.add(".rdata", 0x2000, Bytes(0x80, 0), kRdata);
  pe.add(".idata", 0x3000, idata(0x3000, {"kernel32.dll", "ws2_32.dll", "advapi32.dll"}), kData);
  pe.import_rva = 0x3000;
  pe.import_size = 80;
  BinaryInfo info = read(pe.build());
  CHECK(info.needed == std::vector<std::string>{"kernel32.dll", "ws2_32.dll", "advapi32.dll"});

  SUBCASE("works the same for PE32") {
    pe.bits = 32;
    pe.image_base = 0x400000;
    CHECK(read(pe.build()).needed == std::vector<std::string>{"kernel32.dll", "ws2_32.dll", "advapi32.dll"});
  }
  SUBCASE("the import directory may start inside a section") {
    Bytes data(0x40, 0xee);
    Bytes table = idata(0x3040, {"user32.dll"});
    data.insert(data.end(), table.begin(), table.end());
    pe.sections[1].data = data;
    pe.import_rva = 0x3040;
    CHECK(read(pe.build()).needed == std::vector<std::string>{"user32.dll"});
  }
  SUBCASE("NumberOfRvaAndSizes 1 means there is no import directory") {
    Bytes b = pe.build();
    put32(b, PeBuilder::kOpt + 108, 1);
    CHECK(read(b).needed.empty());
  }
  SUBCASE("directories past SizeOfOptionalHeader are absent, whatever NumberOfRvaAndSizes says") {
    Bytes b = pe.build();
    // Room for one directory only; the section table moves up to follow it.
    const std::size_t opt = 112 + 8, table = pe.section_table();
    put16(b, PeBuilder::kCoff + 16, std::uint16_t(opt));
    std::copy(b.begin() + std::ptrdiff_t(table), b.begin() + std::ptrdiff_t(table + 80),
              b.begin() + std::ptrdiff_t(PeBuilder::kOpt + opt));
    CHECK(read(b).needed.empty());
  }
  SUBCASE("a zero import RVA means no imports") {
    pe.import_rva = 0;
    CHECK(read(pe.build()).needed.empty());
  }
}

const std::string kBuildId = "abc/def/ghi/jkl";
Bytes text_with_build_id() {
  Bytes t(0x20, 0xcc);
  put_bytes(t, 0, std::string("\xff Go build ID: \"", 16) + kBuildId + "\"\n \xff");
  return t;
}
Bytes buildinfo(const std::string& version, const std::string& goos) {
  return test::inline_buildinfo(version, test::framed_modinfo("path\texample.com/hello\n"
                                                              "mod\texample.com/hello\t(devel)\t\n"
                                                              "build\tGOOS=" + goos + "\n"));
}
Bytes cat(const Bytes& a, const Bytes& b) {
  Bytes out(a.size() + b.size()); // (not insert(): GCC 12 warns falsely about it with -O2)
  std::copy(a.begin(), a.end(), out.begin());
  std::copy(b.begin(), b.end(), out.begin() + std::ptrdiff_t(a.size()));
  return out;
}

TEST_CASE("read_pe: Go build info in the first writable data section, build ID at the start of .text") {
  PeBuilder pe;
  pe.add(".text", 0x1000, text_with_build_id(), kCode);
  // Read-only data is not searched, even when it holds something that looks like build info.
  pe.add(".rdata", 0x2000, buildinfo("go0.0decoy", "plan9"), kRdata);
  pe.add(".data", 0x3000, cat(Bytes(0x30, 0x11), buildinfo("go1.26.0", "windows")), kData);
  pe.add(".idata", 0x4000, idata(0x4000, {"kernel32.dll"}), kData);
  pe.import_rva = 0x4000;
  pe.import_size = 40;

  for (int bits : {64, 32}) {
    CAPTURE(bits);
    pe.bits = bits;
    pe.image_base = bits == 64 ? 0x140000000 : 0x400000;
    BinaryInfo info = read(pe.build());
    CHECK(info.go_build_id == kBuildId);
    REQUIRE(info.go.has_value());
    CHECK(info.go->version == "go1.26.0");
    CHECK(info.go->path == "example.com/hello");
    REQUIRE(info.go->main.has_value());
    CHECK(info.go->main->mod.path == "example.com/hello");
    CHECK(info.go->main->mod.version == "(devel)");
    CHECK(info.go->settings == std::vector<std::pair<std::string, std::string>>{{"GOOS", "windows"}});
    CHECK(info.needed == std::vector<std::string>{"kernel32.dll"});
  }

  SUBCASE("IMAGE_SCN_ALIGN_32BYTES does not hide the data section") {
    pe.sections[2].chars = kData | 0x600000;
    REQUIRE(read(pe.build()).go.has_value());
  }
  SUBCASE("a section with any other flag is not the data section") {
    pe.sections[2].chars = kData | 0x20000000; // MEM_EXECUTE
    pe.sections[3].data = idata(0x4000, {"kernel32.dll"}); // the next writable one has no build info
    CHECK_FALSE(read(pe.build()).go.has_value());
  }
  SUBCASE("build info past VirtualSize is not searched") {
    pe.sections[2].vsize = 0x30;
    CHECK_FALSE(read(pe.build()).go.has_value());
  }
  SUBCASE("the 16-byte alignment counts from the virtual address, image base included") {
    // An (odd) image base of ...8: the blob at section offset 0x38 is at an aligned address,
    // the one at 0x30 is not.
    pe.bits = 64;
    pe.image_base = 0x140000008;
    pe.sections[2].data = cat(Bytes(0x38, 0x11), buildinfo("go1.26.0", "windows"));
    REQUIRE(read(pe.build()).go.has_value());
    pe.sections[2].data = cat(Bytes(0x30, 0x11), buildinfo("go1.26.0", "windows"));
    CHECK_FALSE(read(pe.build()).go.has_value());
  }
  SUBCASE("no .text section: no build ID") {
    pe.sections[0].name = ".code";
    CHECK(read(pe.build()).go_build_id.empty());
  }
}

TEST_CASE("read_pe: pre-1.18 pointer build info is resolved through the image base and sections") {
  // .data: the header, then two Go string headers {ptr, len} pointing into .rdata.
  std::string mod = test::framed_modinfo("path\told.example/cmd\n");
  Bytes rdata;
  put_bytes(rdata, 0, "go1.16.15" + mod);
  const std::uint64_t base = 0x140000000;
  Bytes data;
  put_bytes(data, 0, "\xff Go buildinf:");
  data.push_back(8); // pointer size
  data.push_back(0); // little-endian, pointer format
  put64(data, 16, base + 0x3000 + 32);      // -> version string header
  put64(data, 24, base + 0x3000 + 48);      // -> modinfo string header
  put64(data, 32, base + 0x2000);           // version bytes
  put64(data, 40, 9);
  put64(data, 48, base + 0x2000 + 9);       // modinfo bytes
  put64(data, 56, mod.size());
  PeBuilder pe;
  pe.image_base = base;
  pe.add(".rdata", 0x2000, rdata, kRdata);
  pe.add(".data", 0x3000, data, kData);
  BinaryInfo info = read(pe.build());
  REQUIRE(info.go.has_value());
  CHECK(info.go->version == "go1.16.15");
  CHECK(info.go->path == "old.example/cmd");
}

TEST_CASE("read_pe: sections cut off by the end of the file hold no build info or build ID") {
  // Found by fuzzing: the build info reader was handed an empty range starting past the end.
  PeBuilder pe;
  pe.add(".text", 0x1000, Bytes(0x40, 0xcc), kCode);
  pe.add(".data", 0x2000, Bytes(0x40, 0), kData);
  Bytes b = pe.build();
  b.resize(0x400); // both sections' raw data are gone
  BinaryInfo info = read(b);
  CHECK(info.go_build_id.empty());
  CHECK_FALSE(info.go.has_value());
}

TEST_CASE("read_pe: truncated and out-of-range headers") {
  Bytes good = PeBuilder().build();

  CHECK(error_of(Bytes(good.begin(), good.begin() + 10)) ==
        "PE DOS header out of bounds: 64 bytes at offset 0, file size 10");

  Bytes no_mz = good;
  no_mz[1] = 'X';
  CHECK(error_of(no_mz) == "not a PE file: no MZ signature");

  Bytes far = good;
  put32(far, 0x3c, 0xffff);
  CHECK(error_of(far) == "PE e_lfanew 0xffff is outside the file (size 1024)");

  Bytes wrap = good;
  put32(wrap, 0x3c, 0xfffffffe);
  CHECK(error_of(wrap) == "PE e_lfanew 0xfffffffe is outside the file (size 1024)");

  Bytes bad_sig = good;
  bad_sig[PeBuilder::kLfanew + 3] = 1;
  CHECK(error_of(bad_sig) == "not a PE file: no PE signature at offset 0x80");

  CHECK(error_of(Bytes(good.begin(), good.begin() + PeBuilder::kCoff + 10)) ==
        "PE COFF header out of bounds: 20 bytes at offset 132, file size 142");

  CHECK(error_of(Bytes(good.begin(), good.begin() + PeBuilder::kOpt + 100)) ==
        "PE optional header out of bounds: 240 bytes at offset 152, file size 252");

  Bytes no_opt = good;
  put16(no_opt, PeBuilder::kCoff + 16, 0);
  CHECK(error_of(no_opt) == "PE optional header missing (an object file, not an image)");

  Bytes bad_magic = good;
  put16(bad_magic, PeBuilder::kOpt, 0x107);
  CHECK(error_of(bad_magic) == "PE optional header has unknown magic 0x107");

  Bytes tiny_opt = good;
  put16(tiny_opt, PeBuilder::kCoff + 16, 100);
  CHECK(error_of(tiny_opt) == "PE optional header too small: 100 bytes");

  Bytes many = good;
  put16(many, PeBuilder::kCoff + 2, 0xffff);
  CHECK(error_of(many) == "PE section table out of bounds: 2621400 bytes at offset 392, file size 1024");
}

TEST_CASE("read_pe: hostile import directories") {
  PeBuilder pe;
  pe.add(".idata", 0x3000, idata(0x3000, {"kernel32.dll"}), kData);
  pe.import_rva = 0x3000;
  pe.import_size = 40;

  SUBCASE("import RVA not in any section") {
    pe.import_rva = 0x9000;
    CHECK(error_of(pe.build()) == "PE import directory RVA 0x9000 is not in any section");
  }
  SUBCASE("import RVA in the zero-filled tail of a section") {
    pe.sections[0].vsize = 0x1000;
    pe.add(".junk", 0x5000, Bytes(0x1000, 0x41), kRdata); // file bytes where the tail would be
    pe.import_rva = 0x3800;
    CHECK(error_of(pe.build()) == "PE import directory RVA 0x3800 is not in any section");
  }
  SUBCASE("name RVA not in any section") {
    put32(pe.sections[0].data, 12, 0x7000);
    CHECK(error_of(pe.build()) == "PE import name RVA 0x7000 is not in any section");
  }
  SUBCASE("name without NUL before the end of its section") {
    Bytes d = idata(0x3000, {"kernel32.dll"});
    d.pop_back(); // the name's NUL
    pe.sections[0].data = d;
    CHECK(error_of(pe.build()) == "PE import name at RVA 0x3028 is not NUL-terminated");
  }
  SUBCASE("descriptors run off the end of the section without a zero entry") {
    Bytes d(100, 0x41); // no all-zero descriptor anywhere; names point back into it
    for (std::size_t i = 0; i < 5; ++i) put32(d, i * 20 + 12, 0x3000 + 99);
    d[99] = 0;
    pe.sections[0].data = d;
    CHECK(error_of(pe.build()) == "PE import directory runs past the end of its section");
  }
  SUBCASE("a huge table without terminator is cut at 4096 entries") {
    Bytes d(4100 * 20, 0);
    for (std::size_t i = 0; i < 4100; ++i) put32(d, i * 20 + 12, 0x3000 + 4100 * 20 - 2);
    put_bytes(d, 4100 * 20 - 2, std::string("a\0", 2));
    pe.sections[0].data = d;
    CHECK(error_of(pe.build()) == "PE import directory has no terminating entry within 4096 entries");
  }
  SUBCASE("section raw data cut by the end of the file") {
    Bytes b = pe.build();
    b.resize(0x400 + 10);
    CHECK(error_of(b) == "PE import directory runs past the end of its section");
  }
}

/// fuzz/seeds.sh runs this (--no-skip) to write the builders' images as fuzz_pe seeds.
TEST_CASE("fuzz seeds: pe" * doctest::skip()) {
  const char* dir = std::getenv("GOBUILD_FUZZ_SEEDS");
  if (!dir) return;
  std::vector<Bytes> seeds;
  for (int bits : {64, 32}) {
    PeBuilder pe;
    pe.bits = bits;
    pe.add(".text", 0x1000, text_with_build_id(), kCode);
    pe.add(".data", 0x2000, cat(Bytes(0x10, 0), buildinfo("go1.26.0", "windows")), kData);
    pe.add(".idata", 0x3000, idata(0x3000, {"kernel32.dll", "ws2_32.dll"}), kData);
    pe.import_rva = 0x3000;
    pe.import_size = 60;
    seeds.push_back(pe.build());
  }
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    std::ofstream out(std::string(dir) + "/pe/hand-" + std::to_string(i), std::ios::binary);
    out.write(reinterpret_cast<const char*>(seeds[i].data()), std::streamsize(seeds[i].size()));
    CHECK(out.good());
  }
}

} // namespace
} // namespace gobuild
