#pragma once
// A tiny ELF writer for unit tests: an ELF header, a program header table right after it,
// blobs at 0x1000 onwards, and (optionally) a section header table at the end. Every header
// field that the reader validates can be overridden, to make hostile files by hand.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gobuild::test {

/// Appends integers in a chosen byte order.
struct Bytes {
  bool big = false;
  std::vector<std::uint8_t> v;

  explicit Bytes(bool big_endian = false) : big(big_endian) {}
  Bytes& u8(std::uint64_t x) {
    v.push_back(std::uint8_t(x));
    return *this;
  }
  Bytes& uint(std::uint64_t x, int n) {
    for (int i = 0; i < n; ++i) v.push_back(std::uint8_t(x >> (8 * (big ? n - 1 - i : i))));
    return *this;
  }
  Bytes& u16(std::uint64_t x) { return uint(x, 2); }
  Bytes& u32(std::uint64_t x) { return uint(x, 4); }
  Bytes& u64(std::uint64_t x) { return uint(x, 8); }
  Bytes& str(std::string_view s) {
    v.insert(v.end(), s.begin(), s.end());
    return *this;
  }
  Bytes& zeros(std::size_t n) {
    v.insert(v.end(), n, 0);
    return *this;
  }
  Bytes& uvarint(std::uint64_t x) {
    while (x >= 0x80) {
      v.push_back(std::uint8_t(x | 0x80));
      x >>= 7;
    }
    v.push_back(std::uint8_t(x));
    return *this;
  }
};

// ELF constants the tests use.
enum : std::uint32_t { PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4 };
enum : std::uint32_t { PF_X = 1, PF_W = 2, PF_R = 4 };
enum : std::uint32_t { SHT_PROGBITS = 1, SHT_NOTE = 7, SHT_NOBITS = 8 };
enum : std::uint64_t {
  DT_NULL = 0, DT_NEEDED = 1, DT_STRTAB = 5, DT_STRSZ = 10, DT_RPATH = 15, DT_RUNPATH = 29,
  DT_FLAGS_1 = 0x6ffffffb, DF_1_PIE = 0x08000000, DF_1_NOW = 1
};

/// The 16-byte sentinels that cmd/go puts around the modinfo.
inline std::string framed_modinfo(std::string_view body) {
  return std::string("0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6", 16) + std::string(body) +
         std::string("\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2", 16);
}

/// A Go 1.18+ build info blob: the 32-byte header, then the two uvarint-prefixed strings.
inline std::vector<std::uint8_t> inline_buildinfo(std::string_view version, std::string_view modinfo) {
  Bytes b;
  b.str("\xff Go buildinf:").u8(8).u8(2).zeros(16);
  b.uvarint(version.size()).str(version).uvarint(modinfo.size()).str(modinfo);
  return b.v;
}

struct ElfBuilder {
  static constexpr std::uint64_t kDataBase = 0x1000; ///< file offset of the first blob
  static constexpr std::uint64_t kVaddr = 0x400000;  ///< segment() maps file offset o at kVaddr+o

  struct Seg {
    std::uint32_t type, flags;
    std::uint64_t offset, vaddr, filesz, memsz, align;
  };
  struct Sec {
    std::string name;
    std::uint32_t type;
    std::uint64_t addr, offset, size, align;
    std::uint32_t link = 0, info = 0;
  };

  bool is64 = true;
  bool big = false;
  std::uint16_t type = 2;     // ET_EXEC
  std::uint16_t machine = 62; // EM_X86_64
  std::vector<Seg> segs;
  std::vector<Sec> secs;
  bool sections = false; ///< write a section header table (null section, secs, .shstrtab)
  std::vector<std::uint8_t> data;

  // Overrides, to break the file on purpose.
  std::optional<std::uint8_t> ei_class, ei_data, ei_version;
  std::optional<std::uint64_t> phoff, shoff;
  std::optional<std::uint16_t> phnum, phentsize, shnum, shentsize, shstrndx;
  std::uint64_t sh0_size = 0, sh0_info = 0;
  std::uint32_t sh0_link = 0;

  explicit ElfBuilder(bool is64_ = true, bool big_ = false) : is64(is64_), big(big_) {}

  Bytes bytes() const { return Bytes(big); }

  /// Appends a blob at the next 16-byte boundary; returns its file offset.
  std::uint64_t put(const std::vector<std::uint8_t>& blob) {
    while (data.size() % 16) data.push_back(0);
    std::uint64_t off = kDataBase + data.size();
    data.insert(data.end(), blob.begin(), blob.end());
    return off;
  }
  std::uint64_t put(std::string_view s) { return put(std::vector<std::uint8_t>(s.begin(), s.end())); }

