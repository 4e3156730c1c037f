// gobuild.yaml, version 1: the schema. The YAML itself is read by yaml_tree.cpp and the value
// rules live in checks.cpp; this file walks the tree, applies defaults and layers, and checks
// what involves several keys (linkmode with cgo, output collisions).
//
// Decisions about the schema that doc/config.md states for users:
// - Per-target settings sit directly in the target map (`- name: x` / `  cgo: true`); a nested
//   `build:` inside a target is an error that says so.
// - A key given per target replaces the default whole: lists (ldflags, tags, flags, extldflags)
//   and the env map are not appended to.
// - Booleans are YAML 1.2 core booleans only (true/false, any case the spec allows); `yes`, `on`
//   and quoted "true" are errors. Strings may be plain or quoted.
// - extldflags is only meaningful with linkmode: external; setting it where internal linking is
//   in force is an error (an inherited default is dropped for a target that picks internal).
// - Top-level keys starting with "x-" are ignored: a place to define anchors (as in Compose
//   files), e.g. `x-common: &common {cgo: true}` then `<<: *common` in a target.
// - output: windows outputs get ".exe" appended unless the template already ends in .exe.
#include "gobuild/config/config.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <map>

#include <boost/filesystem.hpp>
#include <fmt/format.h>

#include "checks.hpp"
#include "gobuild/util/file.hpp"
#include "gobuild/config/allowlist.hpp"
#include "gobuild/config/confine.hpp"
#include "gobuild/config/stamps.hpp"
#include "gobuild/util/quoted.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/strings.hpp"
#include "yaml_tree.hpp"

namespace gobuild {
namespace {

namespace fs = boost::filesystem;
using config_detail::YamlNode;
using config_detail::CheckProblem;

const std::vector<std::string> kTopKeys = {"version", "module", "go", "vendor", "build", "targets"};
const std::vector<std::string> kBuildKeys = {"cgo",        "rebuild_all", "trimpath", "buildvcs",
                                             "linkmode",   "extldflags",  "ldflags",  "tags",
                                             "flags",      "env",         "static"};
const std::vector<std::string> kTargetKeys = {"name", "main", "output", "platforms"};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// The `build:` keys set at one level (the top `build:` map, or one target).
struct Layer {
  std::optional<bool> cgo, trimpath, buildvcs;
  std::optional<RebuildAll> rebuild_all;
  std::optional<LinkMode> linkmode;
  const YamlNode* linkmode_at = nullptr;
  std::optional<std::vector<std::string>> extldflags;
  const YamlNode* extldflags_at = nullptr;
  std::optional<std::vector<std::string>> ldflags, tags, flags;
  const YamlNode* flags_at = nullptr;
  std::optional<std::vector<std::pair<std::string, std::string>>> env;
  std::vector<const YamlNode*> env_keys; ///< where each env name is written, in env's order
  std::optional<StaticMode> static_mode;
  const YamlNode* static_at = nullptr;
};

/// How a value reads in "expected X, got Y".
std::string describe(const YamlNode& n) {
  switch (n.kind) {
  case YamlNode::Kind::null: return "nothing";
  case YamlNode::Kind::seq: return "a list";
  case YamlNode::Kind::map: return "a map";
  case YamlNode::Kind::scalar: break;
  }
  return n.plain ? fmt::format("'{}'", n.text) : "a quoted string";
}

const YamlNode* find(const YamlNode& map, const std::string& key) {
  for (const auto& [k, v] : map.entries) {
    if (k.text == key) return &v;
  }
  return nullptr;
}

struct Parsed {
  Config config;
  int module_line = 0, module_column = 0; ///< where to report a missing go.mod
};

class Parser {
public:
  Parser(const std::string& file, const LoadOptions& opts) : file_(file), opts_(opts) {}

