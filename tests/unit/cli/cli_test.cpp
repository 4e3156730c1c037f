#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "gobuild/cli/commands.hpp"

using namespace gobuild;
using Args = std::vector<std::string>;

namespace {

/// run_cli with a fake argv.
int run(Args words) {
  words.insert(words.begin(), "gobuild");
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  return run_cli(static_cast<int>(words.size()), argv.data());
}

} // namespace

TEST_CASE("normalize_args: build is the default command") {
  CHECK(normalize_args({}) == Args{"build"});
  CHECK(normalize_args({"app", "tool"}) == Args{"build", "app", "tool"});
  CHECK(normalize_args({"-j", "4", "app"}) == Args{"build", "-j", "4", "app"});
}

TEST_CASE("normalize_args: the command word may follow options, even ones with values") {
  CHECK(normalize_args({"-C", "dir", "verify", "x"}) == Args{"verify", "-C", "dir", "x"});
  CHECK(normalize_args({"--json", "plan"}) == Args{"plan", "--json"});
  // `-C verify`: the value of -C is a directory that happens to be named verify.
  CHECK(normalize_args({"-C", "verify", "app"}) == Args{"build", "-C", "verify", "app"});
  // A target named like a command after a target is a target.
  CHECK(normalize_args({"app", "env"}) == Args{"build", "app", "env"});
  // --set takes its KEY=VALUE as the next word.
  CHECK(normalize_args({"--set", "version=v1", "plan"}) == Args{"plan", "--set", "version=v1"});
}

TEST_CASE("normalize_args: --help and --version stay at the top") {
  CHECK(normalize_args({"--help"}) == Args{"--help"});
  CHECK(normalize_args({"--version"}) == Args{"--version"});
  CHECK(normalize_args({"verify", "--help"}) == Args{"verify", "--help"});
}

TEST_CASE("run_cli: usage errors are exit 2, --help is exit 0") {
  CHECK(run({"--help"}) == 0);
  CHECK(run({"verify", "--no-such-option", "x"}) == 2);
  CHECK(run({"verify"}) == 2);                      // FILE... is required
  CHECK(run({"--color=sometimes", "verify", "x"}) == 2);
  CHECK(run({"build", "-j", "0"}) == 2);            // -j must be at least 1
  CHECK(run({"verify", "/nonexistent/gobuild-test"}) == 2);
  CHECK(run({"-C", "/nonexistent/dir", "verify", "x"}) == 2);
}
