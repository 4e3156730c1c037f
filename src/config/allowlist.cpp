// The allowlists of doc/safety.md. A word is allowed only when it matches an entry here; the
// tables of known attacks below only choose the reason given for a refusal, they never allow
// anything. Each list follows what the tool that reads it accepts: Go's flag package (one
// dash, `-f=V` or `-f V` for flags with values) for flags, ldflags, gcflags and asmflags, and
// gcc's own spelling for extldflags.
#include "gobuild/config/allowlist.hpp"

#include "gobuild/util/error.hpp"
#include "gobuild/util/quoted.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "checks.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

using CheckProblem = std::optional<std::string>;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool has_space(const std::string& s) { return std::any_of(s.begin(), s.end(), is_space); }

bool all_of(const std::string& s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}

bool digit(char c) { return c >= '0' && c <= '9'; }
bool hex_digit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool lib_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == '+';
}
bool path_char(char c) { return lib_char(c) || c == '/'; }
bool pattern_char(char c) { return path_char(c) || c == '~'; }
bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || digit(c); }

bool one_of(const std::string& s, std::initializer_list<const char*> set) {
  return std::any_of(set.begin(), set.end(), [&](const char* x) { return s == x; });
}

bool is_bool(const std::string& v) { return one_of(v, {"true", "false", "1", "0"}); }

/// A relative path with no `..` component and nothing a shell or a flag parser reads.
bool is_inner_path(const std::string& p) {
  if (!all_of(p, path_char) || p[0] == '/' || p[0] == '-') return false;
  for (const auto& c : split(p, '/'))
    if (c == "..") return false;
  return true;
}

/// A word the go command can receive inside a quoted flag value: go_quote quotes a word with
/// spaces in ' or ", so one that holds spaces and both quotes cannot be passed as one word.
CheckProblem passable(const std::string& word) {
  if (word.find('\0') != std::string::npos) return std::string("contains a NUL byte");
  const bool needs_quotes = word.empty() || has_space(word) || word[0] == '\'' || word[0] == '"';
  if (needs_quotes && word.find('\'') != std::string::npos && word.find('"') != std::string::npos)
    return std::string("holds spaces and both quote characters, so it cannot be passed as one "
                       "word");
  return std::nullopt;
}

// Why a word that is not on a list is refused, when it is a known way to do harm. Looked up by
// the flag's name (before any '='), after the allowlist said no.
const std::vector<std::pair<std::string, std::string>>& go_tool_reasons() {
  static const std::vector<std::pair<std::string, std::string>> table = {
      {"o", "writes a file the config names (gobuild sets the output)"},
      {"cpuprofile", "writes a file the config names"},
      {"memprofile", "writes a file the config names"},
      {"memprofilerate", "belongs to -memprofile, which writes a file the config names"},
      {"blockprofile", "writes a file the config names"},
      {"mutexprofile", "writes a file the config names"},
      {"trace", "writes a file the config names"},
      {"traceprofile", "writes a file the config names"},
      {"asmhdr", "writes a file the config names"},
      {"linkobj", "writes a file the config names"},
      {"bench", "writes a file the config names"},
      {"benchprofile", "writes a file the config names"},
      {"json", "writes files the config names"},
      {"capturehostobjs", "writes files the config names"},
      {"tmpdir", "writes files into a directory the config names"},
      {"debug-actiongraph", "writes a file the config names"},
      {"debug-trace", "writes a file the config names"},
      {"debug-runtime-trace", "writes a file the config names"},
      {"importcfg", "reads a file the config names"},
      {"embedcfg", "reads a file the config names"},
      {"symabis", "reads a file the config names"},
      {"pgoprofile", "reads a file the config names"},
      {"coveragecfg", "reads and writes files the config names"},
      {"I", "reads files from a directory the config names"},
      {"L", "reads files from a directory the config names"},
      {"toolexec", "runs a program of the config's choosing"},
      {"exec", "runs a program of the config's choosing"},
      {"extld", "runs a program of the config's choosing; pass --allow-cc to permit it"},
      {"extar", "runs a program of the config's choosing; pass --allow-cc to permit it"},
      {"overlay", "replaces source files with others"},
      {"modfile", "replaces go.mod with another file"},
      {"r", "sets a library search path, so the output would not be static"},
      {"linkshared", "links against shared libraries, so the output would not be static"},
      {"pkgdir", "reads and writes compiled packages outside the build cache"},
      {"work", "leaves the temporary work directory behind"},
      {"n", "prints the commands without building anything"},
      {"C", "changes directory; use the `module` key"},
      {"compiler", "selects another compiler; gobuild uses gc"},
      {"gccgoflags", "applies to gccgo only; gobuild uses gc"},
  };
  return table;
}