  Parsed parse(const YamlNode& root, const std::string& dir) {
    Parsed out;
    Config& c = out.config;
    vendor_ = true;
    c.file = file_;
    c.dir = dir;
    if (root.is_null()) fail(root, "the config is empty; it needs version: 1 and targets");
    if (!root.is_map()) {
      fail(root, fmt::format("expected a map with version: 1 and targets, got {}", describe(root)));
    }
    parse_version(root);
    for (const auto& [key, value] : root.entries) {
      if (contains(kTopKeys, key.text) || starts_with(key.text, "x-")) continue;
      if (contains(kBuildKeys, key.text)) {
        fail(key, fmt::format("unknown key '{}': build settings go under build: or in a target",
                              key.text));
      }
      if (contains(kTargetKeys, key.text)) {
        fail(key, fmt::format("unknown key '{}': it belongs in a target under targets:", key.text));
      }
      unknown_key(key, kTopKeys);
    }

    std::string module = ".";
    out.module_line = root.line;
    out.module_column = root.column;
    if (const YamlNode* m = find(root, "module")) {
      module = get_string("module", *m);
      if (module.empty()) fail(*m, "module: empty; use '.' for the config's directory");
      out.module_line = m->line;
      out.module_column = m->column;
      if (module[0] == '/') {
        fail(*m, fmt::format("module: '{}' is an absolute path; give the module's directory "
                             "relative to the config's", module));
      }
    }
    c.module = module;
    c.module_at = SourcePos{out.module_line, out.module_column};
    c.out_dir = dir;
    std::string module_dir = normal_path(join_path(dir, module));
    while (module_dir.size() > 1 && module_dir.back() == '/') module_dir.pop_back();
    c.module_dir = module_dir;

    if (const YamlNode* g = find(root, "go")) {
      if (!g->is_scalar()) {
        fail(*g, fmt::format("go: expected a version such as \"1.26\", got {}", describe(*g)));
      }
      c.go_line = g->line;
      c.go_column = g->column;
      if (g->text == "mod") {
        c.go_mod = true; // the version is go.mod's, read when the module is there to read
      } else {
        check(*g, config_detail::check_go_version(g->text));
        c.go = g->text;
      }
    }
    if (const YamlNode* v = find(root, "vendor")) {
      // check: vendor/ must already be what `go mod vendor` writes; gobuild never rewrites it.
      if (v->is_scalar() && v->plain && v->text == "check") {
        c.vendor = true;
        c.vendor_check = true;
      } else if (v->is_scalar() && v->plain) {
        if (v->text == "true" || v->text == "True" || v->text == "TRUE") c.vendor = true;
        else if (v->text == "false" || v->text == "False" || v->text == "FALSE") c.vendor = false;
        else fail(*v, fmt::format("vendor: '{}' is not one of true, false, check", v->text));
      } else {
        fail(*v, fmt::format("vendor: expected true, false or check, got {}", describe(*v)));
      }
    }
    vendor_ = c.vendor;

    Layer defaults;
    if (const YamlNode* b = find(root, "build")) {
      if (!b->is_map()) fail(*b, fmt::format("build: expected a map of settings, got {}", describe(*b)));
      for (const auto& [key, value] : b->entries) {
        if (contains(kBuildKeys, key.text)) continue;
        if (contains(kTargetKeys, key.text)) {
          fail(key, fmt::format("unknown key '{}' under build: it is set in each target",
                                key.text));
        }
        unknown_key(key, kBuildKeys);
      }
      parse_layer(*b, defaults);
      if (defaults.extldflags && defaults.linkmode.value_or(LinkMode::internal) == LinkMode::internal) {
        fail(*defaults.extldflags_at, "extldflags: only used with linkmode: external");
      }
    }

    const YamlNode* targets = find(root, "targets");
    if (!targets) fail(root, "targets: missing; list at least one target");
    if (!targets->is_seq()) {
      fail(*targets, fmt::format("targets: expected a list of targets, got {}", describe(*targets)));
    }
    if (targets->items.empty()) fail(*targets, "targets: empty; list at least one target");
    std::vector<const YamlNode*> output_at;
    for (size_t i = 0; i < targets->items.size(); ++i) {
      const YamlNode& t = targets->items[i];
      c.targets.push_back(parse_target(t, i, defaults, c.targets));
      const YamlNode* o = find(t, "output");
      output_at.push_back(o ? o : &t);
    }
    check_collisions(c, output_at);
    check_outputs(c);
    return out;
  }

private:
  [[noreturn]] void fail(const YamlNode& at, const std::string& message) const {
    throw ConfigError(file_, at.line, at.column, message);
  }

  void check(const YamlNode& at, const CheckProblem& problem) const {
    if (problem) fail(at, *problem);
  }

