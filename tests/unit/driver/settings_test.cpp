#include "gobuild/driver/settings.hpp"

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

TEST_CASE("check_settings: the platform variant must be the recorded setting") {
  Target t;
  CHECK(check_settings(pure_go_info(), t, Platform{"linux", "amd64", "v1"}).empty());
  CHECK(check_settings(pure_go_info(), t, Platform{"linux", "amd64", "v3"}) ==
        std::vector<std::string>{"build setting GOAMD64 is \"v1\" in the binary, but the config pins \"v3\""});
  GoBuildInfo arm = pure_go_info();
  arm.settings = {{"-trimpath", "true"}, {"CGO_ENABLED", "0"}, {"GOARCH", "arm"}, {"GOOS", "linux"}, {"GOARM", "6"}};
  CHECK(check_settings(arm, t, Platform{"linux", "arm", "v6"}).empty());
  CHECK(check_settings(arm, t, Platform{"linux", "arm", "v7"}) ==
        std::vector<std::string>{"build setting GOARM is \"6\" in the binary, but the config pins \"7\""});
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

TEST_CASE("expected_format and expected_machine map GOOS and GOARCH") {
  CHECK(expected_format("windows") == "pe");
  CHECK(expected_format("darwin") == "macho");
  CHECK(expected_format("ios") == "macho");
  CHECK(expected_format("linux") == "elf");
  CHECK(expected_format("freebsd") == "elf");
  CHECK(expected_machine("amd64") == "x86_64");
  CHECK(expected_machine("arm64") == "aarch64");
  CHECK(expected_machine("386") == "i386");
  CHECK(expected_machine("arm") == "arm");
  CHECK(expected_machine("s390x") == "s390x");
  CHECK(expected_machine("riscv64") == "riscv");
  CHECK(expected_machine("ppc64") == "ppc64");
  CHECK(expected_machine("ppc64le") == "ppc64");
  CHECK(expected_machine("mips") == "mips");
  CHECK(expected_machine("mips64le") == "mips");
  CHECK(expected_machine("loong64") == "loongarch");
  CHECK(expected_machine("wasm") == "");
}

TEST_CASE("check_platform: the output's format and machine against the job's platform") {
  BinaryInfo elf;
  elf.format = Format::elf;
  elf.machine = "x86_64";
  CHECK(check_platform(elf, Platform{"linux", "amd64"}).empty());
  CHECK(check_platform(elf, Platform{"linux", "arm64"}) ==
        std::vector<std::string>{"machine is \"x86_64\", but linux/arm64 builds \"aarch64\""});

  BinaryInfo pe;
  pe.format = Format::pe;
  pe.machine = "x86_64";
  pe.linkage = Linkage::not_applicable;
  CHECK(check_platform(pe, Platform{"windows", "amd64"}).empty());
  CHECK(check_platform(pe, Platform{"darwin", "arm64"}) ==
        std::vector<std::string>{"format is \"pe\", but darwin/arm64 builds \"macho\"",
                                 "machine is \"x86_64\", but darwin/arm64 builds \"aarch64\""});

  BinaryInfo macho;
  macho.format = Format::macho;
  macho.machine = "aarch64";
  CHECK(check_platform(macho, Platform{"darwin", "arm64"}).empty());
  CHECK(check_platform(macho, Platform{"ios", "arm64"}).empty());
  CHECK(check_platform(macho, Platform{"linux", "arm64"}) ==
        std::vector<std::string>{"format is \"macho\", but linux/arm64 builds \"elf\""});

  // wasm is not checked; an unknown GOARCH checks the format only.
  CHECK(check_platform(elf, Platform{"js", "wasm"}).empty());
  CHECK(check_platform(elf, Platform{"linux", "newarch"}).empty());
  CHECK(check_platform(pe, Platform{"linux", "newarch"}) ==
        std::vector<std::string>{"format is \"pe\", but linux/newarch builds \"elf\""});
}
