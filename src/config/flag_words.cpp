#include "gobuild/config/flag_words.hpp"

#include "checks.hpp"
#include "gobuild/config/allowlist.hpp"
#include "gobuild/util/error.hpp"

namespace gobuild {

std::vector<std::string> split_flag_words(const std::string& text) {
  std::optional<std::vector<std::string>> words = try_split_go_words(text);
  if (!words) {
    const char quote = text[text.find_first_of("'\"")];
    throw UsageError(std::string("unterminated ") + quote + " string in '" + text + "'");
  }
  return *words;
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
