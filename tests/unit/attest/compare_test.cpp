#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

#include "gobuild/attest/compare.hpp"
#include "gobuild/binary/source.hpp"

using namespace gobuild;

namespace {

std::string temp_file(const std::string& name, const std::string& data) {
  std::string p = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/gobuild-compare-" +
                  std::to_string(::getpid()) + "-" + name;
  std::ofstream(p, std::ios::binary) << data;
  return p;
}

GoBuildInfo info(bool trimpath, std::string ldflags) {
  GoBuildInfo g;
  g.version = "go1.26.8";
  g.path = "example.com/app";
  g.settings = {{"CGO_ENABLED", "0"}, {"-trimpath", trimpath ? "true" : "false"}};
  if (!ldflags.empty()) g.settings.emplace_back("-ldflags", std::move(ldflags));
  return g;
}

} // namespace

TEST_CASE("compare_builds: equal files, and the first differing offset of different ones") {
  std::string a = temp_file("a", std::string(100000, 'x'));
  std::string b = temp_file("b", std::string(100000, 'x'));
  CHECK(compare_builds(a, b).identical);

  std::string data(100000, 'x');
  data[70000] = 'y';
  std::string c = temp_file("c", data);
  ReproDiff d = compare_builds(a, c);
  CHECK_FALSE(d.identical);
  CHECK(d.first_offset == 70000);
  CHECK(d.where == "file offset 0x11170");

  std::string shorter = temp_file("d", std::string(99999, 'x'));
  ReproDiff s = compare_builds(a, shorter);
  CHECK_FALSE(s.identical);
  CHECK(s.first_offset == 99999);
  CHECK(s.size_a == 100000);
  CHECK(s.size_b == 99999);
  for (const auto& p : {a, b, c, shorter}) ::unlink(p.c_str());
}

TEST_CASE("diff_buildinfo lists the lines only one side has") {
  auto d = diff_buildinfo(info(true, ""), info(true, "-X main.date=2026-11-27"));
  CHECK(d == std::vector<std::string>{"+ build -ldflags=-X main.date=2026-11-27"});
  CHECK(diff_buildinfo(info(true, ""), info(true, "")).empty());
  CHECK(diff_buildinfo(std::nullopt, info(true, "")).front() == "- (no Go build info)");
}

TEST_CASE("guess_causes names trimpath, -X and VCS stamping") {
  auto c = guess_causes(info(false, ""), {}, "section .rodata");
  REQUIRE(c.size() == 1);
  CHECK(c[0] == "trimpath is off: the build directory's path is written into the binary (set trimpath: true)");

  c = guess_causes(info(true, "-X main.date=now"), {}, "section .rodata");
  REQUIRE(c.size() == 1);
  CHECK(c[0].rfind("-ldflags sets a variable with -X", 0) == 0);

  c = guess_causes(info(true, ""), {"- build vcs.modified=false", "+ build vcs.modified=true"}, "section .go.buildinfo");
  REQUIRE(c.size() == 1);
  CHECK(c[0].rfind("VCS stamping differs", 0) == 0);
}

