#include "gobuild/driver/pipeline.hpp"

#include <doctest/doctest.h>

#include "gobuild/binary/inspect.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;

namespace {

Config two_targets() {
  Config c;
  c.file = "gobuild.yaml";
  c.dir = "/src/app";
  c.module_dir = "/src/app";
  Target a;
  a.name = "a";
  a.output = "bin/{name}-{os}-{arch}";
  a.platforms = {Platform{"linux", "amd64"}, Platform{"linux", "arm64"}};
  Target b;
  b.name = "b";
  b.output = "/abs/{name}";
  b.platforms = {Platform{"linux", "arm64"}};
  c.targets = {a, b};
  return c;
}

} // namespace

TEST_CASE("host_platform is what gobuild was compiled for") {
  Platform p = host_platform();
#if defined(__linux__) && defined(__x86_64__)
  CHECK(p.str() == "linux/amd64");
#endif
  CHECK_FALSE(p.os.empty());
}

TEST_CASE("select_jobs: every target × platform, in config order") {
  Config c = two_targets();
  auto jobs = select_jobs(c, {}, {});
  REQUIRE(jobs.size() == 3);
  CHECK(jobs[0].target->name == "a");
  CHECK(jobs[0].platform.str() == "linux/amd64");
  CHECK(jobs[0].output == "bin/a-linux-amd64");
  CHECK(jobs[0].abs_output == "/src/app/bin/a-linux-amd64");
  CHECK(jobs[1].output == "bin/a-linux-arm64");
  CHECK(jobs[2].target->name == "b");
  CHECK(jobs[2].abs_output == "/abs/b");
}

TEST_CASE("select_jobs: --platform and TARGET restrict") {
  Config c = two_targets();
  auto jobs = select_jobs(c, {}, {"linux/arm64"});
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].output == "bin/a-linux-arm64");
  CHECK(jobs[1].output == "/abs/b");
  jobs = select_jobs(c, {"b"}, {});
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].target->name == "b");
}

TEST_CASE("select_jobs: naming what the config does not have is a usage error") {
  Config c = two_targets();
  CHECK_THROWS_WITH_AS(select_jobs(c, {"nope"}, {}),
                       "no target named 'nope' in gobuild.yaml (targets: a, b)", UsageError);
  CHECK_THROWS_WITH_AS(select_jobs(c, {}, {"windows/amd64"}),
                       "--platform windows/amd64: not a platform of the config (platforms: "
                       "linux/amd64, linux/arm64)",
                       UsageError);
  CHECK_THROWS_WITH_AS(select_jobs(c, {"b"}, {"linux/amd64"}),
                       "--platform linux/amd64: not a platform of the selected targets "
                       "(platforms: linux/arm64)",
                       UsageError);
  CHECK_THROWS_WITH_AS(select_jobs(c, {}, {"linux"}),
                       "--platform linux: expected OS/ARCH or OS/ARCH/VARIANT, like linux/amd64 or linux/arm/v7", UsageError);
  CHECK_THROWS_WITH_AS(select_jobs(c, {}, {"linux/arm64/"}),
                       "--platform linux/arm64/: expected OS/ARCH or OS/ARCH/VARIANT, like linux/amd64 or linux/arm/v7", UsageError);
}

TEST_CASE("select_jobs: --platform OS/ARCH names the plain platform or every variant, OS/ARCH/VARIANT one") {
  Config c = parse_config("version: 1\ntargets:\n  - name: a\n    platforms: [linux/arm/v6, linux/arm/v7, "
                          "linux/amd64, linux/amd64/v3]\n", "gobuild.yaml", "/src/app", {});
  auto outputs = [&](const std::vector<std::string>& platforms) {
    std::vector<std::string> out;
    for (const auto& j : select_jobs(c, {}, platforms)) out.push_back(j.output + " " + j.platform.str());
    return out;
  };
  CHECK(outputs({"linux/arm"}) == std::vector<std::string>{"bin/a-linux-armv6 linux/arm/v6", "bin/a-linux-armv7 linux/arm/v7"});
  CHECK(outputs({"linux/arm/v7"}) == std::vector<std::string>{"bin/a-linux-armv7 linux/arm/v7"});
  // linux/amd64 is listed without a variant too: that one alone (a CI shard of plan --json's
  // linux/amd64 job must not build linux/amd64/v3 as well).
  CHECK(outputs({"linux/amd64"}) == std::vector<std::string>{"bin/a-linux-amd64 linux/amd64"});
  CHECK(outputs({"linux/amd64/v3"}) == std::vector<std::string>{"bin/a-linux-amd64v3 linux/amd64/v3"});
  CHECK_THROWS_WITH_AS(select_jobs(c, {}, {"linux/arm/v5"}),
                       "--platform linux/arm/v5: not a platform of the config (platforms: "
                       "linux/arm/v6, linux/arm/v7, linux/amd64, linux/amd64/v3)",
                       UsageError);
}

