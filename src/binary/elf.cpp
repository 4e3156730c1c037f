// The ELF reader. The file's class and byte order are read once from e_ident, which picks one
// of four sets of decoders (ElfClass<32|64, LE|BE> in elf_records.hpp); every record is then
// copied out of bounds-checked bytes into its typed struct and turned into the class-neutral
// structs below, so the rest of the reader does not care whether the file is ELF32 or ELF64,
// LE or BE.
//
// What is read: the ELF header, the program headers, PT_INTERP, PT_DYNAMIC (and the strings
// it names), PT_NOTE, and the section headers with their names (to find .go.buildinfo and,
// when there is no PT_NOTE, SHT_NOTE). Every count is bounded by the file size and by a cap.
#include "gobuild/binary/elf.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <functional>

#include "elf_records.hpp"
#include "gobuild/binary/buildinfo.hpp"

namespace gobuild {
namespace {

// ELF constants (gABI).
constexpr std::uint16_t ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;
constexpr std::uint32_t PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4;
constexpr std::uint32_t PF_X = 1, PF_W = 2;
constexpr std::uint32_t SHT_NOTE = 7, SHT_NOBITS = 8;
constexpr std::uint16_t PN_XNUM = 0xffff, SHN_XINDEX = 0xffff;
constexpr std::uint64_t DT_NULL = 0, DT_NEEDED = 1, DT_STRTAB = 5, DT_STRSZ = 10, DT_RPATH = 15,
                        DT_RUNPATH = 29, DT_FLAGS_1 = 0x6ffffffb;
constexpr std::uint64_t DF_1_PIE = 0x08000000;
constexpr std::uint32_t NT_GO_BUILD_ID = 4; // cmd/link's ELF_NOTE_GOBUILDID_TAG

// Caps, on top of "it must fit in the file".
constexpr std::uint64_t kMaxTableEntries = 1u << 20; // program or section headers
constexpr std::uint64_t kMaxDynamic = 1u << 16;      // dynamic entries, all PT_DYNAMICs together
constexpr std::uint64_t kMaxDynString = 4096;        // one NEEDED/RPATH/RUNPATH string
constexpr std::uint64_t kMaxDynStrings = 1u << 20;   // all of them together
constexpr std::uint64_t kMaxInterp = 4096;           // PATH_MAX
constexpr std::uint64_t kMaxNotes = 4096;            // notes scanned, all segments and sections together
constexpr std::uint64_t kMaxBuildId = 4096;          // a Go build ID is ~83 bytes

struct Phdr {
  std::uint32_t type = 0, flags = 0;
  std::uint64_t offset = 0, vaddr = 0, filesz = 0, memsz = 0, align = 0;
};

struct Shdr {
  std::uint32_t name = 0, type = 0, link = 0, info = 0;
  std::uint64_t addr = 0, offset = 0, size = 0, align = 0;
};

struct Dyn {
  std::uint64_t tag = 0, val = 0;
};

struct Nhdr {
  std::uint64_t namesz = 0, descsz = 0, type = 0;
};

/// The ELF header's fields that the reader uses.
struct Ehdr {
  std::uint16_t type = 0, machine = 0;
  std::uint64_t phoff = 0, shoff = 0;
  std::uint16_t ehsize = 0, phentsize = 0, phnum = 0, shentsize = 0, shnum = 0, shstrndx = 0;
};

template <class C> Ehdr decode_ehdr(const ByteSource& src) {
  const auto r = elf::read_record<typename C::Ehdr>(src, 0, "ELF header");
  return Ehdr{r.e_type.value(),      r.e_machine.value(),   r.e_phoff.value(), r.e_shoff.value(),
              r.e_ehsize.value(),    r.e_phentsize.value(), r.e_phnum.value(), r.e_shentsize.value(),
              r.e_shnum.value(),     r.e_shstrndx.value()};
}
template <class C> Phdr decode_phdr(const std::uint8_t* p) {
  const auto r = elf::record_at<typename C::Phdr>(p);
  return Phdr{r.p_type.value(),   r.p_flags.value(),  r.p_offset.value(), r.p_vaddr.value(),
              r.p_filesz.value(), r.p_memsz.value(),  r.p_align.value()};
}
template <class C> Shdr decode_shdr(const std::uint8_t* p) {
  const auto r = elf::record_at<typename C::Shdr>(p);
  return Shdr{r.sh_name.value(), r.sh_type.value(),   r.sh_link.value(), r.sh_info.value(),
              r.sh_addr.value(), r.sh_offset.value(), r.sh_size.value(), r.sh_addralign.value()};
}
template <class C> Dyn decode_dyn(const std::uint8_t* p) {
  const auto r = elf::record_at<typename C::Dyn>(p);
  return Dyn{r.d_tag.value(), r.d_val.value()};
}
template <class C> Nhdr decode_nhdr(const std::uint8_t* p) {
  const auto r = elf::record_at<typename C::Nhdr>(p);
  return Nhdr{r.n_namesz.value(), r.n_descsz.value(), r.n_type.value()};
}

/// One class and byte order's decoders and record sizes, picked once from e_ident.
struct Decoders {
  Ehdr (*ehdr)(const ByteSource&);
  Phdr (*phdr)(const std::uint8_t*);
  Shdr (*shdr)(const std::uint8_t*);
  Dyn (*dyn)(const std::uint8_t*);
  Nhdr (*nhdr)(const std::uint8_t*);
  std::size_t ehdr_size, phdr_size, shdr_size, dyn_size;
};

template <class C> constexpr Decoders decoders_for() {
  return Decoders{&decode_ehdr<C>, &decode_phdr<C>, &decode_shdr<C>, &decode_dyn<C>, &decode_nhdr<C>,
                  sizeof(typename C::Ehdr), sizeof(typename C::Phdr), sizeof(typename C::Shdr),
                  sizeof(typename C::Dyn)};
}

Decoders decoders(bool is64, bool big) {
  using elf::ElfClass;
  using elf::order;
  if (is64) return big ? decoders_for<ElfClass<true, order::big>>() : decoders_for<ElfClass<true, order::little>>();
  return big ? decoders_for<ElfClass<false, order::big>>() : decoders_for<ElfClass<false, order::little>>();
}

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

/// readelf's machine name in lower case (Go's GOARCHes all covered).
std::string machine_name(std::uint16_t m, bool is64) {
  switch (m) {
  case 0: return "none";
  case 2: return "sparc";
  case 3: return "i386"; // readelf: "Intel 80386"
  case 4: return "m68k";
  case 8: return "mips";
  case 15: return "parisc";
  case 18: return "sparc"; // EM_SPARC32PLUS
  case 20: return "ppc";
  case 21: return "ppc64";
  case 22: return is64 ? "s390x" : "s390"; // EM_S390 covers both
  case 40: return "arm";
  case 41: return "alpha";
  case 42: return "sh";
  case 43: return "sparcv9";
  case 50: return "ia64";
  case 62: return "x86_64";
  case 94: return "xtensa";
  case 164: return "hexagon";
  case 183: return "aarch64";
  case 243: return "riscv";
  case 247: return "bpf";
  case 258: return "loongarch";
  case 0x9026: return "alpha";
  default: {
    char buf[24];
    std::snprintf(buf, sizeof buf, "unknown(0x%02x)", m);
    return buf;
  }
  }
}

std::string type_name(std::uint16_t t) {
  switch (t) {
  case 0: return "none";
  case ET_REL: return "rel";
  case ET_EXEC: return "exec";
  case ET_DYN: return "dyn";
  case ET_CORE: return "core";
  default: {
    char buf[24];
    std::snprintf(buf, sizeof buf, "unknown(0x%04x)", t);
    return buf;
  }
  }
}

/// One ELF file: the header decoded, then helpers to read its tables.
class Elf {
public:
  explicit Elf(const ByteSource& source) : src(source) { read_header(); }

