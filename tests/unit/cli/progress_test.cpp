#include "gobuild/cli/progress.hpp"

#include <doctest/doctest.h>

using namespace gobuild;
using namespace std::chrono_literals;

namespace {

JobResult built(const std::string& path, const std::string& platform, std::uint64_t size,
                const std::string& linkage, std::int64_t ms) {
  JobResult r;
  r.target = "t";
  r.path = path;
  r.platform = platform;
  r.ok = true;
  r.size = size;
  r.linkage = linkage;
  r.sha256 = "3d2893dafd405d3d8bd36f3f4afda39b2c033b63a82549dac7ad69adb2837b3b";
  r.duration_ms = ms;
  return r;
}

// A fake terminal: what was written, one string per write, and a clock moved by hand.
struct Fake {
  std::vector<std::string> writes;
  std::chrono::steady_clock::time_point now{};
  LiveProgress progress{[this](const std::string& s) { writes.push_back(s); },
                        [this] { return now; }, 40};
};

} // namespace

TEST_CASE("use_color: always, never, and auto on a tty without NO_COLOR") {
  CHECK(use_color(ColorMode::always, false, "1"));
  CHECK_FALSE(use_color(ColorMode::never, true, nullptr));
  CHECK(use_color(ColorMode::automatic, true, nullptr));
  CHECK(use_color(ColorMode::automatic, true, ""));
  CHECK_FALSE(use_color(ColorMode::automatic, true, "1"));
  CHECK_FALSE(use_color(ColorMode::automatic, false, nullptr));
}

TEST_CASE("status words and messages, coloured or not") {
  CHECK(status_word(Status::ok, false) == "ok");
  CHECK(status_word(Status::fail, false) == "FAIL");
  CHECK(status_word(Status::ok, true) == "\x1b[32mok\x1b[0m");
  CHECK(status_word(Status::fail, true) == "\x1b[31mFAIL\x1b[0m");
  CHECK(status_word(Status::warning, true) == "\x1b[33mwarning\x1b[0m");
  CHECK(colorize_message("gobuild: error: bin/a: go build failed", true) ==
        "gobuild: \x1b[31merror\x1b[0m: bin/a: go build failed");
  CHECK(colorize_message("gobuild: warning: x", true) == "gobuild: \x1b[33mwarning\x1b[0m: x");
  CHECK(colorize_message("gobuild: error: x", false) == "gobuild: error: x");
  CHECK(colorize_message("app linux/amd64| error: x", true) == "app linux/amd64| error: x");
}

TEST_CASE("problem_line: the severity picks the word; control characters are escaped") {
  Problem e = Problem::error("bin/a: dynamically linked", ProblemKind::linkage);
  e.hint = "set cgo: false";
  CHECK(problem_line(e, false) == "gobuild: error: bin/a: dynamically linked; set cgo: false");
  CHECK(problem_line(e, true) == "gobuild: \x1b[31merror\x1b[0m: bin/a: dynamically linked; set cgo: false");
  Problem w = Problem::warning("bin/a: DT_RPATH /opt/\x1b]0;pwned\a", ProblemKind::rpath);
  CHECK(problem_line(w, false) == "gobuild: warning: bin/a: DT_RPATH /opt/\\x1b]0;pwned\\a");
  CHECK(problem_line(w, true) == "gobuild: \x1b[33mwarning\x1b[0m: bin/a: DT_RPATH /opt/\\x1b]0;pwned\\a");
}

TEST_CASE("human_size and human_duration") {
  CHECK(human_size(0) == "0 B");
  CHECK(human_size(1023) == "1023 B");
  CHECK(human_size(1024) == "1.0 KiB");
  CHECK(human_size(2411724) == "2.3 MiB");
  CHECK(human_duration(0) == "0 ms");
  CHECK(human_duration(999) == "999 ms");
  CHECK(human_duration(1000) == "1.0 s");
  CHECK(human_duration(16997) == "17.0 s");
}

TEST_CASE("render_table: aligned columns, sha256 prefix, a failed row") {
  JobResult failed;
  failed.target = "u";
  failed.path = "bin/unixonly-windows-amd64.exe";
  failed.platform = "windows/amd64";
  failed.duration_ms = 259;
  std::vector<JobResult> rs = {built("bin/a-linux-amd64", "linux/amd64", 2411724, "static", 16997),
                               built("bin/a.exe", "windows/amd64", 900, "n/a", 704), failed};
  CHECK(render_table(rs, false) ==
        "status  output                          platform          size  linkage  sha256          time\n"
        "ok      bin/a-linux-amd64               linux/amd64    2.3 MiB  static   3d2893dafd40  17.0 s\n"
        "ok      bin/a.exe                       windows/amd64    900 B  n/a      3d2893dafd40  704 ms\n"
        "FAIL    bin/unixonly-windows-amd64.exe  windows/amd64        -  -        -             259 ms\n");
}

TEST_CASE("render_table: colour codes do not count in the padding") {
  std::vector<JobResult> rs = {built("bin/a", "linux/amd64", 10, "static", 5)};
  rs.push_back(rs.front());
  rs.back().ok = false;
  CHECK(render_table(rs, true) ==
        "status  output  platform     size  linkage  sha256        time\n"
        "\x1b[32mok\x1b[0m      bin/a   linux/amd64  10 B  static   3d2893dafd40  5 ms\n"
        "\x1b[31mFAIL\x1b[0m    bin/a   linux/amd64     -  static   -             5 ms\n");
  CHECK(render_table({}, false) == "status  output  platform  size  linkage  sha256  time\n");
}

