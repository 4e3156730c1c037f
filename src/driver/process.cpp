#include "gobuild/driver/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <fmt/format.h>

#include "gobuild/util/error.hpp"

namespace gobuild {

namespace bp = boost::process;
using Clock = std::chrono::steady_clock;

namespace {

// How a child group is stopped: each signal, then how long it gets before the next one. (SIGINT
// would be no kinder to go: `go build` does not catch it either, and dies leaving its $WORK.)
struct StopStep {
  int sig;
  std::chrono::milliseconds wait;
};
constexpr StopStep kStopSteps[] = {{SIGTERM, std::chrono::milliseconds(2000)},
                                   {SIGKILL, std::chrono::milliseconds(1000)}};
constexpr size_t kLastStep = std::size(kStopSteps) - 1;
// How long the watcher waits for the main flow to return 130 by itself before it exits for it
// (a command busy in gobuild's own code, not in a child, may never look at interrupted()).
constexpr auto kExitDeadline = std::chrono::milliseconds(3000);

// Everything the watcher shares with the runners and the TempPaths. Allocated once and never
// freed: the detached watcher may still use it while static destructors run at exit.
struct SharedState {
  std::mutex mutex;
  std::set<pid_t> groups;            ///< process groups of running children (pgid == pid)
  std::multiset<std::string> temps;  ///< TempPaths not yet removed or released
  std::atomic<bool> interrupted{false};
  bool cleanup_done = false;         ///< the watcher has stopped children and removed temps
  std::condition_variable cleaned;
  sigset_t signals;                  ///< SIGINT, SIGTERM and SIGHUP
};

SharedState& state() {
  static SharedState* s = new SharedState;
  return *s;
}

void remove_path(const std::string& path) {
  std::error_code ec;  // ENOENT is fine, and a failure here has nobody to report to
  std::filesystem::remove_all(path, ec);
}

// --- the watcher -----------------------------------------------------------------------------

void signal_groups(int sig) {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  for (pid_t pgid : s.groups) ::kill(-pgid, sig);
}

bool groups_empty() {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.groups.empty();
}

// Sleeps up to `d`, returning true early if SIGINT/SIGTERM arrived again meanwhile.
bool wait_for_signal(std::chrono::milliseconds d) {
  auto deadline = Clock::now() + d;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    timespec ts{static_cast<time_t>(left.count() / 1000000000),
                static_cast<long>(left.count() % 1000000000)};
    if (::sigtimedwait(&state().signals, nullptr, &ts) > 0) return true;
    if (errno != EINTR) return false;  // EAGAIN: the time is up
  }
}

// Stops every child group, waits until their runners have seen them exit, then removes every
// temporary path (only then: a dying `go build` could still write its -o file). Returns true
// when a further signal arrived meanwhile: the user is in a hurry (SIGKILL at once, then exit).
bool clean_up(bool hurry) {
  size_t step = hurry ? kLastStep : 0;
  signal_groups(kStopSteps[step].sig);
  auto deadline = Clock::now() + kStopSteps[step].wait;
  while (!groups_empty()) {
    bool again = wait_for_signal(std::chrono::milliseconds(20));
    hurry = hurry || again;
    if (Clock::now() < deadline && !(again && step < kLastStep)) continue;
    if (step == kLastStep) break;  // a runner that never returns must not keep the temps alive
    step = again ? kLastStep : step + 1;
    signal_groups(kStopSteps[step].sig);
    deadline = Clock::now() + kStopSteps[step].wait;
  }
  auto& s = state();
  std::multiset<std::string> temps;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    temps.swap(s.temps);
  }
  for (const auto& path : temps) remove_path(path);
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.cleanup_done = true;
  }
  s.cleaned.notify_all();
  return hurry;
}