// run_job against a fake `go` (a shell script first in the pinned PATH): the exact argv and
// environment it gets, and what happens to its output.
#include <fstream>
#include <mutex>
#include <sstream>

#include <boost/filesystem.hpp>

namespace {

namespace fs = boost::filesystem;

struct FakeGo {
  fs::path root = fs::temp_directory_path() / fs::unique_path("gobuild-fakego-%%%%%%%%");
  Config cfg;
  BuildContext ctx;

  // `script` is the body of the fake go; "$3" is the -o path.
  explicit FakeGo(const std::string& script) {
    fs::create_directories(root / "bin");
    fs::create_directories(root / "home");
    fs::create_directories(root / "mod");
    std::ofstream(root / "bin" / "go") << "#!/bin/sh\n"
                                       << "printf '%s\\n' \"$@\" > \"$HOME/argv\"\n"
                                       << "env | sort > \"$HOME/env\"\n"
                                       << script << "\n";
    fs::permissions(root / "bin" / "go", fs::owner_all);
    Target t;
    t.name = "app";
    t.output = "bin/app";
    t.build.rebuild_all = RebuildAll::no;
    cfg.file = "gobuild.yaml";
    cfg.dir = root.string();
    cfg.module_dir = (root / "mod").string();
    cfg.targets = {t};
    ctx.cfg = &cfg;
    ctx.host = {{"PATH", (root / "bin").string() + ":/usr/bin:/bin"},
                {"HOME", (root / "home").string()},
                {"GOFLAGS", "-race"}};
    ctx.toolchain = "local";
    ctx.quiet = true;
  }
  ~FakeGo() { fs::remove_all(root); }

