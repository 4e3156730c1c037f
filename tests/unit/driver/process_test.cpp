#include "gobuild/driver/process.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/filesystem.hpp>

#include "gobuild/util/error.hpp"

namespace fs = boost::filesystem;
using namespace gobuild;

namespace {

// A scratch directory removed at the end of the test.
struct TempDir {
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "gobuild-process-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = fs::canonical(pattern);
  }
  ~TempDir() {
    boost::system::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

void write_file(const fs::path& p, const std::string& text, fs::perms perms = fs::perms::owner_all) {
  std::ofstream(p) << text;
  fs::permissions(p, perms);
}

ProcessSpec shell(const std::string& script, EnvList env = {{"PATH", "/usr/bin:/bin"}}) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.env = std::move(env);
  return spec;
}

// Blocks SIGINT/SIGTERM in this thread for the scope, as install_signal_handling() does.
struct BlockedSignals {
  BlockedSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
  }
  ~BlockedSignals() { pthread_sigmask(SIG_SETMASK, &old, nullptr); }
  sigset_t old;
};

// Runs `body` in a forked copy of this test process (signal handling is process-wide and ends
// in _exit) and returns its wait status and what it wrote to `report`.
template <class Body>
std::pair<int, std::string> in_subprocess(Body body) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    std::ostringstream report;
    int code = 99;
    try {
      code = body(report);
    } catch (const std::exception& e) {
      report << "exception: " << e.what();
    }
    std::string text = report.str();
    if (::write(fds[1], text.data(), text.size()) < 0) code = 98;
    ::_exit(code);
  }
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {status, text};
}

// "R" running, "S" sleeping, "Z" zombie, ... or "" when gone.
std::string process_state(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(in, line)) return "";
  auto close = line.rfind(')');
  return line.substr(close + 2, 1);
}