  const ByteSource& src;
  bool is64 = false, big = false;
  Decoders decode{}; ///< for this file's class and byte order
  std::uint16_t type = 0, machine = 0;
  std::vector<Phdr> phdrs;
  // Section headers: where the table is, the real count and the real name-table index.
  std::uint64_t shoff = 0, shnum = 0, shentsize = 0, shstrndx = 0;
  // The ELF header's size and the program header table's place (phdrs holds its entries).
  std::uint64_t ehsize = 0, phoff = 0, phentsize = 0;
  // What is left of the per-file budgets, so that many overlapping PT_DYNAMIC, PT_NOTE or
  // SHT_NOTE headers cannot multiply the work.
  std::uint64_t dynamic_left = kMaxDynamic, notes_left = kMaxNotes;

  /// Calls f(entry bytes) for `count` entries of `entsize` bytes at `off`; reads in chunks
  /// of at most 64 KiB, `used` (<= entsize) bytes of each entry being looked at.
  void for_each(std::uint64_t off, std::uint64_t count, std::uint64_t entsize, const char* what,
                const std::function<bool(const std::uint8_t*)>& f) const {
    std::uint64_t per_chunk = std::max<std::uint64_t>(1, (64u << 10) / entsize);
    std::vector<std::uint8_t> buf;
    for (std::uint64_t i = 0; i < count;) {
      std::uint64_t n = std::min(per_chunk, count - i);
      buf.resize(static_cast<std::size_t>(n * entsize));
      src.read(off + i * entsize, buf.data(), buf.size(), what);
      for (std::uint64_t j = 0; j < n; ++j)
        if (!f(buf.data() + j * entsize)) return;
      i += n;
    }
  }

