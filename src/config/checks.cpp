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

/// Words as the go command will see them once the list is joined and re-split: quotes and
/// whitespace both separate, so that no item can hide a second flag inside it.
std::vector<std::string> pieces(const std::string& word) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : word) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\'' || c == '"') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

/// "--name=value" → "name" (the go flag package accepts one or two dashes).
std::string flag_name(const std::string& piece) {
  size_t start = piece.find_first_not_of('-');
  if (start == std::string::npos) return "";
  return piece.substr(start, piece.find('=') == std::string::npos ? std::string::npos
                                                                     : piece.find('=') - start);
}

bool is_positive_int(const std::string& s) {
  if (s.empty() || s.size() > 4 || s[0] == '0') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const char* const kFlagsAllowed =
    "-race, -msan, -asan, -cover, -covermode=set|count|atomic, -coverpkg=PATTERNS, "
    "-gcflags=FLAGS, -asmflags=FLAGS, -pgo=auto|off|FILE, -buildmode=exe|pie, -p=N, -v, -x";

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

Problem check_flag(const std::string& item) {
  if (item.empty() || item[0] != '-') {
    return fmt::format("flags: '{}' is not a flag; flags start with '-'", item);
  }
  if (starts_with(item, "--")) {
    return fmt::format("flags: write '{}' with one dash", item);
  }
  const size_t eq = item.find('=');
  const std::string name = item.substr(1, eq == std::string::npos ? std::string::npos : eq - 1);
  const bool has_value = eq != std::string::npos;
  const std::string value = has_value ? item.substr(eq + 1) : "";
  if (name.find_first_of(" \t") != std::string::npos) {
    const std::string bare = name.substr(0, name.find_first_of(" \t"));
    return fmt::format("flags: '{}' must be one -flag=value item (write -{}=VALUE)", item, bare);
  }

  // Refused, with the reason.
  static const std::map<std::string, std::string> refused = {
      {"toolexec", "runs a program of the config's choosing"},
      {"exec", "runs a program of the config's choosing"},
      {"overlay", "replaces source files with others"},
      {"modfile", "replaces go.mod with another file"},
      {"o", "is set from the target's `output`"},
      {"a", "is set by gobuild; use the `rebuild_all` key"},
      {"trimpath", "is set by gobuild; use the `trimpath` key"},
      {"tags", "is set by gobuild; use the `tags` key"},
      {"ldflags", "is set by gobuild; use the `ldflags`, `linkmode` and `extldflags` keys"},
      {"buildvcs", "is set by gobuild; use the `buildvcs` key"},
      {"mod", "is set by gobuild (-mod=vendor when vendoring)"},
      {"work", "leaves the temporary work directory behind"},
      {"n", "prints the commands without building anything"},
      {"C", "changes directory; use the `module` key"},
      {"linkshared", "links against shared libraries, so the output would not be static"},
      {"pkgdir", "reads and writes compiled packages outside the build cache"},
      {"compiler", "selects another compiler; gobuild uses gc"},
      {"gccgoflags", "applies to gccgo only; gobuild uses gc"},
  };
  if (auto it = refused.find(name); it != refused.end()) {
    return fmt::format("flags: -{} {}", name, it->second);
  }

  static const std::vector<std::string> bare_flags = {"race", "msan", "asan", "cover", "v", "x"};
  static const std::vector<std::string> value_flags = {"covermode", "coverpkg", "gcflags",
                                                       "asmflags",  "pgo",      "buildmode", "p"};
  if (std::find(bare_flags.begin(), bare_flags.end(), name) != bare_flags.end()) {
    if (has_value) return fmt::format("flags: -{} takes no value (write -{})", name, name);
    return std::nullopt;
  }
  if (std::find(value_flags.begin(), value_flags.end(), name) == value_flags.end()) {
    return fmt::format("flags: '{}' is not allowed (allowed: {})", item, kFlagsAllowed);
  }
  if (!has_value) {
    return fmt::format("flags: -{} needs a value, as one item: -{}=VALUE", name, name);
  }
  if (name == "covermode" && value != "set" && value != "count" && value != "atomic") {
    return fmt::format("flags: -covermode '{}' is not one of set, count, atomic", value);
  }
  if (name == "buildmode" && value != "exe" && value != "pie") {
    return fmt::format("flags: -buildmode '{}' is not one of exe, pie (gobuild builds executables)",
                       value);
  }
  if (name == "p" && !is_positive_int(value)) {
    return fmt::format("flags: -p '{}' is not a positive number", value);
  }
  if ((name == "pgo" || name == "coverpkg") && value.empty()) {
    return fmt::format("flags: -{} needs a value, as one item: -{}=VALUE", name, name);
  }
  return std::nullopt;
}

Problem check_env(const std::string& name, const std::string& value, bool allow_cc) {
  static const std::vector<std::string> allowed = {
      "GOAMD64", "GOARM", "GO386", "GOARM64", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64",
      "GOWASM", "GOEXPERIMENT"};
  // C toolchain settings: each can make the build run a program of the config's choosing.
  static const std::vector<std::string> cc = {
      "CC", "CXX", "FC", "AR", "PKG_CONFIG", "PKG_CONFIG_PATH", "PKG_CONFIG_LIBDIR",
      "PKG_CONFIG_SYSROOT_DIR", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_FFLAGS",
      "CGO_LDFLAGS"};
  static const std::map<std::string, std::string> refused = {
      {"GOOS", "set by `platforms`"},
      {"GOARCH", "set by `platforms`"},
      {"CGO_ENABLED", "set by the `cgo` key"},
      {"GOFLAGS", "set by gobuild; use the `flags` key"},
      {"GOTOOLCHAIN", "set by gobuild from the `go` key"},
      {"GOROOT", "selects the toolchain; use the `go` key"},
      {"GOWORK", "pinned to off by gobuild"},
      {"GOENV", "pinned to off by gobuild"},
      {"GOPROXY", "builds run offline; network settings come from the host for vendoring"},
      {"GONOPROXY", "network settings come from the host for vendoring"},
      {"GOPRIVATE", "network settings come from the host for vendoring"},
      {"GONOSUMDB", "network settings come from the host for vendoring"},
      {"GONOSUMCHECK", "network settings come from the host for vendoring"},
      {"GOSUMDB", "network settings come from the host for vendoring"},
      {"GOINSECURE", "network settings come from the host for vendoring"},
      {"GOAUTH", "runs commands to get credentials; it comes from the host"},
      {"GOVCS", "network settings come from the host for vendoring"},
      {"GODEBUG", "changes how the go command itself behaves; use //go:debug in the module"},
      {"GOCACHE", "taken from the host"},
      {"GOMODCACHE", "taken from the host"},
      {"GOPATH", "taken from the host"},
      {"GOBIN", "gobuild writes the outputs named by `output`"},
      {"PATH", "taken from the host"},
      {"HOME", "taken from the host"},
      {"TMPDIR", "taken from the host"},
      {"GOTMPDIR", "taken from the host's TMPDIR"},
      {"LD_PRELOAD", "loads code into every program the build runs"},
      {"LD_LIBRARY_PATH", "changes which libraries every program the build runs loads"},
      {"LD_AUDIT", "loads code into every program the build runs"},
  };
  if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) {
    // Fall through to the value check.
  } else if (std::find(cc.begin(), cc.end(), name) != cc.end() ||
             (starts_with(name, "CGO_") &&
              (ends_with(name, "_ALLOW") || ends_with(name, "_DISALLOW")))) {
    if (!allow_cc) {
      if (name == "CC" || name == "CXX" || name == "FC" || name == "AR" || name == "PKG_CONFIG") {
        return fmt::format("env: {} runs a program of the config's choosing; "
                           "pass --allow-cc to permit it", name);
      }
      return fmt::format("env: {} can make the C toolchain run a program of the config's "
                         "choosing; pass --allow-cc to permit it", name);
    }
  } else if (auto it = refused.find(name); it != refused.end()) {
    return fmt::format("env: {} is not allowed: {}", name, it->second);
  } else {
    std::vector<std::string> known = allowed;
    known.insert(known.end(), cc.begin(), cc.end());
    if (auto near = nearest(name, known)) {
      return fmt::format("env: {} is not allowed (did you mean {}?)", name, *near);
    }
    return fmt::format("env: {} is not allowed (allowed: {}; with --allow-cc also CC, CXX, "
                       "CGO_CFLAGS and the other C toolchain settings)",
                       name, join(allowed, ", "));
  }
  if (value.find('\0') != std::string::npos) {
    return fmt::format("env: the value of {} contains a NUL byte", name);
  }
  return std::nullopt;
}

