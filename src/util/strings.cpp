#include "gobuild/util/strings.hpp"

#include <cstdint>

namespace gobuild {

std::string normal_path(std::string_view path) {
  // Nothing but slashes (or nothing) stays as it is, as the standard library leaves it.
  if (path.find_first_not_of('/') == std::string_view::npos) return std::string(path);
  const bool absolute = path[0] == '/';
  std::vector<std::string_view> out;
  bool trailing = false; // the result ends in a slash
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view e = path.substr(i, end - i);
    trailing = end < path.size();
    if (e == ".") {
      trailing = true;
    } else if (e == "..") {
      if (!out.empty() && out.back() != "..") {
        out.pop_back();
        trailing = true;
      } else if (!absolute) {
        out.push_back(e);
      }
    } else {
      out.push_back(e);
    }
    i = end;
  }
  std::string s = absolute ? "/" : "";
  for (size_t k = 0; k < out.size(); ++k) {
    if (k) s += '/';
    s += out[k];
  }
  if (trailing && !out.empty() && out.back() != "..") s += '/';
  return s.empty() ? "." : s;
}

std::string join_path(std::string_view dir, std::string_view rest) {
  if (!rest.empty() && rest[0] == '/') return std::string(rest);
  if (dir.empty()) return std::string(rest);
  std::string s(dir);
  if (s.back() != '/') s += '/';
  return s + std::string(rest);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string trim(std::string_view s) {
  const char* ws = " \t\n\v\f\r";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(ws) - b + 1));
}

namespace {

/// Length of the valid UTF-8 sequence at s[i] and its code point, or 0 when it is not one
/// (overlong forms, surrogates and values past U+10FFFF are not).
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& cp) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  std::size_t n;
  std::uint32_t min;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xe0) == 0xc0) {
    n = 2, cp = c & 0x1f, min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    n = 3, cp = c & 0x0f, min = 0x800;
  } else if ((c & 0xf8) == 0xf0) {
    n = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i < n) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (b(k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

} // namespace

std::string escape_controls(std::string_view s, bool keep_newlines) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    std::size_t n = utf8_sequence(s, i, cp);
    if (n == 0) { // not UTF-8: the byte, in hex
      const auto c = static_cast<unsigned char>(s[i++]);
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
      continue;
    }
    if (cp >= 0x80 && cp <= 0x9f) { // C1 controls: a terminal may take U+009B as CSI
      out += "\\u00";
      out += hex[cp >> 4];
      out += hex[cp & 15];
    } else if (cp == '\n' && keep_newlines) {
      out += '\n';
    } else if (cp < 0x20 || cp == 0x7f) {
      switch (cp) {
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        out += "\\x";
        out += hex[cp >> 4];
        out += hex[cp & 15];
      }
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

} // namespace gobuild
