// Argument parsing (CLI11) and the one place where errors become messages and exit codes.
//
// The command table below is the one list of commands and of the options each takes: CLI11 is
// built from it, the command word is found by asking CLI11 which words are options that take
// a value, and dispatch runs the row's function. Adding an option is one line in its group's
// adder; adding a command is one row.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "gobuild/driver/process.hpp"
#include "gobuild/cli/commands.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

/// A mistake CLI11 found: printed with a pointer to --help.
struct CommandLineError : UsageError {
  using UsageError::UsageError;
};

/// The option groups; a command takes the union of its row's groups.
enum OptionGroup : unsigned {
  kCommon = 1u << 0,       ///< -C --json -v -q --color
  kConfig = 1u << 1,       ///< -f -j
  kSelect = 1u << 2,       ///< --platform --allow-cc --set --out-dir --cache-prog --no-sandbox
  kRun = 1u << 3,          ///< --check-reproducible --provenance --checksums
  kGoFlags = 1u << 4,      ///< go build's own flags, in a module without gobuild.yaml
  kForce = 1u << 5,        ///< --force
  kAllowDynamic = 1u << 6, ///< --allow-dynamic
  kMergeOut = 1u << 7,     ///< merge's --provenance (required) and --checksums
};

/// What the words after the options are.
enum class Operands { none, targets, files, reports };

struct CommandRow {
  const char* name;
  const char* help;
  unsigned groups;
  Operands operands;
  bool children;              ///< runs child processes: install the signal watcher first
  int (*run)(Invocation& inv);
};

const CommandRow kCommandTable[] = {
    {"build", "Build the targets of gobuild.yaml (the default command)",
     kCommon | kConfig | kSelect | kRun | kGoFlags, Operands::targets, true,
     [](Invocation& i) { return run_build(i.build); }},
    {"plan", "Print every step, one shell line each; run nothing",
     kCommon | kConfig | kSelect | kGoFlags, Operands::targets, true,
     [](Invocation& i) { return run_plan(i.build); }},
    {"vendor", "Only the vendoring step", kCommon | kConfig | kSelect, Operands::none, true,
     [](Invocation& i) { return run_vendor(i.build); }},
    {"verify", "Inspect binaries: linkage, interpreter, NEEDED, Go build info",
     kCommon | kConfig | kAllowDynamic, Operands::files, false,
     [](Invocation& i) { return run_verify(i.verify); }},
    {"env", "The pinned environment a build would use, and what it drops",
     kCommon | kConfig | kSelect, Operands::targets, true,
     [](Invocation& i) { return run_env(i.build); }},
    {"init", "Write a starter gobuild.yaml for the module here", kCommon | kConfig | kForce,
     Operands::none, true, [](Invocation& i) { return run_init(i.init); }},
    {"doctor", "Check the host: go, C toolchain, static libc, caches", kCommon | kConfig,
     Operands::none, true, [](Invocation& i) { return run_doctor(i.common); }},
    {"merge", "Combine the --json reports of builds run apart (CI shards)", kCommon | kMergeOut,
     Operands::reports, false, [](Invocation& i) { return run_merge(i.merge); }},
    {"version", "gobuild's own version", 0, Operands::none, false,
     [](Invocation&) { return run_version(); }},
};

const CommandRow* find_command(const std::string& word) {
  for (const auto& row : kCommandTable)
    if (word == row.name) return &row;
  return nullptr;
}

/// Raw values that are checked after parsing.
struct RawValues {
  std::vector<std::string> set; ///< --set words
  std::string color;            ///< --color WHEN
};

