#pragma once
// The steps of a build after the config (doc/build.md): vendor, then build every target × platform into a temporary file beside
// its output, verify it, and rename it into place only when it passed.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gobuild/binary/info.hpp"
#include "gobuild/binary/verify.hpp"
#include "gobuild/driver/environment.hpp"
#include "gobuild/config/config.hpp"

namespace gobuild {

/// The GOOS/GOARCH gobuild itself runs on: the default platform of a target without one.
Platform host_platform();

/// One `go build`: a target for one platform.
struct Job {
  const Target* target = nullptr;
  Platform platform;
  std::string output;     ///< expand_output(): as the user reads it, relative to Config::dir
  std::string abs_output; ///< the same, absolute
};

/// The jobs for the selected targets (all when `targets` is empty) and platforms (all of each
/// target's when `platforms` is empty), in config order. Naming a target or a platform that
/// the config does not have is a UsageError; so is an OS/ARCH that is not one.
std::vector<Job> select_jobs(const Config& cfg, const std::vector<std::string>& targets,
                             const std::vector<std::string>& platforms);

struct JobResult;

/// Everything a job needs besides itself. Shared, read-only, by the worker threads.
struct BuildContext {
  const Config* cfg = nullptr;
  HostEnv host;
  std::string toolchain; ///< GOTOOLCHAIN for every child
  /// The build step's sandbox (never the vendoring step's, nor a toolchain query's): a mode
  /// probe_sandbox() found to work, or none (--no-sandbox, a cache program that needs the
  /// network, or a kernel that allows no namespace).
  Sandbox sandbox = Sandbox::none;
  bool verbose = false;  ///< echo each child's command line on stderr
  bool quiet = false;    ///< do not stream the child's output (it is still scanned)
  bool prefix_lines = false; ///< prefix streamed lines with "TARGET OS/ARCH| " (parallel jobs)
  /// --cache-prog: GOCACHEPROG for every `go build` (not part of the recorded build env).
  std::string cache_prog;
  /// Called by run_jobs on the worker thread as job `index` starts and ends (live progress).
  std::function<void(std::size_t index, const Job&)> on_job_start;
  std::function<void(std::size_t index, const JobResult&)> on_job_done;
};

/// What happened to one job: its report line and its "outputs" entry (doc/json.md).
struct JobResult {
  std::string target;
  std::string platform;
  std::string path;                 ///< Job::output
  bool ok = false;
  bool interrupted = false;
  std::optional<std::uint64_t> size; ///< set when the output was written
  std::string sha256;
  std::string linkage;
  std::string go_version;
  std::int64_t duration_ms = 0;
  EnvList env;                      ///< the pinned environment of the go build
  std::vector<std::string> argv;    ///< its argv, with the output path in place of the temp file
  std::optional<GoBuildInfo> go;    ///< the output's Go build info, when it was read
  /// Errors and warnings; their text() reads like `bin/app: dynamically linked: ...; set cgo:
  /// false, ...` or `warning: bin/app: DT_RPATH ...`. The job is ok when none is an error.
  std::vector<Problem> problems;
};

/// Writes a line to stderr whole, even when jobs run in parallel; to the sink instead, when
/// one is set.
void print_stderr_line(const std::string& line);

/// Sends print_stderr_line's lines (without their newline) to `sink` while the live progress
/// owns the terminal; an empty function restores stderr.
void set_stderr_sink(std::function<void(const std::string&)> sink);

/// Runs `go mod vendor` unless vendor/ is consistent (see vendor.hpp); says why it skipped
/// when `announce_skip` (or -v). Returns false when it
/// failed (the reason printed) or was interrupted; `exit_code` then receives the exit code
/// of the failure (classify_go_failure: 3 for the proxy, network or disk, 2 for the module's
/// own mistake, else 1).
bool run_vendor_step(const BuildContext& ctx, bool announce_skip, int* exit_code = nullptr);

/// Without vendor/ (the drop-in mode's default): `go mod download` with the vendoring step's
/// environment, so that the build step, which has no network, finds every module in the module
/// cache, as a plain `go build` would have fetched them. False (and says why) when it failed.
bool run_download_step(const BuildContext& ctx, int* exit_code = nullptr);

/// Builds, verifies and installs one output. Never throws for a failed build: the result says.
/// Without -a (rebuild_all: false, or auto) and with cgo: false the temporary file starts as a copy of the previous
/// output, so that go build can find it up to date and skip the link.
JobResult run_job(const BuildContext& ctx, const Job& job);

/// Runs the jobs on up to `parallel` threads; a failing job does not stop the others. Results
/// are in the order of `jobs`.
std::vector<JobResult> run_jobs(const BuildContext& ctx, const std::vector<Job>& jobs, int parallel);

} // namespace gobuild
