// The .git parsers on arbitrary bytes: git_apply_delta (the first byte picks where the base
// ends), commit_committer_time and split_go_words. They may only throw ParseError, and must
// not crash, hang or read out of bounds.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "gobuild/attest/git.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/quoted.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  (void)gobuild::commit_committer_time(in);
  try {
    (void)gobuild::split_go_words(in);
  } catch (const gobuild::ParseError&) {
  }
  if (size == 0) return 0;
  const std::size_t cut = std::min<std::size_t>(static_cast<unsigned char>(in[0]), size - 1);
  try {
    (void)gobuild::git_apply_delta(in.substr(1, cut), in.substr(1 + cut));
  } catch (const gobuild::ParseError&) {
  }
  return 0;
}
