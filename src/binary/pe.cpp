// The PE/COFF reader. Layout (all little-endian):
//   DOS header (64 bytes, "MZ", e_lfanew at 0x3c) -> "PE\0\0" -> COFF header (20 bytes)
//   -> optional header (PE32 or PE32+, SizeOfOptionalHeader bytes) -> section table (40 bytes each).
// Every offset and count comes from the file, so each is checked before it is used; records are
// read into small buffers and decoded field by field, never cast.
#include "gobuild/binary/pe.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "elf_records.hpp" // the Boost.Endian field types and the bounded copy
#include "gobuild/binary/buildinfo.hpp"

namespace gobuild {
namespace {

constexpr std::uint64_t kDosHeaderSize = 64;
constexpr std::uint64_t kLfanewOffset = 0x3c;
constexpr std::uint64_t kCoffHeaderSize = 20;
constexpr std::uint64_t kSectionHeaderSize = 40;
constexpr std::uint16_t kMagicPe32 = 0x10b;
constexpr std::uint16_t kMagicPe32Plus = 0x20b;
constexpr std::uint16_t kFileDll = 0x2000;
constexpr std::uint32_t kImportDirectory = 1;
constexpr std::uint64_t kImportDescriptorSize = 20;
/// More than any real program imports; stops a descriptor table without its zero terminator.
constexpr std::uint64_t kMaxImports = 4096;
/// DLL names are short; a longer "string" is garbage, not a name.
constexpr std::uint64_t kMaxNameLen = 4096;

std::uint16_t le16(const std::uint8_t* p) { return load16(p, false); }
std::uint32_t le32(const std::uint8_t* p) { return load32(p, false); }
std::uint64_t le64(const std::uint8_t* p) { return load64(p, false); }

// The fixed-size PE records (little-endian always), copied out of bounds-checked reads.
using L16 = elf::U16<elf::order::little>;
using L32 = elf::U32<elf::order::little>;
struct CoffHeader {
  L16 machine, number_of_sections;
  L32 time_date_stamp, pointer_to_symbol_table, number_of_symbols;
  L16 size_of_optional_header, characteristics;
};
struct SectionHeader {
  char name[8];
  L32 virtual_size, virtual_address, size_of_raw_data, pointer_to_raw_data, pointer_to_relocations,
      pointer_to_linenumbers;
  L16 number_of_relocations, number_of_linenumbers;
  L32 characteristics;
};
struct ImportDescriptor {
  L32 original_first_thunk, time_date_stamp, forwarder_chain, name, first_thunk;
};
static_assert(sizeof(CoffHeader) == kCoffHeaderSize && sizeof(SectionHeader) == kSectionHeaderSize &&
              sizeof(ImportDescriptor) == kImportDescriptorSize);

struct Section {
  std::string name; ///< the 8-byte short name; "/N" long names are left unresolved
  std::uint32_t virtual_size = 0;
  std::uint32_t virtual_address = 0;
  std::uint32_t raw_size = 0;
  std::uint32_t raw_offset = 0;
  std::uint32_t characteristics = 0;

  /// Bytes of the section that the file holds: the loader zero-fills past SizeOfRawData,
  /// and VirtualSize 0 (some linkers) means "use SizeOfRawData".
  std::uint32_t file_backed() const {
    return virtual_size != 0 && virtual_size < raw_size ? virtual_size : raw_size;
  }
  std::uint32_t mapped_size() const { return virtual_size != 0 ? virtual_size : raw_size; }
};

std::string_view machine_name(std::uint16_t m) {
  switch (m) {
  case 0x8664: return "x86_64";
  case 0x014c: return "i386";
  case 0xaa64: return "aarch64";
  case 0x01c0: // ARM
  case 0x01c2: // Thumb
  case 0x01c4: return "arm"; // ARMv7 Thumb-2 (ARMNT)
  case 0x5032:               // RISCV32
  case 0x5064:               // RISCV64
  case 0x5128: return "riscv"; // RISCV128
  case 0x6232:                 // LOONGARCH32
  case 0x6264: return "loongarch"; // LOONGARCH64
  case 0x0200: return "ia64";
  case 0x01f0:                 // POWERPC
  case 0x01f1: return "ppc";   // POWERPCFP
  case 0x0166: return "mips";  // R4000
  default: return {};
  }
}

class PeReader {
public:
  explicit PeReader(const ByteSource& src) : src_(src) {}