namespace {

void put16(std::string& b, size_t off, unsigned v) {
  b[off] = static_cast<char>(v & 0xff);
  b[off + 1] = static_cast<char>(v >> 8);
}
void put32(std::string& b, size_t off, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void put64(std::string& b, size_t off, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b[off + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// A little-endian ELF64 executable: the ELF header at 0, two program headers at 0x40
// (PT_PHDR over the table, PT_LOAD over 0x100..0x200), sections at 0x100 .note.go.buildid
// (0x20 bytes), 0x120 .text (0x40), 0x160 .rodata (`rodata_size`), 0x1f0 .shstrtab, and the
// section header table at 0x240 (null, the four).
std::string tiny_elf(std::uint64_t rodata_size) {
  std::string b(0x240 + 5 * 64, '\0');
  b.replace(0, 4, "\x7f" "ELF");
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little-endian
  b[6] = 1;
  put16(b, 16, 2);     // ET_EXEC
  put16(b, 18, 62);    // x86_64
  put32(b, 20, 1);
  put64(b, 32, 0x40);  // e_phoff
  put64(b, 40, 0x240); // e_shoff
  put16(b, 52, 64);    // e_ehsize
  put16(b, 54, 56);
  put16(b, 56, 2);
  put16(b, 58, 64);
  put16(b, 60, 5);
  put16(b, 62, 4);     // e_shstrndx
  auto phdr = [&](size_t i, std::uint32_t type, std::uint64_t off, std::uint64_t size) {
    size_t p = 0x40 + i * 56;
    put32(b, p, type);
    put32(b, p + 4, 4);
    put64(b, p + 8, off);
    put64(b, p + 16, 0x400000 + off);
    put64(b, p + 24, 0x400000 + off);
    put64(b, p + 32, size);
    put64(b, p + 40, size);
  };
  phdr(0, 6, 0x40, 2 * 56);
  phdr(1, 1, 0x100, 0x100 + rodata_size - 0x40);
  const std::string names = std::string("\0.note.go.buildid\0.text\0.rodata\0.shstrtab\0", 42);
  b.replace(0x1f0, names.size(), names);
  auto shdr = [&](size_t i, std::uint32_t name, std::uint64_t off, std::uint64_t size) {
    size_t p = 0x240 + i * 64;
    put32(b, p, name);
    put32(b, p + 4, i == 4 ? 3 : 1);
    put64(b, p + 24, off);
    put64(b, p + 32, size);
  };
  shdr(1, 1, 0x100, 0x20);
  shdr(2, 18, 0x120, 0x40);
  shdr(3, 24, 0x160, rodata_size);
  shdr(4, 32, 0x1f0, names.size());
  for (size_t i = 0x120; i < 0x160; ++i) b[i] = static_cast<char>(0x90);
  return b;
}

std::string describe(const std::string& a, const std::string& b, std::uint64_t off) {
  MemorySource sa(a.data(), a.size()), sb(b.data(), b.size());
  return describe_difference(sa, sb, off);
}

} // namespace

TEST_CASE("describe_difference: a byte inside a section names it and its segment") {
  std::string a = tiny_elf(0x40), b = a;
  b[0x170] = 'x';
  CHECK(describe(a, b, 0x170) == "section .rodata (file offset 0x170), segment 1 PT_LOAD");
  CHECK(describe(a, b, 0x125) == "section .text (file offset 0x125), segment 1 PT_LOAD");
}

TEST_CASE("describe_difference: a header names the first section whose bytes differ, not the build ID") {
  std::string a = tiny_elf(0x40), b = tiny_elf(0x48);
  a[0x100] = 'A'; // the build IDs differ too
  b[0x100] = 'B';
  CHECK(describe(a, b, 0x40 + 56 + 32) ==
        "program header 1 (PT_LOAD) (file offset 0x98); first differing section .rodata: 0x40 bytes, then 0x48");
  CHECK(describe(a, b, 0x2) == "the ELF header (file offset 0x2); first differing section .rodata: 0x40 bytes, then 0x48");
  CHECK(describe(a, b, 0x240 + 3 * 64 + 32) ==
        "section header 3 (.rodata) (file offset 0x320); first differing section .rodata: 0x40 bytes, then 0x48");
  // Equal sizes: where inside the section.
  std::string c = tiny_elf(0x40), d = c;
  d[0x165] = 'z';
  d[0x100] = 'B';
  CHECK(describe(c, d, 0x78) == "program header 1 (PT_LOAD) (file offset 0x78); first differing section .rodata at +0x5");
  // Only the build ID differs: it is named after all.
  std::string e = tiny_elf(0x40), f = e;
  f[0x104] = 'B';
  CHECK(describe(e, f, 0x78) == "program header 1 (PT_LOAD) (file offset 0x78); first differing section .note.go.buildid at +0x4");
}

TEST_CASE("describe_difference: not ELF, just the offset") {
  std::string a(100, 'a'), b(100, 'a');
  b[50] = 'b';
  CHECK(describe(a, b, 50) == "file offset 0x32");
}

TEST_CASE("verdict_lines: one line when identical; the difference, build info and causes when not") {
  ReproDiff same;
  CHECK(verdict_lines("bin/app", "aa", "aa", same) == std::vector<std::string>{"bin/app: reproducible: sha256:aa"});
  ReproDiff d;
  d.identical = false;
  d.where = "section .gopclntab (file offset 0x1000)";
  d.buildinfo_diff = {"- build vcs=git"};
  d.likely_causes = {"trimpath is off"};
  CHECK(verdict_lines("bin/app", "aa", "bb", d) ==
        std::vector<std::string>{
            "bin/app: not reproducible: sha256:aa then sha256:bb; first difference at section .gopclntab (file offset 0x1000)",
            "  - build vcs=git", "  likely cause: trimpath is off"});
}
