#include "gobuild/binary/report.hpp"

#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

using json = nlohmann::ordered_json;

json module_json(const GoModule& m) {
  return json{{"path", m.path}, {"version", m.version}, {"sum", m.sum}};
}

json dep_json(const GoDep& d) {
  json j = module_json(d.mod);
  j["replace"] = d.replace ? module_json(*d.replace) : json(nullptr);
  return j;
}

json optional_string(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::string format_label(const BinaryInfo& info) {
  switch (info.format) {
  case Format::elf: return "ELF" + std::to_string(info.bits);
  case Format::pe: return info.bits == 64 ? "PE32+" : "PE32";
  case Format::macho: return "Mach-O " + std::to_string(info.bits) + "-bit";
  }
  return "?";
}

} // namespace

json go_json(const GoBuildInfo& go) {
  json deps = json::array();
  for (const auto& d : go.deps) deps.push_back(dep_json(d));
  json settings = json::object();
  for (const auto& kv : go.settings) settings[kv.first] = kv.second;
  json j;
  j["version"] = go.version;
  j["path"] = go.path;
  j["main"] = go.main ? dep_json(*go.main) : json(nullptr);
  j["deps"] = std::move(deps);
  j["settings"] = std::move(settings);
  return j;
}

json file_json(const std::string& path, const BinaryInfo& info, const Verdict& v) {
  json j;
  j["path"] = path;
  j["ok"] = v.ok;
  j["problems"] = problem_texts(v.problems);
  j["format"] = std::string(to_string(info.format));
  j["class"] = info.bits;
  j["endian"] = info.big_endian ? "big" : "little";
  j["machine"] = info.machine;
  j["type"] = info.type;
  j["linkage"] = info.linkage == Linkage::not_applicable ? json(nullptr) : json(std::string(to_string(info.linkage)));
  j["interpreter"] = optional_string(info.interpreter);
  j["needed"] = info.needed;
  j["rpath"] = info.rpath;
  j["runpath"] = info.runpath;
  j["go_build_id"] = info.go_build_id.empty() ? json(nullptr) : json(info.go_build_id);
  j["go"] = info.go ? go_json(*info.go) : json(nullptr);
  return j;
}

json error_json(const std::string& path, const std::string& message) {
  return json{{"path", path}, {"ok", false}, {"error", message}};
}

std::string human_line(const std::string& path, const BinaryInfo& info, const Verdict& v) {
  std::vector<std::string> parts;
  if (info.format == Format::elf) parts.push_back(describe_linkage(info));
  std::string label = format_label(info) + " " + info.machine;
  if (info.big_endian) label += " big-endian";
  parts.push_back(label);
  if (info.format != Format::elf && !info.needed.empty()) parts.push_back("imports " + join(info.needed, ", "));
  if (info.go) {
    parts.push_back(info.go->version);
    if (const std::string* cgo = info.go->setting("CGO_ENABLED")) parts.push_back("CGO_ENABLED=" + *cgo);
    if (const std::string* tp = info.go->setting("-trimpath"); tp && *tp == "true") parts.push_back("-trimpath");
    if (const std::string* tags = info.go->setting("-tags")) parts.push_back("-tags=" + *tags);
  } else {
    parts.push_back("no Go build info");
  }
  std::string out = path + ": " + join(parts, ", ");
  for (const auto& p : v.problems) // the linkage part already says what a dynamic one needs
    if (!(info.linkage == Linkage::dynamic && p.kind == ProblemKind::linkage)) out += "; " + p.text();
  return escape_controls(out); // paths, settings and problems come from the file: no raw ESC

}

} // namespace gobuild
