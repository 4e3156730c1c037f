#include "gobuild/driver/vendor.hpp"

#include <algorithm>

#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include <fmt/format.h>

#include "gobuild/util/error.hpp"
#include "gobuild/util/file.hpp"
#include "gobuild/util/gomod.hpp"
#include "gobuild/util/sha256.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {

namespace {

/// The words of a vendor/modules.txt line: the go command writes them unquoted, one space apart.
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  for (auto& w : split(s, ' '))
    if (!w.empty()) out.push_back(std::move(w));
  return out;
}

} // namespace

std::vector<ModuleVersion> gomod_requires(const std::string& gomod) {
  return parse_gomod(gomod).require;
}

std::optional<std::string> gomod_toolchain_request(const std::string& gomod, std::string* which) {
  GoMod m;
  try {
    m = parse_gomod(gomod);
  } catch (const ParseError&) {
    return std::nullopt; // the go command will say what is wrong with it
  }
  const bool toolchain = starts_with(m.toolchain, "go");
  if (which) *which = toolchain ? "toolchain" : "go";
  if (toolchain) return m.toolchain.substr(2);
  if (!m.go.empty()) return m.go;
  return std::nullopt;
}

std::vector<ModuleVersion> modules_txt_explicit(const std::string& modules_txt) {
  std::vector<ModuleVersion> out;
  std::optional<ModuleVersion> current;
  for (const auto& raw : split(modules_txt, '\n')) {
    std::string line = trim(raw);
    if (starts_with(line, "## ")) {
      // "## explicit" or "## explicit; go 1.21": the annotations follow their module line.
      std::string annotations = line.substr(3);
      bool is_explicit = false;
      for (const auto& a : split(annotations, ';'))
        if (trim(a) == "explicit") is_explicit = true;
      if (is_explicit && current) {
        out.push_back(*current);
        current.reset();
      }
    } else if (starts_with(line, "# ")) {
      auto w = words(line.substr(2));
      // "# path version [=> ...]"; "# path => ..." is a wildcard replacement, not a module.
      if (w.size() >= 2 && w[1] != "=>")
        current = ModuleVersion(w[0], w[1]);
      else
        current.reset();
    }
  }
  return out;
}

VendorTree read_vendor_tree(const std::string& vendor_dir) {
  namespace fs = boost::filesystem;
  VendorTree tree;
  boost::system::error_code ec;
  if (!fs::is_directory(fs::symlink_status(vendor_dir, ec))) return tree;
  const std::string base = fs::path(vendor_dir).string();
  for (fs::recursive_directory_iterator it(vendor_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::string rel = p.string().substr(base.size() + 1);
    if (rel == kVendorStampName) continue;
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) continue;  // a directory is its files; an empty one changes nothing
    std::string digest;
    if (S_ISREG(st.st_mode)) {
      digest = sha256_file(p.string());
    } else if (S_ISLNK(st.st_mode)) {
      // go mod vendor writes no links: one is a change, and it is never followed.
      char target[4096];
      ssize_t n = ::readlink(p.c_str(), target, sizeof target);
      digest = "symlink:" + sha256_hex(std::string(target, n > 0 ? static_cast<size_t>(n) : 0));
    } else {
      digest = "special"; // a FIFO or a device: never opened
    }
    tree.push_back(VendorFile{rel, digest});
  }
  if (ec) throw BuildFailure(vendor_dir + ": cannot read it: " + ec.message());
  std::sort(tree.begin(), tree.end(),
            [](const VendorFile& a, const VendorFile& b) { return a.path < b.path; });
  return tree;
}

std::vector<std::string> vendor_differences(const VendorTree& want, const VendorTree& got) {
  std::vector<std::string> out;
  size_t i = 0, j = 0;
  while (i < want.size() || j < got.size()) {
    if (j == got.size() || (i < want.size() && want[i].path < got[j].path)) {
      out.push_back("deleted vendor/" + want[i++].path);
    } else if (i == want.size() || got[j].path < want[i].path) {
      out.push_back("added vendor/" + got[j++].path);
    } else {
      if (want[i].sha256 != got[j].sha256) out.push_back("modified vendor/" + got[j].path);
      ++i;
      ++j;
    }
  }
  return out;
}

std::string vendor_stamp(const std::string& gomod, const std::optional<std::string>& gosum,
                         const VendorTree& tree) {
  std::string out = "gobuild vendor stamp 2\ngo.mod " + sha256_hex(gomod) + "\ngo.sum " +
                    (gosum ? sha256_hex(*gosum) : std::string("none")) + "\n";
  for (const auto& f : tree) out += "file " + f.sha256 + " " + f.path + "\n";
  return out;
}

