// parse_config on arbitrary text: it may only throw ConfigError (yaml-cpp's own exceptions,
// deep nesting and alias bombs must all come out as ConfigError), and must not crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gobuild/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  gobuild::LoadOptions opts;
  opts.allow_cc = size % 2 == 0;
  try {
    gobuild::Config c = gobuild::parse_config(text, "gobuild.yaml", "/src", opts);
    for (const auto& t : c.targets) {
      for (const auto& p : t.platforms) (void)gobuild::expand_output(t, p);
    }
  } catch (const gobuild::ConfigError& e) {
    (void)e.formatted();
  }
  return 0;
}
