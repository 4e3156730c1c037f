#include "gobuild/config/emit.hpp"

#include <cctype>

#include <boost/filesystem.hpp>
#include <fmt/format.h>

namespace gobuild {
namespace {

bool is_keyword(const std::string& s) {
  std::string l;
  for (char c : s) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* k : {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"})
    if (l == k) return true;
  return false;
}

/// An ldflags or extldflags word as an item that the config's go-style splitting reads back as
/// that one word: quoted when it holds a space or starts with a quote.
std::string go_word(const std::string& w) {
  const bool plain = !w.empty() && w.find_first_of(" \t\n\r") == std::string::npos && w[0] != '\'' &&
                     w[0] != '"';
  if (plain) return w;
  return w.find('\'') == std::string::npos ? "'" + w + "'" : "\"" + w + "\"";
}

std::vector<std::string> go_words(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(go_word(w));
  return out;
}

std::string flow_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + yaml_scalar(items[i]);
  return out + "]";
}

/// The `build:` keys of `s` that differ from the defaults, one line each at `indent`.
std::string settings_lines(const BuildSettings& s, const std::string& indent) {
  const BuildSettings d;
  std::string out;
  auto line = [&](const char* key, const std::string& value) {
    out += indent + key + ": " + value + "\n";
  };
  auto boolean = [](bool b) { return std::string(b ? "true" : "false"); };
  if (s.cgo != d.cgo) line("cgo", boolean(s.cgo));
  if (s.rebuild_all != d.rebuild_all)
    line("rebuild_all", s.rebuild_all == RebuildAll::automatic ? "auto" : boolean(s.rebuild_all == RebuildAll::yes));
  if (s.trimpath != d.trimpath) line("trimpath", boolean(s.trimpath));
  if (s.buildvcs != d.buildvcs) line("buildvcs", boolean(s.buildvcs));
  if (s.linkmode == LinkMode::external) {
    line("linkmode", "external");
    if (s.extldflags != std::vector<std::string>{"-static"}) line("extldflags", flow_list(go_words(s.extldflags)));
  }
  if (!s.ldflags.empty()) line("ldflags", flow_list(go_words(s.ldflags)));
  if (!s.tags.empty()) line("tags", flow_list(s.tags));
  if (!s.flags.empty()) line("flags", flow_list(s.flags));
  if (!s.env.empty()) {
    out += indent + "env:\n";
    for (const auto& [k, v] : s.env) out += indent + "  " + yaml_scalar(k) + ": " + yaml_scalar(v) + "\n";
  }
  if (s.static_mode == StaticMode::off) line("static", "false");
  if (s.static_mode == StaticMode::strict) line("static", "strict");
  return out;
}

bool same_settings(const BuildSettings& a, const BuildSettings& b) {
  return settings_lines(a, "") == settings_lines(b, "");
}

} // namespace

std::string yaml_scalar(const std::string& s) {
  bool plain = !s.empty() && !is_keyword(s) &&
               (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '.' || s[0] == '/' ||
                s[0] == '_' || (s[0] == '-' && s.size() > 1));
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '/' &&
        c != '-' && c != '=' && c != '+')
      plain = false;
  if (plain) return s;
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') out += std::string("\\") + c;
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (u < 0x20 || u == 0x7f) out += fmt::format("\\x{:02x}", u);
    else out += c;
  }
  return out + "\"";
}

std::string emit_config(const Config& cfg) {
  namespace fs = boost::filesystem;
  std::string module = fs::path(cfg.module_dir).lexically_relative(cfg.dir).string();
  if (module.empty()) module = ".";
  std::string out = "version: 1\n";
  out += "module: " + yaml_scalar(module) + "\n";
  if (cfg.go) out += "go: \"" + *cfg.go + "\"\n";
  out += std::string("vendor: ") + (cfg.vendor ? "true" : "false") + "\n";
  bool shared = !cfg.targets.empty();
  for (const auto& t : cfg.targets) shared = shared && same_settings(t.build, cfg.targets.front().build);
  if (shared) {
    std::string lines = settings_lines(cfg.targets.front().build, "  ");
    if (!lines.empty()) out += "build:\n" + lines;
  }
  out += "targets:\n";
  for (const auto& t : cfg.targets) {
    out += "  - name: " + yaml_scalar(t.name) + "\n";
    if (t.main != ".") out += "    main: " + yaml_scalar(t.main) + "\n";
    out += "    output: " + yaml_scalar(t.output) + "\n";
    if (!t.platforms.empty()) {
      std::vector<std::string> ps;
      for (const auto& p : t.platforms) ps.push_back(p.str());
      out += "    platforms: " + flow_list(ps) + "\n";
    }
    if (!shared) out += settings_lines(t.build, "    ");
  }
  return out;
}

} // namespace gobuild
