// libFuzzer target for the ELF reader (and, through it, the Go build info reader): any input
// must either parse or throw ParseError; is_elf must not throw at all. Every other exception,
// crash, leak, timeout or sanitizer report is a finding.
#include <cstddef>
#include <cstdint>

#include "gobuild/binary/elf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gobuild::MemorySource src(data, size);
  (void)gobuild::is_elf(src); // outside the try: an exception from it aborts the run
  try {
    (void)gobuild::read_elf(src);
  } catch (const gobuild::ParseError&) {
  }
  return 0;
}