Problem check_ldflag(const std::string& word, bool allow_cc) {
  for (const auto& piece : pieces(word)) {
    if (piece[0] != '-') continue;
    const std::string name = flag_name(piece);
    if (name == "linkmode") return "ldflags: -linkmode is set by gobuild; use the `linkmode` key";
    if (name == "extldflags") {
      return "ldflags: -extldflags is set by gobuild; use the `extldflags` key";
    }
    if (name == "extld" && !allow_cc) {
      return "ldflags: -extld runs a program of the config's choosing; pass --allow-cc to "
             "permit it";
    }
  }
  return std::nullopt;
}

Problem check_extldflag(const std::string& word, bool allow_cc) {
  if (allow_cc) return std::nullopt;
  for (const auto& piece : pieces(word)) {
    const bool runs = piece[0] == '@' || piece.find(",@") != std::string::npos ||
                      starts_with(piece, "-B") || starts_with(piece, "-fuse-ld") ||
                      starts_with(piece, "--ld-path") || starts_with(piece, "-wrapper") ||
                      starts_with(piece, "-specs") || starts_with(piece, "--specs") ||
                      piece.find("plugin") != std::string::npos;
    if (runs) {
      return fmt::format("extldflags: '{}' can make the C compiler run a program of the "
                         "config's choosing; pass --allow-cc to permit it", piece);
    }
  }
  return std::nullopt;
}

Problem check_tag(const std::string& tag) {
  const bool ok = !tag.empty() && std::all_of(tag.begin(), tag.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  });
  if (ok) return std::nullopt;
  return fmt::format("tags: '{}' is not a build tag (letters, digits, '_' and '.'; one tag an item)",
                     tag);
}

Problem check_go_version(const std::string& version) {
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

Problem check_name(const std::string& name) {
  const bool ok = !name.empty() && name != "." && name != ".." &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                           c == '-';
                  });
  if (ok) return std::nullopt;
  return fmt::format("name: '{}' is not a safe name (letters, digits, '.', '_' and '-'; "
                     "not . or ..)", name);
}

Problem check_output_template(const std::string& tmpl) {
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

Problem parse_platform(const std::string& text, Platform& out) {
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
    if (Problem bad = check_variant(text, p.arch, p.variant)) return bad;
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