  [[noreturn]] void unknown_key(const YamlNode& key, const std::vector<std::string>& known) const {
    if (auto near = config_detail::nearest(key.text, known)) {
      fail(key, fmt::format("unknown key '{}' (did you mean '{}'?)", key.text, *near));
    }
    fail(key, fmt::format("unknown key '{}' (known keys: {})", key.text, join(known, ", ")));
  }

  void parse_version(const YamlNode& root) const {
    const YamlNode* v = find(root, "version");
    if (!v) fail(root, "version: missing; the config must say version: 1");
    if (!v->is_scalar() || !v->plain) {
      fail(*v, fmt::format("version: expected the number 1, got {}", describe(*v)));
    }
    if (v->text != "1") {
      fail(*v, fmt::format("version: {} is not supported; this gobuild reads version 1", v->text));
    }
  }

  bool get_bool(const std::string& key, const YamlNode& v) const {
    if (v.is_scalar() && v.plain) {
      if (v.text == "true" || v.text == "True" || v.text == "TRUE") return true;
      if (v.text == "false" || v.text == "False" || v.text == "FALSE") return false;
      fail(v, fmt::format("{}: '{}' is not one of true, false", key, v.text));
    }
    fail(v, fmt::format("{}: expected true or false, got {}", key, describe(v)));
  }

  std::string get_string(const std::string& key, const YamlNode& v) const {
    if (!v.is_scalar()) fail(v, fmt::format("{}: expected a string, got {}", key, describe(v)));
    return v.text;
  }

  std::vector<std::string> get_list(const std::string& key, const YamlNode& v,
                                    const std::function<CheckProblem(const std::string&)>& rule) const {
    if (!v.is_seq()) {
      std::string hint = v.is_scalar() ? fmt::format(" (write [{}])", v.text) : "";
      fail(v, fmt::format("{}: expected a list, got {}{}", key, describe(v), hint));
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < v.items.size(); ++i) {
      const YamlNode& item = v.items[i];
      if (!item.is_scalar()) {
        fail(item, fmt::format("{}[{}]: expected a string, got {}", key, i, describe(item)));
      }
      if (item.text.empty()) fail(item, fmt::format("{}[{}]: empty", key, i));
      check(item, rule(item.text));
      out.push_back(item.text);
    }
    return out;
  }

  /// A list of flag words, each checked against its allowlist in order. With `split`, an item
  /// is split into words the way the go command splits -ldflags (quotes group words), so the
  /// words checked are the words passed.
  std::vector<std::string> get_words(const std::string& key, const YamlNode& v, WordList list,
                                     bool split) const {
    get_list(key, v, [](const std::string&) -> CheckProblem { return std::nullopt; });
    WordChecker checker(list, WordRules{opts_.allow_cc});
    std::vector<std::string> out;
    for (size_t i = 0; i < v.items.size(); ++i) {
      const YamlNode& item = v.items[i];
      std::vector<std::string> words = {item.text};
      if (split) {
        try {
          words = split_go_words(item.text);
        } catch (const ParseError& e) {
          fail(item, fmt::format("{}[{}]: {} (go splits {} items as a shell would, without escapes)",
                                 key, i, e.what(), key));
        }
        if (words.empty()) fail(item, fmt::format("{}[{}]: empty", key, i));
      }
      for (const auto& w : words) {
        check(item, check_stamp_placeholders(key, w));
        check(item, checker.next(w));
        out.push_back(w);
      }
    }
    if (auto p = checker.finish()) fail(v.items.back(), *p);
    return out;
  }

