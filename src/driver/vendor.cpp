#include "gobuild/driver/vendor.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "gobuild/util/error.hpp"
#include "gobuild/util/sha256.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {

namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

std::string strip_comment(const std::string& line) {
  size_t c = line.find("//");
  return trim(c == std::string::npos ? line : line.substr(0, c));
}

// go.mod words may be quoted ("example.com/a b"); gobuild only needs path and version.
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    if (s[i] == '"' || s[i] == '`') {
      char q = s[i++];
      size_t e = s.find(q, i);
      if (e == std::string::npos) e = s.size();
      out.push_back(s.substr(i, e - i));
      i = e + 1;
    } else {
      size_t e = i;
      while (e < s.size() && s[e] != ' ' && s[e] != '\t') ++e;
      out.push_back(s.substr(i, e - i));
      i = e;
    }
  }
  return out;
}

std::optional<std::string> read_optional(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

std::vector<ModuleVersion> gomod_requires(const std::string& gomod) {
  std::vector<ModuleVersion> out;
  bool in_block = false;
  for (const auto& raw : split(gomod, '\n')) {
    std::string line = strip_comment(raw);
    if (line.empty()) continue;
    auto w = words(line);
    if (in_block) {
      if (w[0] == ")") {
        in_block = false;
        continue;
      }
      if (w.size() >= 2) out.emplace_back(w[0], w[1]);
      continue;
    }
    if (w[0] != "require") continue;
    if (w.size() >= 2 && w[1] == "(") {
      in_block = true;
    } else if (w.size() >= 3) {
      out.emplace_back(w[1], w[2]);
    }
  }
  return out;
}

std::optional<std::string> gomod_toolchain_request(const std::string& gomod, std::string* which) {
  std::optional<std::string> go, toolchain;
  for (const auto& raw : split(gomod, '\n')) {
    auto w = words(strip_comment(raw));
    if (w.size() != 2) continue;
    if (w[0] == "go") go = w[1];
    if (w[0] == "toolchain" && starts_with(w[1], "go")) toolchain = w[1].substr(2);
  }
  if (which) *which = toolchain ? "toolchain" : "go";
  return toolchain ? toolchain : go;
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
  auto required = gomod_requires(gomod);
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
  auto gomod = read_optional(module_dir + "/go.mod");
  if (!gomod) throw UsageError(module_dir + "/go.mod: cannot read it (is `module:` right?)");
  return vendor_inconsistency(*gomod, read_optional(module_dir + "/go.sum"),
                              read_optional(module_dir + "/vendor/modules.txt"),
                              read_optional(module_dir + "/vendor/.gobuild-stamp"));
}

void write_vendor_stamp(const std::string& module_dir) {
  auto gomod = read_optional(module_dir + "/go.mod");
  if (!gomod) throw UsageError(module_dir + "/go.mod: cannot read it");
  if (!read_optional(module_dir + "/vendor/modules.txt")) return; // no vendor/: nothing to stamp
  std::string path = module_dir + "/vendor/.gobuild-stamp";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << vendor_stamp(*gomod, read_optional(module_dir + "/go.sum"));
  if (!out.flush()) throw BuildFailure(path + ": cannot write it");
}

} // namespace gobuild