// Keys of gobuild.yaml that own a go build flag.
const std::vector<std::pair<std::string, std::string>>& owned_flags() {
  static const std::vector<std::pair<std::string, std::string>> table = {
      {"a", "is set by gobuild; use the `rebuild_all` key"},
      {"tags", "is set by gobuild; use the `tags` key"},
      {"ldflags", "is set by gobuild; use the `ldflags`, `linkmode` and `extldflags` keys"},
      {"linkmode", "is set by gobuild; use the `linkmode` key"},
      {"extldflags", "is set by gobuild; use the `extldflags` key (with linkmode: external)"},
  };
  return table;
}

std::optional<std::string> lookup(const std::vector<std::pair<std::string, std::string>>& table,
                                  const std::string& name) {
  for (const auto& [k, v] : table)
    if (k == name) return v;
  return std::nullopt;
}

// gcc and ld spellings that are known to run a program, write or read a file, or make the
// output dynamic: prefix → reason.
const std::vector<std::pair<std::string, std::string>>& cc_reasons() {
  static const std::vector<std::pair<std::string, std::string>> table = {
      {"-o", "writes a file the config names (gobuild sets the output)"},
      {"--output", "writes a file the config names (gobuild sets the output)"},
      {"-B", "makes the C compiler run programs from a directory the config names"},
      {"--prefix", "makes the C compiler run programs from a directory the config names"},
      {"-fuse-ld", "picks the linker program"},
      {"--ld-path", "picks the linker program"},
      {"-wrapper", "runs every program of the C compiler through one the config names"},
      {"@", "reads more options from a file"},
      {"-specs", "reads a specs file, which can run any program"},
      {"--specs", "reads a specs file, which can run any program"},
      {"-fplugin", "loads a plugin into the compiler"},
      {"-flto", "runs the LTO plugin and its programs"},
      {"-fuse-linker-plugin", "loads a plugin into the linker"},
      {"-Wl,-plugin", "loads a plugin into the linker"},
      {"-Wl,--plugin", "loads a plugin into the linker"},
      {"-Wl,--dynamic-linker", "sets the program interpreter, so the output would not be static"},
      {"-Wl,-dynamic-linker", "sets the program interpreter, so the output would not be static"},
      {"-Wl,-I", "sets the program interpreter, so the output would not be static"},
      {"-Wl,-o", "writes a file the config names (gobuild sets the output)"},
      {"-Wl,--output", "writes a file the config names (gobuild sets the output)"},
      {"-Wl,-Map", "writes a file the config names"},
      {"-Wl,--Map", "writes a file the config names"},
      {"-Wl,--dependency-file", "writes a file the config names"},
      {"-Wl,-T", "reads a linker script the config names"},
      {"-Wl,--script", "reads a linker script the config names"},
      {"-T", "reads a linker script the config names"},
      {"-Xlinker", "passes the next word to the linker unchecked"},
      {"-save-temps", "writes files beside the output"},
      {"-dumpdir", "writes files into a directory the config names"},
      {"--sysroot", "reads headers and libraries from a directory the config names"},
      {"-isysroot", "reads headers and libraries from a directory the config names"},
  };
  return table;
}

