// libFuzzer target for the Mach-O reader: any input must either parse or throw ParseError;
// is_macho must not throw at all; every other exception, crash, leak or sanitizer report is a finding.
#include <cstddef>
#include <cstdint>

#include "gobuild/binary/macho.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gobuild::MemorySource src(data, size);
  // is_macho must never throw: outside the try, an exception from it aborts the run.
  (void)gobuild::is_macho(src);
  try {
    (void)gobuild::read_macho(src);
  } catch (const gobuild::ParseError&) {
  }
  return 0;
}
