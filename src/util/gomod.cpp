#include "gobuild/util/gomod.hpp"

#include <cstdint>

#include "gobuild/util/error.hpp"

namespace gobuild {
namespace {

[[noreturn]] void fail(int line, const std::string& why) {
  throw ParseError("go.mod:" + std::to_string(line) + ": " + why);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3f));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

/// A token of one line: a word, or one of the punctuation marks "(" and ")".
struct Token {
  std::string text;
  bool punct = false;
};

class Lexer {
public:
  Lexer(std::string_view text, int line) : s_(text), line_(line) {}

  /// The tokens of the line, comment dropped.
  std::vector<Token> tokens() {
    std::vector<Token> out;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (is_space(c)) {
        ++i_;
      } else if (s_.compare(i_, 2, "//") == 0) {
        break;
      } else if (c == '(' || c == ')') {
        out.push_back({std::string(1, c), true});
        ++i_;
      } else if (c == '"') {
        out.push_back({quoted(), false});
      } else if (c == '`') {
        auto end = s_.find('`', i_ + 1);
        if (end == std::string_view::npos) fail(line_, "unterminated raw string");
        out.push_back({std::string(s_.substr(i_ + 1, end - i_ - 1)), false});
        i_ = end + 1;
      } else {
        std::size_t b = i_;
        while (i_ < s_.size() && !is_space(s_[i_]) && s_[i_] != '(' && s_[i_] != ')' &&
               s_[i_] != '"' && s_[i_] != '`' && s_.compare(i_, 2, "//") != 0)
          ++i_;
        out.push_back({std::string(s_.substr(b, i_ - b)), false});
      }
    }
    return out;
  }

private:
  /// A "..." string at i_, unquoted as strconv.Unquote does.
  std::string quoted() {
    std::string out;
    for (++i_; i_ < s_.size(); ++i_) {
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        return out;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (++i_ >= s_.size()) break;
      switch (char e = s_[i_]) {
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case 'x': out += static_cast<char>(digits(2, 16)); break;
      case 'u': append_code_point(out, digits(4, 16)); break;
      case 'U': append_code_point(out, digits(8, 16)); break;
      default:
        if (e >= '0' && e <= '7') {
          --i_;
          std::uint32_t v = digits(3, 8);
          if (v > 255) fail(line_, "bad octal escape in quoted string");
          out += static_cast<char>(v);
        } else {
          fail(line_, std::string("unknown escape \\") + e + " in quoted string");
        }
      }
    }
    fail(line_, "unterminated quoted string");
  }

  void append_code_point(std::string& out, std::uint32_t cp) {
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail(line_, "bad \\u escape");
    append_utf8(out, cp);
  }

  /// `n` digits in `base` after s_[i_]; leaves i_ on the last one.
  std::uint32_t digits(int n, int base) {
    std::uint32_t v = 0;
    for (int k = 0; k < n; ++k) {
      ++i_;
      int d = i_ < s_.size() ? hex_value(s_[i_]) : -1;
      if (d < 0 || d >= base) fail(line_, "bad escape in quoted string");
      v = v * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(d);
    }
    return v;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int line_;
};

} // namespace

std::vector<GoModDirective> gomod_directives(std::string_view text) {
  std::vector<GoModDirective> out;
  std::string block_verb; // non-empty inside `verb (`
  int block_line = 0, line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    ++line_no;
    std::vector<Token> toks = Lexer(text.substr(pos, nl - pos), line_no).tokens();
    pos = nl + 1;
    if (toks.empty()) continue;
    if (!block_verb.empty()) {
      if (toks.size() == 1 && toks[0].punct && toks[0].text == ")") {
        block_verb.clear();
        continue;
      }
      GoModDirective d{{block_verb}, line_no};
      for (auto& t : toks) {
        if (t.punct) fail(line_no, "unexpected " + t.text + " in a block");
        d.words.push_back(std::move(t.text));
      }
      out.push_back(std::move(d));
      continue;
    }
    if (toks[0].punct) fail(line_no, "unexpected " + toks[0].text);
    if (toks.size() == 2 && toks[1].punct && toks[1].text == "(") {
      block_verb = toks[0].text;
      block_line = line_no;
      continue;
    }
    GoModDirective d{{}, line_no};
    for (auto& t : toks) {
      if (t.punct) fail(line_no, "unexpected " + t.text);
      d.words.push_back(std::move(t.text));
    }
    out.push_back(std::move(d));
  }
  if (!block_verb.empty()) fail(block_line, "block " + block_verb + " ( is not closed");
  return out;
}

GoMod parse_gomod(std::string_view text) {
  GoMod m;
  for (const auto& d : gomod_directives(text)) {
    const auto& w = d.words;
    if (w[0] == "module" && w.size() >= 2 && m.module.empty()) m.module = w[1];
    else if (w[0] == "go" && w.size() >= 2) m.go = w[1];
    else if (w[0] == "toolchain" && w.size() >= 2) m.toolchain = w[1];
    else if (w[0] == "require" && w.size() >= 3) m.require.emplace_back(w[1], w[2]);
  }
  return m;
}

} // namespace gobuild