const char* allowed_text(WordList list) {
  switch (list) {
  case WordList::flags:
    return "-v, -x, -race, -msan, -asan, -cover, -trimpath, -covermode=set|count|atomic, "
           "-coverpkg=PATTERNS, -gcflags=FLAGS, -asmflags=FLAGS, -pgo=auto|off, "
           "-buildmode=exe|pie, -buildvcs=true|false, -mod=vendor|readonly, -p=N";
  case WordList::ldflags:
    return "-s, -w, -X IMPORTPATH.NAME=VALUE, -buildid=ID, -B gobuildid|0xHEX, "
           "-compressdwarf=BOOL, -checklinkname=0|1, -strictdups=N, -H windowsgui";
  case WordList::extldflags:
    return "-static, -static-pie, -pie, -no-pie, -s, -pthread, -static-libgcc, "
           "-static-libstdc++, -lNAME, -LDIR (inside the module), and -Wl, with --build-id[=...], "
           "-z,relro|now|noexecstack, --hash-style=..., --as-needed, --no-as-needed, "
           "--gc-sections, -O1, --whole-archive, --no-whole-archive, --start-group, --end-group, "
           "-Bstatic, -Bdynamic, -s, --strip-all, --strip-debug";
  case WordList::gcflags:
    return "-N, -l, -B, -C, -m, -m=N, -dwarf=BOOL, -d=checkptr[=N], -spectre=all|index|ret";
  case WordList::asmflags:
    return "-spectre=all|ret";
  }
  return "";
}

/// The part of a -Wl, list: true when `opts[i]` (and, for -z, the option after it) is allowed.
bool wl_allowed(const std::vector<std::string>& opts, size_t& i) {
  const std::string& o = opts[i];
  if (one_of(o, {"--build-id", "--as-needed", "--no-as-needed", "--gc-sections", "-O0", "-O1",
                 "-O2", "--whole-archive", "--no-whole-archive", "--start-group", "--end-group",
                 "-Bstatic", "-Bdynamic", "-s", "--strip-all", "--strip-debug"}))
    return true;
  if (starts_with(o, "--build-id=")) {
    std::string v = o.substr(11);
    if (one_of(v, {"none", "md5", "sha1", "uuid", "fast"})) return true;
    return starts_with(v, "0x") && all_of(v.substr(2), hex_digit);
  }
  if (starts_with(o, "--hash-style="))
    return one_of(o.substr(13), {"sysv", "gnu", "both"});
  if (o == "-z" && i + 1 < opts.size() &&
      one_of(opts[i + 1], {"relro", "norelro", "now", "lazy", "noexecstack"})) {
    ++i;
    return true;
  }
  return false;
}

CheckProblem check_extld_word(const std::string& w, const WordRules& rules) {
  if (w.find('\'') != std::string::npos || w.find('"') != std::string::npos)
    return std::string("holds a quote character, which cannot pass through -extldflags");
  if (auto p = passable(w)) return p;
  if (rules.allow_cc) return std::nullopt;
  if (one_of(w, {"-static", "-static-pie", "-pie", "-no-pie", "-s", "-pthread", "-static-libgcc",
                 "-static-libstdc++"}))
    return std::nullopt;
  if (starts_with(w, "-l") && all_of(w.substr(2), lib_char) && w[2] != '-')
    return std::nullopt;
  if (starts_with(w, "-L") && w.size() > 2) {
    if (is_inner_path(w.substr(2))) return std::nullopt;
    return std::string("reads libraries from outside the module (give a relative directory "
                       "without '..')");
  }
  if (starts_with(w, "-Wl,") && w.size() > 4) {
    const std::vector<std::string> opts = split(w.substr(4), ',');
    bool ok = true;
    for (size_t i = 0; i < opts.size() && ok; ++i) ok = wl_allowed(opts, i);
    if (ok) return std::nullopt;
  }
  for (const auto& [prefix, why] : cc_reasons())
    if (starts_with(w, prefix)) return why + "; pass --allow-cc to permit it";
  return fmt::format("is not allowed without --allow-cc (allowed: {})",
                     allowed_text(WordList::extldflags));
}

bool is_x_value(const std::string& v) {
  const size_t eq = v.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  const std::string name = v.substr(0, eq);
  return name[0] != '-' && name.find('.') != std::string::npos && name.back() != '.' &&
         !has_space(name) && name.find_first_of("'\"") == std::string::npos;
}

bool is_b_value(const std::string& v) {
  return v == "gobuildid" || (starts_with(v, "0x") && all_of(v.substr(2), hex_digit));
}

bool is_spectre(const std::string& v, std::initializer_list<const char*> known) {
  if (v.empty()) return true;
  for (const auto& part : split(v, ','))
    if (!one_of(part, known)) return false;
  return true;
}

} // namespace

