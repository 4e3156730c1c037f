#include "checks.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "gobuild/config/stamps.hpp"
#include "gobuild/util/strings.hpp"
#include "variants.hpp"

namespace gobuild {

namespace config_detail {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

} // namespace

std::optional<std::string> nearest(const std::string& word,
                                   const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  const size_t limit = w.size() <= 3 ? 1 : 2;
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(w, lower(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

CheckProblem check_tag(const std::string& tag) {
  const bool ok = !tag.empty() && std::all_of(tag.begin(), tag.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  });
  if (ok) return std::nullopt;
  return fmt::format("tags: '{}' is not a build tag (letters, digits, '_' and '.'; one tag an item)",
                     tag);
}

CheckProblem check_go_version(const std::string& version) {
  auto bad = [&] {
    std::string hint = starts_with(version, "go") ? fmt::format(" (write '{}')", version.substr(2))
                                                   : std::string();
    return fmt::format("go: '{}' is not a Go version like 1.26, 1.26.1 or 1.27rc1{}", version,
                       hint);
  };
  // Reads digits without a leading zero; returns false when there are none.
  auto number = [&](size_t& i, long& out) {
    size_t start = i;
    while (i < version.size() && version[i] >= '0' && version[i] <= '9' && i - start < 6) ++i;
    if (i == start || (version[start] == '0' && i - start > 1)) return false;
    out = std::stol(version.substr(start, i - start));
    return true;
  };
  size_t i = 0;
  long major = 0, minor = 0, patch = 0;
  if (!number(i, major) || major != 1 || i >= version.size() || version[i] != '.') return bad();
  ++i;
  if (!number(i, minor)) return bad();
  if (i < version.size() && version[i] == '.') {
    ++i;
    if (!number(i, patch)) return bad();
  } else if (i < version.size()) {
    size_t len = version.compare(i, 2, "rc") == 0 ? 2 : version.compare(i, 4, "beta") == 0 ? 4 : 0;
    if (len == 0) return bad();
    i += len;
    long pre = 0;
    if (!number(i, pre) || pre == 0) return bad();
  }
  if (i != version.size()) return bad();
  if (minor < 21) {
    return fmt::format("go: '{}' is older than 1.21, the first Go the go command can switch to "
                       "through GOTOOLCHAIN", version);
  }
  return std::nullopt;
}

CheckProblem check_name(const std::string& name) {
  const bool ok = !name.empty() && name != "." && name != ".." &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                           c == '-';
                  });
  if (ok) return std::nullopt;
  return fmt::format("name: '{}' is not a safe name (letters, digits, '.', '_' and '-'; "
                     "not . or ..)", name);
}

CheckProblem check_output_template(const std::string& tmpl) {
  static const std::vector<std::string> placeholders = [] {
    std::vector<std::string> p = {"name", "os", "arch", "variant"};
    p.insert(p.end(), stamp_names().begin(), stamp_names().end());
    return p;
  }();
  if (tmpl.empty()) return std::string("output: empty; give a path such as bin/{name}");
  if (tmpl.find('\0') != std::string::npos) return std::string("output: contains a NUL byte");
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '}') return fmt::format("output: '{}' has a '}}' without a matching '{{'", tmpl);
    if (tmpl[i] != '{') continue;
    size_t close = tmpl.find_first_of("{}", i + 1);
    if (close == std::string::npos || tmpl[close] == '{') {
      return fmt::format("output: '{}' has a '{{' without a matching '}}'", tmpl);
    }
    const std::string word = tmpl.substr(i + 1, close - i - 1);
    if (std::find(placeholders.begin(), placeholders.end(), word) == placeholders.end()) {
      if (auto near = nearest(word, placeholders)) {
        return fmt::format("output: unknown placeholder '{{{}}}' (did you mean '{{{}}}'?)", word,
                           *near);
      }
      return fmt::format("output: unknown placeholder '{{{}}}' (use {{name}}, {{os}}, {{arch}}, "
                         "{{variant}} or a stamp such as {{version}})", word);
    }
    i = close;
  }
  const std::string last = tmpl.substr(tmpl.find_last_of('/') == std::string::npos
                                           ? 0
                                           : tmpl.find_last_of('/') + 1);
  if (last.empty() || last == "." || last == "..") {
    return fmt::format("output: '{}' does not name a file", tmpl);
  }
  return std::nullopt;
}