std::optional<VendorTree> stamp_tree(const std::string& stamp) {
  if (!starts_with(stamp, "gobuild vendor stamp 2\n")) return std::nullopt;
  VendorTree tree;
  for (const auto& line : split(stamp, '\n')) {
    if (!starts_with(line, "file ")) continue;
    size_t sp = line.find(' ', 5);
    if (sp == std::string::npos) return std::nullopt;
    tree.push_back(VendorFile{line.substr(sp + 1), line.substr(5, sp - 5)});
  }
  return tree;
}

std::string describe_differences(const std::vector<std::string>& diffs) {
  constexpr size_t kShown = 5;
  std::vector<std::string> shown(diffs.begin(), diffs.begin() + static_cast<long>(std::min(diffs.size(), kShown)));
  std::string out = join(shown, ", ");
  if (diffs.size() > kShown) out += fmt::format(" and {} more", diffs.size() - kShown);
  return out;
}

std::string vendor_inconsistency(const std::string& gomod, const std::optional<std::string>& gosum,
                                 const std::optional<std::string>& modules_txt,
                                 const std::optional<std::string>& stamp, const VendorTree& tree) {
  std::vector<ModuleVersion> required;
  try {
    required = gomod_requires(gomod);
  } catch (const ParseError& e) {
    return e.what(); // go mod vendor will say more
  }
  if (required.empty()) {
    // Nothing to vendor; a leftover modules.txt would make go build -mod=vendor complain.
    if (modules_txt && !modules_txt_explicit(*modules_txt).empty())
      return "vendor/modules.txt lists modules that go.mod does not require";
    return "";
  }
  if (!modules_txt) return "vendor/modules.txt does not exist";
  auto listed = modules_txt_explicit(*modules_txt);
  auto sorted_required = required;
  std::sort(sorted_required.begin(), sorted_required.end());
  std::sort(listed.begin(), listed.end());
  for (const auto& r : sorted_required)
    if (!std::binary_search(listed.begin(), listed.end(), r))
      return "go.mod requires " + r.first + " " + r.second +
             ", which vendor/modules.txt does not list as explicit";
  for (const auto& l : listed)
    if (!std::binary_search(sorted_required.begin(), sorted_required.end(), l))
      return "vendor/modules.txt lists " + l.first + " " + l.second +
             " as explicit, but go.mod does not require it";
  if (!stamp) return "vendor/.gobuild-stamp does not exist";
  std::optional<VendorTree> made = stamp_tree(*stamp);
  if (!made) return "vendor/.gobuild-stamp holds no file digests (an older gobuild wrote it)";
  if (std::string header = vendor_stamp(gomod, gosum, {}); stamp->compare(0, header.size(), header) != 0)
    return "go.mod or go.sum changed since vendor/ was made";
  std::vector<std::string> diffs = vendor_differences(*made, tree);
  if (!diffs.empty())
    return "vendor/ changed since gobuild vendored it: " + describe_differences(diffs);
  return "";
}

std::string check_vendor(const std::string& module_dir) {
  auto gomod = read_file_if_exists(module_dir + "/go.mod");
  if (!gomod) throw UsageError(module_dir + "/go.mod: cannot read it (is `module:` right?)");
  return vendor_inconsistency(*gomod, read_file_if_exists(module_dir + "/go.sum"),
                              read_file_if_exists(module_dir + "/vendor/modules.txt"),
                              read_file_if_exists(module_dir + "/vendor/" + kVendorStampName),
                              read_vendor_tree(module_dir + "/vendor"));
}

void write_vendor_stamp(const std::string& module_dir) {
  auto gomod = read_file_if_exists(module_dir + "/go.mod");
  if (!gomod) throw UsageError(module_dir + "/go.mod: cannot read it");
  if (!read_file_if_exists(module_dir + "/vendor/modules.txt")) return; // no vendor/: nothing to stamp
  std::string path = module_dir + "/vendor/" + kVendorStampName;
  try {
    write_file_atomic(path, vendor_stamp(*gomod, read_file_if_exists(module_dir + "/go.sum"),
                                         read_vendor_tree(module_dir + "/vendor")));
  } catch (const UsageError& e) {
    throw BuildFailure(e.what());
  }
}

} // namespace gobuild