const char* to_string(WordList list) {
  switch (list) {
  case WordList::flags: return "flags";
  case WordList::ldflags: return "ldflags";
  case WordList::extldflags: return "extldflags";
  case WordList::gcflags: return "-gcflags";
  case WordList::asmflags: return "-asmflags";
  }
  return "";
}

std::optional<std::vector<std::string>> try_split_go_words(const std::string& text) {
  try {
    return split_go_words(text);
  } catch (const ParseError&) {
    return std::nullopt;
  }
}

std::optional<std::string> check_package_flags(WordList list, const std::string& value,
                                               const WordRules& rules) {
  const char* name = to_string(list);
  size_t b = 0, e = value.size();
  while (b < e && is_space(value[b])) ++b;
  while (e > b && is_space(value[e - 1])) --e;
  std::string v = value.substr(b, e - b);
  if (v.empty()) return std::nullopt; // clears the flags, as go build does
  if (v[0] != '-') {
    const size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0)
      return fmt::format("{} '{}' is not [PATTERN=]FLAGS", name, v);
    std::string pattern = v.substr(0, eq);
    while (!pattern.empty() && is_space(pattern.back())) pattern.pop_back();
    if (!all_of(pattern, pattern_char))
      return fmt::format("{}: '{}' is not a package pattern", name, pattern);
    v = v.substr(eq + 1);
  }
  auto words = try_split_go_words(v);
  if (!words) return fmt::format("{} '{}' has a quote that is not closed", name, v);
  if (auto p = check_words(list, *words, rules)) return p->message;
  return std::nullopt;
}

std::optional<std::string> WordChecker::value_of(const std::string& flag, const std::string& v) {
  const std::string l = to_string(list_);
  auto bad = [&](const std::string& expected) {
    return fmt::format("{}: -{} '{}' is not {}", l, flag, v, expected);
  };
  if (list_ == WordList::ldflags) {
    if (flag == "X") {
      if (auto p = passable(v)) return fmt::format("{}: -X '{}' {}", l, v, *p);
      if (!is_x_value(v)) return bad("IMPORTPATH.NAME=VALUE");
      return std::nullopt;
    }
    if (flag == "B") return is_b_value(v) ? CheckProblem() : bad("gobuildid or 0xHEX");
    if (flag == "H") return v == "windowsgui" ? CheckProblem() : bad("windowsgui");
    if (flag == "buildid") {
      return v.empty() || all_of(v, [](char c) { return path_char(c) || c == '='; })
                 ? CheckProblem()
                 : bad("a build ID of letters, digits and ._+-/=");
    }
    if (flag == "compressdwarf") return is_bool(v) ? CheckProblem() : bad("true or false");
    if (flag == "checklinkname") return is_bool(v) ? CheckProblem() : bad("0 or 1");
    if (flag == "strictdups") return one_of(v, {"0", "1", "2"}) ? CheckProblem() : bad("0, 1 or 2");
    if (flag == "extld" || flag == "extar") { // listed only with --allow-cc
      if (auto p = passable(v)) return fmt::format("{}: -{} '{}' {}", l, flag, v, *p);
      return std::nullopt;
    }
  }
  if (list_ == WordList::flags) {
    if (flag == "p") {
      const bool ok = all_of(v, digit) && v[0] != '0' && v.size() <= 4;
      return ok ? CheckProblem() : fmt::format("flags: -p '{}' is not a positive number", v);
    }
    if (flag == "covermode") {
      return one_of(v, {"set", "count", "atomic"})
                 ? CheckProblem()
                 : fmt::format("flags: -covermode '{}' is not one of set, count, atomic", v);
    }
    if (flag == "coverpkg") {
      for (const auto& pat : split(v, ','))
        if (!all_of(pat, pattern_char) || pat[0] == '-')
          return fmt::format("flags: -coverpkg '{}' is not a list of package patterns", v);
      return std::nullopt;
    }
    if (flag == "gcflags" || flag == "asmflags") {
      auto p = check_package_flags(flag == "gcflags" ? WordList::gcflags : WordList::asmflags, v,
                                   rules_);
      return p ? CheckProblem("flags: " + *p) : CheckProblem();
    }
    if (flag == "pgo") {
      if (one_of(v, {"auto", "off"})) return std::nullopt;
      return fmt::format("flags: -pgo '{}' reads a file the config names; put the profile at "
                         "default.pgo in the main package and use -pgo=auto", v);
    }
    if (flag == "buildmode") {
      if (one_of(v, {"exe", "pie", "default"})) return std::nullopt;
      return fmt::format("flags: -buildmode '{}' is not one of exe, pie (gobuild builds "
                         "executables)", v);
    }
    if (flag == "buildvcs") {
      return one_of(v, {"true", "false"}) ? CheckProblem()
                                          : fmt::format("flags: -buildvcs '{}' is not one of "
                                                        "true, false", v);
    }
    if (flag == "trimpath") {
      return one_of(v, {"true"}) ? CheckProblem()
                                 : CheckProblem("flags: -trimpath=" + v +
                                           ": use the `trimpath` key to turn it off");
    }
    if (flag == "mod") {
      if (one_of(v, {"vendor", "readonly"})) return std::nullopt;
      if (v == "mod") return std::string("flags: -mod=mod may rewrite go.mod and go.sum");
      return fmt::format("flags: -mod '{}' is not one of vendor, readonly", v);
    }
  }
  if (list_ == WordList::gcflags) {
    if (flag == "m") return one_of(v, {"1", "2", "3", "4"}) ? CheckProblem() : bad("1 to 4");
    if (flag == "dwarf") return is_bool(v) ? CheckProblem() : bad("true or false");
    if (flag == "d") {
      return one_of(v, {"checkptr", "checkptr=0", "checkptr=1", "checkptr=2"})
                 ? CheckProblem()
                 : fmt::format("-gcflags: -d={} is not allowed (only -d=checkptr[=N]; other "
                               "debug settings can write files)", v);
    }
    if (flag == "spectre") return is_spectre(v, {"all", "index", "ret"}) ? CheckProblem() : bad("all, index or ret");
  }
  if (list_ == WordList::asmflags && flag == "spectre")
    return is_spectre(v, {"all", "ret"}) ? CheckProblem() : bad("all or ret");
  return fmt::format("{}: -{} takes no value", l, flag); // not reached for listed flags
}

