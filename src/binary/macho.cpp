// The Mach-O reader. A thin file is a header (28 bytes, 32 for 64-bit) followed by `ncmds` load
// commands filling `sizeofcmds` bytes; a fat file is a big-endian table of architectures, each a
// thin file at (offset, size), of which the first is read. The byte order of a thin file is
// given by how its magic reads. Every count, size and offset is checked before use; load
// commands are decoded field by field from one bounded buffer.
#include "gobuild/binary/macho.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "gobuild/binary/buildinfo.hpp"

namespace gobuild {
namespace {

constexpr std::uint32_t kMagic32 = 0xfeedface;
constexpr std::uint32_t kMagic64 = 0xfeedfacf;
constexpr std::uint32_t kCigam32 = 0xcefaedfe;
constexpr std::uint32_t kCigam64 = 0xcffaedfe;
constexpr std::uint32_t kFatMagic = 0xcafebabe;
constexpr std::uint32_t kFatMagic64 = 0xcafebabf;
/// 0xcafebabe is also a Java class file, whose next word is its version (major >= 45);
/// no fat file has anywhere near that many architectures.
constexpr std::uint32_t kMaxFatArch = 44;

constexpr std::uint32_t kCpuArch64 = 0x01000000;
constexpr std::uint32_t kCpuArch64_32 = 0x02000000;
constexpr std::uint32_t kCpuX86 = 7, kCpuArm = 12, kCpuPpc = 18;

constexpr std::uint32_t kLcSegment = 0x1;
constexpr std::uint32_t kLcLoadDylib = 0xc;
constexpr std::uint32_t kLcSegment64 = 0x19;
constexpr std::uint32_t kLcLazyLoadDylib = 0x20;
constexpr std::uint32_t kLcLoadWeakDylib = 0x80000018;
constexpr std::uint32_t kLcRpath = 0x8000001c;
constexpr std::uint32_t kLcReexportDylib = 0x8000001f;
constexpr std::uint32_t kLcLoadUpwardDylib = 0x80000023;

/// Real binaries have a few KiB of load commands; refuse to allocate for an absurd claim.
constexpr std::uint32_t kMaxSizeOfCmds = 16u << 20;

/// A window [base, base+size) of another source: one architecture of a fat file.
class SliceSource final : public ByteSource {
public:
  SliceSource(const ByteSource& parent, std::uint64_t base, std::uint64_t size)
      : parent_(parent), base_(base), size_(size) {}
  std::uint64_t size() const override { return size_; }

protected:
  void read_at(std::uint64_t off, void* out, std::size_t n) const override {
    parent_.read(base_ + off, out, n, "Mach-O fat slice");
  }

private:
  const ByteSource& parent_;
  std::uint64_t base_;
  std::uint64_t size_;
};

struct Segment {
  std::string name;
  std::uint64_t vmaddr = 0, vmsize = 0, fileoff = 0, filesize = 0;
  std::uint32_t maxprot = 0, initprot = 0;
};

struct Section {
  std::string segname, sectname;
  std::uint64_t addr = 0, size = 0;
  std::uint32_t offset = 0;
};

std::string fixed_name(const std::uint8_t* p) {
  std::size_t n = 0;
  while (n < 16 && p[n]) ++n;
  return std::string(reinterpret_cast<const char*>(p), n);
}

std::string machine_name(std::uint32_t cpu) {
  switch (cpu) {
  case kCpuX86: return "i386";
  case kCpuX86 | kCpuArch64: return "x86_64";
  case kCpuArm: return "arm";
  case kCpuArm | kCpuArch64: return "aarch64";
  case kCpuArm | kCpuArch64_32: return "arm64_32";
  case kCpuPpc: return "ppc";
  case kCpuPpc | kCpuArch64: return "ppc64";
  default: return fmt::format("unknown(0x{:x})", cpu);
  }
}

std::string file_type(std::uint32_t t) {
  switch (t) {
  case 1: return "rel";   // MH_OBJECT
  case 2:                 // MH_EXECUTE
  case 5:                 // MH_PRELOAD
  case 12: return "exec"; // MH_FILESET
  case 3:                 // MH_FVMLIB
  case 6:                 // MH_DYLIB
  case 7:                 // MH_DYLINKER
  case 8:                 // MH_BUNDLE
  case 9:                 // MH_DYLIB_STUB
  case 11: return "dyn";  // MH_KEXT_BUNDLE
  case 4: return "core";  // MH_CORE
  case 10: return "rel";  // MH_DSYM: debug companion, not loadable
  default: throw ParseError(fmt::format("unknown Mach-O file type {}", t));
  }
}

class MachoReader {
public:
  explicit MachoReader(const ByteSource& src) : src_(src) {}

