// libFuzzer target for the Go build info reader. The input is the data range itself, placed
// at virtual address 0 so that the pre-1.18 pointers are file offsets; the same bytes also go
// to parse_modinfo as text and to the text-segment build-ID search. Only ParseError may escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gobuild/binary/buildinfo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gobuild::MemorySource src(data, size);
  gobuild::ExeView view;
  view.src = &src;
  view.data_off = 0;
  view.data_len = size;
  view.data_addr = 0;
  view.addr_to_off = [size](std::uint64_t addr, std::uint64_t& avail) -> std::optional<std::uint64_t> {
    if (addr >= size) return std::nullopt;
    avail = size - addr;
    return addr;
  };
  try {
    (void)gobuild::read_go_buildinfo(view);
  } catch (const gobuild::ParseError&) {
  }
  try {
    gobuild::GoBuildInfo info;
    gobuild::parse_modinfo(std::string_view(reinterpret_cast<const char*>(data), size), info);
  } catch (const gobuild::ParseError&) {
  }
  (void)gobuild::find_go_build_id_in_text(src, 0, size); // never throws: bounded by the file
  return 0;
}
