// The Mach-O reader. A thin file is a header (28 bytes, 32 for 64-bit) followed by `ncmds` load
// commands filling `sizeofcmds` bytes; a fat file is a big-endian table of architectures, each a
// thin file at (offset, size), of which the first is read. The byte order of a thin file is
// given by how its magic reads, which picks MachoReader<MachClass<32|64, LE|BE>> once. Every
// count, size and offset is checked before use; load commands are copied into their typed
// records (macho_records.hpp) out of one bounded buffer.
#include "gobuild/binary/macho.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "gobuild/binary/buildinfo.hpp"
#include "macho_records.hpp"

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

constexpr std::uint32_t kLcLoadDylib = 0xc;
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

std::string fixed_name(const char (&p)[16]) {
  std::size_t n = 0;
  while (n < 16 && p[n]) ++n;
  return std::string(p, n);
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

template <class C> class MachoReader {
public:
  explicit MachoReader(const ByteSource& src) : src_(src) {}

  BinaryInfo read() {
    BinaryInfo info;
    info.format = Format::macho;
    info.linkage = Linkage::not_applicable;

    const auto hdr = macho::read_record<typename C::Header>(src_, 0, "Mach-O header");
    info.bits = C::is64 ? 64 : 32;
    info.big_endian = C::big;
    info.machine = machine_name(hdr.cputype.value());
    info.type = file_type(hdr.filetype.value());
    const std::uint32_t ncmds = hdr.ncmds.value();
    const std::uint32_t sizeofcmds = hdr.sizeofcmds.value();

    if (sizeofcmds > kMaxSizeOfCmds)
      throw ParseError(fmt::format("Mach-O sizeofcmds {} is too large", sizeofcmds));
    if (ncmds > sizeofcmds / 8)
      throw ParseError(fmt::format("Mach-O ncmds {} cannot fit in sizeofcmds {}", ncmds, sizeofcmds));
    auto cmds = src_.read_vec(sizeof hdr, sizeofcmds, "Mach-O load commands");
    read_commands(cmds, ncmds, info);
    read_go(info);
    return info;
  }

private:
  void read_commands(const std::vector<std::uint8_t>& cmds, std::uint32_t ncmds, BinaryInfo& info) {
    const std::uint32_t align = C::is64 ? 8 : 4;
    std::size_t pos = 0;
    for (std::uint32_t i = 0; i < ncmds; ++i) {
      if (cmds.size() - pos < sizeof(typename C::Load))
        throw ParseError(fmt::format("Mach-O load command {} runs past sizeofcmds", i));
      const std::uint8_t* c = &cmds[pos];
      const auto lc = macho::record_at<typename C::Load>(c);
      const std::uint32_t cmd = lc.cmd.value();
      const std::uint32_t cmdsize = lc.cmdsize.value();
      if (cmdsize < 8 || cmdsize % align != 0)
        throw ParseError(fmt::format("Mach-O load command {} has bad cmdsize {}", i, cmdsize));
      if (cmdsize > cmds.size() - pos)
        throw ParseError(fmt::format("Mach-O load command {} (cmdsize {}) runs past sizeofcmds", i, cmdsize));
      switch (cmd) {
      case C::lc_segment: read_segment(c, cmdsize, i); break;
      case kLcLoadDylib:
      case kLcLoadWeakDylib:
      case kLcReexportDylib:
      case kLcLazyLoadDylib:
      case kLcLoadUpwardDylib: info.needed.push_back(lc_str<typename C::Dylib>(c, cmdsize, i)); break;
      case kLcRpath: info.rpath.push_back(lc_str<typename C::Rpath>(c, cmdsize, i)); break;
      default: break;
      }
      pos += cmdsize;
    }
  }

  /// The string a load command R points at with its offset field (the one after cmdsize): it
  /// must start past R's fixed part and end with a NUL inside the command.
  template <class R>
  std::string lc_str(const std::uint8_t* c, std::uint32_t cmdsize, std::uint32_t i) const {
    constexpr std::uint32_t fixed = sizeof(R);
    if (cmdsize < fixed)
      throw ParseError(fmt::format("Mach-O load command {} is too small: cmdsize {}", i, cmdsize));
    const auto lc = macho::record_at<typename C::Rpath>(c); // cmd, cmdsize, then the offset
    const std::uint32_t off = lc.path.value();
    if (off < fixed || off >= cmdsize)
      throw ParseError(fmt::format("Mach-O load command {} has its string at bad offset {}", i, off));
    const std::uint8_t* s = c + off;
    std::size_t max = cmdsize - off;
    std::size_t n = 0;
    while (n < max && s[n]) ++n;
    if (n == max) throw ParseError(fmt::format("Mach-O load command {} string is not NUL-terminated", i));
    return std::string(reinterpret_cast<const char*>(s), n);
  }

  /// LC_SEGMENT or LC_SEGMENT_64 (whichever this class has) and its sections.
  void read_segment(const std::uint8_t* c, std::uint32_t cmdsize, std::uint32_t i) {
    using Seg = typename C::Segment;
    using Sect = typename C::Section;
    constexpr std::uint32_t kFixed = sizeof(Seg), kSect = sizeof(Sect);
    if (cmdsize < kFixed)
      throw ParseError(fmt::format("Mach-O {} {} is too small: cmdsize {}", C::segment_name, i, cmdsize));
    const auto sc = macho::record_at<Seg>(c);
    Segment seg{fixed_name(sc.segname), sc.vmaddr.value(),  sc.vmsize.value(),  sc.fileoff.value(),
                sc.filesize.value(),    sc.maxprot.value(), sc.initprot.value()};
    const std::uint32_t nsects = sc.nsects.value();
    if (nsects > (cmdsize - kFixed) / kSect)
      throw ParseError(fmt::format("Mach-O {} {} claims {} sections in cmdsize {}", C::segment_name, i, nsects, cmdsize));
    for (std::uint32_t k = 0; k < nsects; ++k) {
      const auto sect = macho::record_at<Sect>(c + kFixed + std::size_t(k) * kSect);
      sections_.push_back(Section{fixed_name(sect.segname), fixed_name(sect.sectname), sect.addr.value(),
                                  sect.size.value(), sect.offset.value()});
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
  std::vector<Segment> segments_;
  std::vector<Section> sections_;
};

std::uint32_t magic_of(const ByteSource& src) {
  return macho::read_record<macho::U32<macho::order::big>>(src, 0, "Mach-O magic").value();
}

/// A thin file: its magic, read big-endian, says the class and the byte order; the one
/// dispatch to a typed reader.
BinaryInfo read_thin(const ByteSource& src) {
  using macho::MachClass;
  using macho::order;
  if (!src.contains(0, 28)) throw ParseError("Mach-O header out of bounds: 28 bytes at offset 0, file size " +
                                             std::to_string(src.size()));
  switch (magic_of(src)) {
  case kMagic32: return MachoReader<MachClass<false, order::big>>(src).read();
  case kMagic64: return MachoReader<MachClass<true, order::big>>(src).read();
  case kCigam32: return MachoReader<MachClass<false, order::little>>(src).read();
  case kCigam64: return MachoReader<MachClass<true, order::little>>(src).read();
  default: throw ParseError(fmt::format("not a Mach-O file: magic 0x{:08x}", magic_of(src)));
  }
}

} // namespace

bool is_macho(const ByteSource& src) {
  if (!src.contains(0, 8)) return false;
  std::uint32_t magic = magic_of(src);
  if (magic == kMagic32 || magic == kMagic64 || magic == kCigam32 || magic == kCigam64) return true;
  if (magic != kFatMagic && magic != kFatMagic64) return false;
  return macho::read_record<macho::FatHeader>(src, 0, "Mach-O fat header").nfat_arch.value() <= kMaxFatArch;
}

BinaryInfo read_macho(const ByteSource& src) {
  std::uint32_t magic = magic_of(src);
  if (magic != kFatMagic && magic != kFatMagic64) return read_thin(src);

  const std::uint32_t narch = macho::read_record<macho::FatHeader>(src, 0, "Mach-O fat header").nfat_arch.value();
  if (narch == 0) throw ParseError("Mach-O fat file has no architectures");
  if (narch > kMaxFatArch) throw ParseError(fmt::format("Mach-O fat file claims {} architectures", narch));
  std::uint64_t off, size;
  if (magic == kFatMagic) {
    const auto a = macho::read_record<macho::FatArch32>(src, 8, "Mach-O fat architecture");
    off = a.offset.value();
    size = a.size.value();
  } else {
    const auto a = macho::read_record<macho::FatArch64>(src, 8, "Mach-O fat architecture");
    off = a.offset.value();
    size = a.size.value();
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
  return read_thin(slice);
}

} // namespace gobuild
