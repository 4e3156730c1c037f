#include "gobuild/driver/vendor.hpp"

#include <algorithm>

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

std::string vendor_stamp(const std::string& gomod, const std::optional<std::string>& gosum) {
  return "gobuild vendor stamp 1\ngo.mod " + sha256_hex(gomod) + "\ngo.sum " +
         (gosum ? sha256_hex(*gosum) : std::string("none")) + "\n";
}

std::string vendor_inconsistency(const std::string& gomod, const std::optional<std::string>& gosum,
                                 const std::optional<std::string>& modules_txt,
                                 const std::optional<std::string>& stamp) {
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
  if (*stamp != vendor_stamp(gomod, gosum))
    return "go.mod or go.sum changed since vendor/ was made";
  return "";
}

std::string check_vendor(const std::string& module_dir) {
  auto gomod = read_file_if_exists(module_dir + "/go.mod");
  if (!gomod) throw UsageError(module_dir + "/go.mod: cannot read it (is `module:` right?)");
  return vendor_inconsistency(*gomod, read_file_if_exists(module_dir + "/go.sum"),
                              read_file_if_exists(module_dir + "/vendor/modules.txt"),
                              read_file_if_exists(module_dir + "/vendor/.gobuild-stamp"));
}

void write_vendor_stamp(const std::string& module_dir) {
  auto gomod = read_file_if_exists(module_dir + "/go.mod");
  if (!gomod) throw UsageError(module_dir + "/go.mod: cannot read it");
  if (!read_file_if_exists(module_dir + "/vendor/modules.txt")) return; // no vendor/: nothing to stamp
  std::string path = module_dir + "/vendor/.gobuild-stamp";
  try {
    write_file_atomic(path, vendor_stamp(*gomod, read_file_if_exists(module_dir + "/go.sum")));
  } catch (const UsageError& e) {
    throw BuildFailure(e.what());
  }
}

} // namespace gobuild