const std::vector<std::string>& known_platforms() {
  // `go tool dist list` of Go 1.26.
  static const std::vector<std::string> table = {
    "aix/ppc64", "android/386", "android/amd64", "android/arm", "android/arm64", "darwin/amd64",
    "darwin/arm64", "dragonfly/amd64", "freebsd/386", "freebsd/amd64", "freebsd/arm",
    "freebsd/arm64", "illumos/amd64", "ios/amd64", "ios/arm64", "js/wasm", "linux/386",
    "linux/amd64", "linux/arm", "linux/arm64", "linux/loong64", "linux/mips", "linux/mips64",
    "linux/mips64le", "linux/mipsle", "linux/ppc64", "linux/ppc64le", "linux/riscv64",
    "linux/s390x", "netbsd/386", "netbsd/amd64", "netbsd/arm", "netbsd/arm64", "openbsd/386",
    "openbsd/amd64", "openbsd/arm", "openbsd/arm64", "openbsd/ppc64", "openbsd/riscv64",
    "plan9/386", "plan9/amd64", "plan9/arm", "solaris/amd64", "wasip1/wasm", "windows/386",
    "windows/amd64", "windows/arm64",
  };
  return table;
}

CheckProblem parse_platform(const std::string& text, Platform& out) {
  const size_t slash = text.find('/');
  const size_t second = slash == std::string::npos ? slash : text.find('/', slash + 1);
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size() || second == slash + 1 ||
      (second != std::string::npos &&
       (second + 1 == text.size() || text.find('/', second + 1) != std::string::npos))) {
    return fmt::format("platforms: '{}' is not OS/ARCH or OS/ARCH/VARIANT (e.g. linux/amd64, "
                       "linux/arm/v7)", text);
  }
  const std::string os_arch = text.substr(0, second);
  const auto& known = known_platforms();
  if (std::find(known.begin(), known.end(), os_arch) == known.end()) {
    if (auto near = nearest(os_arch, known)) {
      return fmt::format("platforms: '{}' is not a platform Go supports (did you mean '{}'?)",
                         text, *near);
    }
    return fmt::format("platforms: '{}' is not a platform Go supports (see `go tool dist list`)",
                       text);
  }
  Platform p{text.substr(0, slash), os_arch.substr(slash + 1), ""};
  if (second != std::string::npos) {
    p.variant = text.substr(second + 1);
    if (CheckProblem bad = check_variant(text, p.arch, p.variant)) return bad;
  }
  out = p;
  return std::nullopt;
}

Platform compiled_host_platform() {
  Platform p;
#if defined(__APPLE__)
  p.os = "darwin";
#elif defined(_WIN32)
  p.os = "windows";
#elif defined(__FreeBSD__)
  p.os = "freebsd";
#else
  p.os = "linux";
#endif
#if defined(__x86_64__) || defined(_M_X64)
  p.arch = "amd64";
#elif defined(__aarch64__)
  p.arch = "arm64";
#elif defined(__i386__)
  p.arch = "386";
#elif defined(__arm__)
  p.arch = "arm";
#elif defined(__riscv)
  p.arch = "riscv64";
#elif defined(__s390x__)
  p.arch = "s390x";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
  p.arch = "ppc64le";
#else
  p.arch = "amd64";
#endif
  return p;
}

} // namespace config_detail

bool is_known_platform(const Platform& p) {
  const auto& known = config_detail::known_platforms();
  return std::find(known.begin(), known.end(), p.str()) != known.end();
}

} // namespace gobuild