std::optional<std::string> WordChecker::next(const std::string& word) {
  const std::string l = to_string(list_);
  if (!pending_.empty()) {
    std::string flag;
    std::swap(flag, pending_);
    return value_of(flag, word);
  }
  if (list_ == WordList::extldflags) {
    if (auto why = check_extld_word(word, rules_))
      return fmt::format("extldflags: '{}' {}", word, *why);
    return std::nullopt;
  }
  if (auto p = passable(word)) return fmt::format("{}: '{}' {}", l, word, *p);
  if (word.empty() || word[0] != '-') {
    return fmt::format("{}: '{}' is not a flag; flags start with '-'", l, word);
  }
  if (starts_with(word, "--")) return fmt::format("{}: write '{}' with one dash", l, word);
  const size_t eq = word.find('=');
  const std::string name = word.substr(1, eq == std::string::npos ? std::string::npos : eq - 1);
  const bool has_value = eq != std::string::npos;
  if (has_space(name)) {
    const std::string bare = name.substr(0, name.find_first_of(" \t\n\r"));
    return fmt::format("{}: '{}' holds a space: give -{} and its value as two items, or write "
                       "-{}=VALUE", l, word, bare, bare);
  }

  // name → takes a value (true), or is a plain switch (false).
  std::vector<std::pair<std::string, bool>> allowed;
  switch (list_) {
  case WordList::flags:
    allowed = {{"v", false},        {"x", false},        {"race", false},     {"msan", false},
               {"asan", false},     {"cover", false},    {"trimpath", false}, {"p", true},
               {"covermode", true}, {"coverpkg", true},  {"gcflags", true},   {"asmflags", true},
               {"pgo", true},       {"buildmode", true}, {"buildvcs", true},  {"mod", true}};
    break;
  case WordList::ldflags:
    allowed = {{"s", false},           {"w", false},        {"X", true},
               {"buildid", true},      {"B", true},         {"compressdwarf", true},
               {"checklinkname", true}, {"strictdups", true}, {"H", true}};
    if (rules_.allow_cc) {
      allowed.emplace_back("extld", true);
      allowed.emplace_back("extar", true);
    }
    break;
  case WordList::gcflags:
    allowed = {{"N", false}, {"l", false},    {"B", false},      {"C", false},
               {"m", false}, {"dwarf", true}, {"d", true},       {"spectre", true}};
    break;
  case WordList::asmflags: allowed = {{"spectre", true}}; break;
  case WordList::extldflags: break;
  }
  // Flags whose value goes in the same word only: a separate word would be taken for an
  // argument (Go's boolean-like flags) or is never written that way.
  static const std::vector<std::string> same_word = {"buildvcs", "mod", "trimpath", "buildid",
                                                     "compressdwarf", "checklinkname",
                                                     "strictdups", "dwarf", "d", "spectre"};
  auto it = std::find_if(allowed.begin(), allowed.end(),
                         [&](const auto& a) { return a.first == name; });
  const bool m_level = list_ == WordList::gcflags && name == "m"; // -m and -m=N
  if (it != allowed.end()) {
    const bool same = std::find(same_word.begin(), same_word.end(), name) != same_word.end();
    if (!it->second && name == "trimpath" && has_value) return value_of(name, word.substr(eq + 1));
    if (!it->second && !m_level) {
      if (has_value) return fmt::format("{}: -{} takes no value (write -{})", l, name, name);
      return std::nullopt;
    }
    if (m_level) return has_value ? value_of(name, word.substr(eq + 1)) : CheckProblem();
    if (has_value) return value_of(name, word.substr(eq + 1));
    if (same) {
      return fmt::format("{}: -{} needs its value in the same item: -{}=VALUE", l, name, name);
    }
    pending_ = name;
    return std::nullopt;
  }
  if (list_ == WordList::flags || list_ == WordList::ldflags) {
    if (auto why = lookup(owned_flags(), name)) return fmt::format("{}: -{} {}", l, name, *why);
  }
  if (auto why = lookup(go_tool_reasons(), name)) return fmt::format("{}: -{} {}", l, name, *why);
  return fmt::format("{}: '{}' is not allowed (allowed: {})", l, word, allowed_text(list_));
}