void add_groups(CLI::App& cmd, const CommandRow& row, Invocation& inv, RawValues& raw) {
  CommonOptions& c = inv.common;
  BuildOptions& b = inv.build;
  if (row.groups & kCommon) {
    cmd.add_option("-C", c.chdir, "Change to DIR before doing anything")->type_name("DIR");
    cmd.add_flag("--json", c.json, "Machine-readable output on stdout, messages on stderr");
    cmd.add_flag("-v,--verbose", c.verbose, "Echo each child command");
    cmd.add_flag("-q,--quiet", c.quiet, "Print only errors");
    cmd.add_option("--color", raw.color, "Colour: auto, always or never")
        ->type_name("WHEN");
  }
  if (row.groups & kConfig) { // verify and others accept and ignore them, so that scripts may pass them always
    cmd.add_option("-f,--file", c.config, "Config file (default gobuild.yaml)")->type_name("FILE");
    cmd.add_option("-j,--jobs", c.jobs, "Parallel builds (default: number of CPUs)")
        ->check(CLI::Range(1, 1024))
        ->type_name("N");
  }
  if (row.groups & kSelect) {
    // One value each time: `--platform linux/arm64 app` names a target.
    cmd.add_option("--platform", b.platforms, "Restrict to OS/ARCH[/VARIANT] (repeatable)")
        ->type_name("OS/ARCH")
        ->allow_extra_args(false);
    cmd.add_flag("--allow-cc", b.allow_cc, "Allow CC/CXX/CGO_* in the config's env");
    cmd.add_option("--set", raw.set, "The value of a {KEY} stamp (repeatable)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    cmd.add_option("--out-dir", b.out_dir, "Put every output under DIR")->type_name("DIR");
    cmd.add_option("--cache-prog", b.cache_prog, "GOCACHEPROG for the build step")->type_name("CMD");
    cmd.add_flag("--no-sandbox", b.no_sandbox,
                 "Run the build step in the host's network namespace (no kernel isolation)");
  }
  if (row.groups & kRun) {
    cmd.add_flag("--check-reproducible", b.check_reproducible, "Build twice and compare the bytes");
    cmd.add_option("--provenance", b.provenance, "Write SLSA provenance to FILE")->type_name("FILE");
    cmd.add_option("--checksums", b.checksums, "Write sha256sum lines to FILE")->type_name("FILE");
  }
  if (row.groups & kMergeOut) {
    cmd.add_option("--provenance", inv.merge.provenance, "Write the merged provenance to FILE")
        ->required()
        ->type_name("FILE");
    cmd.add_option("--checksums", inv.merge.checksums, "Write the merged sha256sum lines to FILE")
        ->type_name("FILE");
  }
  if (row.groups & kForce) cmd.add_flag("--force", inv.init.force, "Overwrite an existing config");
  if (row.groups & kAllowDynamic)
    cmd.add_flag("--allow-dynamic", inv.verify.allow_dynamic, "Report dynamic linkage without failing");
  if (row.groups & kGoFlags)
    cmd.footer("In a module without gobuild.yaml (and without -f), the operands are packages and "
               "go build's flags are taken:\n  -o OUT, -tags T, -ldflags L, -gcflags G, -asmflags A, "
               "-trimpath, -a, -x, and the other flags a gobuild.yaml's flags key allows.");
  switch (row.operands) {
  case Operands::targets:
    cmd.add_option("targets", b.targets,
                   (row.groups & kGoFlags) ? "Targets (all when none named); packages without a config"
                                           : "Targets (all when none named)")
        ->type_name("TARGET");
    break;
  case Operands::files:
    cmd.add_option("files", inv.verify.files, "Binaries to inspect")->required()->type_name("FILE");
    break;
  case Operands::reports:
    cmd.add_option("reports", inv.merge.reports, "The shards' build --json reports or provenance statements")
        ->required()
        ->type_name("REPORT");
    break;
  case Operands::none:
    break;
  }
}

/// go build's flags that the drop-in mode sorts out of argv (`go help build`), and whether each
/// takes a value. -C and -v are gobuild's own options, with the same meaning.
struct GoFlagRow {
  const char* name;
  bool value;
};
const GoFlagRow kGoFlagTable[] = {
    {"o", true},           {"tags", true},       {"ldflags", true},   {"gcflags", true},
    {"asmflags", true},    {"trimpath", false},  {"x", false},        {"a", false},
    {"n", false},          {"p", true},          {"race", false},     {"msan", false},
    {"asan", false},       {"cover", false},     {"covermode", true}, {"coverpkg", true},
    {"work", false},       {"buildmode", true},  {"buildvcs", false}, {"compiler", true},
    {"gccgoflags", true},  {"installsuffix", true}, {"json", false},  {"linkshared", false},
    {"mod", true},         {"modcacherw", false}, {"modfile", true},  {"overlay", true},
    {"pgo", true},         {"pkgdir", true},     {"toolexec", true},
};

const GoFlagRow* find_go_flag(const std::string& name) {
  for (const auto& row : kGoFlagTable)
    if (name == row.name) return &row;
  return nullptr;
}

/// CLI11's answer: is `word` (exactly) an option of some command? Sets `value` when it takes
/// its value in the next word.
bool is_gobuild_option(CLI::App& app, const std::string& word, bool* value) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    const CLI::Option* o = sub->get_option_no_throw(word);
    if (o && !o->get_positional()) {
      if (value) *value = o->get_items_expected_min() > 0;
      return true;
    }
  }
  return false;
}