  std::string read(const std::string& rel) const {
    std::ifstream in(root / rel);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::vector<std::string> temps() const {
    std::vector<std::string> out;
    if (!fs::exists(root / "bin")) return out;
    for (const auto& e : fs::directory_iterator(root / "bin"))
      if (e.path().filename().string().find(".gobuild-tmp-") != std::string::npos)
        out.push_back(e.path().filename().string());
    return out;
  }
};

} // namespace

TEST_CASE("run_job: a dynamic binary is refused, the previous output stays, no temp is left") {
  FakeGo f("cp /bin/true \"$3\"");
  std::ofstream(f.root / "bin" / "app") << "previous";
  auto jobs = select_jobs(f.cfg, {}, {"linux/amd64"});
  REQUIRE(jobs.size() == 1);
  JobResult r = run_job(f.ctx, jobs[0]);
  CHECK_FALSE(r.ok);
  CHECK(r.linkage == "dynamic");
  // /bin/true's own interpreter and libraries, whatever the host's architecture.
  const BinaryInfo host_true = inspect_file("/bin/true");
  REQUIRE(host_true.interpreter.has_value());
  std::vector<std::string> want = {
      "bin/app: dynamically linked: " + dependency_detail(host_true) +
          "; set cgo: false, or linkmode: external with extldflags: [-static]",
      "bin/app: the binary has no Go build info, so its settings cannot be checked"};
  CHECK(problem_texts(r.problems) == want);
  CHECK(f.read("bin/app") == "previous");
  CHECK(f.temps().empty());
  CHECK_FALSE(r.size.has_value());

  // The argv: the temp file beside the output, then the pinned flags.
  std::string argv = f.read("home/argv");
  CHECK(argv.find("build\n-o\n" + (f.root / "bin").string() + "/.app.gobuild-tmp-") == 0);
  CHECK(argv.substr(argv.find("-trimpath")) ==
        "-trimpath\n-buildvcs=false\n-ldflags\n-linkmode=internal\n.\n");
  // The environment: pinned, the host's GOFLAGS=-race gone.
  std::string env = f.read("home/env");
  CHECK(env.find("GOFLAGS=-mod=vendor\n") != std::string::npos);
  CHECK(env.find("-race") == std::string::npos);
  CHECK(env.find("GOPROXY=off\n") != std::string::npos);
  CHECK(env.find("CGO_ENABLED=0\n") != std::string::npos);
}

TEST_CASE("run_job: a failed go build names the exit status and what to install") {
  FakeGo f("echo '/usr/bin/ld: cannot find -lc: No such file or directory'; exit 3");
  auto jobs = select_jobs(f.cfg, {}, {"linux/amd64"});
  JobResult r = run_job(f.ctx, jobs[0]);
  CHECK_FALSE(r.ok);
  std::vector<std::string> want = {
      "bin/app: go build failed (exit status 3)",
      "app: the linker cannot find libc.a, the static C library: install libc6-dev "
      "(Debian/Ubuntu: apt-get install libc6-dev), or link with musl-gcc from musl-tools"};
  CHECK(problem_texts(r.problems) == want);
  CHECK_FALSE(fs::exists(f.root / "bin" / "app"));
  CHECK(f.temps().empty());
}

TEST_CASE("run_jobs: every job runs and reports, in order, when one fails") {
  FakeGo f("case \"$3\" in */.b.*) exit 1;; esac; cp /bin/true \"$3\"");
  f.cfg.targets[0].build.static_mode = StaticMode::off;
  f.cfg.targets.push_back(f.cfg.targets[0]);
  f.cfg.targets[1].name = "b";
  f.cfg.targets[1].output = "bin/b";
  auto jobs = select_jobs(f.cfg, {}, {});
  auto results = run_jobs(f.ctx, jobs, 2);
  REQUIRE(results.size() == 2);
  CHECK(results[0].target == "app");
  CHECK(results[1].target == "b");
  CHECK(problem_texts(results[1].problems) == std::vector<std::string>{"bin/b: go build failed (exit status 1)"});
  // static: false does not judge the linkage; the missing build info still fails the
  // settings check.
  CHECK(problem_texts(results[0].problems) ==
        std::vector<std::string>{"bin/app: the binary has no Go build info, so its settings cannot be checked"});
}

TEST_CASE("run_job: an output of the wrong format or machine for its platform fails, naming both") {
  FakeGo f("cp /bin/true \"$3\""); // an x86_64 ELF, whatever the platform asked
  f.cfg.targets[0].build.static_mode = StaticMode::off;
  f.cfg.targets[0].platforms = {Platform{"windows", "amd64"}, Platform{"linux", "arm64"}};
  f.cfg.targets[0].output = "bin/{name}-{os}-{arch}";
  auto jobs = select_jobs(f.cfg, {}, {});
  REQUIRE(jobs.size() == 2);
  JobResult pe = run_job(f.ctx, jobs[0]);
  CHECK_FALSE(pe.ok);
  REQUIRE_FALSE(pe.problems.empty());
  CHECK(pe.problems[0].text() == pe.path + ": format is \"elf\", but windows/amd64 builds \"pe\"");
  JobResult arm = run_job(f.ctx, jobs[1]);
  CHECK_FALSE(arm.ok);
  REQUIRE_FALSE(arm.problems.empty());
  CHECK(arm.problems[0].text() == "bin/app-linux-arm64: machine is \"x86_64\", but linux/arm64 builds \"aarch64\"");
  CHECK(f.temps().empty());
}

TEST_CASE("run_jobs: on_job_start and on_job_done for every job; print_stderr_line to a sink") {
  FakeGo f("echo 'from go'; exit 1");
  f.ctx.quiet = false;
  f.cfg.targets.push_back(f.cfg.targets[0]);
  f.cfg.targets[1].name = "b";
  f.cfg.targets[1].output = "bin/b";
  auto jobs = select_jobs(f.cfg, {}, {});
  std::mutex m;
  std::vector<std::string> events, lines;
  f.ctx.on_job_start = [&](std::size_t i, const Job& j) {
    std::lock_guard<std::mutex> lock(m);
    events.push_back("start " + std::to_string(i) + " " + j.target->name);
  };
  f.ctx.on_job_done = [&](std::size_t i, const JobResult& r) {
    std::lock_guard<std::mutex> lock(m);
    events.push_back("done " + std::to_string(i) + " " + r.target + (r.ok ? " ok" : " failed"));
  };
  set_stderr_sink([&](const std::string& line) { lines.push_back(line); }); // under its lock
  run_jobs(f.ctx, jobs, 1);
  print_stderr_line("gobuild: last");
  set_stderr_sink(nullptr);
  CHECK(events == std::vector<std::string>{"start 0 app", "done 0 app failed", "start 1 b",
                                           "done 1 b failed"});
  CHECK(lines == std::vector<std::string>{"from go", "from go", "gobuild: last"});
}