  BinaryInfo read() {
    BinaryInfo info;
    info.format = Format::macho;
    info.linkage = Linkage::not_applicable;

    std::array<std::uint8_t, 32> hdr{};
    src_.read(0, hdr.data(), 28, "Mach-O header");
    std::uint32_t magic = load32(hdr.data(), true);
    if (magic == kMagic32 || magic == kMagic64) {
      big_ = true;
    } else if (magic == kCigam32 || magic == kCigam64) {
      big_ = false;
    } else {
      throw ParseError(fmt::format("not a Mach-O file: magic 0x{:08x}", magic));
    }
    is64_ = magic == kMagic64 || magic == kCigam64;
    std::uint64_t hdr_size = is64_ ? 32 : 28;
    if (is64_) src_.read(0, hdr.data(), 32, "Mach-O header");
    info.bits = is64_ ? 64 : 32;
    info.big_endian = big_;
    info.machine = machine_name(u32(&hdr[4]));
    info.type = file_type(u32(&hdr[12]));
    std::uint32_t ncmds = u32(&hdr[16]);
    std::uint32_t sizeofcmds = u32(&hdr[20]);

    if (sizeofcmds > kMaxSizeOfCmds)
      throw ParseError(fmt::format("Mach-O sizeofcmds {} is too large", sizeofcmds));
    if (ncmds > sizeofcmds / 8)
      throw ParseError(fmt::format("Mach-O ncmds {} cannot fit in sizeofcmds {}", ncmds, sizeofcmds));
    auto cmds = src_.read_vec(hdr_size, sizeofcmds, "Mach-O load commands");
    read_commands(cmds, ncmds, info);
    read_go(info);
    return info;
  }

private:
  std::uint32_t u32(const std::uint8_t* p) const { return load32(p, big_); }
  std::uint64_t u64(const std::uint8_t* p) const { return load64(p, big_); }

  void read_commands(const std::vector<std::uint8_t>& cmds, std::uint32_t ncmds, BinaryInfo& info) {
    const std::uint32_t align = is64_ ? 8 : 4;
    std::size_t pos = 0;
    for (std::uint32_t i = 0; i < ncmds; ++i) {
      if (cmds.size() - pos < 8)
        throw ParseError(fmt::format("Mach-O load command {} runs past sizeofcmds", i));
      const std::uint8_t* c = &cmds[pos];
      std::uint32_t cmd = u32(c);
      std::uint32_t cmdsize = u32(c + 4);
      if (cmdsize < 8 || cmdsize % align != 0)
        throw ParseError(fmt::format("Mach-O load command {} has bad cmdsize {}", i, cmdsize));
      if (cmdsize > cmds.size() - pos)
        throw ParseError(fmt::format("Mach-O load command {} (cmdsize {}) runs past sizeofcmds", i, cmdsize));
      switch (cmd) {
      case kLcSegment: read_segment32(c, cmdsize, i); break;
      case kLcSegment64: read_segment64(c, cmdsize, i); break;
      case kLcLoadDylib:
      case kLcLoadWeakDylib:
      case kLcReexportDylib:
      case kLcLazyLoadDylib:
      case kLcLoadUpwardDylib: info.needed.push_back(lc_str(c, cmdsize, 24, i)); break;
      case kLcRpath: info.rpath.push_back(lc_str(c, cmdsize, 12, i)); break;
      default: break;
      }
      pos += cmdsize;
    }
  }