std::optional<std::string> WordChecker::finish() {
  if (pending_.empty()) return std::nullopt;
  std::string flag;
  std::swap(flag, pending_);
  return fmt::format("{}: -{} needs a value (write -{}=VALUE, or the value as the next item)",
                     to_string(list_), flag, flag);
}

std::optional<WordProblem> check_words(WordList list, const std::vector<std::string>& words,
                                       const WordRules& rules) {
  WordChecker checker(list, rules);
  for (size_t i = 0; i < words.size(); ++i)
    if (auto p = checker.next(words[i])) return WordProblem{i, *p};
  if (auto p = checker.finish()) return WordProblem{words.size(), *p};
  return std::nullopt;
}

std::optional<std::string> check_env_entry(const std::string& name, const std::string& value,
                                           bool allow_cc) {
  // C toolchain settings: each can make the build run a program of the config's choosing.
  static const std::vector<std::string> cc = {
      "CC", "CXX", "FC", "AR", "PKG_CONFIG", "PKG_CONFIG_PATH", "PKG_CONFIG_LIBDIR",
      "PKG_CONFIG_SYSROOT_DIR", "CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_FFLAGS",
      "CGO_LDFLAGS"};
  static const std::vector<std::string> allowed = {
      "GOAMD64", "GOARM", "GO386", "GOARM64", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64",
      "GOWASM", "GOEXPERIMENT", "GOFIPS140"};
  static const std::vector<std::pair<std::string, std::string>> refused = {
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
      {"GOCACHEPROG", "runs a program of the config's choosing; the operator gives --cache-prog"},
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
  const bool is_cc = std::find(cc.begin(), cc.end(), name) != cc.end() ||
                     (starts_with(name, "CGO_") &&
                      (ends_with(name, "_ALLOW") || ends_with(name, "_DISALLOW")));
  if (is_cc) {
    if (!allow_cc) {
      if (one_of(name, {"CC", "CXX", "FC", "AR", "PKG_CONFIG"})) {
        return fmt::format("env: {} runs a program of the config's choosing; "
                           "pass --allow-cc to permit it", name);
      }
      return fmt::format("env: {} can make the C toolchain run a program of the config's "
                         "choosing; pass --allow-cc to permit it", name);
    }
    if (value.find('\0') != std::string::npos)
      return fmt::format("env: the value of {} contains a NUL byte", name);
    return std::nullopt;
  }
  if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
    if (auto why = lookup(refused, name)) return fmt::format("env: {} is not allowed: {}", name, *why);
    std::vector<std::string> known = allowed;
    known.insert(known.end(), cc.begin(), cc.end());
    if (auto near = config_detail::nearest(name, known))
      return fmt::format("env: {} is not allowed (did you mean {}?)", name, *near);
    return fmt::format("env: {} is not allowed (allowed: {}; with --allow-cc also CC, CXX, "
                       "CGO_CFLAGS and the other C toolchain settings)",
                       name, join(allowed, ", "));
  }
  if (value.find('\0') != std::string::npos)
    return fmt::format("env: the value of {} contains a NUL byte", name);

  auto bad = [&](const char* expected) {
    return fmt::format("env: {} '{}' is not {}", name, value, expected);
  };
  if (name == "GOAMD64") return one_of(value, {"v1", "v2", "v3", "v4"}) ? CheckProblem() : bad("one of v1, v2, v3, v4");
  if (name == "GOARM") {
    std::string base = value.substr(0, value.find(','));
    std::string rest = value.find(',') == std::string::npos ? "" : value.substr(value.find(','));
    const bool ok = one_of(base, {"5", "6", "7"}) && one_of(rest, {"", ",softfloat", ",hardfloat"});
    return ok ? CheckProblem() : bad("5, 6 or 7, optionally with ,softfloat or ,hardfloat");
  }
  if (name == "GOARM64") {
    auto parts = split(value, ',');
    const std::string& v = parts[0];
    bool ok = v.size() == 4 && v[0] == 'v' && v[2] == '.' && digit(v[3]) &&
              (v[1] == '8' || (v[1] == '9' && v[3] <= '5'));
    std::vector<std::string> seen;
    for (size_t i = 1; i < parts.size() && ok; ++i) {
      ok = one_of(parts[i], {"lse", "crypto"}) &&
           std::find(seen.begin(), seen.end(), parts[i]) == seen.end();
      seen.push_back(parts[i]);
    }
    return ok ? CheckProblem() : bad("v8.0 to v8.9 or v9.0 to v9.5, optionally with ,lse and ,crypto");
  }
  if (name == "GO386") return one_of(value, {"sse2", "softfloat"}) ? CheckProblem() : bad("one of sse2, softfloat");
  if (name == "GOMIPS" || name == "GOMIPS64")
    return one_of(value, {"hardfloat", "softfloat"}) ? CheckProblem() : bad("one of hardfloat, softfloat");
  if (name == "GOPPC64")
    return one_of(value, {"power8", "power9", "power10"}) ? CheckProblem() : bad("one of power8, power9, power10");
  if (name == "GORISCV64")
    return one_of(value, {"rva20u64", "rva22u64", "rva23u64"}) ? CheckProblem()
                                                              : bad("one of rva20u64, rva22u64, rva23u64");
  if (name == "GOWASM") {
    for (const auto& f : split(value, ','))
      if (!f.empty() && !one_of(f, {"satconv", "signext"})) return bad("a list of satconv, signext");
    return std::nullopt;
  }
  if (name == "GOEXPERIMENT") {
    for (const auto& f : split(value, ','))
      if (!f.empty() && !all_of(f, lower_alnum)) return bad("a comma-separated list of experiment names");
    return std::nullopt;
  }
  if (name == "GOFIPS140") {
    if (one_of(value, {"off", "latest", "inprocess", "certified"})) return std::nullopt;
    auto nums = split(value.size() > 1 && value[0] == 'v' ? value.substr(1) : std::string(), '.');
    const bool ok = nums.size() == 3 && std::all_of(nums.begin(), nums.end(), [](const std::string& n) {
      return all_of(n, digit);
    });
    return ok ? CheckProblem() : bad("off, latest, inprocess, certified or a version vX.Y.Z");
  }
  return std::nullopt;
}

} // namespace gobuild
