// Argument parsing (CLI11) and the one place where errors become messages and exit codes.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "gobuild/driver/process.hpp"
#include "gobuild/cli/commands.hpp"
#include "gobuild/util/error.hpp"

namespace gobuild {
namespace {

const char* const kCommands[] = {"build", "plan", "vendor", "verify", "env", "init", "doctor", "version"};

bool is_command(const std::string& word) {
  for (const char* c : kCommands)
    if (word == c) return true;
  return false;
}

/// Options that take a separate value word (`-C DIR`), so that the value is not taken for
/// the command name.
bool takes_value(const std::string& opt) {
  return opt == "-C" || opt == "-f" || opt == "-j" || opt == "--platform" || opt == "--provenance" ||
         opt == "--checksums" || opt == "--color";
}

} // namespace

std::vector<std::string> normalize_args(std::vector<std::string> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") break;
    if (a.size() > 1 && a[0] == '-') {
      if (takes_value(a)) ++i;
      continue;
    }
    if (is_command(a)) {
      std::string cmd = a;
      args.erase(args.begin() + static_cast<long>(i));
      args.insert(args.begin(), cmd);
      return args;
    }
    break; // the first positional is a target name: `gobuild app`
  }
  // `gobuild --help` and `gobuild --version` stay at the top level.
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help" || args[0] == "--version")) return args;
  args.insert(args.begin(), "build");
  return args;
}

namespace {

void add_common(CLI::App& cmd, CommonOptions& c, bool build_like) {
  cmd.add_option("-C", c.chdir, "Change to DIR before doing anything")->type_name("DIR");
  cmd.add_flag("--json", c.json, "Machine-readable output on stdout, messages on stderr");
  cmd.add_flag("-v,--verbose", c.verbose, "Echo each child command");
  cmd.add_flag("-q,--quiet", c.quiet, "Print only errors");
  cmd.add_option("--color", c.color, "Colour: auto, always or never")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, ColorMode>{{"auto", ColorMode::automatic},
                                           {"always", ColorMode::always},
                                           {"never", ColorMode::never}},
          CLI::ignore_case))
      ->type_name("WHEN");
  if (build_like) {
    cmd.add_option("-f,--file", c.config, "Config file (default gobuild.yaml)")->type_name("FILE");
    cmd.add_option("-j,--jobs", c.jobs, "Parallel builds (default: number of CPUs)")
        ->check(CLI::Range(1, 1024))
        ->type_name("N");
  }
}

void add_build_options(CLI::App& cmd, BuildOptions& o, bool with_outputs) {
  add_common(cmd, o.common, true);
  cmd.add_option("--platform", o.platforms, "Restrict to OS/ARCH (repeatable)")->type_name("OS/ARCH")
      ->allow_extra_args(false); // one value each time: `--platform linux/arm64 app` names a target
  cmd.add_flag("--allow-cc", o.allow_cc, "Allow CC/CXX/CGO_* in the config's env");
  cmd.add_flag("--no-sandbox", o.no_sandbox,
               "Run the build step in the host's network namespace (no kernel isolation)");
  if (with_outputs) {
    cmd.add_flag("--check-reproducible", o.check_reproducible, "Build twice and compare the bytes");
    cmd.add_option("--provenance", o.provenance, "Write SLSA provenance to FILE")->type_name("FILE");
    cmd.add_option("--checksums", o.checksums, "Write sha256sum lines to FILE")->type_name("FILE");
  }
}

int dispatch(int argc, char** argv) {
  CLI::App app{"gobuild: deterministic, static, verified Go builds", "gobuild"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("gobuild ") + GOBUILD_VERSION);

  BuildOptions build, plan, vendor, env;
  VerifyOptions verify;
  InitOptions init;
  CommonOptions doctor;

  auto* c_build = app.add_subcommand("build", "Build the targets of gobuild.yaml (the default)");
  add_build_options(*c_build, build, true);
  c_build->add_option("targets", build.targets, "Targets to build (all when none named)")->type_name("TARGET");

  auto* c_plan = app.add_subcommand("plan", "Print every step, one shell line each; run nothing");
  add_build_options(*c_plan, plan, false);
  c_plan->add_option("targets", plan.targets, "Targets")->type_name("TARGET");

  auto* c_vendor = app.add_subcommand("vendor", "Only the vendoring step");
  add_build_options(*c_vendor, vendor, false);

  auto* c_env = app.add_subcommand("env", "The pinned environment a build would use, and what it drops");
  add_build_options(*c_env, env, false);
  c_env->add_option("targets", env.targets, "Targets")->type_name("TARGET");

  auto* c_verify = app.add_subcommand("verify", "Inspect binaries: linkage, interpreter, NEEDED, Go build info");
  add_common(*c_verify, verify.common, false);
  c_verify->add_flag("--allow-dynamic", verify.allow_dynamic, "Report dynamic linkage without failing");
  c_verify->add_option("files", verify.files, "Binaries to inspect")->required()->type_name("FILE");

  auto* c_init = app.add_subcommand("init", "Write a starter gobuild.yaml for the module here");
  add_common(*c_init, init.common, true);
  c_init->add_flag("--force", init.force, "Overwrite an existing config");

  auto* c_doctor = app.add_subcommand("doctor", "Check the host: go, C toolchain, static libc, caches");
  add_common(*c_doctor, doctor, true);

  auto* c_version = app.add_subcommand("version", "gobuild's own version");

  std::vector<std::string> args = normalize_args(std::vector<std::string>(argv + 1, argv + argc));
  std::reverse(args.begin(), args.end()); // CLI11 takes the words in reverse order
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "gobuild: error: %s\n", e.what());
    std::fprintf(stderr, "Run 'gobuild --help' for usage.\n");
    return static_cast<int>(Exit::usage);
  }

  auto enter = [](const CommonOptions& c) {
    if (!c.chdir.empty() && ::chdir(c.chdir.c_str()) != 0)
      throw UsageError(fmt::format("-C {}: {}", c.chdir, std::strerror(errno)));
  };
  auto jobs = [](BuildOptions& o) {
    if (o.common.jobs == 0) {
      unsigned n = std::thread::hardware_concurrency();
      o.common.jobs = n ? static_cast<int>(n) : 1;
    }
  };

  if (c_verify->parsed()) {
    enter(verify.common);
    return run_verify(verify);
  }
  if (c_version->parsed()) return run_version();
  install_signal_handling();
  if (c_plan->parsed()) { enter(plan.common); jobs(plan); return run_plan(plan); }
  if (c_vendor->parsed()) { enter(vendor.common); jobs(vendor); return run_vendor(vendor); }
  if (c_env->parsed()) { enter(env.common); jobs(env); return run_env(env); }
  if (c_init->parsed()) { enter(init.common); return run_init(init); }
  if (c_doctor->parsed()) { enter(doctor); return run_doctor(doctor); }
  enter(build.common);
  jobs(build);
  return run_build(build);
}

} // namespace

int run_cli(int argc, char** argv) {
  try {
    return dispatch(argc, argv);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.formatted().c_str());
    return static_cast<int>(Exit::usage);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "gobuild: error: %s\n", e.what());
    return static_cast<int>(Exit::usage);
  } catch (const ParseError& e) {
    std::fprintf(stderr, "gobuild: error: %s\n", e.what());
    return static_cast<int>(Exit::usage);
  } catch (const BuildFailure& e) {
    std::fprintf(stderr, "gobuild: error: %s\n", e.what());
    return static_cast<int>(Exit::failed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gobuild: error: %s\n", e.what());
    return static_cast<int>(Exit::usage);
  }
}

} // namespace gobuild