  Shdr section(std::uint64_t index) const {
    std::array<std::uint8_t, 64> b{};
    src.read(shoff + index * shentsize, b.data(), decode.shdr_size, "section header");
    return decode.shdr(b.data());
  }

  /// Maps a virtual address to a file offset through the PT_LOAD whose file bytes hold it;
  /// `avail` gets how many of the segment's bytes from there on are in the file.
  std::optional<std::uint64_t> addr_to_off(std::uint64_t addr, std::uint64_t& avail) const {
    for (const Phdr& p : phdrs) {
      if (p.type != PT_LOAD || addr < p.vaddr || addr - p.vaddr >= p.filesz) continue;
      std::uint64_t delta = addr - p.vaddr;
      if (p.offset > src.size() || delta > src.size() - p.offset) return std::nullopt;
      std::uint64_t off = p.offset + delta;
      avail = std::min(p.filesz - delta, src.size() - off);
      return off;
    }
    return std::nullopt;
  }

private:
  void read_header() {
    if (!is_elf(src)) throw ParseError("not an ELF file");
    std::array<std::uint8_t, 16> ident{};
    if (src.size() < ident.size()) throw ParseError("truncated ELF header");
    src.read(0, ident.data(), ident.size(), "ELF header");
    if (ident[4] != 1 && ident[4] != 2) throw ParseError("unsupported ELF class " + std::to_string(ident[4]));
    if (ident[5] != 1 && ident[5] != 2) throw ParseError("unsupported ELF data encoding " + std::to_string(ident[5]));
    if (ident[6] != 1) throw ParseError("unsupported ELF version " + std::to_string(ident[6]));
    is64 = ident[4] == 2;
    big = ident[5] == 2;
    decode = decoders(is64, big); // the one dispatch on class and byte order
    if (src.size() < decode.ehdr_size) throw ParseError("truncated ELF header");
    const Ehdr h = decode.ehdr(src);
    type = h.type;
    machine = h.machine;
    phoff = h.phoff;
    shoff = h.shoff;
    ehsize = h.ehsize;
    phentsize = h.phentsize;
    std::uint64_t phnum = h.phnum;
    shentsize = h.shentsize;
    std::uint64_t e_shnum = h.shnum, e_shstrndx = h.shstrndx;

    // Section 0 carries the counts that do not fit in the header (PN_XNUM, e_shnum == 0,
    // SHN_XINDEX), so it is read whenever there is a section header table.
    Shdr sh0;
    if (shoff != 0) {
      if (shentsize < decode.shdr_size) throw ParseError("invalid section header entry size " + std::to_string(shentsize));
      if (!src.contains(shoff, shentsize)) throw ParseError("section header table out of bounds");
      sh0 = section(0);
      shnum = e_shnum != 0 ? e_shnum : sh0.size;               // e_shnum == 0: count in sh_size
      shstrndx = e_shstrndx == SHN_XINDEX ? sh0.link : e_shstrndx; // SHN_XINDEX: index in sh_link
      check_table(shoff, shnum, shentsize, "section header");
    }

    if (phoff == 0) return; // no program header table
    if (phnum == PN_XNUM) {   // PN_XNUM: the real count is in sh_info of section 0
      if (shoff == 0) throw ParseError("PN_XNUM without a section header table");
      phnum = sh0.info;
    }
    if (phnum == 0) return;
    if (phentsize < decode.phdr_size) throw ParseError("invalid program header entry size " + std::to_string(phentsize));
    check_table(phoff, phnum, phentsize, "program header");
    phdrs.reserve(static_cast<std::size_t>(phnum));
    for_each(phoff, phnum, phentsize, "program header table", [&](const std::uint8_t* p) {
      phdrs.push_back(decode.phdr(p));
      return true;
    });
  }

