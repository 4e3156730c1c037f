#pragma once
// The commands of doc/commands.md and their options. cli.cpp parses argv into these; each command
// lives in its own file and returns an exit code (gobuild::Exit).
#include <string>
#include <vector>

namespace gobuild {

enum class ColorMode { automatic, always, never };

struct CommonOptions {
  std::string chdir;                 ///< -C DIR
  std::string config = "gobuild.yaml"; ///< -f FILE
  bool json = false;
  int jobs = 0;                      ///< -j N; 0 = number of CPUs
  bool verbose = false;
  bool quiet = false;
  ColorMode color = ColorMode::automatic;
};

struct BuildOptions {
  CommonOptions common;
  std::vector<std::string> targets;   ///< TARGET... (all when empty)
  std::vector<std::string> platforms; ///< --platform OS/ARCH
  bool check_reproducible = false;
  std::string provenance;             ///< --provenance FILE
  std::string checksums;              ///< --checksums FILE
  bool allow_cc = false;
};

struct VerifyOptions {
  CommonOptions common;
  bool allow_dynamic = false;
  std::vector<std::string> files;
};

struct InitOptions {
  CommonOptions common;
  bool force = false;
};

/// `gobuild [build] ...`: the argument words (without argv[0]) with the command word moved to
/// the front, or `build` inserted when there is none, so that options may stand before or after
/// the command (`gobuild -C dir verify x`, `gobuild app`). --help/--version stay first.
std::vector<std::string> normalize_args(std::vector<std::string> args);

/// Parses argv and runs a command; returns the process exit code. Never throws.
int run_cli(int argc, char** argv);

int run_build(const BuildOptions& o);
int run_plan(const BuildOptions& o);
int run_vendor(const BuildOptions& o);
int run_env(const BuildOptions& o);
int run_verify(const VerifyOptions& o);
int run_init(const InitOptions& o);
int run_doctor(const CommonOptions& o);
int run_version();

} // namespace gobuild
