// Confinement of a config (doc/safety.md): what its `module`, `main` and `output` values may
// reach. The text rules run in parse_config; the file-system rules in load_config, before
// anything runs, and check_output_file once more in the pipeline right before the rename.
#include "gobuild/config/confine.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "checks.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {


constexpr std::size_t kNameMax = 255;

const char* const kOnlyExecutables =
    "gobuild replaces only a regular file holding an executable (ELF, PE or Mach-O)";

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// A component as a case-insensitive file system, or Windows, would compare it: lower case,
/// trailing dots and spaces dropped.
std::string folded(const std::string& comp) {
  std::string s = lower(comp);
  while (!s.empty() && (s.back() == '.' || s.back() == ' ') && s != "." && s != "..") s.pop_back();
  return s;
}

/// The components of a relative path, without empty and "." ones.
std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> out;
  for (auto& c : split(path, '/'))
    if (!c.empty() && c != ".") out.push_back(c);
  return out;
}

/// realpath(3) as a string; nothing when it fails (errno says why).
std::optional<std::string> real(const std::string& path) {
  char buf[PATH_MAX];
  if (!::realpath(path.c_str(), buf)) return std::nullopt;
  return std::string(buf);
}

bool within(const std::string& dir, const std::string& path) {
  if (dir == "/") return true;
  return path == dir || starts_with(path, dir + "/");
}

bool lexically_within(const std::string& dir, const std::string& path) {
  return within(normal_path(dir), normal_path(path));
}

bool is_path_like(const std::string& main) {
  return main == "." || main == ".." || starts_with(main, "./") || starts_with(main, "../");
}

bool executable_magic(const unsigned char* m, ssize_t n) {
  if (n >= 4 && std::memcmp(m, "\x7f" "ELF", 4) == 0) return true;
  if (n >= 2 && m[0] == 'M' && m[1] == 'Z') return true;
  if (n < 4) return false;
  const unsigned be = (unsigned(m[0]) << 24) | (unsigned(m[1]) << 16) | (unsigned(m[2]) << 8) | m[3];
  return be == 0xfeedfaceu || be == 0xfeedfacfu || be == 0xcefaedfeu || be == 0xcffaedfeu ||
         be == 0xcafebabeu || be == 0xcafebabfu;
}

/// What a file that is not a directory on the way is, in a word.
std::string kind_of(mode_t mode) {
  if (S_ISLNK(mode)) return "a symlink";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

} // namespace

std::optional<std::string> check_output_path(const std::string& output) {
  if (output.empty()) return std::string("is empty");
  for (char c : output) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return std::string("holds a control character");
  }
  if (output[0] == '/') {
    return std::string("is an absolute path; outputs are relative to the config's directory "
                       "(the operator may move them all with --out-dir)");
  }
  if (output[0] == '~' || output.find('$') != std::string::npos) {
    return std::string("holds ~ or $, which gobuild does not expand; give a path relative to "
                       "the config's directory");
  }
  const std::vector<std::string> comps = components(output);
  if (comps.empty()) return std::string("does not name a file");
  for (const auto& c : comps) {
    if (c == "..") return std::string("has a '..' component; outputs stay below the config's directory");
    const std::string f = folded(c);
    if (f == ".git") return std::string("lies in .git/, where git keeps its configuration and hooks");
    if (f == "vendor") return std::string("lies in vendor/, which gobuild vendors and checks");
    if (c.size() > kNameMax) {
      return fmt::format("has a name of {} bytes; a file name may have at most {}", c.size(),
                         kNameMax);
    }
  }
  if (comps.back().size() > kMaxOutputName) {
    return fmt::format("has a file name of {} bytes; with the affixes of its temporary file it "
                       "may have at most {}", comps.back().size(), kMaxOutputName);
  }
  return std::nullopt;
}