  BinaryInfo read() {
    BinaryInfo info;
    info.format = Format::pe;
    info.big_endian = false;
    info.linkage = Linkage::not_applicable;

    std::uint64_t coff_off = read_dos_header();
    const auto coff = elf::read_record<CoffHeader>(src_, coff_off, "PE COFF header");
    const std::uint16_t machine = coff.machine.value();
    const std::uint16_t nsections = coff.number_of_sections.value();
    const std::uint16_t opt_size = coff.size_of_optional_header.value();
    const std::uint16_t characteristics = coff.characteristics.value();

    auto name = machine_name(machine);
    info.machine = name.empty() ? fmt::format("unknown(0x{:04x})", machine) : std::string(name);
    info.type = (characteristics & kFileDll) != 0 ? "dyn" : "exec";

    std::uint64_t opt_off = coff_off + kCoffHeaderSize;
    read_optional_header(opt_off, opt_size, info);
    read_sections(opt_off + opt_size, nsections);

    info.needed = read_imports();
    read_go(info);
    return info;
  }

private:
  /// Checks "MZ" and "PE\0\0"; returns the offset of the COFF header.
  std::uint64_t read_dos_header() {
    std::array<std::uint8_t, kDosHeaderSize> dos{};
    src_.read(0, dos.data(), dos.size(), "PE DOS header");
    if (dos[0] != 'M' || dos[1] != 'Z') throw ParseError("not a PE file: no MZ signature");
    std::uint32_t lfanew = le32(&dos[kLfanewOffset]);
    if (!src_.contains(lfanew, 4))
      throw ParseError(fmt::format("PE e_lfanew 0x{:x} is outside the file (size {})", lfanew, src_.size()));
    std::array<std::uint8_t, 4> sig{};
    src_.read(lfanew, sig.data(), sig.size(), "PE signature");
    if (sig[0] != 'P' || sig[1] != 'E' || sig[2] != 0 || sig[3] != 0)
      throw ParseError(fmt::format("not a PE file: no PE signature at offset 0x{:x}", lfanew));
    return std::uint64_t(lfanew) + 4;
  }

  void read_optional_header(std::uint64_t off, std::uint16_t size, BinaryInfo& info) {
    if (size < 2) throw ParseError("PE optional header missing (an object file, not an image)");
    auto opt = src_.read_vec(off, size, "PE optional header");
    std::uint16_t magic = le16(&opt[0]);
    // PE32 and PE32+ differ in ImageBase's width and so in where the data directories start.
    std::uint64_t base_off, count_off, dirs_off;
    if (magic == kMagicPe32) {
      info.bits = 32;
      base_off = 28, count_off = 92, dirs_off = 96;
    } else if (magic == kMagicPe32Plus) {
      info.bits = 64;
      base_off = 24, count_off = 108, dirs_off = 112;
    } else {
      throw ParseError(fmt::format("PE optional header has unknown magic 0x{:x}", magic));
    }
    if (opt.size() < count_off + 4)
      throw ParseError(fmt::format("PE optional header too small: {} bytes", opt.size()));
    image_base_ = info.bits == 32 ? le32(&opt[base_off]) : le64(&opt[base_off]);
    std::uint64_t ndirs = le32(&opt[count_off]);
    // A directory past SizeOfOptionalHeader is absent, whatever NumberOfRvaAndSizes claims.
    std::uint64_t fit = (opt.size() - dirs_off) / 8;
    if (ndirs > fit) ndirs = fit;
    if (ndirs > kImportDirectory) {
      const std::uint8_t* d = &opt[dirs_off + 8 * kImportDirectory];
      import_rva_ = le32(d);
      import_size_ = le32(d + 4);
    }
  }

  void read_sections(std::uint64_t off, std::uint16_t count) {
    auto table = src_.read_vec(off, std::size_t(count) * kSectionHeaderSize, "PE section table");
    sections_.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto h = elf::record_at<SectionHeader>(&table[i * kSectionHeaderSize]);
      Section s;
      std::size_t n = 0;
      while (n < 8 && h.name[n]) ++n;
      s.name.assign(h.name, n);
      s.virtual_size = h.virtual_size.value();
      s.virtual_address = h.virtual_address.value();
      s.raw_size = h.size_of_raw_data.value();
      s.raw_offset = h.pointer_to_raw_data.value();
      s.characteristics = h.characteristics.value();
      sections_.push_back(std::move(s));
    }
  }

  /// File offset of an RVA and how many file bytes follow it inside its section.
  std::optional<std::uint64_t> rva_to_off(std::uint64_t rva, std::uint64_t& avail) const {
    for (const auto& s : sections_) {
      if (rva < s.virtual_address || rva - s.virtual_address >= s.mapped_size()) continue;
      std::uint64_t delta = rva - s.virtual_address;
      if (delta >= s.file_backed()) return std::nullopt; // in the zero-filled tail
      std::uint64_t off = std::uint64_t(s.raw_offset) + delta;
      if (off >= src_.size()) return std::nullopt;
      avail = std::min<std::uint64_t>(s.file_backed() - delta, src_.size() - off);
      return off;
    }
    return std::nullopt;
  }

