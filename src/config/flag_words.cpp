#include "gobuild/config/flag_words.hpp"

#include "checks.hpp"
#include "gobuild/config/allowlist.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/quoted.hpp"

namespace gobuild {

std::vector<std::string> split_flag_words(const std::string& text) {
  try {
    return split_go_words(text);
  } catch (const ParseError& e) { // "unterminated ' string", naming the quote that is not closed
    throw UsageError(std::string(e.what()) + " in '" + text + "'");
  }
}

std::optional<std::string> check_config_words(ConfigKey key, const std::vector<std::string>& words,
                                              bool allow_cc) {
  const WordRules rules{allow_cc};
  if (key == ConfigKey::tags) {
    for (const auto& w : words)
      if (auto p = config_detail::check_tag(w)) return p;
    return std::nullopt;
  }
  const WordList list = key == ConfigKey::flags ? WordList::flags : WordList::ldflags;
  if (auto p = check_words(list, words, rules)) return p->message;
  return std::nullopt;
}

std::optional<std::string> read_config_platform(const std::string& text, Platform& out) {
  return config_detail::parse_platform(text, out);
}

} // namespace gobuild
