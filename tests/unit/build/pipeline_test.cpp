#include "gobuild/build/pipeline.hpp"

#include <doctest/doctest.h>

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
                       "--platform linux: expected OS/ARCH, like linux/amd64", UsageError);
}