  /// Reads the build keys present in `map` into `layer`; other keys were checked by the caller.
  void parse_layer(const YamlNode& map, Layer& layer) const {
    for (const auto& [key, v] : map.entries) {
      const std::string& k = key.text;
      if (k == "cgo") layer.cgo = get_bool(k, v);
      else if (k == "rebuild_all") {
        if (v.is_scalar() && v.plain && v.text == "auto") layer.rebuild_all = RebuildAll::automatic;
        else if (v.is_scalar() && v.plain && (v.text == "true" || v.text == "True" || v.text == "TRUE"))
          layer.rebuild_all = RebuildAll::yes;
        else if (v.is_scalar() && v.plain && (v.text == "false" || v.text == "False" || v.text == "FALSE"))
          layer.rebuild_all = RebuildAll::no;
        else if (v.is_scalar() && v.plain)
          fail(v, fmt::format("rebuild_all: '{}' is not one of true, false, auto", v.text));
        else
          fail(v, fmt::format("rebuild_all: expected true, false or auto, got {}", describe(v)));
      }
      else if (k == "trimpath") layer.trimpath = get_bool(k, v);
      else if (k == "buildvcs") layer.buildvcs = get_bool(k, v);
      else if (k == "linkmode") {
        if (!v.is_scalar()) {
          fail(v, fmt::format("linkmode: expected internal or external, got {}", describe(v)));
        }
        if (v.text == "internal") layer.linkmode = LinkMode::internal;
        else if (v.text == "external") layer.linkmode = LinkMode::external;
        else fail(v, fmt::format("linkmode: '{}' is not one of internal, external", v.text));
        layer.linkmode_at = &v;
      } else if (k == "static") {
        if (v.is_scalar() && v.text == "strict") {
          layer.static_mode = StaticMode::strict;
        } else if (v.is_scalar() && v.plain) {
          if (v.text == "true" || v.text == "True" || v.text == "TRUE") layer.static_mode = StaticMode::on;
          else if (v.text == "false" || v.text == "False" || v.text == "FALSE") layer.static_mode = StaticMode::off;
          else fail(v, fmt::format("static: '{}' is not one of true, false, strict", v.text));
        } else {
          fail(v, fmt::format("static: expected true, false or strict, got {}", describe(v)));
        }
        layer.static_at = &v;
      } else if (k == "extldflags") {
        layer.extldflags = get_words(k, v, WordList::extldflags, true);
        layer.extldflags_at = &v;
      } else if (k == "ldflags") {
        layer.ldflags = get_words(k, v, WordList::ldflags, true);
      } else if (k == "tags") {
        layer.tags = get_list(k, v, config_detail::check_tag);
      } else if (k == "flags") {
        layer.flags = get_words(k, v, WordList::flags, false);
        layer.flags_at = &v;
      } else if (k == "env") {
        layer.env = parse_env(v);
        layer.env_keys.clear();
        for (const auto& kv : v.entries) layer.env_keys.push_back(&kv.first);
      }
    }
  }

  std::vector<std::pair<std::string, std::string>> parse_env(const YamlNode& v) const {
    if (!v.is_map()) {
      fail(v, fmt::format("env: expected a map such as {{GOAMD64: v1}}, got {}", describe(v)));
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, value] : v.entries) {
      if (value.is_null()) {
        fail(value, fmt::format("env: {} needs a value (write \"\" for an empty one)", key.text));
      }
      if (!value.is_scalar()) {
        fail(value, fmt::format("env: {}: expected a string, got {}", key.text, describe(value)));
      }
      check(key, check_env_entry(key.text, value.text, opts_.allow_cc));
      out.emplace_back(key.text, value.text);
    }
    return out;
  }

