#include "gobuild/driver/process.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include <boost/filesystem.hpp>
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
  boost::system::error_code ec;  // ENOENT is fine, and a failure here has nobody to report to
  boost::filesystem::remove_all(path, ec);
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

// --- between fork and exec ------------------------------------------------------------------
// Everything below runs in a forked copy of a multi-threaded process: only system calls, no
// allocation, no locks, nothing that is not async-signal-safe.

// A failure before exec travels to the parent through Boost.Process's error pipe as one int:
// kSetupErrorBase + step * 1000 + errno, so that run_process can say which call failed.
enum SetupStep : int {
  kStepSetpgid = 1,
  kStepUnshare,
  kStepSetgroups,
  kStepUidMap,
  kStepGidMap,
  kStepLoopback,
  kStepParentDeath,
  kStepFork,
  kStepChdir,
};
constexpr int kSetupErrorBase = 100000;

const char* step_name(int step, Sandbox mode) {
  switch (step) {
  case kStepSetpgid: return "setpgid";
  case kStepUnshare:
    return mode == Sandbox::userns_netns ? "unshare(CLONE_NEWUSER|CLONE_NEWNET)"
                                         : "unshare(CLONE_NEWNET)";
  case kStepSetgroups: return "writing /proc/self/setgroups";
  case kStepUidMap: return "writing /proc/self/uid_map";
  case kStepGidMap: return "writing /proc/self/gid_map";
  case kStepLoopback: return "bringing loopback up";
  case kStepParentDeath: return "prctl(PR_SET_PDEATHSIG)";
  case kStepFork: return "fork";
  case kStepChdir: return "chdir";
  default: return "setting up the child";
  }
}

// What the supervisor is told with when gobuild dies (PR_SET_PDEATHSIG). Not SIGKILL: it must
// live long enough to kill its group. gobuild itself never sends SIGUSR1 to a child.
constexpr int kParentGone = SIGUSR1;

// The uid_map/gid_map lines, made before fork ("1000 1000 1\n").
struct IdMaps {
  char uid[48] = {};
  char gid[48] = {};
};

IdMaps make_id_maps() {
  IdMaps m;
  std::string u = fmt::format("{0} {0} 1\n", ::geteuid());
  std::string g = fmt::format("{0} {0} 1\n", ::getegid());
  std::memcpy(m.uid, u.c_str(), std::min(u.size(), sizeof m.uid - 1));
  std::memcpy(m.gid, g.c_str(), std::min(g.size(), sizeof m.gid - 1));
  return m;
}

bool write_proc(const char* path, const char* text) {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  size_t len = std::strlen(text);
  bool ok = ::write(fd, text, len) == static_cast<ssize_t>(len);
  int err = errno;
  ::close(fd);
  errno = err;
  return ok;
}

// A new network namespace holds one interface, lo, and it is down: up, so that 127.0.0.1
// works inside (a test server, a cache program on loopback).
bool loopback_up() {
  int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return false;
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, "lo", 3);
  bool ok = ::ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
  if (ok && !(ifr.ifr_flags & IFF_UP)) {
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
    ok = ::ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
  }
  int err = errno;
  ::close(s);
  errno = err;
  return ok;
}

// Enters the sandbox `mode` in the calling (forked, single-threaded) process. 0 on success,
// else step * 1000 + errno.
int enter_sandbox(Sandbox mode, const IdMaps& maps) {
  auto failed = [](int step) { return step * 1000 + (errno > 0 && errno < 1000 ? errno : EIO); };
  if (mode == Sandbox::none) return 0;
  if (mode == Sandbox::netns) {
    if (::unshare(CLONE_NEWNET) != 0) return failed(kStepUnshare);
  } else {
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) return failed(kStepUnshare);
    // An unprivileged process may map only its own ids, and gid_map only after setgroups is
    // denied. Files then keep their owners: gobuild's uid is the same number inside.
    if (!write_proc("/proc/self/setgroups", "deny") && errno != ENOENT) return failed(kStepSetgroups);
    if (!write_proc("/proc/self/uid_map", maps.uid)) return failed(kStepUidMap);
    if (!write_proc("/proc/self/gid_map", maps.gid)) return failed(kStepGidMap);
  }
  if (!loopback_up()) return failed(kStepLoopback);
  return 0;
}

void close_all_descriptors() {
#if defined(SYS_close_range)
  if (::syscall(SYS_close_range, 0U, ~0U, 0U) == 0) return;
#endif
  long max = ::sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 65536) max = 65536;
  for (int fd = 0; fd < max; ++fd) ::close(fd);
}

