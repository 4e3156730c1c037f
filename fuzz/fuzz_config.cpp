// parse_config on arbitrary text: it may only throw ConfigError (yaml-cpp's own exceptions,
// deep nesting and alias bombs must all come out as ConfigError), and must not crash or hang.
// And the safety property: every config it accepts yields a `go build` command line whose
// words — the flags, and the words the go command and its linker split out of -ldflags and
// -extldflags — are each allowed by the same allowlists, and are the words the config gave.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "gobuild/config/allowlist.hpp"
#include "gobuild/config/config.hpp"
#include "gobuild/config/confine.hpp"
#include "gobuild/driver/command.hpp"

namespace {

[[noreturn]] void broken(const char* what, const std::string& detail) {
  std::fprintf(stderr, "safety property broken: %s: %s\n", what, detail.c_str());
  std::abort();
}

using Words = std::vector<std::string>;

void must_pass(gobuild::WordList list, const Words& words, bool allow_cc) {
  if (auto p = gobuild::check_words(list, words, gobuild::WordRules{allow_cc}))
    broken("a word not on its allowlist reaches the go command", p->message);
}

/// Splits the go build argv as the go command and its linker will, and checks every word.
void check_command_line(const gobuild::Target& t, bool allow_cc) {
  const Words argv = gobuild::go_build_argv(t, "/out/app");
  size_t i = 0;
  while (i < argv.size() && argv[i] != "-ldflags") ++i;
  if (i + 1 >= argv.size()) broken("no -ldflags value", t.name);
  auto ld = gobuild::try_split_go_words(argv[i + 1]);
  if (!ld || ld->empty()) broken("-ldflags does not split", argv[i + 1]);
  size_t k = 1; // (*ld)[0] is gobuild's own -linkmode=
  if (k + 1 < ld->size() && (*ld)[k] == "-extldflags") {
    auto ext = gobuild::try_split_go_words((*ld)[k + 1]);
    if (!ext) broken("-extldflags does not split", (*ld)[k + 1]);
    must_pass(gobuild::WordList::extldflags, *ext, allow_cc);
    if (*ext != t.build.extldflags) broken("extldflags words changed on the way", (*ld)[k + 1]);
    k += 2;
  }
  const Words ldwords(ld->begin() + static_cast<std::ptrdiff_t>(k), ld->end());
  must_pass(gobuild::WordList::ldflags, ldwords, allow_cc);
  if (ldwords != t.build.ldflags) broken("ldflags words changed on the way", argv[i + 1]);
  const Words flags(argv.begin() + static_cast<std::ptrdiff_t>(i + 2), argv.end() - 1);
  must_pass(gobuild::WordList::flags, flags, allow_cc);
  if (flags != t.build.flags) broken("flags changed on the way", t.name);
  if (argv.back() != t.main) broken("the package is not the last word", argv.back());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  gobuild::LoadOptions opts;
  opts.allow_cc = size % 2 == 0;
  gobuild::Config c;
  try {
    c = gobuild::parse_config(text, "gobuild.yaml", "/src", opts);
  } catch (const gobuild::ConfigError& e) {
    (void)e.formatted();
    return 0;
  }
  for (const auto& t : c.targets) {
    for (const auto& p : t.platforms) {
      const std::string out = gobuild::expand_output(t, p);
      if (auto why = gobuild::check_output_path(out)) broken("an output escapes", out + " " + *why);
    }
    try {
      check_command_line(t, opts.allow_cc);
    } catch (const std::exception& e) {
      broken("an accepted config has no command line", e.what());
    }
  }
  return 0;
}
