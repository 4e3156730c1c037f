#include "gobuild/config/flag_words.hpp"

#include "checks.hpp"
#include "gobuild/util/error.hpp"

namespace gobuild {

std::vector<std::string> split_flag_words(const std::string& text) {
  const char* const space = " \t\n\r";
  std::vector<std::string> words;
  size_t i = 0;
  for (;;) {
    i = text.find_first_not_of(space, i);
    if (i == std::string::npos) break;
    const char quote = text[i];
    if (quote == '\'' || quote == '"') {
      const size_t close = text.find(quote, i + 1);
      if (close == std::string::npos)
        throw UsageError(std::string("unterminated ") + quote + " string in '" + text + "'");
      words.push_back(text.substr(i + 1, close - i - 1));
      i = close + 1;
      continue;
    }
    const size_t end = text.find_first_of(space, i);
    words.push_back(text.substr(i, end == std::string::npos ? std::string::npos : end - i));
    if (end == std::string::npos) break;
    i = end;
  }
  return words;
}

std::optional<std::string> check_config_word(ConfigKey key, const std::string& word, bool allow_cc) {
  switch (key) {
  case ConfigKey::flags: return config_detail::check_flag(word);
  case ConfigKey::ldflags: return config_detail::check_ldflag(word, allow_cc);
  case ConfigKey::tags: return config_detail::check_tag(word);
  }
  return std::nullopt;
}

std::optional<std::string> read_config_platform(const std::string& text, Platform& out) {
  return config_detail::parse_platform(text, out);
}

} // namespace gobuild
