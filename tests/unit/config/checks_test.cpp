#include <doctest/doctest.h>

#include "checks.hpp"

using namespace gobuild;
using namespace gobuild::config_detail;

namespace {
std::string msg(const config_detail::CheckProblem& p) { return p.value_or("(ok)"); }
} // namespace

TEST_CASE("nearest suggests close names only") {
  const std::vector<std::string> keys = {"cgo", "trimpath", "tags", "linkmode"};
  CHECK(nearest("trimpth", keys) == std::optional<std::string>("trimpath"));
  CHECK(nearest("CGO", keys) == std::optional<std::string>("cgo"));
  CHECK(nearest("tgas", keys) == std::optional<std::string>("tags")); // a transposition
  CHECK(nearest("linkmdoe", keys) == std::optional<std::string>("linkmode"));
  CHECK_FALSE(nearest("xyz", keys).has_value());
  CHECK_FALSE(nearest("verbose", keys).has_value());
}

TEST_CASE("go versions, names, tags") {
  for (const char* ok : {"1.21", "1.26", "1.26.0", "1.26.8", "1.27rc1", "1.27beta2", "1.100"}) {
    CAPTURE(std::string(ok));
    CHECK(msg(check_go_version(ok)) == "(ok)");
  }
  for (const char* bad : {"1", "2.0", "1.", "1.26.", "1.026", "1.26rc0", "1.26.1rc1", "1.26-rc1",
                          "v1.26", "1.26 ", ""}) {
    CAPTURE(std::string(bad));
    CHECK(msg(check_go_version(bad)) ==
          "go: '" + std::string(bad) + "' is not a Go version like 1.26, 1.26.1 or 1.27rc1");
  }
  CHECK(msg(check_go_version("1.20.14")) ==
        "go: '1.20.14' is older than 1.21, the first Go the go command can switch to through "
        "GOTOOLCHAIN");
  CHECK(msg(check_name("my_tool-2.0")) == "(ok)");
  CHECK(msg(check_name("a/b")).rfind("name: 'a/b' is not a safe name", 0) == 0);
  CHECK(msg(check_name("")).rfind("name: '' is not a safe name", 0) == 0);
  CHECK(msg(check_tag("go1.21")) == "(ok)");
  CHECK(msg(check_tag("a,b")) ==
        "tags: 'a,b' is not a build tag (letters, digits, '_' and '.'; one tag an item)");
}

TEST_CASE("output templates") {
  CHECK(msg(check_output_template("bin/{name}-{os}-{arch}")) == "(ok)");
  CHECK(msg(check_output_template("/abs/{name}")) == "(ok)");
  CHECK(msg(check_output_template("")) == "output: empty; give a path such as bin/{name}");
  CHECK(msg(check_output_template("bin/{{name}}")) == "output: 'bin/{{name}}' has a '{' without a matching '}'");
  CHECK(msg(check_output_template("bin/{}")) == "output: unknown placeholder '{}' (use {name}, {os}, {arch}, {variant} or a stamp such as {version})");
  CHECK(msg(check_output_template("bin/..")) == "output: 'bin/..' does not name a file");
}

TEST_CASE("platforms") {
  Platform p;
  CHECK(msg(parse_platform("linux/riscv64", p)) == "(ok)");
  CHECK(p.os == "linux");
  CHECK(p.arch == "riscv64");
  CHECK(msg(parse_platform("/amd64", p)) == "platforms: '/amd64' is not OS/ARCH or OS/ARCH/VARIANT (e.g. linux/amd64, linux/arm/v7)");
  CHECK(msg(parse_platform("linux/", p)) == "platforms: 'linux/' is not OS/ARCH or OS/ARCH/VARIANT (e.g. linux/amd64, linux/arm/v7)");
  CHECK(msg(parse_platform("Linux/amd64", p)) ==
        "platforms: 'Linux/amd64' is not a platform Go supports (did you mean 'linux/amd64'?)");
  CHECK(known_platforms().size() == 47);
  CHECK(is_known_platform(gobuild::compiled_host_platform()));
}