void check_outputs(const Config& cfg) {
  struct Owner {
    std::string output;
    std::string target;
  };
  std::map<std::string, Owner> files; // folded path → the output that writes it
  std::map<std::string, Owner> dirs;  // folded directory → an output below it
  const Platform host = compiled_host_platform();
  auto fail = [&](const Target& t, const std::string& message) {
    throw ConfigError(cfg.file, t.output_at.line, t.output_at.column, message);
  };
  for (const Target& t : cfg.targets) {
    std::vector<Platform> platforms = t.platforms;
    if (platforms.empty()) platforms.push_back(host);
    for (const auto& p : platforms) {
      const std::string out = expand_output(t, p);
      if (auto why = check_output_path(out)) fail(t, fmt::format("output: '{}' {}", out, *why));
      std::string key;
      std::vector<std::string> prefixes;
      for (const auto& c : components(out)) {
        if (!key.empty()) prefixes.push_back(key);
        key += (key.empty() ? "" : "/") + folded(c);
      }
      if (auto d = dirs.find(key); d != dirs.end()) {
        fail(t, fmt::format("output: '{}' would be a directory of '{}', the output of target "
                            "'{}'", out, d->second.output, d->second.target));
      }
      for (const auto& dir : prefixes) {
        if (auto f = files.find(dir); f != files.end()) {
          fail(t, fmt::format("output: '{}' lies inside '{}', the output of target '{}'", out,
                              f->second.output, f->second.target));
        }
      }
      files.emplace(key, Owner{out, t.name});
      for (const auto& dir : prefixes) dirs.emplace(dir, Owner{out, t.name});
    }
  }
}

std::optional<std::string> check_output_file(const std::string& base, const std::string& output) {
  const std::optional<std::string> real_base = real(base);
  if (!real_base) return std::nullopt; // the output directory does not exist yet: nothing to replace
  const std::vector<std::string> comps = components(output);
  if (comps.empty()) return std::string("does not name a file");
  std::string path = base;
  std::string rel;
  struct stat st {};
  for (size_t i = 0; i + 1 < comps.size(); ++i) {
    path += "/" + comps[i];
    rel += (rel.empty() ? "" : "/") + comps[i];
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) return std::nullopt; // created by the build, below `base`
      return fmt::format("cannot be checked: {}: {}", rel, std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) continue;
    if (!S_ISLNK(st.st_mode)) return fmt::format("cannot be written: '{}' is {}", rel, kind_of(st.st_mode));
    const std::optional<std::string> target = real(path);
    if (!target || !within(*real_base, *target)) {
      return fmt::format("goes through the symlink '{}', which leads outside the output "
                         "directory", rel);
    }
    if (::stat(target->c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return fmt::format("cannot be written: '{}' is not a directory", rel);
  }
  path += "/" + comps.back();
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    return fmt::format("cannot be checked: {}", std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return fmt::format("is {}; {}", kind_of(st.st_mode), kOnlyExecutables);
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return fmt::format("cannot be read: {}; {}", std::strerror(errno), kOnlyExecutables);
  unsigned char magic[4] = {};
  ssize_t n = -1;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    do n = ::pread(fd, magic, sizeof magic, 0);
    while (n < 0 && errno == EINTR);
  }
  ::close(fd);
  if (!executable_magic(magic, n))
    return fmt::format("exists and holds no executable; {}", kOnlyExecutables);
  return std::nullopt;
}

void check_confinement(const Config& cfg) {
  const std::optional<std::string> real_dir = real(cfg.dir);
  if (!real_dir) return; // load_config read the file in it: this cannot fail but in a race
  auto fail = [&](const SourcePos& at, const std::string& message) {
    throw ConfigError(cfg.file, at.line, at.column, message);
  };
  const std::optional<std::string> real_module = real(cfg.module_dir);
  if (real_module && !within(*real_dir, *real_module)) {
    fail(cfg.module_at, fmt::format("module: '{}' is outside the config's directory{}", cfg.module,
                                    lexically_within(cfg.dir, cfg.module_dir) ? " (through a symlink)"
                                                                              : ""));
  }
  for (const Target& t : cfg.targets) {
    if (real_module && is_path_like(t.main)) {
      const std::string p = normal_path(join_path(cfg.module_dir, t.main));
      const std::optional<std::string> real_main = real(p);
      if (!real_main) {
        fail(t.main_at, fmt::format("main: '{}': {}", t.main, std::strerror(errno)));
      }
      if (!within(*real_module, *real_main)) {
        fail(t.main_at, fmt::format("main: '{}' is outside the module{}", t.main,
                                    lexically_within(cfg.module_dir, p) ? " (through a symlink)" : ""));
      }
    }
    std::vector<Platform> platforms = t.platforms;
    if (platforms.empty()) platforms.push_back(compiled_host_platform());
    for (const auto& p : platforms) {
      const std::string out = expand_output(t, p);
      if (auto why = check_output_file(cfg.out_dir, out))
        fail(t.output_at, fmt::format("output: '{}' {}", out, *why));
    }
  }
}

} // namespace gobuild