[[noreturn]] void watch() {
  auto& s = state();
  int sig = 0;
  while (::sigwait(&s.signals, &sig) != 0) {
  }
  {
    // Under the registry lock: a runner that registers a child after this sees the flag.
    std::lock_guard<std::mutex> lock(s.mutex);
    s.interrupted = true;
  }
  // The main flow now returns 130 by itself. A second signal (during the cleanup or after it),
  // or a main flow that does not return, and we exit for it.
  if (!clean_up(false) && wait_for_signal(kExitDeadline)) clean_up(true);
  static const char message[] = "gobuild: interrupted\n";
  [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
  ::_exit(static_cast<int>(Exit::interrupted));
}

// Returning from main while the watcher is still stopping children or removing temps would cut
// its cleanup short: wait for it (bounded).
void wait_for_cleanup_at_exit() {
  auto& s = state();
  if (!s.interrupted) return;
  std::unique_lock<std::mutex> lock(s.mutex);
  s.cleaned.wait_for(lock, std::chrono::seconds(4), [&] { return s.cleanup_done; });
}

// --- spawning --------------------------------------------------------------------------------

// Marks every descriptor above 2 close-on-exec, in the forked child. The pipes gobuild makes
// are O_CLOEXEC, but Boost.Process creates its own (its exec-error pipe, /dev/null) with plain
// pipe()/open(), and another thread may be between those calls and its fcntl() while we fork
// (-j): the child must not carry them, or that other runner would wait for our child's exit
// before it sees EOF. Only async-signal-safe calls here: we are between fork and exec.
void cloexec_from_3() {
#if defined(SYS_close_range) && defined(CLOSE_RANGE_CLOEXEC)
  if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
#elif defined(SYS_close_range)
  if (::syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) == 0) return;
#endif
  long max = ::sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 65536) max = 65536;
  for (int fd = 3; fd < max; ++fd) {
    int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC)) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

// Runs in the child between fork and exec (Boost.Process's on_exec_setup hook), and reaps a
// child whose setup failed. Done by hand rather than with Boost.Process's own pieces because:
// - bp::start_dir ignores a failed chdir() and would run go in the wrong directory;
// - Boost.Process 1.74 has no way to set the process group or the signal mask;
// - after reporting a setup error Boost lets the child carry on to execve(), and on the
//   parent side forgets the pid (a zombie, or worse a running child nobody waits for).
struct ChildSetup : bp::extend::handler {
  const char* cwd = nullptr;  ///< nullptr: stay in gobuild's directory

  template <class Executor>
  void on_exec_setup(Executor& exec) const {
    // Lead a process group of our own: the watcher stops the whole tree with kill(-pgid), and
    // a Ctrl-C on the terminal reaches gobuild only (which forwards it), not go directly.
    if (::setpgid(0, 0) != 0) fail(exec, "setpgid");
    // gobuild blocks SIGINT/SIGTERM for its watcher; go must get them. An inherited SIG_IGN
    // (a background job of a non-interactive shell ignores SIGINT) would survive exec too.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGHUP, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    cloexec_from_3();
    if (cwd && ::chdir(cwd) != 0) fail(exec, "chdir");
  }

  template <class Executor>
  void on_error(Executor& exec, const std::error_code&) const {
    if (exec.pid <= 0) return;  // fork() itself failed
    ::kill(exec.pid, SIGKILL);
    while (::waitpid(exec.pid, nullptr, 0) == -1 && errno == EINTR) {
    }
  }

private:
  template <class Executor>
  [[noreturn]] static void fail(Executor& exec, const char* call) {
    exec.set_error(std::error_code(errno, std::system_category()), call);
    ::_exit(127);
  }
};

[[noreturn]] void throw_errno(const char* call) {
  throw std::system_error(errno, std::generic_category(), call);
}

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

const std::string* env_value(const EnvList& env, const std::string& name) {
  const std::string* found = nullptr;
  for (const auto& [key, value] : env)
    if (key == name) found = &value;  // the last one wins, as in the child's environment
  return found;
}

std::string resolve_program(const ProcessSpec& spec) {
  const std::string& program = spec.argv.front();
  if (program.find('/') != std::string::npos) return program;
  const std::string* path = env_value(spec.env, "PATH");
  std::string found = find_in_path(program, path ? *path : std::string());
  if (found.empty())
    throw UsageError(fmt::format("{}: not found in PATH (PATH={})", program, path ? *path : ""));
  return found;
}

