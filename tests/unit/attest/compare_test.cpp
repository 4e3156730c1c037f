#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

#include "gobuild/attest/compare.hpp"

using namespace gobuild;

namespace {

std::string temp_file(const std::string& name, const std::string& data) {
  std::string p = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/gobuild-compare-" +
                  std::to_string(::getpid()) + "-" + name;
  std::ofstream(p, std::ios::binary) << data;
  return p;
}

GoBuildInfo info(bool trimpath, std::string ldflags) {
  GoBuildInfo g;
  g.version = "go1.26.8";
  g.path = "example.com/app";
  g.settings = {{"CGO_ENABLED", "0"}, {"-trimpath", trimpath ? "true" : "false"}};
  if (!ldflags.empty()) g.settings.emplace_back("-ldflags", std::move(ldflags));
  return g;
}

} // namespace

TEST_CASE("compare_builds: equal files, and the first differing offset of different ones") {
  std::string a = temp_file("a", std::string(100000, 'x'));
  std::string b = temp_file("b", std::string(100000, 'x'));
  CHECK(compare_builds(a, b).identical);

  std::string data(100000, 'x');
  data[70000] = 'y';
  std::string c = temp_file("c", data);
  ReproDiff d = compare_builds(a, c);
  CHECK_FALSE(d.identical);
  CHECK(d.first_offset == 70000);
  CHECK(d.where == "file offset 0x11170");

  std::string shorter = temp_file("d", std::string(99999, 'x'));
  ReproDiff s = compare_builds(a, shorter);
  CHECK_FALSE(s.identical);
  CHECK(s.first_offset == 99999);
  CHECK(s.size_a == 100000);
  CHECK(s.size_b == 99999);
  for (const auto& p : {a, b, c, shorter}) ::unlink(p.c_str());
}

TEST_CASE("diff_buildinfo lists the lines only one side has") {
  auto d = diff_buildinfo(info(true, ""), info(true, "-X main.date=2026-11-27"));
  CHECK(d == std::vector<std::string>{"+ build -ldflags=-X main.date=2026-11-27"});
  CHECK(diff_buildinfo(info(true, ""), info(true, "")).empty());
  CHECK(diff_buildinfo(std::nullopt, info(true, "")).front() == "- (no Go build info)");
}

TEST_CASE("guess_causes names trimpath, -X and VCS stamping") {
  auto c = guess_causes(info(false, ""), {}, "section .rodata");
  REQUIRE(c.size() == 1);
  CHECK(c[0] == "trimpath is off: the build directory's path is written into the binary (set trimpath: true)");

  c = guess_causes(info(true, "-X main.date=now"), {}, "section .rodata");
  REQUIRE(c.size() == 1);
  CHECK(c[0].rfind("-ldflags sets a variable with -X", 0) == 0);

  c = guess_causes(info(true, ""), {"- build vcs.modified=false", "+ build vcs.modified=true"}, "section .go.buildinfo");
  REQUIRE(c.size() == 1);
  CHECK(c[0].rfind("VCS stamping differs", 0) == 0);
}