/// `-j4`, `-Cdir`, `-fFILE` (a short option and its value; -j only with digits, so that a
/// go-style `-jobs` is not read as -j obs) or `-vq` (short flags together).
bool attached_short_options(CLI::App& app, const std::string& word) {
  bool value = false;
  if (!is_gobuild_option(app, word.substr(0, 2), &value)) return false;
  if (value)
    return word[1] != 'j' || word.find_first_not_of("0123456789", 2) == std::string::npos;
  for (size_t k = 1; k < word.size(); ++k)
    if (!is_gobuild_option(app, std::string("-") + word[k], &value) || value) return false;
  return true;
}

/// The words for CLI11: the command word first, go build flags taken out into `go`.
struct Sorted {
  const CommandRow* command = nullptr;
  std::vector<std::string> words;
  GoFlags go;
  bool top_level = false; ///< `gobuild --help`, `gobuild --version`
};

Sorted sort_words(CLI::App& app, const std::vector<std::string>& args) {
  Sorted out;
  bool seen_operand = false;
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      rest.insert(rest.end(), args.begin() + static_cast<long>(i), args.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      if (!seen_operand && !out.command) {
        if (const CommandRow* row = find_command(a)) {
          out.command = row;
          continue;
        }
      }
      seen_operand = true;
      rest.push_back(a);
      continue;
    }
    const size_t eq = a.find('=');
    const std::string word = a.substr(0, eq);
    bool value = false;
    if (is_gobuild_option(app, word, &value)) {
      rest.push_back(a);
      if (value && eq == std::string::npos && i + 1 < args.size()) rest.push_back(args[++i]);
      continue;
    }
    // go's flag package takes -name and --name alike.
    const std::string name = word.substr(word[1] == '-' ? 2 : 1);
    if (const GoFlagRow* g = find_go_flag(name)) {
      std::string v;
      if (eq != std::string::npos) {
        v = a.substr(eq + 1);
      } else if (g->value) {
        if (i + 1 >= args.size()) throw UsageError(fmt::format("-{} needs a value", name));
        v = args[++i];
      }
      out.go.given.push_back("-" + name);
      if (name == "o") out.go.output = v;
      else if (name == "tags") out.go.tags.push_back(v);
      else if (name == "ldflags") out.go.ldflags.push_back(v);
      else out.go.flags.push_back(eq != std::string::npos || g->value ? "-" + name + "=" + v : "-" + name);
      continue;
    }
    // `-j4`, `-Cdir`, `-fFILE`, `-vq`: gobuild's short options with a value or others attached.
    if (word[1] != '-' && word.size() > 2 && attached_short_options(app, word)) {
      rest.push_back(a);
      continue;
    }
    if (word[1] != '-' && word.size() > 2)
      throw UsageError(fmt::format("unknown flag {}: not a gobuild option nor a go build flag "
                                   "(see gobuild --help)", word));
    rest.push_back(a); // CLI11 says what is wrong with it
  }
  if (!out.command) {
    if (!args.empty() && (args[0] == "-h" || args[0] == "--help" || args[0] == "--version")) {
      out.top_level = true;
      out.words = args;
      return out;
    }
    out.command = find_command("build");
  }
  if (out.go.any() && !(out.command->groups & kGoFlags))
    throw UsageError(fmt::format("{} is a go build flag; only build and plan take it", out.go.given.front()));
  out.words.push_back(out.command->name);
  out.words.insert(out.words.end(), rest.begin(), rest.end());
  return out;
}

} // namespace

