#include "gobuild/build/settings.hpp"

#include <doctest/doctest.h>

using namespace gobuild;

namespace {

GoBuildInfo pure_go_info() {
  GoBuildInfo go;
  go.version = "go1.26.8";
  go.settings = {{"-buildmode", "exe"}, {"-compiler", "gc"},  {"-trimpath", "true"},
                 {"CGO_ENABLED", "0"},   {"GOARCH", "amd64"}, {"GOOS", "linux"},
                 {"GOAMD64", "v1"}};
  return go;
}

} // namespace

TEST_CASE("check_settings: a binary built as pinned passes") {
  Target t;
  CHECK(check_settings(pure_go_info(), t, Platform{"linux", "amd64"}).empty());
}

TEST_CASE("check_settings names each mismatch with both values") {
  Target t;
  t.build.cgo = true;
  t.build.tags = {"netgo", "osusergo"};
  t.build.env = {{"GOAMD64", "v3"}, {"GOEXPERIMENT", "x"}};
  auto problems = check_settings(pure_go_info(), t, Platform{"linux", "arm64"});
  std::vector<std::string> want = {
      "build setting CGO_ENABLED is \"0\" in the binary, but the config pins \"1\"",
      "build setting GOARCH is \"amd64\" in the binary, but the config pins \"arm64\"",
      "build setting -tags is unset in the binary, but the config pins \"netgo,osusergo\"",
      "build setting GOAMD64 is \"v1\" in the binary, but the config pins \"v3\""};
  CHECK(problems == want);
}

TEST_CASE("check_settings: -trimpath off, and -ldflags when the go command records it") {
  Target t;
  t.build.trimpath = false;
  t.build.ldflags = {"-s", "-w"};
  GoBuildInfo go = pure_go_info();
  auto problems = check_settings(go, t, Platform{"linux", "amd64"});
  std::vector<std::string> want = {
      "build setting -trimpath is \"true\" in the binary, but the config pins unset",
      "build setting -ldflags is unset in the binary, but the config pins \"-linkmode=internal -s -w\""};
  CHECK(problems == want);
  go.settings = {{"-ldflags", "-linkmode=internal -s -w"}, {"CGO_ENABLED", "0"},
                 {"GOARCH", "amd64"}, {"GOOS", "linux"}};
  CHECK(check_settings(go, t, Platform{"linux", "amd64"}).empty());
}

TEST_CASE("check_settings without build info") {
  Target t;
  CHECK(check_settings(std::nullopt, t, Platform{"linux", "amd64"}) ==
        std::vector<std::string>{"the binary has no Go build info, so its settings cannot be checked"});
}
