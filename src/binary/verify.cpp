#include "gobuild/binary/verify.hpp"

#include <algorithm>

#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

bool has_tag(const GoBuildInfo& go, std::string_view tag) {
  const std::string* tags = go.setting("-tags");
  if (!tags) return false;
  for (const auto& t : split(*tags, ','))
    if (t == tag) return true;
  return false;
}

} // namespace

std::vector<std::string> problem_texts(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  out.reserve(problems.size());
  for (const auto& p : problems) out.push_back(p.text());
  return out;
}

bool any_error(const std::vector<Problem>& problems) {
  return std::any_of(problems.begin(), problems.end(), [](const Problem& p) { return p.is_error(); });
}

/// "needs a, b (interpreter X)", "interpreter X", or "" when neither is there.
std::string dependency_detail(const BinaryInfo& info) {
  std::string out;
  if (!info.needed.empty()) out = "needs " + join(info.needed, ", ");
  if (info.interpreter)
    out += out.empty() ? "interpreter " + *info.interpreter : " (interpreter " + *info.interpreter + ")";
  return out;
}

std::string describe_linkage(const BinaryInfo& info) {
  std::string out(to_string(info.linkage));
  std::string detail = dependency_detail(info);
  return detail.empty() ? out : out + ": " + detail;
}

Verdict judge(const BinaryInfo& info, const VerifyPolicy& policy) {
  Verdict v;
  if (info.format != Format::elf) return v; // PE and Mach-O: linkage not judged
  const bool is_static = info.linkage == Linkage::static_exe || info.linkage == Linkage::static_pie;
  if (!is_static && policy.static_mode != StaticMode::off) {
    v.ok = false;
    switch (info.linkage) {
    case Linkage::dynamic:
      v.problems.push_back(Problem::error("dynamically linked: " + dependency_detail(info), ProblemKind::linkage));
      break;
    case Linkage::shared_object:
      v.problems.push_back(Problem::error(
          "ET_DYN without DF_1_PIE: a shared object, not a static executable", ProblemKind::linkage));
      break;
    case Linkage::none:
      v.problems.push_back(
          Problem::error("not an executable (type " + info.type + ")", ProblemKind::not_executable));
      break;
    default: break;
    }
  }
  if (!info.rpath.empty())
    v.problems.push_back(Problem::warning("DT_RPATH " + join(info.rpath, ", "), ProblemKind::rpath));
  if (!info.runpath.empty())
    v.problems.push_back(Problem::warning("DT_RUNPATH " + join(info.runpath, ", "), ProblemKind::rpath));
  if (is_static && info.go) {
    const std::string* cgo = info.go->setting("CGO_ENABLED");
    if (cgo && *cgo == "1" && !(has_tag(*info.go, "netgo") && has_tag(*info.go, "osusergo"))) {
      std::string msg = "cgo binary without the netgo and osusergo tags: glibc may load NSS "
                        "modules (libnss_*.so) at run time";
      if (policy.static_mode == StaticMode::strict) {
        v.ok = false;
        v.problems.insert(v.problems.begin(), Problem::error(msg + " (static: strict)", ProblemKind::nss));
      } else {
        v.problems.push_back(Problem::warning(msg, ProblemKind::nss));
      }
    }
  }
  return v;
}

} // namespace gobuild
