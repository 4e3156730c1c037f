#pragma once
// The Mach-O records gobuild reads (<mach-o/loader.h>, <mach-o/fat.h>), one struct each, with
// Boost.Endian buffer fields in the file's byte order; generic over 32/64-bit and the byte
// order, MachClass<Is64, Order> naming one of the four. Copied out of bounds-checked bytes
// (read_record, record_at in elf_records.hpp), never cast from them.
#include <cstdint>
#include <type_traits>

#include "elf_records.hpp" // U32/U64, read_record, record_at

namespace gobuild::macho {

using elf::order;
using elf::read_record;
using elf::record_at;
template <order O> using U32 = elf::U32<O>;
template <order O> using U64 = elf::U64<O>;

template <order O> struct MachHeader32 {
  U32<O> magic, cputype, cpusubtype, filetype, ncmds, sizeofcmds, flags;
};
template <order O> struct MachHeader64 {
  U32<O> magic, cputype, cpusubtype, filetype, ncmds, sizeofcmds, flags, reserved;
};

template <order O> struct LoadCommand { U32<O> cmd, cmdsize; };

template <order O> struct SegmentCommand32 {
  U32<O> cmd, cmdsize;
  char segname[16];
  U32<O> vmaddr, vmsize, fileoff, filesize, maxprot, initprot, nsects, flags;
};
template <order O> struct SegmentCommand64 {
  U32<O> cmd, cmdsize;
  char segname[16];
  U64<O> vmaddr, vmsize, fileoff, filesize;
  U32<O> maxprot, initprot, nsects, flags;
};

template <order O> struct Section32 {
  char sectname[16], segname[16];
  U32<O> addr, size, offset, align, reloff, nreloc, flags, reserved1, reserved2;
};
template <order O> struct Section64 {
  char sectname[16], segname[16];
  U64<O> addr, size;
  U32<O> offset, align, reloff, nreloc, flags, reserved1, reserved2, reserved3;
};

/// dylib_command and rpath_command: the string's offset follows cmd and cmdsize.
template <order O> struct DylibCommand { U32<O> cmd, cmdsize, name, timestamp, current_version, compatibility_version; };
template <order O> struct RpathCommand { U32<O> cmd, cmdsize, path; };

/// Fat files are big-endian whatever their slices are.
struct FatHeader { U32<order::big> magic, nfat_arch; };
struct FatArch32 { U32<order::big> cputype, cpusubtype, offset, size, align; };
struct FatArch64 {
  U32<order::big> cputype, cpusubtype;
  U64<order::big> offset, size;
  U32<order::big> align, reserved;
};

template <bool Is64, order O> struct MachClass {
  static constexpr bool is64 = Is64;
  static constexpr bool big = O == order::big;
  using Header = std::conditional_t<Is64, MachHeader64<O>, MachHeader32<O>>;
  using Segment = std::conditional_t<Is64, SegmentCommand64<O>, SegmentCommand32<O>>;
  using Section = std::conditional_t<Is64, Section64<O>, Section32<O>>;
  using Load = LoadCommand<O>;
  using Dylib = DylibCommand<O>;
  using Rpath = RpathCommand<O>;
  static constexpr std::uint32_t lc_segment = Is64 ? 0x19 : 0x1; ///< LC_SEGMENT_64 / LC_SEGMENT
  static constexpr const char* segment_name = Is64 ? "LC_SEGMENT_64" : "LC_SEGMENT";
  static_assert(sizeof(Header) == (Is64 ? 32 : 28) && sizeof(Segment) == (Is64 ? 72 : 56) &&
                    sizeof(Section) == (Is64 ? 80 : 68) && sizeof(Load) == 8 && sizeof(Dylib) == 24 &&
                    sizeof(Rpath) == 12,
                "Mach-O records must have loader.h's sizes");
};
static_assert(sizeof(FatHeader) == 8 && sizeof(FatArch32) == 20 && sizeof(FatArch64) == 32);

} // namespace gobuild::macho