  Target parse_target(const YamlNode& n, size_t index, const Layer& defaults,
                      const std::vector<Target>& earlier) const {
    if (!n.is_map()) {
      fail(n, fmt::format("targets[{}]: expected a map with name:, got {}", index, describe(n)));
    }
    std::vector<std::string> known = kTargetKeys;
    known.insert(known.end(), kBuildKeys.begin(), kBuildKeys.end());
    for (const auto& [key, value] : n.entries) {
      if (contains(known, key.text)) continue;
      if (key.text == "build") {
        fail(key, "build: per-target settings go directly in the target (e.g. cgo: true), "
                  "not under build:");
      }
      unknown_key(key, known);
    }

    Target t;
    t.line = n.line;
    const YamlNode* name = find(n, "name");
    if (!name) fail(n, fmt::format("targets[{}]: name is required", index));
    t.name = get_string("name", *name);
    t.name_at = t.main_at = t.output_at = SourcePos{name->line, name->column};
    check(*name, config_detail::check_name(t.name));
    for (const auto& other : earlier) {
      if (other.name == t.name) {
        fail(*name, fmt::format("name: '{}' is already used by the target at line {}", t.name,
                                other.line));
      }
    }

    if (const YamlNode* m = find(n, "main")) {
      t.main = get_string("main", *m);
      if (t.main.empty()) fail(*m, "main: empty; use '.' for the module's root package");
      t.main_at = SourcePos{m->line, m->column};
      if (t.main[0] == '/') {
        fail(*m, fmt::format("main: '{}' is an absolute path; give the package's directory "
                             "relative to the module, such as ./cmd/app", t.main));
      }
      if (t.main[0] == '-') {
        fail(*m, fmt::format("main: '{}' starts with '-' and would be read as a flag", t.main));
      }
      if (t.main.find("...") != std::string::npos) {
        fail(*m, fmt::format("main: '{}' names several packages; a target builds one", t.main));
      }
    }

    if (const YamlNode* p = find(n, "platforms")) {
      if (p->is_seq() && p->items.empty()) {
        fail(*p, "platforms: empty; leave the key out to build for the host");
      }
      get_list("platforms", *p, [](const std::string&) -> CheckProblem { return std::nullopt; });
      for (const auto& item : p->items) {
        Platform platform;
        check(item, config_detail::parse_platform(item.text, platform));
        for (const auto& seen : t.platforms) {
          if (seen == platform) {
            fail(item, fmt::format("platforms: '{}' is listed twice", item.text));
          }
        }
        t.platforms.push_back(platform);
      }
    }

    if (const YamlNode* o = find(n, "output")) {
      if (o->is_map()) {
        fail(*o, "output: expected a string, got a map (quote a template that starts with '{')");
      }
      t.output = get_string("output", *o);
      t.output_at = SourcePos{o->line, o->column};
      check(*o, config_detail::check_output_template(t.output));
      if (t.platforms.size() > 1 && t.output.find("{os}") == std::string::npos &&
          t.output.find("{variant}") == std::string::npos &&
          t.output.find("{arch}") == std::string::npos) {
        fail(*o, fmt::format("output: '{}' has no {{os}} or {{arch}}, so the {} platforms of "
                             "target '{}' would overwrite each other",
                             t.output, t.platforms.size(), t.name));
      }
    } else {
      // {variant} is empty for a platform without one: bin/app-linux-arm, bin/app-linux-armv7.
      t.output = t.platforms.size() > 1 ? "bin/{name}-{os}-{arch}{variant}" : "bin/{name}";
    }

    Layer own;
    parse_layer(n, own);
    t.build = resolve(defaults, own, t.name);
    check_variant_env(t, own.env ? own : defaults);
    return t;
  }

  /// A platform variant sets its go variable (GOARM for linux/arm/v7) for that platform; the
  /// same variable in `env` as well would say two things, so it is an error at the env key.
  void check_variant_env(const Target& t, const Layer& env_layer) const {
    if (!env_layer.env) return;
    for (const auto& p : t.platforms) {
      auto setting = variant_setting(p);
      if (!setting) continue;
      for (size_t i = 0; i < env_layer.env->size(); ++i) {
        if ((*env_layer.env)[i].first != setting->first) continue;
        fail(*env_layer.env_keys[i],
             fmt::format("env: {} is also set by the platform '{}' of target '{}' ({}={}); "
                         "keep one: the variant for that platform, or env for the target",
                         setting->first, p.str(), t.name, setting->first, setting->second));
      }
    }
  }

