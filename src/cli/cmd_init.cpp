// `gobuild init`: finds the module's main packages with `go list` and writes a commented
// gobuild.yaml that builds each of them for the host's platform.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/filesystem.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gobuild/cli/commands.hpp"
#include "gobuild/cli/goreleaser.hpp"
#include "gobuild/cli/host.hpp"
#include "gobuild/cli/init.hpp"
#include "gobuild/config/config.hpp"
#include "gobuild/driver/environment.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/file.hpp"
#include "gobuild/util/gomod.hpp"
#include "gobuild/util/strings.hpp"

namespace fs = boost::filesystem;

namespace gobuild {

namespace {

bool is_major_version_element(std::string_view s) {
  // "v2", "v10": the suffix Go modules use from major version 2 on ("v0", "v1" are not).
  if (s.size() < 2 || s[0] != 'v' || s[1] == '0') return false;
  for (size_t i = 1; i < s.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return !(s.size() == 2 && s[1] == '1');
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

/// "key: value" padded so that the comments of a block line up.
std::string keyed(const std::string& code, const std::string& comment) {
  constexpr size_t column = 30;
  std::string line = code;
  if (line.size() < column) line.append(column - line.size(), ' ');
  else line += ' ';
  return line + "# " + comment + "\n";
}

} // namespace

std::string parse_module_path(std::string_view gomod) {
  std::string path;
  try {
    path = parse_gomod(gomod).module;
  } catch (const ParseError& e) {
    throw UsageError(e.what());
  }
  if (path.empty()) throw UsageError("go.mod has no module line");
  return path;
}

std::vector<MainPackage> parse_main_packages(std::string_view go_list_output) {
  std::vector<MainPackage> out;
  for (std::string line : split(go_list_output, '\n')) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto space = line.find(' ');
    if (space == 0 || space == std::string::npos) continue;
    MainPackage p{line.substr(0, space), line.substr(space + 1)};
    if (p.dir.empty() || p.dir[0] != '/') continue; // "go: warning: ..." and the like
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<MainPackage> cgo_only_packages(const std::vector<MainPackage>& with_cgo,
                                           const std::vector<MainPackage>& without_cgo) {
  std::set<std::string> plain;
  for (const MainPackage& p : without_cgo) plain.insert(p.import_path);
  std::vector<MainPackage> out;
  for (const MainPackage& p : with_cgo)
    if (!plain.count(p.import_path)) out.push_back(p);
  return out;
}

bool is_helper_main(std::string_view main) {
  static const char* const helpers[] = {"testdata", "test",     "tests",    "testing",  "testutil", "e2e",
                                        "example",  "examples", "_example", "_examples", "helpers"};
  for (const std::string& elem : split(main, '/'))
    for (const char* h : helpers)
      if (elem == h) return true;
  return false;
}

std::string render_init_summary(const std::vector<InitTarget>& targets) {
  size_t width = 16;
  for (const InitTarget& t : targets) width = std::max(width, t.name.size());
  std::string out;
  for (const InitTarget& t : targets)
    out += "  " + t.name + std::string(width - t.name.size() + 1, ' ') + t.main + (t.cgo ? "  (cgo)" : "") + "\n";
  return out;
}

std::string sanitize_target_name(std::string_view name) {
  std::string out;
  for (char ch : name) {
    unsigned char c = static_cast<unsigned char>(ch);
    out += (std::isalnum(c) && c < 0x80) || c == '.' || c == '_' || c == '-' ? ch : '-';
  }
  return out.empty() ? "main" : out;
}

std::string module_binary_name(std::string_view module_path) {
  std::vector<std::string> elems = split(module_path, '/');
  while (!elems.empty() && elems.back().empty()) elems.pop_back();
  if (elems.empty()) return {};
  if (elems.size() > 1 && is_major_version_element(elems.back())) return elems[elems.size() - 2];
  return elems.back();
}

std::vector<InitTarget> plan_init_targets(const std::string& module_path,
                                          const std::string& module_dir,
                                          const std::vector<MainPackage>& packages) {
  std::vector<InitTarget> out;
  std::set<std::string> used;
  for (const MainPackage& p : packages) {
    std::string rel;
    if (p.import_path == module_path) {
      rel = ".";
    } else if (starts_with(p.import_path, module_path + "/")) {
      rel = "./" + p.import_path.substr(module_path.size() + 1);
    } else {
      fs::path r = fs::path(p.dir).lexically_relative(module_dir);
      rel = r.empty() || r == "." ? "." : "./" + r.generic_string();
    }
    std::string raw = rel == "." ? module_binary_name(module_path)
                                 : fs::path(p.dir).filename().string();
    if (raw.empty()) raw = module_binary_name(p.import_path);
    std::string base = sanitize_target_name(raw);
    std::string name = base;
    for (int n = 2; used.count(name); ++n) name = base + "-" + std::to_string(n);
    used.insert(name);
    out.push_back({name, rel});
  }
  return out;
}

std::string go_minor_version(std::string_view v) {
  if (!starts_with(v, "go")) return {};
  size_t i = 2, dots = 0;
  size_t start = i;
  while (i < v.size()) {
    if (std::isdigit(static_cast<unsigned char>(v[i]))) {
      ++i;
    } else if (v[i] == '.' && dots == 0 && i > start) {
      ++dots;
      ++i;
    } else {
      break;
    }
  }
  std::string out(v.substr(start, i - start));
  if (dots == 0 || out.back() == '.') return {};
  return out;
}

std::string yaml_scalar(std::string_view s) {
  static const char* const specials[] = {"true", "false", "yes", "no", "on", "off", "y", "n",
                                         "null", ".inf", ".nan"};
  bool plain = !s.empty() && (std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '.' ||
                              s[0] == '/' || s[0] == '_');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (!(std::isalnum(c) && c < 0x80) && !std::strchr("._/+-", ch)) plain = false;
  }
  for (const char* w : specials)
    if (iequals(s, w)) plain = false;
  if (plain) return std::string(s);
  std::string out = "\"";
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string render_init_config(const InitConfig& c) {
  std::string go = c.go_version.empty() ? "1.26" : c.go_version;
  std::string y;
  y += "# gobuild.yaml for " + c.module_path + ", written by `gobuild init`.\n";
  y += "# Every setting is spelled out at its default value; see gobuild(1).\n";
  y += keyed("version: 1", "config schema version (required)");
  y += keyed("module: " + yaml_scalar(c.module_dir), "directory holding go.mod, relative to this file");
  y += keyed("# go: \"" + go + "\"", "require this Go toolchain; unset: the host's go, never a download");
  y += keyed("vendor: true", "`go mod vendor` first, then build offline from vendor/");
  y += keyed("build:", "defaults for every target; each can be overridden per target");
  y += keyed("  cgo: false", "CGO_ENABLED=0: pure Go, no C toolchain involved");
  y += keyed("  rebuild_all: auto", "go build -a only with cgo (go's cache cannot see C libraries)");
  y += keyed("  trimpath: true", "go build -trimpath: no local paths in the binary");
  y += keyed("  buildvcs: false", "go build -buildvcs=false: no VCS stamp");
  y += keyed("  linkmode: internal", "Go's own linker; external needs cgo: true");
  y += keyed("  # extldflags: [-static]", "-extldflags words, used with linkmode: external");
  y += keyed("  ldflags: []", "further -ldflags words, e.g. [-s, -w] to strip");
  y += keyed("  tags: []", "build tags, e.g. [netgo, osusergo] with cgo: true");
  y += keyed("  flags: []", "further go build flags (allowlist: -race, -gcflags, -pgo, ...)");
  y += keyed("  env: {}", "further environment (allowlist: GOAMD64, GOARM, ...)");
  y += keyed("  static: true", "ELF outputs must be statically linked (true | strict | false)");
  y += "targets:\n";
  for (const InitTarget& t : c.targets) {
    y += keyed("  - name: " + yaml_scalar(t.name), "unique, [A-Za-z0-9._-]+");
    y += keyed("    main: " + yaml_scalar(t.main), "package to build, relative to the module");
    if (t.cgo) {
      y += keyed("    cgo: true", "its files all need cgo (none builds with CGO_ENABLED=0)");
      y += keyed("    linkmode: external", "cgo links with the C linker");
      y += keyed("    extldflags: [-static]", "a static binary, as static: true checks");
    }
    auto flow = [](const std::vector<std::string>& v) {
      std::string s = "[";
      for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + yaml_scalar(v[i]);
      return s + "]";
    };
    if (!t.ldflags.empty()) y += keyed("    ldflags: " + flow(t.ldflags), "from .goreleaser.yaml");
    if (!t.flags.empty()) y += keyed("    flags: " + flow(t.flags), "from .goreleaser.yaml");
    if (!t.tags.empty()) y += keyed("    tags: " + flow(t.tags), "from .goreleaser.yaml");
    if (!t.env.empty()) {
      std::string e = "{";
      for (size_t i = 0; i < t.env.size(); ++i)
        e += (i ? ", " : "") + yaml_scalar(t.env[i].first) + ": " + yaml_scalar(t.env[i].second);
      y += keyed("    env: " + e + "}", "from .goreleaser.yaml");
    }
    if (!t.platforms.empty())
      y += keyed("    platforms: " + flow(t.platforms), "goos x goarch x goarm/goamd64 of .goreleaser.yaml");
    else
      y += keyed("    platforms: [" + yaml_scalar(c.platform) + "]", "GOOS/GOARCH list; default: the host's");
    y += keyed("    # output: bin/{name}", "default; bin/{name}-{os}-{arch} for several platforms");
  }
  return y;
}

namespace {

const char* const kGoListTemplate = "{{if eq .Name \"main\"}}{{.ImportPath}} {{.Dir}}{{end}}";

/// The module's main packages, those that build only with cgo on (listed with CGO_ENABLED=1
/// but not with 0) in `cgo_only`; test helpers and examples (is_helper_main) left out and
/// named in `skipped`.
std::vector<MainPackage> find_main_packages(const std::string& module_path, const fs::path& base,
                                            const EnvList& env, std::vector<MainPackage>& cgo_only,
                                            std::vector<std::string>& skipped) {
  // -mod=readonly: a stale vendor/ (which the build's vendoring step would refresh) must not
  // stop init; -e: a dependency missing from the module cache only marks its importers.
  const std::vector<std::string> list = {"go", "list", "-mod=readonly", "-e", "-f", kGoListTemplate, "./..."};
  EnvList cgo_env = env;
  for (auto& kv : cgo_env)
    if (kv.first == "CGO_ENABLED") kv.second = "1";
  auto keep = [&](std::vector<MainPackage> found) {
    std::vector<MainPackage> out;
    for (auto& p : found) {
      std::string main = plan_init_targets(module_path, base.string(), {p}).front().main;
      if (!is_helper_main(main)) {
        out.push_back(std::move(p));
      } else if (std::find(skipped.begin(), skipped.end(), main) == skipped.end()) {
        skipped.push_back(main);
      }
    }
    return out;
  };
  std::vector<MainPackage> packages = keep(parse_main_packages(run_query(list, env, base.string())));
  cgo_only = cgo_only_packages(keep(parse_main_packages(run_query(list, cgo_env, base.string()))), packages);
  packages.insert(packages.end(), cgo_only.begin(), cgo_only.end());
  if (packages.empty())
    throw UsageError(fmt::format("no main package in module {} ({}): nothing for gobuild to build{}",
                                 module_path, base.string(),
                                 skipped.empty() ? "" : " (test helpers and examples skipped: " + join(skipped, ", ") + ")"));
  return packages;
}

/// The host's GOOS/GOARCH and Go minor version, into `c`.
void query_host_go(const fs::path& base, const EnvList& env, InitConfig& c) {
  std::vector<std::string> goenv =
      split(trim(run_query({"go", "env", "GOOS", "GOARCH", "GOVERSION"}, env, base.string())), '\n');
  if (goenv.size() < 3 || trim(goenv[0]).empty() || trim(goenv[1]).empty())
    throw UsageError("`go env GOOS GOARCH GOVERSION` printed something unexpected");
  c.platform = trim(goenv[0]) + "/" + trim(goenv[1]);
  c.go_version = go_minor_version(trim(goenv[2]));
}

void print_summary(const InitOptions& o, const InitConfig& c, const std::string& shown,
                   const std::vector<std::string>& skipped) {
  if (o.common.json) {
    nlohmann::json j;
    j["config"] = shown;
    j["module"] = c.module_path;
    j["platform"] = c.platform;
    j["targets"] = nlohmann::json::array();
    for (const InitTarget& t : c.targets) {
      j["targets"].push_back({{"name", t.name}, {"main", t.main}});
      if (t.cgo) j["targets"].back()["cgo"] = true;
    }
    j["skipped"] = skipped;
    std::printf("%s\n", j.dump(-1, ' ', false, decltype(j)::error_handler_t::replace).c_str());
  } else if (!o.common.quiet) {
    std::printf("wrote %s for %s (%s):\n", shown.c_str(), c.module_path.c_str(), c.platform.c_str());
    std::fputs(render_init_summary(c.targets).c_str(), stdout);
  }
  if (!skipped.empty() && !o.common.quiet)
    std::fprintf(stderr, "gobuild: note: test helpers and examples were not added: %s\n",
                 join(skipped, ", ").c_str());
}

} // namespace

int run_init(const InitOptions& o) {
  try {
    boost::system::error_code ec;
    // cli.cpp has already changed into -C DIR.
    fs::path base = fs::canonical(fs::current_path());
    std::string shown = o.common.config.empty() ? "gobuild.yaml" : o.common.config;
    fs::path config = shown;
    if (config.is_relative()) config = base / config;

    if (!fs::exists(base / "go.mod", ec))
      throw UsageError(fmt::format("no go.mod in {}: gobuild init needs a Go module (run `go mod "
                                   "init MODULE` first, or point -C at the module)",
                                   base.string()));
    if (!fs::is_directory(config.parent_path(), ec))
      throw UsageError(fmt::format("cannot write {}: no directory {}", shown,
                                   config.parent_path().string()));
    if (fs::exists(fs::symlink_status(config, ec)) && !o.force)
      throw UsageError(fmt::format("{} already exists; use --force to overwrite it", shown));

    InitConfig c;
    c.module_path = parse_module_path(read_file((base / "go.mod").string()));
    // Like vendoring, init is a set-up step: its go list may fetch what the module cache
    // lacks, through the host's proxy settings (GOPROXY and the like), never with GOFLAGS.
    EnvList env = vendor_environment(host_environment(), "local").env;
    env.emplace_back("CGO_ENABLED", "0");
    std::vector<MainPackage> cgo_only;
    std::vector<std::string> skipped;
    c.targets = plan_init_targets(c.module_path, base.string(),
                                  find_main_packages(c.module_path, base, env, cgo_only, skipped));
    for (InitTarget& t : c.targets)
      for (const MainPackage& p : cgo_only)
        if (plan_init_targets(c.module_path, base.string(), {p}).front().main == t.main) t.cgo = true;
    query_host_go(base, env, c);
    // A module released with GoReleaser: its builds are the targets, as its maintainers ship.
    std::vector<std::string> untranslated;
    std::string translated_from;
    for (const char* name : {".goreleaser.yaml", ".goreleaser.yml"}) {
      if (!fs::exists(base / name, ec)) continue;
      ReleaserTranslation tr = translate_goreleaser(read_file((base / name).string()), module_binary_name(c.module_path));
      std::vector<InitTarget> targets;
      std::set<std::string> used;
      for (const ReleaserTarget& r : tr.targets) {
        InitTarget t(sanitize_target_name(r.name), r.main, r.cgo);
        for (int n = 2; used.count(t.name); ++n) t.name = sanitize_target_name(r.name) + "-" + std::to_string(n);
        used.insert(t.name);
        t.ldflags = r.ldflags;
        t.flags = r.flags;
        t.tags = r.tags;
        t.env.assign(r.env.begin(), r.env.end());
        t.platforms = r.platforms;
        targets.push_back(std::move(t));
      }
      c.targets = std::move(targets);
      translated_from = name;
      for (const auto& u : tr.untranslated) untranslated.push_back(std::string(name) + ": " + u);
      break;
    }
    fs::path config_dir = fs::weakly_canonical(config.parent_path());
    fs::path rel = base.lexically_relative(config_dir);
    c.module_dir = rel.empty() ? base.string() : rel.generic_string();

    std::string text = render_init_config(c);
    try {
      // What init writes must load as it stands; a failure here is a bug in init.
      parse_config(text, shown, config_dir.string(), LoadOptions{});
    } catch (const ConfigError& e) {
      if (!translated_from.empty())
        throw UsageError("the config translated from " + translated_from + " does not load: " + e.formatted());
      throw UsageError("internal error: the config init wrote does not load: " + e.formatted());
    }
    write_file_atomic(config.string(), text);
    print_summary(o, c, shown, skipped);
    if (!o.common.quiet)
      for (const auto& u : untranslated) std::fprintf(stderr, "gobuild: note: not translated: %s\n", u.c_str());
    return static_cast<int>(Exit::ok);
  } catch (const UsageError& e) {
    if (interrupted()) return static_cast<int>(Exit::interrupted);
    print_error(e.what());
    return static_cast<int>(Exit::usage);
  } catch (const fs::filesystem_error& e) {
    print_error(e.what());
    return static_cast<int>(Exit::usage);
  }
}

} // namespace gobuild