  void check_table(std::uint64_t off, std::uint64_t count, std::uint64_t entsize, const std::string& what) const {
    if (count > kMaxTableEntries) throw ParseError("too many " + what + "s (" + std::to_string(count) + ")");
    if (!src.contains(off, count * entsize)) throw ParseError(what + " table out of bounds");
  }
};

/// Reads a NUL-terminated string of at most kMaxDynString bytes at [off, limit).
std::string read_cstring(const ByteSource& src, std::uint64_t off, std::uint64_t limit) {
  std::string out;
  std::array<char, 256> buf{};
  while (off < limit && out.size() < kMaxDynString) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), limit - off));
    src.read(off, buf.data(), n, "dynamic string");
    const void* nul = std::memchr(buf.data(), 0, n);
    if (nul) return out.append(buf.data(), static_cast<const char*>(nul) - buf.data());
    out.append(buf.data(), n);
    off += n;
  }
  throw ParseError(out.size() >= kMaxDynString ? "dynamic string longer than " + std::to_string(kMaxDynString) + " bytes"
                                               : "unterminated dynamic string");
}

/// PT_DYNAMIC: DT_NEEDED, DT_RPATH, DT_RUNPATH (in order) and DT_FLAGS_1.
void read_dynamic(Elf& e, const Phdr& p, BinaryInfo& bi, std::uint64_t& flags_1) {
  const ByteSource& src = e.src;
  if (!src.contains(p.offset, p.filesz)) throw ParseError("dynamic segment out of bounds");
  const std::uint64_t entsize = e.decode.dyn_size;
  std::uint64_t count = p.filesz / entsize;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> strings; // (tag, string offset)
  std::optional<std::uint64_t> strtab;
  std::optional<std::uint64_t> strsz;
  bool too_many = false;
  e.for_each(p.offset, count, entsize, "dynamic segment", [&](const std::uint8_t* d) {
    const auto [tag, val] = e.decode.dyn(d);
    if (tag == DT_NULL) return false;
    if (e.dynamic_left == 0) {
      too_many = true;
      return false;
    }
    --e.dynamic_left;
    if (tag == DT_NEEDED || tag == DT_RPATH || tag == DT_RUNPATH) strings.emplace_back(tag, val);
    else if (tag == DT_STRTAB) strtab = val;
    else if (tag == DT_STRSZ) strsz = val;
    else if (tag == DT_FLAGS_1) flags_1 |= val;
    return true;
  });
  if (too_many) throw ParseError("more than " + std::to_string(kMaxDynamic) + " dynamic entries");
  if (strings.empty()) return;

  // DT_STRTAB is a virtual address: find its file bytes through the PT_LOAD that holds it.
  if (!strtab) throw ParseError("DT_NEEDED, DT_RPATH or DT_RUNPATH without DT_STRTAB");
  std::uint64_t avail = 0;
  auto base = e.addr_to_off(*strtab, avail);
  if (!base) throw ParseError("DT_STRTAB " + hex(*strtab) + " is not in any PT_LOAD segment");
  std::uint64_t size = strsz ? std::min(*strsz, avail) : avail;
  std::uint64_t total = 0;
  for (const auto& [tag, off] : strings) {
    if (off >= size)
      throw ParseError("dynamic string offset " + std::to_string(off) + " out of bounds (string table size " +
                       std::to_string(size) + ")");
    std::string s = read_cstring(src, *base + off, *base + size);
    total += s.size();
    if (total > kMaxDynStrings) throw ParseError("dynamic strings exceed " + std::to_string(kMaxDynStrings) + " bytes");
    (tag == DT_NEEDED ? bi.needed : tag == DT_RPATH ? bi.rpath : bi.runpath).push_back(std::move(s));
  }
}

std::string read_interp(const ByteSource& src, const Phdr& p) {
  if (!src.contains(p.offset, p.filesz)) throw ParseError("PT_INTERP out of bounds");
  if (p.filesz > kMaxInterp) throw ParseError("PT_INTERP longer than " + std::to_string(kMaxInterp) + " bytes");
  std::string s(static_cast<std::size_t>(p.filesz), '\0');
  src.read(p.offset, s.data(), s.size(), "PT_INTERP");
  return s.substr(0, s.find('\0')); // the trailing NUL, and anything a hostile file puts after it
}