// True once `pid` is gone or a zombie (a SIGKILL takes a moment to land). Waits up to 1 s.
bool dies(const std::string& pid) {
  for (int i = 0; i < 100; ++i) {
    std::string st = process_state(pid);
    if (st.empty() || st == "Z") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Waits up to 1 s for `p` to disappear.
bool disappears(const fs::path& p) {
  for (int i = 0; i < 100 && fs::exists(p); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return !fs::exists(p);
}

}  // namespace

TEST_CASE("run_process: exit code, merged output, one callback per line") {
  std::vector<std::string> lines;
  auto spec = shell("echo a; echo b >&2; printf 'c\\n\\nd'; exit 3");
  spec.on_line = [&](std::string_view line) { lines.emplace_back(line); };
  ProcessResult r = run_process(spec);
  CHECK(r.exit_code == 3);
  CHECK(r.term_signal == 0);
  CHECK_FALSE(r.interrupted);
  CHECK_FALSE(r.ok());
  CHECK(r.output == "a\nb\nc\n\nd");
  CHECK(lines == std::vector<std::string>{"a", "b", "c", "", "d"});
}

TEST_CASE("run_process: success is ok(), and no callback is fine") {
  ProcessResult r = run_process(shell("true"));
  CHECK(r.exit_code == 0);
  CHECK(r.ok());
  CHECK(r.output.empty());
}

TEST_CASE("run_process: the environment is exactly the one given") {
  ProcessSpec spec;
  spec.argv = {"/usr/bin/env"};
  spec.env = {{"A", "1"}, {"B", "x y=z"}, {"EMPTY", ""}};
  CHECK(run_process(spec).output == "A=1\nB=x y=z\nEMPTY=\n");

  SUBCASE("nothing at all") {
    spec.env.clear();
    CHECK(run_process(spec).output == "");
  }
  SUBCASE("a name given twice: the last one wins") {
    spec.env = {{"A", "1"}, {"A", "2"}};
    CHECK(run_process(spec).output == "A=2\n");
  }
  SUBCASE("a name with '=' is refused") {
    spec.env = {{"A=B", "1"}};
    CHECK_THROWS_WITH_AS(run_process(spec), "invalid environment variable name 'A=B'",
                         std::invalid_argument);
  }
}

TEST_CASE("run_process: argv[0] is found through the child's PATH, not gobuild's") {
  TempDir dir;
  fs::create_directory(dir.path / "bin");
  write_file(dir.path / "bin" / "mytool", "#!/bin/sh\necho \"mytool $*\"\n");
  ProcessSpec spec;
  spec.argv = {"mytool", "one", "two words"};
  spec.env = {{"PATH", "/nonexistent:" + (dir.path / "bin").string()}};
  ProcessResult r = run_process(spec);
  CHECK(r.exit_code == 0);
  CHECK(r.output == "mytool one two words\n");

  SUBCASE("not found: the message shows the PATH searched") {
    spec.argv = {"go", "version"};
    spec.env = {{"PATH", "/nonexistent:/also/not"}};
    CHECK_THROWS_WITH_AS(run_process(spec), "go: not found in PATH (PATH=/nonexistent:/also/not)",
                         UsageError);
  }
  SUBCASE("no PATH at all: gobuild's own PATH is not used") {
    spec.argv = {"sh"};
    spec.env = {{"HOME", "/"}};
    CHECK_THROWS_WITH_AS(run_process(spec), "sh: not found in PATH (PATH=)", UsageError);
  }
  SUBCASE("a path that does not exist") {
    spec.argv = {(dir.path / "nope").string()};
    CHECK_THROWS_WITH_AS(run_process(spec),
                         ((dir.path / "nope").string() + ": cannot run: No such file or directory").c_str(),
                         UsageError);
  }
}

TEST_CASE("run_process: working directory") {
  TempDir dir;
  auto spec = shell("pwd");
  spec.cwd = dir.path.string();
  CHECK(run_process(spec).output == dir.path.string() + "\n");

  spec.cwd = (dir.path / "missing").string();
  CHECK_THROWS_WITH_AS(run_process(spec),
                       ("/bin/sh: cannot run in " + spec.cwd + ": No such file or directory").c_str(),
                       UsageError);
}

TEST_CASE("run_process: a child killed by a signal") {
  ProcessResult r = run_process(shell("echo before; kill -TERM $$; echo after"));
  CHECK(r.exit_code == -1);
  CHECK(r.term_signal == SIGTERM);
  CHECK(r.output == "before\n");
  CHECK_FALSE(r.ok());
}

TEST_CASE("run_process: stdin is /dev/null") {
  CHECK(run_process(shell("cat; echo eof")).output == "eof\n");
}

TEST_CASE("run_process: 10 MB of output, 655360 lines, no deadlock") {
  size_t count = 0, bytes = 0;
  bool all_same = true;
  auto spec = shell("yes 0123456789abcde | head -n 655360; echo tail >&2");
  spec.on_line = [&](std::string_view line) {
    ++count;
    bytes += line.size();
    if (count <= 655360 && line != "0123456789abcde") all_same = false;
  };
  ProcessResult r = run_process(spec);
  CHECK(r.exit_code == 0);
  CHECK(r.output.size() == 655360u * 16u + 5u);
  CHECK(count == 655361u);
  CHECK(bytes == 655360u * 15u + 4u);
  CHECK(all_same);
}

TEST_CASE("run_process: the child is in a process group of its own, led by its supervisor") {
  // Fields 1, 4 and 5 of /proc/self/stat (read by the shell's builtin read) are pid, ppid and
  // pgrp. The supervisor (a child of this process) leads the group the program runs in.
  ProcessResult r = run_process(shell("read pid comm state ppid pgrp rest < /proc/self/stat; "
                                      "read spid scomm sstate sppid rest < /proc/$ppid/stat; "
                                      "echo $pid $ppid $pgrp $sppid"));
  std::istringstream in(r.output);
  pid_t pid = 0, ppid = 0, pgrp = 0, sppid = 0;
  in >> pid >> ppid >> pgrp >> sppid;
  CHECK(pid > 0);
  CHECK(pgrp == ppid);
  CHECK(sppid == ::getpid());
  CHECK(pgrp != ::getpgrp());
}

TEST_CASE("run_process: the exit code and the signal are the program's, through the supervisor") {
  CHECK(run_process(shell("exit 7")).exit_code == 7);
  ProcessResult r = run_process(shell("kill -SEGV $$"));
  CHECK(r.exit_code == -1);
  CHECK(r.term_signal == SIGSEGV);
}

TEST_CASE("run_process: SIGKILL of gobuild kills the child and everything in its group") {
  TempDir dir;
  // A copy of this process runs a child that starts a grandchild and records both pids; the
  // copy is then killed with SIGKILL, which no handler can see.
  pid_t runner = ::fork();
  REQUIRE(runner >= 0);
  if (runner == 0) {
    ProcessSpec spec = shell("sleep 300 & echo $! > grandchild; echo $$ > child.tmp; "
                             "mv child.tmp child; wait");
    spec.cwd = dir.path.string();
    run_process(spec);
    ::_exit(0);
  }
  for (int i = 0; i < 500 && !fs::exists(dir.path / "child"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(fs::exists(dir.path / "child"));
  std::string child, grandchild;
  std::ifstream(dir.path / "child") >> child;
  std::ifstream(dir.path / "grandchild") >> grandchild;
  REQUIRE(!process_state(child).empty());
  REQUIRE(!process_state(grandchild).empty());
  ::kill(runner, SIGKILL);
  ::waitpid(runner, nullptr, 0);
  CHECK(dies(child));
  CHECK(dies(grandchild));
}

TEST_CASE("probe_sandbox: the same answer every time, and a reason when there is none") {
  const SandboxSupport& a = probe_sandbox();
  const SandboxSupport& b = probe_sandbox();
  CHECK(&a == &b);
  CHECK(a.reason.empty() == (a.mode != Sandbox::none));
  if (a.mode == Sandbox::none) CHECK(a.reason.find("unshare(") != std::string::npos);
  CHECK(std::string(sandbox_name(Sandbox::none)) == "none");
  CHECK(std::string(sandbox_name(Sandbox::netns)) == "netns");
  CHECK(std::string(sandbox_name(Sandbox::userns_netns)) == "userns+netns");
}

TEST_CASE("run_process: in the sandbox, a network namespace of its own holding only loopback, up") {
  Sandbox mode = probe_sandbox().mode;
  if (mode == Sandbox::none) {
    MESSAGE("no namespaces here: " << probe_sandbox().reason);
    return;
  }
  std::string ours = fs::read_symlink("/proc/self/ns/net").string();
  // /sys/class/net shows the namespace sysfs was mounted in; /proc/self/net the reader's. A
  // connection to a closed port on 127.0.0.1 is refused when lo is up, unreachable when down.
  ProcessSpec spec;
  spec.argv = {"/bin/bash", "-c",
               "readlink /proc/self/ns/net; tail -n +3 /proc/self/net/dev | cut -d: -f1 | tr -d ' '"
               " | tr '\n' ,; echo; id -u; (exec 3<>/dev/tcp/127.0.0.1/9) 2>&1 | sed 's/.*: //'"};
  spec.env = {{"PATH", "/usr/bin:/bin"}};
  spec.sandbox = mode;
  ProcessResult r = run_process(spec);
  REQUIRE(r.exit_code == 0);
  std::istringstream in(r.output);
  std::string ns, ifaces, uid, connect;
  std::getline(in, ns);
  std::getline(in, ifaces);
  std::getline(in, uid);
  std::getline(in, connect);
  CHECK(ns.rfind("net:[", 0) == 0);
  CHECK(ns != ours);
  CHECK(ifaces == "lo,");
  CHECK(uid == std::to_string(::geteuid()));  // the same uid inside a user namespace
  CHECK(connect == "Connection refused");
  // Without it: our own namespace.
  spec.sandbox = Sandbox::none;
  r = run_process(spec);
  CHECK(r.output.substr(0, r.output.find('\n')) == ours);
}

TEST_CASE("run_process: the child gets no blocked signals and SIGINT/SIGTERM/SIGPIPE not ignored") {
  BlockedSignals blocked;  // what install_signal_handling() leaves in every gobuild thread
  auto old_pipe = ::signal(SIGPIPE, SIG_IGN);
  auto old_int = ::signal(SIGINT, SIG_IGN);  // as in a background job of a script
  ProcessResult r = run_process(shell("exec grep -E '^Sig(Blk|Ign)' /proc/self/status"));
  ::signal(SIGPIPE, old_pipe);
  ::signal(SIGINT, old_int);
  REQUIRE(r.exit_code == 0);
  std::istringstream in(r.output);
  std::string blk_name, blk, ign_name, ign;
  in >> blk_name >> blk >> ign_name >> ign;
  CHECK(blk_name == "SigBlk:");
  CHECK(blk == "0000000000000000");
  CHECK(ign_name == "SigIgn:");
  unsigned long long ignored = std::stoull(ign, nullptr, 16);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE}) {
    CAPTURE(sig);
    CHECK((ignored & (1ULL << (sig - 1))) == 0);
  }
}

TEST_CASE("run_process: the child inherits no descriptor beyond 0, 1 and 2") {
  // A descriptor opened without O_CLOEXEC, as careless code (or a racing thread) would leave.
  int leak = ::open("/dev/null", O_RDONLY);
  REQUIRE(leak > 2);
  // ls lists its own directory descriptor too: the lowest free one, 3 when nothing leaked.
  ProcessResult r = run_process(shell("exec ls /proc/self/fd"));
  ::close(leak);
  CHECK(r.output == "0\n1\n2\n3\n");
}

TEST_CASE("run_process: several at once from different threads") {
  constexpr int kThreads = 6;
  std::vector<std::string> outputs(kThreads);
  std::vector<size_t> lines(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([i, &outputs, &lines] {
      auto spec = shell("echo start " + std::to_string(i) + "; sleep 0.3; echo end " +
                        std::to_string(i) + "; exit " + std::to_string(i));
      spec.on_line = [&lines, i](std::string_view) { ++lines[static_cast<size_t>(i)]; };
      ProcessResult r = run_process(spec);
      outputs[static_cast<size_t>(i)] = r.output + "exit " + std::to_string(r.exit_code);
    });
  }
  auto start = std::chrono::steady_clock::now();
  for (auto& t : threads) t.join();
  auto elapsed = std::chrono::steady_clock::now() - start;
  for (int i = 0; i < kThreads; ++i) {
    auto n = std::to_string(i);
    CHECK(outputs[static_cast<size_t>(i)] == "start " + n + "\nend " + n + "\nexit " + n);
    CHECK(lines[static_cast<size_t>(i)] == 2u);
  }
  // They ran side by side: no runner waited for another's child (e.g. through a leaked pipe).
  CHECK(elapsed < std::chrono::milliseconds(kThreads * 300));
}

TEST_CASE("run_process: an exception from on_line stops and reaps the child") {
  TempDir dir;
  auto spec = shell("echo go; sleep 30 & echo $! > pid; wait");
  spec.cwd = dir.path.string();
  spec.on_line = [](std::string_view) { throw std::runtime_error("stop"); };
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH_AS(run_process(spec), "stop", std::runtime_error);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("run_process: a grandchild left behind is stopped with its group") {
  TempDir dir;
  // The shell exits at once; its background sleep keeps the pipe open.
  auto spec = shell("sleep 30 & echo $!");
  auto start = std::chrono::steady_clock::now();
  ProcessResult r = run_process(spec);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  CHECK(r.exit_code == 0);
  std::string pid = r.output.substr(0, r.output.find('\n'));
  REQUIRE_FALSE(pid.empty());
  CHECK(dies(pid));
}

TEST_CASE("run_process: a grandchild that left the group cannot hold the runner for ever") {
  // setsid puts the sleep in a session (and group) of its own, out of reach, pipe still open.
  ProcessResult r = run_process(shell("setsid sleep 30 & echo $!; echo done"));
  CHECK(r.exit_code == 0);
  CHECK(r.output.substr(r.output.find('\n') + 1) == "done\n");
  pid_t pid = std::stoi(r.output);
  CHECK(::kill(pid, SIGKILL) == 0);  // still alive: not ours to stop, but the test's to clean
}

TEST_CASE("find_in_path") {
  TempDir dir;
  fs::create_directories(dir.path / "a");
  fs::create_directories(dir.path / "b");
  write_file(dir.path / "a" / "plain", "x", fs::perms::owner_read | fs::perms::owner_write);
  write_file(dir.path / "b" / "plain", "#!/bin/sh\n");
  write_file(dir.path / "a" / "tool", "#!/bin/sh\n");
  write_file(dir.path / "b" / "tool", "#!/bin/sh\n");
  fs::create_directories(dir.path / "a" / "sub");
  std::string a = (dir.path / "a").string(), b = (dir.path / "b").string();

  CHECK(find_in_path("tool", a + ":" + b) == a + "/tool");
  CHECK(find_in_path("tool", b + "/:" + a) == b + "/tool");
  CHECK(find_in_path("plain", a + ":" + b) == b + "/plain");  // not executable: skipped
  CHECK(find_in_path("sub", a) == "");                         // a directory
  CHECK(find_in_path("tool", "") == "");
  CHECK(find_in_path("", a) == "");
  CHECK(find_in_path("missing", a + ":" + b) == "");
  CHECK(find_in_path(a + "/tool", "") == a + "/tool");
  CHECK(find_in_path(a + "/plain", "") == "");

  // Relative and empty entries mean the current directory: never searched.
  auto cwd = fs::current_path();
  fs::current_path(dir.path);
  CHECK(find_in_path("tool", "a") == "");
  CHECK(find_in_path("tool", ":" + b) == b + "/tool");
  fs::current_path(dir.path / "a");
  CHECK(find_in_path("tool", "::.") == "");
  fs::current_path(cwd);
}

TEST_CASE("TempPath") {
  TempDir dir;
  auto file = dir.path / "out.tmp";

  SUBCASE("removes the file") {
    {
      TempPath t(file.string());
      CHECK(t.path() == file.string());
      write_file(file, "partial");
    }
    CHECK_FALSE(fs::exists(file));
  }
  SUBCASE("release keeps it") {
    {
      TempPath t(file.string());
      write_file(file, "done");
      t.release();
    }
    CHECK(fs::exists(file));
  }
  SUBCASE("a file never made is fine") {
    { TempPath t(file.string()); }
    CHECK_FALSE(fs::exists(file));
  }
  SUBCASE("a scratch directory goes with its content") {
    auto scratch = dir.path / "scratch";
    {
      TempPath t(scratch.string());
      fs::create_directories(scratch / "x" / "y");
      write_file(scratch / "x" / "y" / "z", "z");
    }
    CHECK_FALSE(fs::exists(scratch));
    CHECK(fs::exists(dir.path));
  }
}

// The interruption tests run in a forked copy: the watcher is process-wide and exits with 130.

TEST_CASE("interrupt: SIGTERM stops the child's group and removes the temporaries") {
  TempDir dir;
  auto [status, report] = in_subprocess([&](std::ostream& out) {
    install_signal_handling();
    install_signal_handling();  // idempotent
    TempPath temp((dir.path / "app.tmp").string());
    TempPath scratch((dir.path / "scratch").string());
    write_file(dir.path / "app.tmp", "partial");
    fs::create_directories(dir.path / "scratch" / "sub");
    std::thread killer([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      ::kill(::getpid(), SIGTERM);
    });
    auto start = std::chrono::steady_clock::now();
    ProcessResult r = run_process(shell("sleep 30 & echo $!; wait"));
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    killer.join();
    // The watcher removes the temporaries once the group is gone: it may still be at it.
    out << "interrupted=" << r.interrupted << " flag=" << interrupted()
        << " signal=" << r.term_signal << " exit=" << r.exit_code << " fast=" << (ms.count() < 1500)
        << " temp=" << !disappears(dir.path / "app.tmp")
        << " scratch=" << !disappears(dir.path / "scratch")
        << " grandchild=" << !dies(r.output.substr(0, r.output.find('\n')));
    // Another run after the interruption does not start anything.
    ProcessResult again = run_process(shell("echo no"));
    out << " again=" << again.interrupted << again.output;
    return static_cast<int>(Exit::interrupted);
  });
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(report ==
        "interrupted=1 flag=1 signal=15 exit=-1 fast=1 temp=0 scratch=0 grandchild=0 again=1");
}

TEST_CASE("interrupt: a child ignoring SIGTERM gets SIGKILL after 2 s") {
  auto [status, report] = in_subprocess([&](std::ostream& out) {
    install_signal_handling();
    std::thread killer([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      ::kill(::getpid(), SIGINT);
    });
    auto start = std::chrono::steady_clock::now();
    ProcessResult r = run_process(shell("trap '' TERM; sleep 30"));
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    killer.join();
    out << "interrupted=" << r.interrupted << " signal=" << r.term_signal
        << " waited=" << (ms.count() >= 2000 && ms.count() < 4000);
    return 0;
  });
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(report == "interrupted=1 signal=9 waited=1");
}

TEST_CASE("interrupt: a second signal during the cleanup exits 130 at once") {
  TempDir dir;
  auto start = std::chrono::steady_clock::now();
  auto [status, report] = in_subprocess([&](std::ostream& out) {
    install_signal_handling();
    TempPath temp((dir.path / "app.tmp").string());
    write_file(dir.path / "app.tmp", "partial");
    std::thread killer([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      ::kill(::getpid(), SIGINT);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      ::kill(::getpid(), SIGINT);
    });
    run_process(shell("trap '' TERM; sleep 30"));
    killer.join();
    // A slow main flow: the watcher exits as soon as its cleanup is done.
    std::this_thread::sleep_for(std::chrono::seconds(5));
    out << "not reached";
    return 0;
  });
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(report == "");
  CHECK(elapsed < std::chrono::milliseconds(1800));
  CHECK_FALSE(fs::exists(dir.path / "app.tmp"));
}

TEST_CASE("interrupt: a main flow that never looks is ended with 130") {
  auto start = std::chrono::steady_clock::now();
  auto [status, report] = in_subprocess([&](std::ostream&) {
    install_signal_handling();
    ::kill(::getpid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::seconds(20));
    return 0;
  });
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("ProcessResult::status_text is the one wording of how a child ended") {
  ProcessResult r;
  r.exit_code = 2;
  CHECK(r.status_text() == "exit status 2");
  r.exit_code = -1;
  r.term_signal = 9;
  CHECK(r.status_text() == "killed by signal 9");
}

TEST_CASE("temporary_owner: gobuild's temporary names, and nothing else") {
  CHECK(temporary_owner(".app.gobuild-tmp-1234-aB3xYz") == 1234);
  CHECK(temporary_owner(".app.v2.gobuild-tmp-7-000000") == 7);
  CHECK(temporary_owner("gobuild-work-4194304-Zz9abc") == 4194304);
  CHECK(temporary_owner("gobuild-repro-99-abcdef") == 99);
  CHECK(temporary_owner("gobuild-vendor-12-abcdef") == 12);
  // Not gobuild's, or not with a pid: left alone.
  for (const char* name : {"app", ".app.gobuild-tmp-aB3xYz", ".app.gobuild-tmp-12-abc",
                           ".app.gobuild-tmp-12-abcdefg", ".app.gobuild-tmp-012-abcdef",
                           ".app.gobuild-tmp--abcdef", ".app.gobuild-tmp-1x2-abcdef",
                           ".gobuild-tmp-12-abcdef", "gobuild-work-abcdef", "gobuild-it.abcdef",
                           "gobuild-Work-12-abcdef", "gobuild--12-abcdef", "xgobuild-work-12-abcdef",
                           "gobuild-work-12-abc/ef", "gobuild-work-1234567890-abcdef"}) {
    CAPTURE(name);
    CHECK(temporary_owner(name) == 0);
  }
}

TEST_CASE("sweep_dead_temporaries: a dead run's temporaries go, a live run's and ours stay") {
  TempDir dir;
  // A pid that is surely dead: a child we made and reaped.
  pid_t dead = ::fork();
  REQUIRE(dead >= 0);
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  const std::string d = std::to_string(dead), self = std::to_string(::getpid());
  write_file(dir.path / (".app.gobuild-tmp-" + d + "-abcdef"), "partial");
  fs::create_directories(dir.path / ("gobuild-work-" + d + "-abcdef") / "b001");
  write_file(dir.path / (".app.gobuild-tmp-" + self + "-abcdef"), "ours");
  write_file(dir.path / ".app.gobuild-tmp-1-abcdef", "init is alive");
  write_file(dir.path / ".app.gobuild-tmp-abcdef", "no pid: not attributable");
  write_file(dir.path / "app", "the output");
  fs::create_directories(dir.path / "sub");
  write_file(dir.path / "sub" / (".app.gobuild-tmp-" + d + "-abcdef"), "not in a swept dir");
  auto removed = sweep_dead_temporaries({dir.path.string(), dir.path.string(), "/nonexistent"});
  std::sort(removed.begin(), removed.end());
  CHECK(removed == std::vector<std::string>{(dir.path / (".app.gobuild-tmp-" + d + "-abcdef")).string(),
                                            (dir.path / ("gobuild-work-" + d + "-abcdef")).string()});
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir.path)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{".app.gobuild-tmp-1-abcdef", ".app.gobuild-tmp-" + self + "-abcdef",
                                         ".app.gobuild-tmp-abcdef", "app", "sub"});
}
