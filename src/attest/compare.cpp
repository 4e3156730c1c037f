#include "gobuild/attest/compare.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "gobuild/binary/elf.hpp"
#include "gobuild/binary/inspect.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

struct Fd {
  int fd;
  explicit Fd(const std::string& path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd < 0) throw UsageError(path + ": " + std::strerror(errno));
  }
  ~Fd() { ::close(fd); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  size_t read_some(char* buf, size_t n) {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::read(fd, buf + got, n - got);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      got += static_cast<size_t>(r);
    }
    return got;
  }
};

/// First differing offset, or nullopt when the files are equal. Sizes are filled in.
std::optional<std::uint64_t> first_difference(const std::string& a, const std::string& b, ReproDiff& d) {
  Fd fa(a), fb(b);
  static thread_local char ba[1 << 16], bb[1 << 16];
  std::uint64_t off = 0;
  std::optional<std::uint64_t> diff;
  for (;;) {
    size_t na = fa.read_some(ba, sizeof ba), nb = fb.read_some(bb, sizeof bb);
    size_t n = std::min(na, nb); // read_some fills the buffer unless at the end
    if (!diff) {
      for (size_t i = 0; i < n; ++i)
        if (ba[i] != bb[i]) {
          diff = off + i;
          break;
        }
      if (!diff && na != nb) diff = off + n;
    }
    d.size_a += na;
    d.size_b += nb;
    off += n;
    if (na == 0 && nb == 0) break;
  }
  return diff;
}

std::string describe_offset(const std::string& path, std::uint64_t off) {
  try {
    FileSource src(path);
    if (!is_elf(src)) return fmt::format("file offset {:#x}", off);
    std::string section, segment;
    for (const auto& r : elf_layout(src)) {
      if (off < r.offset || off - r.offset >= r.size) continue;
      if (r.is_section && section.empty()) section = r.name;
      if (!r.is_section && segment.empty()) segment = fmt::format("segment {} {}", r.index, r.name);
    }
    std::string out = section.empty() ? fmt::format("file offset {:#x}", off)
                                      : fmt::format("section {} (file offset {:#x})", section, off);
    if (!segment.empty()) out += ", " + segment;
    else if (section.empty()) out += ", outside every section and segment (headers or padding)";
    return out;
  } catch (const std::exception&) {
    return fmt::format("file offset {:#x}", off);
  }
}

std::vector<std::string> lines_of(const GoBuildInfo& g) {
  std::vector<std::string> out;
  out.push_back("go " + g.version);
  if (!g.path.empty()) out.push_back("path " + g.path);
  auto mod = [](const char* kind, const GoDep& d, std::vector<std::string>& o) {
    o.push_back(fmt::format("{} {} {} {}", kind, d.mod.path, d.mod.version, d.mod.sum));
    if (d.replace) o.push_back(fmt::format("=> {} {} {}", d.replace->path, d.replace->version, d.replace->sum));
  };
  if (g.main) mod("mod", *g.main, out);
  for (const auto& d : g.deps) mod("dep", d, out);
  for (const auto& kv : g.settings) out.push_back("build " + kv.first + "=" + kv.second);
  return out;
}

bool mentions(const std::vector<std::string>& diff, std::string_view what) {
  return std::any_of(diff.begin(), diff.end(), [&](const std::string& l) { return l.find(what) != std::string::npos; });
}

} // namespace

std::vector<std::string> diff_buildinfo(const std::optional<GoBuildInfo>& a, const std::optional<GoBuildInfo>& b) {
  std::vector<std::string> la = a ? lines_of(*a) : std::vector<std::string>{"(no Go build info)"};
  std::vector<std::string> lb = b ? lines_of(*b) : std::vector<std::string>{"(no Go build info)"};
  std::vector<std::string> out;
  for (const auto& l : la)
    if (std::find(lb.begin(), lb.end(), l) == lb.end()) out.push_back("- " + l);
  for (const auto& l : lb)
    if (std::find(la.begin(), la.end(), l) == la.end()) out.push_back("+ " + l);
  return out;
}

std::vector<std::string> guess_causes(const std::optional<GoBuildInfo>& a, const std::vector<std::string>& diff,
                                      const std::string& where) {
  std::vector<std::string> causes;
  auto setting = [&](std::string_view key) -> std::string {
    if (!a) return "";
    const std::string* v = a->setting(key);
    return v ? *v : "";
  };
  if (a && setting("-trimpath") != "true")
    causes.push_back("trimpath is off: the build directory's path is written into the binary (set trimpath: true)");
  if (mentions(diff, "vcs.modified") || mentions(diff, "vcs.time") || mentions(diff, "vcs.revision"))
    causes.push_back("VCS stamping differs (vcs.modified/vcs.time/vcs.revision): set buildvcs: false, or build a clean commit");
  if (setting("-ldflags").find("-X") != std::string::npos)
    causes.push_back("-ldflags sets a variable with -X: a value that changes per build (a date, a random id) changes the bytes");
  if (setting("CGO_ENABLED") == "1")
    causes.push_back("cgo: the host C toolchain and its paths go into the binary (compiler version, -fdebug-prefix-map)");
  if (mentions(diff, "go go1") || mentions(diff, "build GO"))
    causes.push_back("the Go toolchain or a GO* setting differs between the builds");
  if (causes.empty() && where.find(".go.buildinfo") == std::string::npos && diff.empty())
    causes.push_back("the build info is the same: look for generated code, embedded files or paths that depend on the "
                     "build directory, HOME or the time");
  return causes;
}

ReproDiff compare_builds(const std::string& a, const std::string& b) {
  ReproDiff d;
  auto off = first_difference(a, b, d);
  if (!off) return d;
  d.identical = false;
  d.first_offset = *off;
  d.where = describe_offset(a, *off);
  std::optional<GoBuildInfo> ga, gb;
  try {
    ga = inspect_file(a).go;
    gb = inspect_file(b).go;
  } catch (const std::exception&) {
  }
  d.buildinfo_diff = diff_buildinfo(ga, gb);
  d.likely_causes = guess_causes(ga, d.buildinfo_diff, d.where);
  return d;
}

} // namespace gobuild