  BuildSettings resolve(const Layer& d, const Layer& t, const std::string& name) const {
    BuildSettings s;
    auto pick = [](auto& field, const auto& top, const auto& own) {
      if (own) field = *own;
      else if (top) field = *top;
    };
    pick(s.cgo, d.cgo, t.cgo);
    pick(s.rebuild_all, d.rebuild_all, t.rebuild_all);
    pick(s.trimpath, d.trimpath, t.trimpath);
    pick(s.buildvcs, d.buildvcs, t.buildvcs);
    pick(s.linkmode, d.linkmode, t.linkmode);
    pick(s.ldflags, d.ldflags, t.ldflags);
    pick(s.tags, d.tags, t.tags);
    pick(s.flags, d.flags, t.flags);
    pick(s.env, d.env, t.env);
    pick(s.static_mode, d.static_mode, t.static_mode);

    if (s.linkmode == LinkMode::external && !s.cgo) {
      if (t.linkmode) {
        fail(*t.linkmode_at, "linkmode: external needs cgo: true (Go 1.22 and later refuse "
                             "external linking without cgo)");
      }
      fail(*d.linkmode_at, fmt::format("linkmode: external needs cgo: true, but target '{}' has "
                                       "cgo: false (Go 1.22 and later refuse external linking "
                                       "without cgo)", name));
    }
    // static: strict refuses what verification would refuse after the build: the config alone
    // decides it, so it is said before anything runs.
    auto has_tag = [&s](const char* tag) { return std::find(s.tags.begin(), s.tags.end(), tag) != s.tags.end(); };
    if (s.static_mode == StaticMode::strict && s.cgo && !(has_tag("netgo") && has_tag("osusergo"))) {
      fail(t.static_mode ? *t.static_at : *d.static_at,
           fmt::format("static: strict refuses cgo without the netgo and osusergo tags{} (glibc may "
                       "load NSS modules at run time); add tags: [netgo, osusergo], or set static: true",
                       t.static_mode ? "" : fmt::format(" (target '{}')", name)));
    }
    if (s.linkmode == LinkMode::external) {
      if (t.extldflags) s.extldflags = *t.extldflags;
      else if (d.extldflags) s.extldflags = *d.extldflags;
      else s.extldflags = {"-static"};
    } else if (t.extldflags) {
      fail(*t.extldflags_at, "extldflags: only used with linkmode: external");
    }
    fold_flags(s, d, t);
    return s;
  }

  /// The `flags` that another key owns or that need another key: -trimpath, -buildvcs=B and
  /// -mod=vendor (as release scripts write them) become the keys they mean and leave the list,
  /// unless the key says otherwise; -race/-msan/-asan need cgo; -buildmode=pie cannot pass a
  /// static check unless it is linked as a static PIE.
  void fold_flags(BuildSettings& s, const Layer& d, const Layer& t) const {
    const YamlNode* at = t.flags ? t.flags_at : d.flags_at;
    if (!at) return;
    const std::optional<bool> trimpath_key = t.trimpath ? t.trimpath : d.trimpath;
    const std::optional<bool> buildvcs_key = t.buildvcs ? t.buildvcs : d.buildvcs;
    static const std::vector<std::string> takes_next = {"-p", "-covermode", "-coverpkg",
                                                        "-gcflags", "-asmflags", "-pgo",
                                                        "-buildmode"};
    std::vector<std::string> kept;
    for (size_t i = 0; i < s.flags.size(); ++i) {
      const std::string& f = s.flags[i];
      const YamlNode& item = at->items[i];
      if (contains(takes_next, f) && i + 1 < s.flags.size()) {
        if (f == "-buildmode") check_pie(s, at->items[i + 1], s.flags[i + 1]);
        kept.push_back(f);
        kept.push_back(s.flags[++i]);
        continue;
      }
      if (f == "-trimpath" || f == "-trimpath=true") {
        if (trimpath_key == false) fail(item, fmt::format("flags: {} contradicts trimpath: false", f));
        s.trimpath = true;
        continue;
      }
      if (f == "-buildvcs=true" || f == "-buildvcs=false") {
        const bool value = f == "-buildvcs=true";
        if (buildvcs_key && *buildvcs_key != value) {
          fail(item, fmt::format("flags: {} contradicts buildvcs: {}", f, *buildvcs_key));
        }
        s.buildvcs = value;
        continue;
      }
      if (f == "-mod=vendor") {
        if (!vendor_) {
          fail(item, "flags: -mod=vendor needs vendor: true (gobuild builds from vendor/ only "
                     "after vendoring it)");
        }
        continue; // the build step's GOFLAGS holds it
      }
      if (f == "-mod=readonly" && vendor_) {
        fail(item, "flags: -mod=readonly contradicts vendor: true, which builds from vendor/");
      }
      if ((f == "-race" || f == "-msan" || f == "-asan") && !s.cgo) {
        fail(item, fmt::format("flags: {} needs cgo: true", f));
      }
      if (starts_with(f, "-buildmode=")) check_pie(s, item, f.substr(11));
      kept.push_back(f);
    }
    s.flags = kept;
  }

