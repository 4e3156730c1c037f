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
#include "gobuild/util/file.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

/// Reads until `n` bytes or the end of the file.
size_t read_some(const Fd& fd, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::read(fd.get(), buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

/// First differing offset, or nullopt when the files are equal. Sizes are filled in.
std::optional<std::uint64_t> first_difference(const std::string& a, const std::string& b, ReproDiff& d) {
  const OpenedFile fa = open_regular_file(a), fb = open_regular_file(b);
  static thread_local char ba[1 << 16], bb[1 << 16];
  std::uint64_t off = 0;
  std::optional<std::uint64_t> diff;
  for (;;) {
    size_t na = read_some(fa.fd, ba, sizeof ba), nb = read_some(fb.fd, bb, sizeof bb);
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

// "the ELF header", "program header 3", "section header 12 (.gopclntab)" or "".
std::string header_at(const ElfTables& t, const std::vector<ElfRegion>& layout, std::uint64_t off) {
  if (off < t.ehsize) return "the ELF header";
  auto in_table = [off](std::uint64_t start, std::uint64_t entsize, std::uint64_t n) -> std::optional<std::uint64_t> {
    if (entsize == 0 || off < start || (off - start) / entsize >= n) return std::nullopt;
    return (off - start) / entsize;
  };
  if (auto i = in_table(t.phoff, t.phentsize, t.phnum)) {
    std::string name;
    for (const auto& r : layout)
      if (!r.is_section && r.index == *i) name = r.name;
    return fmt::format("program header {}{}", *i, name.empty() ? "" : " (" + name + ")");
  }
  if (auto i = in_table(t.shoff, t.shentsize, t.shnum)) {
    std::string name;
    for (const auto& r : layout)
      if (r.is_section && r.index == *i) name = r.name;
    return fmt::format("section header {}{}", *i, name.empty() ? "" : " (" + name + ")");
  }
  return "";
}

// The first section, in file order, whose bytes differ between the two files (matched by
// name): ".gopclntab: 0x1000 bytes, then 0x1010" or ".rodata at +0x40".
std::string first_differing_section(const ByteSource& a, const std::vector<ElfRegion>& la, const ByteSource& b,
                                    const std::vector<ElfRegion>& lb) {
  std::vector<ElfRegion> sections;
  for (const auto& r : la)
    if (r.is_section && r.size > 0 && !r.name.empty()) sections.push_back(r);
  std::stable_sort(sections.begin(), sections.end(),
                   [](const ElfRegion& x, const ElfRegion& y) { return x.offset < y.offset; });
  std::vector<char> ba(1 << 16), bb(1 << 16);
  auto differs = [&](const ElfRegion& ra) -> std::string {
    auto it = std::find_if(lb.begin(), lb.end(), [&](const ElfRegion& r) { return r.is_section && r.name == ra.name; });
    if (it == lb.end()) return ra.name + ": only in the first build";
    const ElfRegion& rb = *it;
    if (!a.contains(ra.offset, ra.size) || !b.contains(rb.offset, rb.size)) return "";
    std::uint64_t n = std::min(ra.size, rb.size);
    for (std::uint64_t done = 0; done < n;) {
      size_t chunk = static_cast<size_t>(std::min<std::uint64_t>(ba.size(), n - done));
      a.read(ra.offset + done, ba.data(), chunk, "section");
      b.read(rb.offset + done, bb.data(), chunk, "section");
      for (size_t i = 0; i < chunk; ++i)
        if (ba[i] != bb[i]) {
          if (ra.size != rb.size) return fmt::format("{}: {:#x} bytes, then {:#x}", ra.name, ra.size, rb.size);
          return fmt::format("{} at +{:#x}", ra.name, done + i);
        }
      done += chunk;
    }
    if (ra.size != rb.size) return fmt::format("{}: {:#x} bytes, then {:#x}", ra.name, ra.size, rb.size);
    return "";
  };
  // The Go build ID (and the GNU one the linker derives from it) is a hash of everything else:
  // it differs whenever anything does, so it is named only when nothing else differs.
  std::string build_id;
  for (const auto& ra : sections) {
    std::string d = differs(ra);
    if (d.empty()) continue;
    if (ra.name != ".note.go.buildid" && ra.name != ".note.gnu.build-id") return d;
    if (build_id.empty()) build_id = d;
  }
  return build_id;
}

} // namespace

std::string describe_difference(const ByteSource& a, const ByteSource& b, std::uint64_t off) {
  try {
    if (!is_elf(a)) return fmt::format("file offset {:#x}", off);
    std::vector<ElfRegion> la = elf_layout(a);
    std::string section, segment;
    for (const auto& r : la) {
      if (off < r.offset || off - r.offset >= r.size) continue;
      if (r.is_section && section.empty()) section = r.name;
      if (!r.is_section && segment.empty() && r.name != "PT_PHDR")
        segment = fmt::format("segment {} {}", r.index, r.name);
    }
    std::string header;
    header = header_at(elf_tables(a), la, off);
    std::string out;
    if (!section.empty())
      out = fmt::format("section {} (file offset {:#x})", section, off);
    else if (!header.empty())
      out = fmt::format("{} (file offset {:#x})", header, off);
    else
      out = fmt::format("file offset {:#x}", off);
    if (!segment.empty())
      out += ", " + segment;
    else if (section.empty() && header.empty())
      out += ", outside every section and segment (padding)";
    if (section.empty() && is_elf(b)) {
      // A header or padding: its bytes follow from the sections' sizes, so name the first
      // section whose bytes differ, which is where the cause is.
      std::string first = first_differing_section(a, la, b, elf_layout(b));
      if (!first.empty()) out += "; first differing section " + first;
    }
    return out;
  } catch (const std::exception&) {
    return fmt::format("file offset {:#x}", off);
  }
}

namespace {

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
  {
    FileSource sa(a), sb(b);
    d.where = describe_difference(sa, sb, *off);
  }
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

std::vector<std::string> verdict_lines(const std::string& path, const std::string& sha_a,
                                       const std::string& sha_b, const ReproDiff& d) {
  if (d.identical) return {path + ": reproducible: sha256:" + sha_a};
  std::vector<std::string> out{path + ": not reproducible: sha256:" + sha_a + " then sha256:" + sha_b +
                               "; first difference at " + d.where};
  for (const auto& line : d.buildinfo_diff) out.push_back("  " + line);
  for (const auto& c : d.likely_causes) out.push_back("  likely cause: " + c);
  return out;
}

} // namespace gobuild
