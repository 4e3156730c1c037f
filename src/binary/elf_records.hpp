#pragma once
// The ELF records gobuild reads, one struct each, as the gABI lays them out: Boost.Endian
// buffer fields (unaligned, stored in the file's byte order), so that a struct's bytes are the
// file's bytes and `.value()` gives the host's integer. Generic over the class (32/64) and the
// byte order; ElfClass<Is64, Order> names one of the four combinations.
//
// File bytes are never cast to these structs: read_record copies them out of a bounds-checked
// read (ByteSource::read), record_at out of a buffer that such a read filled.
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <boost/endian/buffers.hpp>

#include "gobuild/binary/source.hpp"

namespace gobuild::elf {

using boost::endian::order;
template <order O> using U16 = boost::endian::endian_buffer<O, std::uint16_t, 16>;
template <order O> using U32 = boost::endian::endian_buffer<O, std::uint32_t, 32>;
template <order O> using U64 = boost::endian::endian_buffer<O, std::uint64_t, 64>;

template <order O> struct Ehdr32 {
  std::uint8_t e_ident[16];
  U16<O> e_type, e_machine;
  U32<O> e_version, e_entry, e_phoff, e_shoff, e_flags;
  U16<O> e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};
template <order O> struct Ehdr64 {
  std::uint8_t e_ident[16];
  U16<O> e_type, e_machine;
  U32<O> e_version;
  U64<O> e_entry, e_phoff, e_shoff;
  U32<O> e_flags;
  U16<O> e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

template <order O> struct Phdr32 {
  U32<O> p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
};
template <order O> struct Phdr64 { // p_flags moves up to keep the 64-bit fields aligned
  U32<O> p_type, p_flags;
  U64<O> p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

template <order O> struct Shdr32 {
  U32<O> sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, sh_addralign,
      sh_entsize;
};
template <order O> struct Shdr64 {
  U32<O> sh_name, sh_type;
  U64<O> sh_flags, sh_addr, sh_offset, sh_size;
  U32<O> sh_link, sh_info;
  U64<O> sh_addralign, sh_entsize;
};

template <order O> struct Dyn32 { U32<O> d_tag, d_val; };
template <order O> struct Dyn64 { U64<O> d_tag, d_val; };

/// The same in both classes.
template <order O> struct Nhdr { U32<O> n_namesz, n_descsz, n_type; };

template <bool Is64, order O> struct ElfClass {
  static constexpr bool is64 = Is64;
  static constexpr bool big = O == order::big;
  using Ehdr = std::conditional_t<Is64, Ehdr64<O>, Ehdr32<O>>;
  using Phdr = std::conditional_t<Is64, Phdr64<O>, Phdr32<O>>;
  using Shdr = std::conditional_t<Is64, Shdr64<O>, Shdr32<O>>;
  using Dyn = std::conditional_t<Is64, Dyn64<O>, Dyn32<O>>;
  using Nhdr = elf::Nhdr<O>;
  static_assert(sizeof(Ehdr) == (Is64 ? 64 : 52) && sizeof(Phdr) == (Is64 ? 56 : 32) &&
                    sizeof(Shdr) == (Is64 ? 64 : 40) && sizeof(Dyn) == (Is64 ? 16 : 8) &&
                    sizeof(Nhdr) == 12,
                "ELF records must have the gABI's sizes");
};

/// The record at `off`, copied out of a bounds-checked read: ParseError("WHAT out of bounds...")
/// when it does not fit in the file.
template <class R> R read_record(const ByteSource& src, std::uint64_t off, const char* what) {
  static_assert(std::is_trivially_copyable_v<R> && alignof(R) == 1);
  R r;
  src.read(off, &r, sizeof r, what);
  return r;
}

/// The record at `p`, in a buffer already filled by a bounds-checked read of at least sizeof(R).
template <class R> R record_at(const std::uint8_t* p) {
  static_assert(std::is_trivially_copyable_v<R> && alignof(R) == 1);
  R r;
  std::memcpy(&r, p, sizeof r);
  return r;
}

} // namespace gobuild::elf