  void check_pie(const BuildSettings& s, const YamlNode& at, const std::string& mode) const {
    if (mode != "pie" || s.static_mode == StaticMode::off) return;
    if (s.linkmode == LinkMode::external && contains(s.extldflags, "-static-pie")) return;
    fail(at, "flags: -buildmode=pie makes an executable that needs the dynamic loader, which "
             "static: true refuses (set static: false, or build a static PIE with linkmode: "
             "external and extldflags: [-static-pie])");
  }

  /// Every target × platform must write its own file: a shared output would be overwritten.
  void check_collisions(const Config& c, const std::vector<const YamlNode*>& output_at) const {
    struct Writer {
      std::string target;
      std::string platform;
    };
    std::map<std::string, Writer> seen;
    const Platform host = config_detail::compiled_host_platform();
    for (size_t i = 0; i < c.targets.size(); ++i) {
      const Target& t = c.targets[i];
      std::vector<Platform> platforms = t.platforms;
      if (platforms.empty()) platforms.push_back(host);
      for (const auto& p : platforms) {
        const std::string out = expand_output(t, p);
        std::string key = normal_path(join_path(c.dir, out));
        auto [it, inserted] = seen.emplace(key, Writer{t.name, p.str()});
        if (inserted) continue;
        const std::string platform = t.platforms.empty() ? "the host" : p.str();
        if (it->second.target == t.name) {
          fail(*output_at[i], fmt::format("output: target '{}' writes '{}' for both {} and {}",
                                          t.name, out, it->second.platform, platform));
        }
        fail(*output_at[i], fmt::format("output: target '{}' writes '{}', as target '{}' does",
                                        t.name, out, it->second.target));
      }
    }
  }

  const std::string& file_;
  const LoadOptions& opts_;
  bool vendor_ = true; ///< `vendor:` of the config being read (for -mod in flags)
};

Parsed parse_impl(const std::string& text, const std::string& file, const std::string& dir,
                  const LoadOptions& opts) {
  const YamlNode root = config_detail::parse_yaml(text, file);
  return Parser(file, opts).parse(root, dir);
}

} // namespace

Config parse_config(const std::string& text, const std::string& file, const std::string& dir,
                    const LoadOptions& opts) {
  return parse_impl(text, file, dir, opts).config;
}

Config load_config(const std::string& path, const LoadOptions& opts) {
  // Without blocking, and only a regular file: a FIFO or a device is an error, not a hang.
  const std::string text = read_file(path, config_detail::kMaxBytes);
  boost::system::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec) throw UsageError(fmt::format("{}: {}", path, ec.message()));
  const std::string dir = fs::path(normal_path(abs.string())).parent_path().string();
  Parsed parsed = parse_impl(text, path, dir, opts);
  if (!opts.out_dir.empty()) {
    fs::path out = fs::absolute(opts.out_dir, ec);
    if (ec) throw UsageError(fmt::format("--out-dir {}: {}", opts.out_dir, ec.message()));
    parsed.config.out_dir = normal_path(out.string());
    while (parsed.config.out_dir.size() > 1 && parsed.config.out_dir.back() == '/')
      parsed.config.out_dir.pop_back();
  }
  check_confinement(parsed.config);
  const fs::path gomod = fs::path(parsed.config.module_dir) / "go.mod";
  if (!fs::is_regular_file(gomod, ec)) {
    throw ConfigError(path, parsed.module_line, parsed.module_column,
                      fmt::format("module: no go.mod in {}", parsed.config.module_dir));
  }
  return parsed.config;
}

std::string expand_output(const Target& t, const Platform& p) {
  std::string out;
  const std::string& tmpl = t.output;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{') {
      size_t close = tmpl.find('}', i);
      if (close != std::string::npos) {
        const std::string word = tmpl.substr(i + 1, close - i - 1);
        const std::string* value = word == "name"      ? &t.name
                                   : word == "os"      ? &p.os
                                   : word == "arch"    ? &p.arch
                                   : word == "variant" ? &p.variant
                                                       : nullptr;
        if (value) {
          out += *value;
          i = close;
          continue;
        }
      }
    }
    out += tmpl[i];
  }
  if (p.os == "windows") {
    std::string tail = out.size() >= 4 ? out.substr(out.size() - 4) : out;
    for (char& ch : tail) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (tail != ".exe") out += ".exe";
  }
  return out;
}

Platform compiled_host_platform() { return config_detail::compiled_host_platform(); }

} // namespace gobuild