/// Scans the notes in [off, off+size) for the Go build-ID note ("Go\0\0", type 4). A note that
/// runs past the end stops the scan, as in `go tool buildid`.
std::string find_go_note(Elf& e, std::uint64_t off, std::uint64_t size, std::uint64_t align) {
  std::uint64_t pos = off, end = off + size;
  for (; e.notes_left > 0 && end - pos >= 12; --e.notes_left) {
    std::array<std::uint8_t, 16> h{};
    e.src.read(pos, h.data(), 12, "note");
    const auto [namesz, descsz, type] = e.decode.nhdr(h.data());
    std::uint64_t name_pad = (namesz + 3) & ~std::uint64_t(3), desc_pad = (descsz + 3) & ~std::uint64_t(3);
    std::uint64_t left = end - pos - 12;
    if (name_pad > left || descsz > left - name_pad) break;
    if (namesz == 4 && type == NT_GO_BUILD_ID && descsz <= kMaxBuildId) {
      e.src.read(pos + 12, h.data() + 12, 4, "note");
      if (std::memcmp(h.data() + 12, "Go\0\0", 4) == 0) {
        std::string id(static_cast<std::size_t>(descsz), '\0');
        e.src.read(pos + 12 + name_pad, id.data(), id.size(), "note");
        return id;
      }
    }
    if (desc_pad > left - name_pad) break;
    pos += 12 + name_pad + desc_pad;
    if (align == 8) pos = std::min(end, (pos + 7) & ~std::uint64_t(7)); // 8-aligned notes (ELF64)
  }
  return {};
}

Linkage classify(std::uint16_t type, const BinaryInfo& bi, std::uint64_t flags_1) {
  if (type != ET_EXEC && type != ET_DYN) return Linkage::none; // ET_REL, ET_CORE, others
  if (bi.interpreter || !bi.needed.empty()) return Linkage::dynamic;
  if (type == ET_EXEC) return Linkage::static_exe;
  // ET_DYN without PIE is a shared object, or a PIE the linker did not mark (golang/go#80464).
  return (flags_1 & DF_1_PIE) ? Linkage::static_pie : Linkage::shared_object;
}

} // namespace

bool is_elf(const ByteSource& src) {
  std::array<std::uint8_t, 4> m{};
  if (!src.contains(0, 4)) return false;
  src.read(0, m.data(), 4, "ELF magic");
  return std::memcmp(m.data(), "\x7f" "ELF", 4) == 0;
}