  /// The string a load command points at with its offset field (at byte 8): it must start past
  /// the command's fixed part and end with a NUL inside the command.
  std::string lc_str(const std::uint8_t* c, std::uint32_t cmdsize, std::uint32_t fixed, std::uint32_t i) const {
    if (cmdsize < fixed)
      throw ParseError(fmt::format("Mach-O load command {} is too small: cmdsize {}", i, cmdsize));
    std::uint32_t off = u32(c + 8);
    if (off < fixed || off >= cmdsize)
      throw ParseError(fmt::format("Mach-O load command {} has its string at bad offset {}", i, off));
    const std::uint8_t* s = c + off;
    std::size_t max = cmdsize - off;
    std::size_t n = 0;
    while (n < max && s[n]) ++n;
    if (n == max) throw ParseError(fmt::format("Mach-O load command {} string is not NUL-terminated", i));
    return std::string(reinterpret_cast<const char*>(s), n);
  }

  void read_segment32(const std::uint8_t* c, std::uint32_t cmdsize, std::uint32_t i) {
    constexpr std::uint32_t kFixed = 56, kSect = 68;
    if (cmdsize < kFixed)
      throw ParseError(fmt::format("Mach-O LC_SEGMENT {} is too small: cmdsize {}", i, cmdsize));
    Segment seg{fixed_name(c + 8), u32(c + 24), u32(c + 28), u32(c + 32), u32(c + 36), u32(c + 40), u32(c + 44)};
    std::uint32_t nsects = u32(c + 48);
    if (nsects > (cmdsize - kFixed) / kSect)
      throw ParseError(fmt::format("Mach-O LC_SEGMENT {} claims {} sections in cmdsize {}", i, nsects, cmdsize));
    for (std::uint32_t k = 0; k < nsects; ++k) {
      const std::uint8_t* s = c + kFixed + std::size_t(k) * kSect;
      sections_.push_back(Section{fixed_name(s + 16), fixed_name(s), u32(s + 32), u32(s + 36), u32(s + 40)});
    }
    segments_.push_back(std::move(seg));
  }

  void read_segment64(const std::uint8_t* c, std::uint32_t cmdsize, std::uint32_t i) {
    constexpr std::uint32_t kFixed = 72, kSect = 80;
    if (cmdsize < kFixed)
      throw ParseError(fmt::format("Mach-O LC_SEGMENT_64 {} is too small: cmdsize {}", i, cmdsize));
    Segment seg{fixed_name(c + 8), u64(c + 24), u64(c + 32), u64(c + 40), u64(c + 48), u32(c + 56), u32(c + 60)};
    std::uint32_t nsects = u32(c + 64);
    if (nsects > (cmdsize - kFixed) / kSect)
      throw ParseError(fmt::format("Mach-O LC_SEGMENT_64 {} claims {} sections in cmdsize {}", i, nsects, cmdsize));
    for (std::uint32_t k = 0; k < nsects; ++k) {
      const std::uint8_t* s = c + kFixed + std::size_t(k) * kSect;
      sections_.push_back(Section{fixed_name(s + 16), fixed_name(s), u64(s + 32), u64(s + 40), u32(s + 48)});
    }
    segments_.push_back(std::move(seg));
  }

  /// Maps a virtual address through the segments' file ranges, as Go's reader does
  /// (__PAGEZERO has no file bytes worth reading). `avail` stops at the segment's or file's end.
  std::optional<std::uint64_t> addr_to_off(std::uint64_t addr, std::uint64_t& avail) const {
    for (const auto& seg : segments_) {
      if (seg.name == "__PAGEZERO" || addr < seg.vmaddr || addr - seg.vmaddr >= seg.filesize) continue;
      std::uint64_t delta = addr - seg.vmaddr;
      if (seg.fileoff > src_.size() || delta >= src_.size() - seg.fileoff) return std::nullopt;
      std::uint64_t off = seg.fileoff + delta;
      avail = std::min(seg.filesize - delta, src_.size() - off);
      return off;
    }
    return std::nullopt;
  }

