#include "gobuild/util/quoted.hpp"

#include "gobuild/util/error.hpp"

namespace gobuild {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
} // namespace

std::vector<std::string> split_go_words(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    if (i == s.size()) break;
    if (s[i] == '\'' || s[i] == '"') {
      const char quote = s[i];
      const std::size_t end = s.find(quote, i + 1);
      if (end == std::string::npos) throw ParseError(std::string("unterminated ") + quote + " string");
      out.push_back(s.substr(i + 1, end - i - 1));
      i = end + 1; // what follows the closing quote starts the next word, as in go
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && !is_space(s[end])) ++end;
    out.push_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

} // namespace gobuild
