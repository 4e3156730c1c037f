#pragma once
// The commands of doc/commands.md and their options. cli.cpp parses argv into these (its command
// table says which command takes which options); each command lives in its own file and returns
// an exit code (gobuild::Exit).
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gobuild {

enum class ColorMode { automatic, always, never };

struct CommonOptions {
  std::string chdir;                 ///< -C DIR
  std::string config = "gobuild.yaml"; ///< -f FILE
  bool config_given = false;         ///< -f was on the command line (no drop-in mode then)
  bool json = false;
  int jobs = 0;                      ///< -j N; 0 = number of CPUs
  bool verbose = false;
  bool quiet = false;
  ColorMode color = ColorMode::automatic;
};

/// The `go build` flags of the drop-in mode (a module without gobuild.yaml), as typed: cli.cpp
/// only sorts them out of argv; dropin.cpp checks them and turns them into a Config.
struct GoFlags {
  std::optional<std::string> output;  ///< -o OUT
  std::vector<std::string> tags;      ///< -tags a,b (each -tags value, unsplit)
  std::vector<std::string> ldflags;   ///< each -ldflags value, unsplit (the last one counts, as in go)
  std::vector<std::string> flags;     ///< other go build flags as one -name[=value] item each
  std::vector<std::string> given;     ///< every go flag as typed, in order (for messages)
  bool any() const { return !given.empty(); }
};

struct BuildOptions {
  CommonOptions common;
  std::vector<std::string> targets;   ///< TARGET... (all when empty); PACKAGE... in drop-in mode
  std::vector<std::string> platforms; ///< --platform OS/ARCH[/VARIANT], repeatable, as typed
  bool check_reproducible = false;
  std::string provenance;             ///< --provenance FILE
  std::string checksums;              ///< --checksums FILE
  bool allow_cc = false;
  std::string out_dir;                ///< --out-dir DIR ("" = the config's directory)
  bool no_sandbox = false;            ///< --no-sandbox: the build step keeps the host's network
  std::vector<std::pair<std::string, std::string>> set; ///< --set KEY=VALUE, in command-line order
  std::string cache_prog;             ///< --cache-prog CMD ("" = none)
  GoFlags go;                         ///< go build flags (build and plan, drop-in mode only)
};

struct VerifyOptions {
  CommonOptions common;
  bool allow_dynamic = false;
  std::vector<std::string> files;
};

/// `gobuild merge --provenance OUT [--checksums OUT] REPORT...`
struct MergeOptions {
  CommonOptions common;
  std::string provenance;           ///< --provenance FILE (required)
  std::string checksums;            ///< --checksums FILE
  std::vector<std::string> reports; ///< the shards' --json reports or provenance statements
};

struct InitOptions {
  CommonOptions common;
  bool force = false;
};

/// What the command line asked for, parsed and checked, before anything runs.
struct Invocation {
  std::string command;             ///< build, plan, vendor, verify, env, init, doctor, merge, version
  std::optional<int> exit_code;    ///< set when parsing answered already (--help, --version)
  std::string text;                ///< what to print on stdout then
  BuildOptions build;              ///< build, plan, vendor, env
  VerifyOptions verify;
  InitOptions init;
  MergeOptions merge;
  CommonOptions common;            ///< the common options, whatever the command (doctor's)
};

/// Parses the argument words (without argv[0]). Options may stand before or after the command
/// word, which defaults to `build` (`gobuild app`, `gobuild -j 2 plan`). Throws UsageError for
/// bad usage. Does not change directory or touch any file.
Invocation parse_cli(const std::vector<std::string>& args);

/// Parses argv and runs a command; returns the process exit code. Never throws.
int run_cli(int argc, char** argv);

int run_build(const BuildOptions& o);
int run_plan(const BuildOptions& o);
int run_vendor(const BuildOptions& o);
int run_env(const BuildOptions& o);
int run_verify(const VerifyOptions& o);
int run_merge(const MergeOptions& o);
int run_init(const InitOptions& o);
int run_doctor(const CommonOptions& o);
int run_version();

} // namespace gobuild