  std::string read_name(std::uint32_t rva) const {
    std::uint64_t avail = 0;
    auto off = rva_to_off(rva, avail);
    if (!off) throw ParseError(fmt::format("PE import name RVA 0x{:x} is not in any section", rva));
    auto bytes = src_.read_vec(*off, std::min(avail, kMaxNameLen), "PE import name");
    for (std::size_t i = 0; i < bytes.size(); ++i)
      if (bytes[i] == 0) return std::string(bytes.begin(), bytes.begin() + std::ptrdiff_t(i));
    throw ParseError(fmt::format("PE import name at RVA 0x{:x} is not NUL-terminated", rva));
  }

  /// The Name of each import descriptor, until the all-zero one.
  std::vector<std::string> read_imports() const {
    std::vector<std::string> names;
    if (import_rva_ == 0 || import_size_ == 0) return names;
    std::uint64_t avail = 0;
    auto off = rva_to_off(import_rva_, avail);
    if (!off)
      throw ParseError(fmt::format("PE import directory RVA 0x{:x} is not in any section", import_rva_));
    for (std::uint64_t i = 0;; ++i) {
      if (i == kMaxImports) throw ParseError("PE import directory has no terminating entry within 4096 entries");
      if ((i + 1) * kImportDescriptorSize > avail)
        throw ParseError("PE import directory runs past the end of its section");
      const auto d = elf::read_record<ImportDescriptor>(src_, *off + i * kImportDescriptorSize, "PE import descriptor");
      static const std::uint8_t zero[sizeof d] = {};
      if (std::memcmp(&d, zero, sizeof d) == 0) break; // the all-zero descriptor ends the table
      names.push_back(read_name(d.name.value()));
    }
    return names;
  }

  void read_go(BinaryInfo& info) const {
    constexpr std::uint32_t kInitializedData = 0x40, kMemRead = 0x40000000, kMemWrite = 0x80000000;
    constexpr std::uint32_t kAlign32 = 0x600000;
    const Section* text = nullptr;
    const Section* data = nullptr;
    for (const auto& s : sections_) {
      if (!text && s.name == ".text") text = &s;
      // Go's reader: the first section that is exactly initialized, readable, writable data
      // (IMAGE_SCN_ALIGN_32BYTES aside).
      if (!data && s.virtual_address != 0 && s.raw_size != 0 &&
          (s.characteristics & ~kAlign32) == (kInitializedData | kMemRead | kMemWrite))
        data = &s;
    }
    if (text && clamp(*text) != 0)
      info.go_build_id = find_go_build_id_in_text(src_, text->raw_offset, clamp(*text));
    // A data section cut off by the end of the file holds no build info (Go: "not a Go executable").
    if (!data || clamp(*data) == 0) return;
    ExeView view;
    view.src = &src_;
    view.data_off = data->raw_offset;
    view.data_len = clamp(*data);
    view.data_addr = image_base_ + data->virtual_address;
    view.addr_to_off = [this](std::uint64_t addr, std::uint64_t& avail) -> std::optional<std::uint64_t> {
      if (addr < image_base_) return std::nullopt;
      return rva_to_off(addr - image_base_, avail);
    };
    info.go = read_go_buildinfo(view);
  }

  /// The section's file-backed length, cut at the end of a truncated file.
  std::uint64_t clamp(const Section& s) const {
    if (s.raw_offset >= src_.size()) return 0;
    return std::min<std::uint64_t>(s.file_backed(), src_.size() - s.raw_offset);
  }

  const ByteSource& src_;
  std::uint64_t image_base_ = 0;
  std::uint32_t import_rva_ = 0;
  std::uint32_t import_size_ = 0;
  std::vector<Section> sections_;
};

} // namespace

bool is_pe(const ByteSource& src) {
  std::array<std::uint8_t, kDosHeaderSize> dos{};
  if (!src.contains(0, dos.size())) return false;
  src.read(0, dos.data(), dos.size(), "PE DOS header");
  if (dos[0] != 'M' || dos[1] != 'Z') return false;
  std::uint32_t lfanew = le32(&dos[kLfanewOffset]);
  if (!src.contains(lfanew, 4)) return false;
  std::array<std::uint8_t, 4> sig{};
  src.read(lfanew, sig.data(), sig.size(), "PE signature");
  return sig[0] == 'P' && sig[1] == 'E' && sig[2] == 0 && sig[3] == 0;
}

BinaryInfo read_pe(const ByteSource& src) { return PeReader(src).read(); }

} // namespace gobuild