  /// A program header mapping [offset, offset+size) at kVaddr+offset.
  Seg& segment(std::uint32_t t, std::uint32_t flags, std::uint64_t offset, std::uint64_t size) {
    segs.push_back(Seg{t, flags, offset, kVaddr + offset, size, size, 8});
    return segs.back();
  }
  /// A PT_LOAD of the whole file from offset 0 (for DT_STRTAB and pointers), read-only.
  void load_all(std::uint32_t flags = PF_R) { segment(PT_LOAD, flags, 0, 0x100000); }

  std::vector<std::uint8_t> dynamic(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& entries) const {
    Bytes b = bytes();
    for (const auto& [tag, val] : entries) b.uint(tag, is64 ? 8 : 4).uint(val, is64 ? 8 : 4);
    return b.v;
  }

  std::vector<std::uint8_t> note(std::string_view name, std::uint32_t t, std::string_view desc) const {
    Bytes b = bytes();
    b.u32(name.size()).u32(desc.size()).u32(t).str(name);
    while (b.v.size() % 4) b.u8(0);
    b.str(desc);
    while (b.v.size() % 4) b.u8(0);
    return b.v;
  }

  std::vector<std::uint8_t> build() const {
    const std::uint64_t ehsize = is64 ? 64 : 52, phsize = is64 ? 56 : 32, shsize = is64 ? 64 : 40;
    Bytes f = bytes();
    auto word = [&](std::uint64_t x) { f.uint(x, is64 ? 8 : 4); };

    // Layout: data, then .shstrtab, then the section header table.
    std::vector<std::uint8_t> body = data;
    std::string names(1, '\0');
    std::vector<std::uint32_t> name_off;
    for (const Sec& s : secs) {
      name_off.push_back(std::uint32_t(names.size()));
      names += s.name + '\0';
    }
    std::uint32_t shstrtab_name = std::uint32_t(names.size());
    names += ".shstrtab";
    names += '\0';
    std::uint64_t names_off = kDataBase + body.size();
    if (sections) body.insert(body.end(), names.begin(), names.end());
    while (body.size() % 8) body.push_back(0);
    std::uint64_t sh_off = sections ? kDataBase + body.size() : 0;
    std::uint64_t sh_count = secs.size() + 2;

    f.u8(0x7f).str("ELF").u8(ei_class.value_or(is64 ? 2 : 1)).u8(ei_data.value_or(big ? 2 : 1));
    f.u8(ei_version.value_or(1)).zeros(9);
    f.u16(type).u16(machine).u32(1);
    word(0x401000);                                  // e_entry
    word(phoff.value_or(segs.empty() ? 0 : ehsize)); // e_phoff
    word(shoff.value_or(sh_off));
    f.u32(0).u16(ehsize).u16(phentsize.value_or(std::uint16_t(phsize)));
    f.u16(phnum.value_or(std::uint16_t(segs.size())));
    f.u16(shentsize.value_or(std::uint16_t(shsize)));
    f.u16(shnum.value_or(sections ? std::uint16_t(sh_count) : 0));
    f.u16(shstrndx.value_or(sections ? std::uint16_t(sh_count - 1) : 0));
    for (const Seg& s : segs) {
      if (is64) {
        f.u32(s.type).u32(s.flags).u64(s.offset).u64(s.vaddr).u64(s.vaddr).u64(s.filesz).u64(s.memsz).u64(s.align);
      } else {
        f.u32(s.type).u32(s.offset).u32(s.vaddr).u32(s.vaddr).u32(s.filesz).u32(s.memsz).u32(s.flags).u32(s.align);
      }
    }
    if (f.v.size() > kDataBase) throw std::logic_error("ElfBuilder: too many program headers");
    f.zeros(kDataBase - f.v.size());
    f.v.insert(f.v.end(), body.begin(), body.end());

    if (sections) {
      auto shdr = [&](std::uint32_t name, std::uint32_t t, std::uint64_t addr, std::uint64_t off, std::uint64_t size,
                      std::uint32_t link, std::uint32_t info, std::uint64_t align) {
        f.u32(name).u32(t);
        word(0); // sh_flags
        word(addr);
        word(off);
        word(size);
        f.u32(link).u32(info);
        word(align);
        word(0); // sh_entsize
      };
      shdr(0, 0, 0, 0, sh0_size, sh0_link, std::uint32_t(sh0_info), 0);
      for (std::size_t i = 0; i < secs.size(); ++i) {
        const Sec& s = secs[i];
        shdr(name_off[i], s.type, s.addr, s.offset, s.size, s.link, s.info, s.align);
      }
      shdr(shstrtab_name, 3, 0, names_off, names.size(), 0, 0, 1);
    }
    return f.v;
  }
};

} // namespace gobuild::test