bp::environment make_environment(const EnvList& env) {
  bp::environment out;  // empty: nothing of gobuild's own environment is inherited
  for (const auto& [name, value] : env) {
    if (name.empty() || name.find('=') != std::string::npos)
      throw std::invalid_argument(fmt::format("invalid environment variable name '{}'", name));
    out[name] = value;
  }
  return out;
}

// Feeds bytes from the pipe: keeps them all, and hands each complete line to on_line.
class LineSplitter {
public:
  LineSplitter(const ProcessSpec& spec, std::string& output) : spec_(spec), output_(output) {}

  void feed(const char* data, size_t size) {
    size_t old = output_.size();
    output_.append(data, size);
    if (!spec_.on_line) return;
    for (size_t nl = output_.find('\n', old); nl != std::string::npos;
         nl = output_.find('\n', line_start_)) {
      spec_.on_line(std::string_view(output_).substr(line_start_, nl - line_start_));
      line_start_ = nl + 1;
    }
  }

  void finish() {
    if (spec_.on_line && line_start_ < output_.size())
      spec_.on_line(std::string_view(output_).substr(line_start_));
    line_start_ = output_.size();
  }

private:
  const ProcessSpec& spec_;
  std::string& output_;
  size_t line_start_ = 0;
};

// The child while it runs: registered as a process group the watcher may stop. Whatever way the
// runner leaves (normal end, an exception from on_line), the child is reaped and unregistered.
class RunningChild {
public:
  explicit RunningChild(pid_t pid) : pid_(pid) {
    auto& s = state();
    bool late;
    {
      std::lock_guard<std::mutex> lock(s.mutex);
      s.groups.insert(pid_);
      late = s.interrupted;
    }
    // The signal came while we were starting it: the watcher may not have seen the group.
    if (late) ::kill(-pid_, SIGKILL);
  }
  RunningChild(const RunningChild&) = delete;
  RunningChild& operator=(const RunningChild&) = delete;

  ~RunningChild() {
    if (status_ >= 0) return;
    ::kill(-pid_, SIGKILL);  // the runner is leaving early (an exception): stop the child
    try {
      reap();
    } catch (const std::exception&) {  // nothing more to do in a destructor
    }
  }

  /// True once the child has exited (not reaped yet: its pid, our pgid, stays reserved).
  bool exited(bool block) {
    siginfo_t info{};
    int options = WEXITED | WNOWAIT | (block ? 0 : WNOHANG);
    while (::waitid(P_PID, static_cast<id_t>(pid_), &info, options) != 0)
      if (errno != EINTR) throw_errno("waitid");
    return info.si_pid == pid_;
  }

  /// Once the child has exited: a build step owns its whole tree, nothing it started may
  /// outlive it. The pgid is still ours: the unreaped leader holds it.
  void stop_leftovers() { ::kill(-pid_, SIGKILL); }

  /// Waits for the child, stops what it left behind in its group, and reaps it.
  int reap() {
    exited(true);
    stop_leftovers();
    {
      auto& s = state();
      std::lock_guard<std::mutex> lock(s.mutex);
      s.groups.erase(pid_);
    }
    int status = 0;
    while (::waitpid(pid_, &status, 0) == -1)
      if (errno != EINTR) throw_errno("waitpid");
    status_ = status;
    return status;
  }

private:
  pid_t pid_;
  int status_ = -1;
};

// Reads the merged stdout/stderr until EOF. If the child exits while something it left behind
// still holds the pipe open, that is stopped; something that escaped the group (setsid) would
// keep it open for ever, so after 2 s more we stop reading.
void read_output(int fd, RunningChild& child, LineSplitter& lines) {
  char buffer[65536];
  bool exited = false;
  Clock::time_point drain_deadline{};
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, 200);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    if (n == 0) {
      if (!exited && child.exited(false)) {
        exited = true;
        child.stop_leftovers();
        drain_deadline = Clock::now() + std::chrono::seconds(2);
      }
      if (exited && Clock::now() >= drain_deadline) return;
      continue;
    }
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      throw_errno("read");
    }
    if (got == 0) return;
    lines.feed(buffer, static_cast<size_t>(got));
  }
}

}  // namespace