  void read_go(BinaryInfo& info) const {
    for (const auto& s : sections_) {
      if (s.segname == "__TEXT" && s.sectname == "__text") {
        std::uint64_t len = s.offset < src_.size() ? std::min<std::uint64_t>(s.size, src_.size() - s.offset) : 0;
        if (len != 0) info.go_build_id = find_go_build_id_in_text(src_, s.offset, len);
        break;
      }
    }
    // Go's reader: the __go_buildinfo section, else the first non-empty read-write segment.
    std::optional<std::pair<std::uint64_t, std::uint64_t>> range; // addr, size
    for (const auto& s : sections_)
      if (s.sectname == "__go_buildinfo") {
        range.emplace(s.addr, s.size);
        break;
      }
    if (!range) {
      constexpr std::uint32_t kRW = 3;
      for (const auto& seg : segments_)
        if (seg.vmaddr != 0 && seg.filesize != 0 && seg.initprot == kRW && seg.maxprot == kRW) {
          range.emplace(seg.vmaddr, seg.vmsize);
          break;
        }
    }
    if (!range || range->second == 0) return;
    std::uint64_t avail = 0;
    auto off = addr_to_off(range->first, avail);
    if (!off || avail == 0) return;
    ExeView view;
    view.src = &src_;
    view.data_off = *off;
    view.data_len = std::min(range->second, avail);
    view.data_addr = range->first;
    view.addr_to_off = [this](std::uint64_t addr, std::uint64_t& n) { return addr_to_off(addr, n); };
    info.go = read_go_buildinfo(view);
  }

  const ByteSource& src_;
  bool big_ = false;
  bool is64_ = false;
  std::vector<Segment> segments_;
  std::vector<Section> sections_;
};

std::uint32_t magic_of(const ByteSource& src) {
  std::array<std::uint8_t, 4> m{};
  src.read(0, m.data(), m.size(), "Mach-O magic");
  return load32(m.data(), true);
}

} // namespace

bool is_macho(const ByteSource& src) {
  if (!src.contains(0, 8)) return false;
  std::uint32_t magic = magic_of(src);
  if (magic == kMagic32 || magic == kMagic64 || magic == kCigam32 || magic == kCigam64) return true;
  if (magic != kFatMagic && magic != kFatMagic64) return false;
  std::array<std::uint8_t, 4> n{};
  src.read(4, n.data(), n.size(), "Mach-O fat header");
  return load32(n.data(), true) <= kMaxFatArch;
}

BinaryInfo read_macho(const ByteSource& src) {
  std::uint32_t magic = magic_of(src);
  if (magic != kFatMagic && magic != kFatMagic64) return MachoReader(src).read();

  // Fat headers are big-endian whatever the slices are.
  std::array<std::uint8_t, 32> buf{};
  src.read(4, buf.data(), 4, "Mach-O fat header");
  std::uint32_t narch = load32(buf.data(), true);
  if (narch == 0) throw ParseError("Mach-O fat file has no architectures");
  if (narch > kMaxFatArch) throw ParseError(fmt::format("Mach-O fat file claims {} architectures", narch));
  std::uint64_t off, size;
  if (magic == kFatMagic) {
    src.read(8, buf.data(), 20, "Mach-O fat architecture");
    off = load32(&buf[8], true);
    size = load32(&buf[12], true);
  } else {
    src.read(8, buf.data(), 32, "Mach-O fat architecture");
    off = load64(&buf[8], true);
    size = load64(&buf[16], true);
  }
  if (size == 0) throw ParseError("Mach-O fat architecture 0 is empty");
  if (!src.contains(off, size))
    throw ParseError(fmt::format("Mach-O fat architecture 0 (offset {}, size {}) is outside the file (size {})",
                                 off, size, src.size()));
  if (off < 8) throw ParseError(fmt::format("Mach-O fat architecture 0 overlaps the fat header (offset {})", off));
  SliceSource slice(src, off, size);
  if (!slice.contains(0, 4)) throw ParseError("Mach-O fat architecture 0 is too small");
  std::uint32_t inner = magic_of(slice);
  if (inner == kFatMagic || inner == kFatMagic64) throw ParseError("Mach-O fat architecture 0 is itself a fat file");
  return MachoReader(slice).read();
}

} // namespace gobuild
