// Platform variants (OCI style: linux/arm/v7, linux/amd64/v3) and the go environment variable
// each one sets. One table: the config checks a variant against it and the build environment,
// the build-info check and `--platform` read it back.
#include "variants.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "gobuild/util/strings.hpp"

namespace gobuild {

namespace config_detail {
namespace {

struct ArchVariants {
  std::vector<std::string> arches;
  std::string variable;
  std::vector<std::string> variants; ///< as written in platforms
};

const std::vector<ArchVariants>& table() {
  static const std::vector<ArchVariants> t = {
      {{"arm"}, "GOARM", {"v5", "v6", "v7"}},
      {{"amd64"}, "GOAMD64", {"v1", "v2", "v3", "v4"}},
      {{"arm64"}, "GOARM64", {"v8", "v8.0", "v8.1", "v8.2", "v8.3", "v8.4", "v8.5", "v8.6", "v8.7",
                              "v8.8", "v8.9", "v9", "v9.0", "v9.1", "v9.2", "v9.3", "v9.4", "v9.5"}},
      {{"386"}, "GO386", {"sse2", "softfloat"}},
      {{"mips", "mipsle"}, "GOMIPS", {"hardfloat", "softfloat"}},
      {{"mips64", "mips64le"}, "GOMIPS64", {"hardfloat", "softfloat"}},
      {{"ppc64", "ppc64le"}, "GOPPC64", {"power8", "power9", "power10"}},
      {{"riscv64"}, "GORISCV64", {"rva20u64", "rva22u64", "rva23u64"}},
  };
  return t;
}

const ArchVariants* find_arch(const std::string& arch) {
  for (const auto& a : table())
    if (std::find(a.arches.begin(), a.arches.end(), arch) != a.arches.end()) return &a;
  return nullptr;
}

} // namespace

CheckProblem check_variant(const std::string& text, const std::string& arch, const std::string& variant) {
  const ArchVariants* a = find_arch(arch);
  if (!a) {
    return fmt::format("platforms: '{}': {} has no variants (variants are for arm, amd64, arm64, "
                       "386, mips, mips64, ppc64 and riscv64)", text, arch);
  }
  if (std::find(a->variants.begin(), a->variants.end(), variant) == a->variants.end()) {
    std::vector<std::string> shown;
    for (const auto& v : a->variants)
      if (v != "v8" && v != "v9") shown.push_back(v);
    std::string list = arch == "arm64" ? "v8.0 to v9.5" : join(shown, ", ");
    return fmt::format("platforms: '{}': '{}' is not a variant of {} ({}: the values of {})", text, variant,
                       arch, list, a->variable);
  }
  return std::nullopt;
}

} // namespace config_detail

std::optional<std::pair<std::string, std::string>> variant_setting(const Platform& p) {
  if (p.variant.empty()) return std::nullopt;
  const config_detail::ArchVariants* a = config_detail::find_arch(p.arch);
  if (!a) return std::nullopt;
  std::string value = p.variant;
  if (a->variable == "GOARM") value = value.substr(1);                    // v7 → 7
  if (a->variable == "GOARM64" && value.size() == 2) value += ".0";      // v8 → v8.0
  return std::make_pair(a->variable, value);
}

} // namespace gobuild
