// The drop-in for `go build` (see dropin.hpp).
#include "gobuild/cli/dropin.hpp"

#include <algorithm>

#include <boost/filesystem.hpp>
#include <fmt/format.h>

#include "gobuild/cli/host.hpp"
#include "gobuild/config/confine.hpp"
#include "gobuild/config/flag_words.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

namespace fs = boost::filesystem;

/// -name=true|false (or -name alone) as a bool; UsageError otherwise.
bool bool_value(const std::string& item, const std::string& name) {
  const size_t eq = item.find('=');
  if (eq == std::string::npos) return true;
  const std::string v = item.substr(eq + 1);
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  throw UsageError(fmt::format("{}: expected true or false", item.empty() ? name : item));
}

void refuse_if(const std::optional<std::string>& problem, const std::string& flag) {
  if (problem)
    throw UsageError(fmt::format("{}: refused, as it would be in a gobuild.yaml ({})", flag, *problem));
}

} // namespace

bool dropin_mode(const BuildOptions& o) {
  if (o.common.config_given) {
    if (o.go.any())
      throw UsageError(fmt::format("{} is a go build flag for a module without a config, but -f "
                                   "names one: set output, tags, ldflags and flags in {}",
                                   o.go.given.front(), o.common.config));
    return false;
  }
  boost::system::error_code ec;
  // A dangling gobuild.yaml symlink is a config that cannot be read, not a missing one.
  if (!fs::exists(fs::symlink_status(o.common.config, ec))) return true;
  if (o.go.any())
    throw UsageError(fmt::format("{} is a go build flag for a module without a config, but {} is "
                                 "here: set output, tags, ldflags and flags in it (gobuild plan "
                                 "in a directory without one prints the config go flags amount to)",
                                 o.go.given.front(), o.common.config));
  return false;
}

BuildSettings dropin_settings(const GoFlags& go, bool allow_cc) {
  BuildSettings b;
  b.cgo = false;
  b.rebuild_all = RebuildAll::automatic; // -a only with cgo, where go's cache cannot see the C libraries
  b.trimpath = true;
  b.buildvcs = false;
  b.static_mode = StaticMode::on;
  if (!go.tags.empty()) {
    std::string all = go.tags.back();
    std::replace(all.begin(), all.end(), ' ', ',');
    for (const auto& tag : split(all, ',')) {
      if (tag.empty()) continue;
      refuse_if(check_config_words(ConfigKey::tags, {tag}, allow_cc), "-tags " + go.tags.back());
      b.tags.push_back(tag);
    }
  }
  if (!go.ldflags.empty()) {
    const std::vector<std::string> words = split_flag_words(go.ldflags.back());
    refuse_if(check_config_words(ConfigKey::ldflags, words, allow_cc), "-ldflags " + go.ldflags.back());
    b.ldflags = words;
  }
  for (const auto& item : go.flags) {
    const std::string name = item.substr(1, item.find('=') == std::string::npos ? std::string::npos
                                                                                : item.find('=') - 1);
    if (name == "trimpath") b.trimpath = bool_value(item, name);
    else if (name == "a") b.rebuild_all = bool_value(item, name) ? RebuildAll::yes : RebuildAll::no;
    else if (name == "buildvcs") b.buildvcs = bool_value(item, name);
    else {
      refuse_if(check_config_words(ConfigKey::flags, {item}, allow_cc), item);
      b.flags.push_back(item);
    }
  }
  return b;
}

