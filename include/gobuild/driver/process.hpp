#pragma once
// Child processes and interruption.
//
// Every program gobuild runs (go mod vendor, go build, go env, go list) goes through
// run_process: argv, never a shell; an environment given in full, never inherited; stdin from
// /dev/null; the child in its own process group, so that a signal to gobuild can stop the whole
// tree the child made (go build spawns compile, link, cgo, gcc ...). Thread-safe: builds run in
// parallel up to -j.
//
// Dying with gobuild: the forked child does not exec the program itself. It stays a small
// supervisor (a copy of gobuild that only waits, never execs, touches nothing but system
// calls) leading the process group, and forks the program into that group. The supervisor has
// PR_SET_PDEATHSIG: when gobuild dies, even by SIGKILL, the kernel tells it, and it kills the
// whole group (go and the compile, link, cgo, gcc it started). The program itself has
// PR_SET_PDEATHSIG(SIGKILL) for its supervisor. When the program exits, the supervisor exits
// the same way (its exit code, or its signal), so to the caller it looks like the program.
// (The kernel sends the notice when the *thread* that forked ends: run_process blocks that
// thread until the child is reaped, so it only ends with gobuild.)
//
// Interruption: install_signal_handling() blocks SIGINT/SIGTERM in every thread and starts a
// watcher. On a signal the watcher marks the run interrupted, stops every running child's
// process group (SIGTERM, then SIGKILL after a grace period) and removes every registered
// temporary path; the command then returns Exit::interrupted (130).
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gobuild {

using EnvList = std::vector<std::pair<std::string, std::string>>;

/// How a child is cut off from the network by the kernel (the build step's sandbox).
enum class Sandbox {
  none,         ///< no namespace: the child shares gobuild's network
  netns,        ///< a new network namespace holding only loopback (needs CAP_SYS_ADMIN: root)
  userns_netns, ///< a new user namespace (mapping gobuild's uid and gid to themselves) that
                ///< owns a new network namespace holding only loopback: unprivileged
};

/// "none", "netns", "userns+netns": the word `gobuild env`, the report and the provenance use.
const char* sandbox_name(Sandbox mode);

/// What the kernel allows here, found once per run by a forked probe child that enters the
/// namespaces and brings loopback up, then exits.
struct SandboxSupport {
  Sandbox mode = Sandbox::none; ///< the best mode that worked: netns, else userns+netns, else none
  std::string reason;           ///< when none: why each mode failed ("unshare(CLONE_NEWNET): ...")
};

/// Probes once (thread-safe) and returns the same answer afterwards.
const SandboxSupport& probe_sandbox();

struct ProcessSpec {
  std::vector<std::string> argv;   ///< argv[0] is looked up in the env's PATH if it has no '/'
  EnvList env;                     ///< the child's whole environment
  std::string cwd;                 ///< working directory ("" = gobuild's)
  /// Called with each line the child writes to stdout or stderr (merged, without the
  /// newline), from the calling thread. May be empty.
  std::function<void(std::string_view line)> on_line;
  /// Namespaces the child enters before exec (a mode probe_sandbox() found to work). A
  /// failure to enter them fails the start: run_process throws, naming the call.
  Sandbox sandbox = Sandbox::none;
};

struct ProcessResult {
  int exit_code = -1;     ///< the child's exit status, or -1 when it was killed by a signal
  int term_signal = 0;    ///< the signal that ended it, or 0
  bool interrupted = false; ///< gobuild itself was interrupted while this child ran
  std::string output;     ///< everything the child wrote (stdout+stderr merged), for diagnostics
  bool ok() const { return exit_code == 0 && !interrupted; }
  /// How the child ended, the one wording of it: "exit status 2" or "killed by signal 9".
  std::string status_text() const;
};

/// Runs the child to completion. Throws UsageError when the program cannot be found or
/// started ("go: not found in PATH=...").
ProcessResult run_process(const ProcessSpec& spec);

/// Looks `program` up in a PATH value. Empty when not found.
std::string find_in_path(const std::string& program, const std::string& path_value);

/// Blocks SIGINT/SIGTERM and starts the watcher thread. Call once, early in main, before any
/// other thread is started. Idempotent.
void install_signal_handling();

/// True once SIGINT or SIGTERM arrived.
bool interrupted();

/// The owner of a temporary, by its name: gobuild names its temporaries
/// `.NAME.gobuild-tmp-PID-XXXXXX` (beside an output) and `gobuild-KIND-PID-XXXXXX` (a scratch
/// directory under TMPDIR: KIND is lower-case letters), PID being the run's. Returns that pid,
/// or 0 when `name` is not one of these.
long temporary_owner(std::string_view name);

/// A run killed by SIGKILL removes nothing: the next run removes what it left. In each of
/// `dirs` (not below), removes gobuild's temporaries (by temporary_owner) whose run is dead
/// (no process has that pid) and that belong to this user; never this run's, never a live
/// run's. Returns the paths removed.
std::vector<std::string> sweep_dead_temporaries(const std::vector<std::string>& dirs);

/// A path removed if gobuild is interrupted (and by the destructor, unless released).
class TempPath {
public:
  explicit TempPath(std::string path);
  ~TempPath();               ///< removes the file unless release() was called
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }
  void release();            ///< the file was renamed into place: forget it
private:
  std::string path_;
  bool released_ = false;
};

} // namespace gobuild