std::string ProcessResult::status_text() const {
  if (exit_code >= 0) return "exit status " + std::to_string(exit_code);
  return "killed by signal " + std::to_string(term_signal);
}

std::string find_in_path(const std::string& program, const std::string& path_value) {
  if (program.empty()) return {};
  if (program.find('/') != std::string::npos) return is_executable_file(program) ? program : "";
  size_t start = 0;
  for (;;) {
    size_t end = path_value.find(':', start);
    std::string dir = path_value.substr(start, end == std::string::npos ? end : end - start);
    // Only absolute entries: an empty or relative one means "the current directory", where a
    // checked-out repository could plant its own `go` (Go's exec.LookPath refuses them too).
    if (!dir.empty() && dir.front() == '/') {
      std::string candidate = dir.back() == '/' ? dir + program : dir + '/' + program;
      if (is_executable_file(candidate)) return candidate;
    }
    if (end == std::string::npos) return {};
    start = end + 1;
  }
}

ProcessResult run_process(const ProcessSpec& spec) {
  if (spec.argv.empty()) throw std::invalid_argument("run_process: empty argv");
  ProcessResult result;
  if (interrupted()) {
    result.interrupted = true;
    return result;
  }
  std::string exe = resolve_program(spec);
  bp::environment env = make_environment(spec.env);
  if (!spec.cwd.empty()) {
    struct stat st {};
    int err = ::stat(spec.cwd.c_str(), &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    if (err != 0)
      throw UsageError(fmt::format("{}: cannot run in {}: {}", spec.argv.front(), spec.cwd,
                                   std::strerror(err)));
  }

  // O_CLOEXEC from the start: a child another thread forks right now must not get our ends.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe2");
  bp::pipe pipe(fds[0], fds[1]);

  ChildSetup setup;
  setup.cwd = spec.cwd.empty() ? nullptr : spec.cwd.c_str();
  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  std::error_code ec;
  bp::child c(bp::exe = exe, bp::args = args, env, bp::std_in < bp::null,
              (bp::std_out & bp::std_err) > pipe, setup, ec);
  if (ec) throw UsageError(fmt::format("{}: cannot run: {}", spec.argv.front(), ec.message()));
  pid_t pid = c.id();
  c.detach();  // we wait for it ourselves (waitid + waitpid); bp::child must not kill or reap it

  RunningChild child(pid);
  LineSplitter lines(spec, result.output);
  read_output(pipe.native_source(), child, lines);
  lines.finish();
  int status = child.reap();
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
  }
  result.interrupted = interrupted();
  return result;
}

void install_signal_handling() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto& s = state();
    sigemptyset(&s.signals);
    sigaddset(&s.signals, SIGINT);
    sigaddset(&s.signals, SIGTERM);
    // A closed terminal (SIGHUP) would kill gobuild but not the children in their own process
    // groups: treat it as an interruption too.
    sigaddset(&s.signals, SIGHUP);
    // POSIX gives no race-free way to do this with handlers: block the signals in every thread
    // (threads inherit this mask) and take them synchronously with sigwait in one watcher.
    if (int err = ::pthread_sigmask(SIG_BLOCK, &s.signals, nullptr); err != 0)
      throw std::system_error(err, std::generic_category(), "pthread_sigmask");
    std::thread(watch).detach();
    std::atexit(wait_for_cleanup_at_exit);
  });
}

bool interrupted() { return state().interrupted; }

TempPath::TempPath(std::string path) : path_(std::move(path)) {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.temps.insert(path_);
}

namespace {
// Unregisters one registration of `path` (the watcher may have taken them all already).
void forget_temp(const std::string& path) {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  auto it = s.temps.find(path);
  if (it != s.temps.end()) s.temps.erase(it);
}
}  // namespace

TempPath::~TempPath() {
  if (released_) return;
  forget_temp(path_);
  remove_path(path_);
}

void TempPath::release() {
  if (released_) return;
  released_ = true;
  forget_temp(path_);
}

}  // namespace gobuild