std::vector<ListedPackage> parse_listed(const std::string& text) {
  std::vector<ListedPackage> out;
  for (const auto& line : split(text, '\n')) {
    if (trim(line).empty()) continue;
    // The go command's own messages share the stream ("go: downloading golang.org/x/net
    // v0.48.0" while it fills the module cache); a package name never holds a colon.
    if (starts_with(line, "go: ")) continue;
    const size_t a = line.find(' ');
    const size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
    if (b == std::string::npos || a == 0 || b == a + 1 || b + 1 >= line.size())
      throw UsageError("go list printed an unexpected line: " + line);
    out.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return out;
}

std::string exec_name(const std::string& import_path) {
  std::vector<std::string> parts = split(import_path, '/');
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  if (parts.empty()) return import_path;
  const std::string& last = parts.back();
  const bool major = last.size() > 1 && last[0] == 'v' &&
                     last.find_first_not_of("0123456789", 1) == std::string::npos;
  if (major && parts.size() > 1) return parts[parts.size() - 2];
  return last;
}

std::vector<Target> dropin_targets(const std::vector<ListedPackage>& listed, bool patterns,
                                   const std::optional<std::string>& output, bool output_is_dir,
                                   const std::string& module_dir, const BuildSettings& settings) {
  std::vector<Target> targets;
  for (const auto& p : listed) {
    if (p.name != "main") {
      if (patterns) continue;
      throw UsageError(fmt::format("{} is package {}, not a main package: there is no program to "
                                   "build", p.import_path, p.name));
    }
    Target t;
    t.name = exec_name(p.import_path);
    for (const auto& other : targets)
      if (other.name == t.name)
        throw UsageError(fmt::format("{} and {} would both be written as '{}'; build them apart, "
                                     "each with its own -o", other.main, p.import_path, t.name));
    const fs::path rel = fs::path(p.dir).lexically_relative(module_dir);
    const std::string r = rel.string();
    const bool inside = !r.empty() && r.rfind("..", 0) != 0 && r != "vendor" && r.rfind("vendor/", 0) != 0;
    t.main = !inside ? p.import_path : r == "." ? "." : "./" + r;
    t.build = settings;
    targets.push_back(t);
  }
  if (targets.empty()) throw UsageError("no main package to build among the packages named");
  if (output && (output->find('{') != std::string::npos || output->find('}') != std::string::npos))
    throw UsageError(fmt::format("-o {}: braces are not allowed in the drop-in's output path", *output));
  if (output && output->empty()) throw UsageError("-o: empty path");
  const bool dir = output && (output_is_dir || output->back() == '/');
  if (output && !dir && targets.size() > 1)
    throw UsageError(fmt::format("-o {}: {} main packages need a directory; end it with '/'",
                                 *output, targets.size()));
  if (!output && targets.size() > 1)
    throw UsageError(fmt::format("{} main packages: name a directory for them with -o DIR/",
                                 targets.size()));
  for (auto& t : targets) {
    if (!output) t.output = t.name;
    else if (dir) t.output = (output->back() == '/' ? *output : *output + "/") + "{name}";
    else t.output = *output;
  }
  return targets;
}

Config dropin_config(const BuildOptions& o, const HostEnv& host) {
  if (!o.provenance.empty())
    throw UsageError("--provenance records the gobuild.yaml a build used: write one first "
                     "(gobuild plan with the same arguments prints it)");
  const BuildSettings settings = dropin_settings(o.go, o.allow_cc);
  std::vector<Platform> platforms;
  for (const auto& text : o.platforms) {
    Platform p;
    if (auto why = read_config_platform(text, p)) throw UsageError(fmt::format("--platform {}: {}", text, *why));
    if (std::find(platforms.begin(), platforms.end(), p) == platforms.end()) platforms.push_back(p);
  }

  Config cfg;
  cfg.file = "(command line)";
  boost::system::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) throw UsageError("cannot read the current directory: " + ec.message());
  cfg.dir = cwd.string();
  fs::path module = cwd;
  while (!fs::is_regular_file(module / "go.mod", ec)) {
    if (module == module.root_path())
      throw UsageError(fmt::format("no {} here and no go.mod in {} or above: gobuild builds a Go "
                                   "module (go mod init makes one)", o.common.config, cfg.dir));
    module = module.parent_path();
  }
  cfg.module_dir = module.string();
  cfg.vendor = fs::is_directory(module / "vendor", ec);

  std::vector<std::string> packages = o.targets;
  if (packages.empty()) packages.push_back(".");
  bool patterns = false;
  for (const auto& p : packages) patterns = patterns || p.find("...") != std::string::npos;
  std::vector<std::string> argv = {"go", "list", "-find", "-f", "{{.Name}} {{.ImportPath}} {{.Dir}}"};
  if (!settings.tags.empty()) {
    argv.push_back("-tags");
    argv.push_back(join(settings.tags, ","));
  }
  argv.push_back("--");
  argv.insert(argv.end(), packages.begin(), packages.end());
  const std::vector<ListedPackage> listed =
      parse_listed(run_query(argv, query_environment(host), cfg.dir));

  bool output_is_dir = false;
  if (o.go.output) {
    const fs::file_status st = fs::status(*o.go.output, ec);
    output_is_dir = fs::is_directory(st);
    // go build -o /dev/null discards; gobuild would rename a verified file onto it.
    if (fs::exists(st) && !output_is_dir && !fs::is_regular_file(st))
      throw UsageError(fmt::format("-o {}: not a regular file or a directory; gobuild renames "
                                   "each verified output onto its path", *o.go.output));
  }
  cfg.targets = dropin_targets(listed, patterns, o.go.output, output_is_dir, cfg.module_dir, settings);
  // --platform: the targets are built for those platforms, each output named after its
  // platform when there are several, as a config's default output is.
  for (auto& t : cfg.targets) {
    t.platforms = platforms;
    if (platforms.size() > 1) t.output += "-{os}-{arch}{variant}";
  }
  // What is at each output path, before anything runs, as a config's outputs are checked: only
  // a regular file holding an executable is replaced (never a source file, a FIFO, a device).
  for (const auto& t : cfg.targets)
    for (const auto& p : t.platforms.empty() ? std::vector<Platform>{compiled_host_platform()} : t.platforms) {
      const std::string out = expand_output(t, p);
      const bool absolute = !out.empty() && out[0] == '/';
      if (auto why = check_output_file(absolute ? "/" : cfg.dir, absolute ? out.substr(1) : out))
        throw UsageError(fmt::format("-o {}: {}", out, *why));
    }
  return cfg;
}

} // namespace gobuild