Invocation parse_cli(const std::vector<std::string>& args) {
  Invocation inv;
  RawValues raw;
  CLI::App app{"gobuild: deterministic, static, verified Go builds", "gobuild"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("gobuild ") + GOBUILD_VERSION);
  for (const auto& row : kCommandTable) add_groups(*app.add_subcommand(row.name, row.help), row, inv, raw);

  Sorted sorted = sort_words(app, args);
  std::vector<std::string> words = sorted.words;
  std::reverse(words.begin(), words.end()); // CLI11 takes the words in reverse order
  try {
    app.parse(words);
  } catch (const CLI::Success& e) { // --help, --version
    std::ostringstream out, err;
    inv.exit_code = app.exit(e, out, err);
    inv.text = out.str() + err.str();
    return inv;
  } catch (const CLI::ParseError& e) {
    throw CommandLineError(e.what());
  }
  inv.command = sorted.command ? sorted.command->name : "build";
  if (sorted.top_level) inv.command = "build";
  CLI::App* sub = app.get_subcommand(inv.command);
  const CLI::Option* f = sub->get_option_no_throw("-f");
  inv.common.config_given = f && f->count() > 0;
  if (!raw.color.empty()) {
    std::string when = raw.color;
    for (char& ch : when) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (when == "auto") inv.common.color = ColorMode::automatic;
    else if (when == "always") inv.common.color = ColorMode::always;
    else if (when == "never") inv.common.color = ColorMode::never;
    else throw CommandLineError(fmt::format("--color {}: expected auto, always or never", raw.color));
  }
  for (const auto& kv : raw.set) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError(fmt::format("--set {}: expected KEY=VALUE", kv));
    inv.build.set.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  inv.build.go = sorted.go;
  inv.build.common = inv.common;
  inv.verify.common = inv.common;
  inv.init.common = inv.common;
  inv.merge.common = inv.common;
  return inv;
}

namespace {

int dispatch(int argc, char** argv) {
  Invocation inv = parse_cli(std::vector<std::string>(argv + 1, argv + argc));
  if (inv.exit_code) {
    std::fputs(inv.text.c_str(), stdout);
    return *inv.exit_code;
  }
  const CommandRow& row = *find_command(inv.command);
  if (row.children) install_signal_handling();
  const std::string& dir = inv.common.chdir;
  if (!dir.empty() && ::chdir(dir.c_str()) != 0)
    throw UsageError(fmt::format("-C {}: {}", dir, std::strerror(errno)));
  if ((row.groups & kConfig) && inv.build.common.jobs == 0) {
    unsigned n = std::thread::hardware_concurrency();
    inv.build.common.jobs = n ? static_cast<int>(n) : 1;
  }
  return row.run(inv);
}

} // namespace

int run_cli(int argc, char** argv) {
  try {
    return dispatch(argc, argv);
  } catch (const CommandLineError& e) {
    std::fprintf(stderr, "gobuild: error: %s\n", e.what());
    std::fprintf(stderr, "Run 'gobuild --help' for usage.\n");
    return static_cast<int>(Exit::usage);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "%s\n", escape_controls(e.formatted(), true).c_str());
    return static_cast<int>(Exit::usage);
  } catch (const UsageError& e) { // messages quote paths and config values: no raw ESC
    std::fprintf(stderr, "gobuild: error: %s\n", escape_controls(e.what(), true).c_str());
    return static_cast<int>(Exit::usage);
  } catch (const ParseError& e) {
    std::fprintf(stderr, "gobuild: error: %s\n", escape_controls(e.what(), true).c_str());
    return static_cast<int>(Exit::usage);
  } catch (const EnvironmentFailure& e) {
    std::fprintf(stderr, "gobuild: error: %s\n", e.what());
    return static_cast<int>(Exit::environment);
  } catch (const BuildFailure& e) {
    std::fprintf(stderr, "gobuild: error: %s\n", escape_controls(e.what(), true).c_str());
    return static_cast<int>(Exit::failed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gobuild: error: %s\n", escape_controls(e.what(), true).c_str());
    return static_cast<int>(Exit::usage);
  }
}

} // namespace gobuild