// Ends the supervisor the way its program ended: same exit code, or same signal.
[[noreturn]] void exit_like(int status) {
  if (WIFEXITED(status)) ::_exit(WEXITSTATUS(status));
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
  rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);  // a SIGSEGV of go is not a core of gobuild
  ::signal(sig, SIG_DFL);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, sig);
  ::kill(::getpid(), sig);
  ::sigprocmask(SIG_UNBLOCK, &one, nullptr);
  ::_exit(128 + sig);
}

// The supervisor: waits for the program, and kills the whole process group (itself included)
// if gobuild dies first. All signals are blocked here; SIGTERM from gobuild's watcher reaches
// the program in the same group, and the supervisor then ends as the program did.
[[noreturn]] void supervise(pid_t program, pid_t gobuild) {
  close_all_descriptors();  // nothing of gobuild's: not the output pipe, not Boost's error pipe
  sigset_t wake;
  sigemptyset(&wake);
  sigaddset(&wake, SIGCHLD);
  sigaddset(&wake, kParentGone);
  for (;;) {
    if (::getppid() != gobuild) {
      ::kill(0, SIGKILL);  // our process group: the program and everything it started
      ::_exit(128 + SIGKILL);
    }
    int status = 0;
    pid_t r = ::waitpid(program, &status, WNOHANG);
    if (r == program) exit_like(status);
    if (r < 0 && errno != EINTR) ::_exit(127);
    timespec tick{1, 0};  // the signals wake us at once; the tick is only a safety net
    ::sigtimedwait(&wake, nullptr, &tick);
  }
}

// Runs in the child between fork and exec (Boost.Process's on_exec_setup hook), and reaps a
// child whose setup failed. Done by hand rather than with Boost.Process's own pieces because:
// - bp::start_dir ignores a failed chdir() and would run go in the wrong directory;
// - Boost.Process 1.74 has no way to set the process group or the signal mask;
// - after reporting a setup error Boost lets the child carry on to execve(), and on the
//   parent side forgets the pid (a zombie, or worse a running child nobody waits for).
// The forked child becomes the supervisor (see process.hpp); its own child returns from here
// and is the one Boost execs.
struct ChildSetup : bp::extend::handler {
  const char* cwd = nullptr;  ///< nullptr: stay in gobuild's directory
  Sandbox sandbox = Sandbox::none;
  const IdMaps* maps = nullptr;
  pid_t gobuild = 0;          ///< getpid() of gobuild, before the fork

  template <class Executor>
  void on_exec_setup(Executor& exec) const {
    // Lead a process group of our own: the watcher stops the whole tree with kill(-pgid), and
    // a Ctrl-C on the terminal reaches gobuild only (which forwards it), not go directly.
    if (::setpgid(0, 0) != 0) fail(exec, kStepSetpgid * 1000 + errno);
    if (int err = enter_sandbox(sandbox, *maps); err != 0) fail(exec, err);
    // The supervisor takes its signals synchronously; blocked before PR_SET_PDEATHSIG so that
    // the notice cannot kill it before it can act on it.
    sigset_t all;
    sigfillset(&all);
    ::sigprocmask(SIG_SETMASK, &all, nullptr);
    ::signal(SIGCHLD, SIG_DFL);  // an inherited SIG_IGN would reap the program behind our back
    if (::prctl(PR_SET_PDEATHSIG, kParentGone) != 0) fail(exec, kStepParentDeath * 1000 + errno);
    // gobuild may have died between fork and prctl: then the notice never comes.
    if (::getppid() != gobuild) ::_exit(127);
    pid_t supervisor = ::getpid();
    pid_t program = ::fork();
    if (program < 0) fail(exec, kStepFork * 1000 + errno);
    if (program > 0) supervise(program, gobuild);

    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(exec, kStepParentDeath * 1000 + errno);
    if (::getppid() != supervisor) ::_exit(127);
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
    if (cwd && ::chdir(cwd) != 0) fail(exec, kStepChdir * 1000 + errno);
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
  [[noreturn]] static void fail(Executor& exec, int code) {
    exec.set_error(std::error_code(kSetupErrorBase + code, std::system_category()), "setup");
    ::_exit(127);
  }
};

// The message for a start that failed: the setup step and errno, or Boost's own reason (an
// execve error).
std::string start_error(const std::error_code& ec, Sandbox mode) {
  int v = ec.value();
  if (v < kSetupErrorBase) return ec.message();
  v -= kSetupErrorBase;
  return fmt::format("{}: {}", step_name(v / 1000, mode), std::strerror(v % 1000));
}

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

// Tries `mode` in a forked child: 0 when it works, else step * 1000 + errno.
int try_sandbox(Sandbox mode) {
  static const IdMaps maps = make_id_maps();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return kStepFork * 1000 + errno;
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return kStepFork * 1000 + err;
  }
  if (pid == 0) {
    int result = enter_sandbox(mode, maps);
    [[maybe_unused]] auto n = ::write(fds[1], &result, sizeof result);
    ::_exit(0);
  }
  ::close(fds[1]);
  int result = kStepFork * 1000 + EIO;
  ssize_t got;
  while ((got = ::read(fds[0], &result, sizeof result)) < 0 && errno == EINTR) {
  }
  if (got != static_cast<ssize_t>(sizeof result)) result = kStepFork * 1000 + EIO;
  ::close(fds[0]);
  while (::waitpid(pid, nullptr, 0) == -1 && errno == EINTR) {
  }
  return result;
}

}  // namespace