TEST_CASE("LiveProgress: lines redrawn in place, at most once per interval") {
  Fake f;
  f.progress.tick();
  CHECK(f.writes.empty()); // nothing running, nothing to say

  f.progress.started(0, "app", "linux/amd64");
  f.progress.started(1, "app", "windows/amd64");
  f.progress.tick();
  REQUIRE(f.writes.size() == 1);
  CHECK(f.writes[0] == "\r\x1b[J  app linux/amd64  0.0 s\n  app windows/amd64  0.0 s\n");

  f.now += 150ms;
  f.progress.tick();
  CHECK(f.writes.size() == 1); // too soon

  f.now += 50ms;
  f.progress.message("app linux/amd64| # example.com/app");
  f.progress.finished(0);
  f.progress.tick();
  REQUIRE(f.writes.size() == 2);
  CHECK(f.writes[1] == "\x1b[2A\r\x1b[J" "app linux/amd64| # example.com/app\n"
                       "  app windows/amd64  0.2 s\n");

  f.now += 1300ms;
  f.progress.tick();
  REQUIRE(f.writes.size() == 3);
  CHECK(f.writes[2] == "\x1b[1A\r\x1b[J  app windows/amd64  1.5 s\n");

  f.progress.close();
  REQUIRE(f.writes.size() == 4);
  CHECK(f.writes[3] == "\x1b[1A\r\x1b[J");
  f.now += 1s;
  f.progress.tick();
  CHECK(f.writes.size() == 4); // closed: nothing drawn
  f.progress.message("gobuild: error: late");
  CHECK(f.writes.back() == "gobuild: error: late\n"); // written at once, as on a pipe
}

TEST_CASE("LiveProgress: force draws at once; long lines are cut to the width") {
  Fake f;
  f.progress.started(7, "a-target-with-a-very-long-name", "linux/riscv64");
  f.progress.tick();
  f.progress.finished(7);
  f.progress.tick(true);
  REQUIRE(f.writes.size() == 2);
  CHECK(f.writes[0] == "\r\x1b[J  a-target-with-a-very-long-name linux/\n"); // 39 columns
  CHECK(f.writes[1] == "\x1b[1A\r\x1b[J");
  f.now += 1s;
  f.progress.tick();
  CHECK(f.writes.size() == 2); // nothing on the screen and nothing to say
}

TEST_CASE("ProgressTicker: ticks on its own thread and closes on stop") {
  std::vector<std::string> writes;
  std::mutex m;
  LiveProgress p([&](const std::string& s) {
    std::lock_guard<std::mutex> lock(m);
    writes.push_back(s);
  }, [] { return std::chrono::steady_clock::now(); });
  p.started(0, "app", "linux/amd64");
  {
    ProgressTicker ticker(p);
    std::this_thread::sleep_for(450ms);
    ticker.stop();
  }
  std::lock_guard<std::mutex> lock(m);
  REQUIRE(writes.size() >= 2);
  CHECK(writes.size() <= 4);
  CHECK(writes.front().find("  app linux/amd64  0.") != std::string::npos);
  CHECK(writes.back() == "\x1b[1A\r\x1b[J");
}

TEST_CASE("LiveProgress: no more live lines than the screen has rows, the last one counting the rest") {
  std::vector<std::string> writes;
  std::chrono::steady_clock::time_point now{};
  LiveProgress p([&](const std::string& s) { writes.push_back(s); }, [&] { return now; }, 80, 5);
  for (std::size_t i = 0; i < 5; ++i) p.started(i, "t" + std::to_string(i), "linux/amd64");
  p.tick();
  REQUIRE(writes.size() == 1);
  CHECK(writes[0] == "\r\x1b[J  t0 linux/amd64  0.0 s\n  t1 linux/amd64  0.0 s\n  ... and 3 more\n");
  p.finished(0);
  p.finished(1);
  p.tick(true);
  REQUIRE(writes.size() == 2);
  CHECK(writes[1] == "\x1b[3A\r\x1b[J  t2 linux/amd64  0.0 s\n  t3 linux/amd64  0.0 s\n"
                     "  t4 linux/amd64  0.0 s\n");
  p.finished(2);
  p.tick(true);
  CHECK(writes[2] == "\x1b[3A\r\x1b[J  t3 linux/amd64  0.0 s\n  t4 linux/amd64  0.0 s\n");
}

TEST_CASE("LiveProgress: with more jobs than run at once, a last line counts the done and failed") {
  std::vector<std::string> writes;
  std::chrono::steady_clock::time_point now{};
  LiveProgress p([&](const std::string& s) { writes.push_back(s); }, [&] { return now; }, 80, 24);
  p.set_total(500);
  p.started(0, "t001", "linux/amd64");
  p.started(1, "t001", "linux/arm64");
  p.tick();
  REQUIRE(writes.size() == 1);
  CHECK(writes[0] == "\r\x1b[J  t001 linux/amd64  0.0 s\n  t001 linux/arm64  0.0 s\n  [0/500 done]\n");
  p.finished(0, true);
  p.finished(1, false);
  p.started(2, "t002", "linux/amd64");
  p.tick(true);
  CHECK(writes[1] == "\x1b[3A\r\x1b[J  t002 linux/amd64  0.0 s\n  [2/500 done, 1 failed]\n");
  p.close();
  CHECK(writes[2] == "\x1b[2A\r\x1b[J");

  // The counter takes one of the rows: 5 rows give 3 live lines, the counter the last.
  std::vector<std::string> small;
  LiveProgress q([&](const std::string& s) { small.push_back(s); }, [&] { return now; }, 80, 5);
  q.set_total(500);
  for (std::size_t i = 0; i < 4; ++i) q.started(i, "t" + std::to_string(i), "linux/amd64");
  q.tick();
  CHECK(small[0] == "\r\x1b[J  t0 linux/amd64  0.0 s\n  ... and 3 more\n  [0/500 done]\n");
}
