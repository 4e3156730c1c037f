// libFuzzer target for the PE reader: any input must either parse or throw ParseError;
// is_pe must not throw at all; every other exception, crash, leak or sanitizer report is a finding.
#include <cstddef>
#include <cstdint>

#include "gobuild/binary/pe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gobuild::MemorySource src(data, size);
  // is_pe must never throw: outside the try, an exception from it aborts the run.
  (void)gobuild::is_pe(src);
  try {
    (void)gobuild::read_pe(src);
  } catch (const gobuild::ParseError&) {
  }
  return 0;
}