std::string ProcessResult::status_text() const {
  if (exit_code >= 0) return "exit status " + std::to_string(exit_code);
  return "killed by signal " + std::to_string(term_signal);
}

const char* sandbox_name(Sandbox mode) {
  switch (mode) {
  case Sandbox::netns: return "netns";
  case Sandbox::userns_netns: return "userns+netns";
  case Sandbox::none: break;
  }
  return "none";
}

const SandboxSupport& probe_sandbox() {
  static const SandboxSupport support = [] {
    SandboxSupport s;
    std::string why;
    for (Sandbox mode : {Sandbox::netns, Sandbox::userns_netns}) {
      int err = try_sandbox(mode);
      if (err == 0) {
        s.mode = mode;
        return s;
      }
      if (!why.empty()) why += "; ";
      why += fmt::format("{}: {}", step_name(err / 1000, mode), std::strerror(err % 1000));
    }
    s.reason = why;
    return s;
  }();
  return support;
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

  static const IdMaps maps = make_id_maps();
  ChildSetup setup;
  setup.cwd = spec.cwd.empty() ? nullptr : spec.cwd.c_str();
  setup.sandbox = spec.sandbox;
  setup.maps = &maps;
  setup.gobuild = ::getpid();
  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  std::error_code ec;
  bp::child c(bp::exe = exe, bp::args = args, env, bp::std_in < bp::null,
              (bp::std_out & bp::std_err) > pipe, setup, ec);
  if (ec)
    throw UsageError(fmt::format("{}: cannot run: {}", spec.argv.front(), start_error(ec, spec.sandbox)));
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

long temporary_owner(std::string_view name) {
  // The part after the marker: PID-XXXXXX, PID without leading zero, XXXXXX from mkstemp.
  auto tail_owner = [](std::string_view tail) -> long {
    size_t dash = tail.find('-');
    if (dash == 0 || dash == std::string_view::npos || dash > 9 || tail[0] == '0') return 0;
    std::string_view digits = tail.substr(0, dash), random = tail.substr(dash + 1);
    if (random.size() != 6) return 0;
    long pid = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return 0;
      pid = pid * 10 + (c - '0');
    }
    for (char c : random)
      if (!std::isalnum(static_cast<unsigned char>(c))) return 0;
    return pid;
  };
  static constexpr std::string_view kBeside = ".gobuild-tmp-";
  if (name.size() > 1 && name[0] == '.') {
    size_t at = name.rfind(kBeside);
    if (at == std::string_view::npos || at < 2) return 0;
    return tail_owner(name.substr(at + kBeside.size()));
  }
  static constexpr std::string_view kScratch = "gobuild-";
  if (name.substr(0, kScratch.size()) != kScratch) return 0;
  std::string_view rest = name.substr(kScratch.size());
  size_t kind = 0;
  while (kind < rest.size() && rest[kind] >= 'a' && rest[kind] <= 'z') ++kind;
  if (kind == 0 || kind >= rest.size() || rest[kind] != '-') return 0;
  return tail_owner(rest.substr(kind + 1));
}

std::vector<std::string> sweep_dead_temporaries(const std::vector<std::string>& dirs) {
  std::vector<std::string> removed;
  const long self = static_cast<long>(::getpid());
  std::set<std::string> seen;
  for (const auto& dir : dirs) {
    if (!seen.insert(dir).second) continue;
    boost::system::error_code ec;
    boost::filesystem::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const boost::filesystem::path& p = it->path();
      long owner = temporary_owner(p.filename().string());
      if (owner <= 0 || owner == self) continue;
      // Dead only when no process has the pid (EPERM: alive, another user's).
      if (::kill(static_cast<pid_t>(owner), 0) == 0 || errno != ESRCH) continue;
      struct stat st {};
      if (::lstat(p.c_str(), &st) != 0 || st.st_uid != ::geteuid()) continue;
      boost::system::error_code rm;
      boost::filesystem::remove_all(p, rm);
      if (!rm) removed.push_back(p.string());
    }
  }
  return removed;
}

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