BinaryInfo read_elf(const ByteSource& src) {
  Elf e(src);
  BinaryInfo bi;
  bi.format = Format::elf;
  bi.bits = e.is64 ? 64 : 32;
  bi.big_endian = e.big;
  bi.machine = machine_name(e.machine, e.is64);
  bi.type = type_name(e.type);

  std::uint64_t flags_1 = 0;
  for (const Phdr& p : e.phdrs) {
    if (p.type == PT_INTERP && !bi.interpreter) {
      bi.interpreter = read_interp(src, p);
    } else if (p.type == PT_DYNAMIC) {
      read_dynamic(e, p, bi, flags_1);
    } else if (p.type == PT_NOTE && bi.go_build_id.empty()) {
      if (!src.contains(p.offset, p.filesz)) throw ParseError("note segment out of bounds");
      bi.go_build_id = find_go_note(e, p.offset, p.filesz, p.align);
    }
  }

  // Section headers: .go.buildinfo, and SHT_NOTE when no PT_NOTE had the build ID (ET_REL).
  ExeView view;
  view.src = &src;
  bool have_section = false;
  if (e.shnum > 0) {
    std::optional<Shdr> strtab;
    if (e.shstrndx != 0) {
      if (e.shstrndx >= e.shnum)
        throw ParseError("section name string table index " + std::to_string(e.shstrndx) + " out of range");
      strtab = e.section(e.shstrndx);
      if (!src.contains(strtab->offset, strtab->size)) throw ParseError("section name string table out of bounds");
    }
    constexpr char kName[] = ".go.buildinfo"; // compared with its NUL
    // The name table is small (a few hundred bytes): read it once rather than one pread per
    // section, on the per-file path of verify. A huge one is still read name by name.
    std::vector<std::uint8_t> names;
    if (strtab && strtab->size <= (64u << 10))
      names = src.read_vec(strtab->offset, static_cast<std::size_t>(strtab->size), "section name string table");
    e.for_each(e.shoff, e.shnum, e.shentsize, "section header table", [&](const std::uint8_t* p) {
      Shdr s = e.decode.shdr(p);
      if (s.type == SHT_NOTE && bi.go_build_id.empty()) {
        if (!src.contains(s.offset, s.size)) throw ParseError("note section out of bounds");
        bi.go_build_id = find_go_note(e, s.offset, s.size, s.align);
      }
      if (!have_section && strtab && s.type != SHT_NOBITS && s.name < strtab->size &&
          strtab->size - s.name >= sizeof kName) {
        std::array<char, sizeof kName> name{};
        if (!names.empty())
          std::memcpy(name.data(), names.data() + s.name, name.size());
        else
          src.read(strtab->offset + s.name, name.data(), name.size(), "section name");
        if (std::memcmp(name.data(), kName, sizeof kName) == 0) {
          view.data_off = s.offset;
          view.data_len = s.size;
          view.data_addr = s.addr;
          have_section = true;
        }
      }
      return true;
    });
  }
  if (!have_section) {
    // As Go's debug/buildinfo: the first writable, non-executable PT_LOAD.
    for (const Phdr& p : e.phdrs) {
      if (p.type == PT_LOAD && (p.flags & (PF_X | PF_W)) == PF_W) {
        view.data_off = p.offset;
        view.data_len = p.filesz;
        view.data_addr = p.vaddr;
        break;
      }
    }
  }
  view.addr_to_off = [&e](std::uint64_t addr, std::uint64_t& avail) { return e.addr_to_off(addr, avail); };
  bi.go = read_go_buildinfo(view);

  bi.linkage = classify(e.type, bi, flags_1);
  return bi;
}

std::vector<ElfRegion> elf_layout(const ByteSource& src) {
  Elf e(src);
  std::vector<ElfRegion> out;
  std::uint64_t index = 0;
  for (const Phdr& p : e.phdrs) {
    ElfRegion r;
    r.index = index++;
    switch (p.type) {
    case PT_LOAD: r.name = "PT_LOAD"; break;
    case PT_DYNAMIC: r.name = "PT_DYNAMIC"; break;
    case PT_INTERP: r.name = "PT_INTERP"; break;
    case PT_NOTE: r.name = "PT_NOTE"; break;
    case 6: r.name = "PT_PHDR"; break;
    case 7: r.name = "PT_TLS"; break;
    case 0x6474e550: r.name = "PT_GNU_EH_FRAME"; break;
    case 0x6474e551: r.name = "PT_GNU_STACK"; break;
    case 0x6474e552: r.name = "PT_GNU_RELRO"; break;
    case 0x6474e553: r.name = "PT_GNU_PROPERTY"; break;
    default: {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%x", p.type);
      r.name = buf;
    }
    }
    r.offset = p.offset;
    r.size = p.filesz;
    out.push_back(r);
  }
  if (e.shnum == 0) return out;
  std::optional<Shdr> strtab;
  if (e.shstrndx != 0 && e.shstrndx < e.shnum) {
    strtab = e.section(e.shstrndx);
    if (!src.contains(strtab->offset, strtab->size)) strtab.reset();
  }
  index = 0;
  e.for_each(e.shoff, e.shnum, e.shentsize, "section header table", [&](const std::uint8_t* p) {
    Shdr s = e.decode.shdr(p);
    ElfRegion r;
    r.is_section = true;
    r.index = index++;
    if (strtab && s.name < strtab->size)
      r.name = read_cstring(src, strtab->offset + s.name, strtab->offset + strtab->size);
    r.offset = s.offset;
    r.size = s.type == SHT_NOBITS ? 0 : s.size;
    out.push_back(r);
    return true;
  });
  return out;
}

ElfTables elf_tables(const ByteSource& src) {
  Elf e(src);
  ElfTables t;
  t.ehsize = e.ehsize;
  t.phoff = e.phoff;
  t.phentsize = e.phentsize;
  t.phnum = e.phdrs.size();
  t.shoff = e.shoff;
  t.shentsize = e.shentsize;
  t.shnum = e.shnum;
  return t;
}

} // namespace gobuild
