#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "gobuild/cli/commands.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;
using Args = std::vector<std::string>;
using Pairs = std::vector<std::pair<std::string, std::string>>;

namespace {

/// run_cli with a fake argv.
int run(Args words) {
  words.insert(words.begin(), "gobuild");
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  return run_cli(static_cast<int>(words.size()), argv.data());
}

/// The message parse_cli refuses `words` with ("" when it accepts them).
std::string refusal(const Args& words) {
  try {
    parse_cli(words);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

/// `words` parsed with `option` (and `value`, when not empty) placed before the command word,
/// right after it, and after an operand; the three must agree.
std::vector<Invocation> everywhere(const std::string& command, const Args& option,
                                   const std::string& operand) {
  std::vector<Args> forms;
  Args before = option;
  before.push_back(command);
  if (!operand.empty()) before.push_back(operand);
  Args after = {command};
  after.insert(after.end(), option.begin(), option.end());
  if (!operand.empty()) after.push_back(operand);
  forms.push_back(before);
  forms.push_back(after);
  if (!operand.empty()) {
    Args last = {command, operand};
    last.insert(last.end(), option.begin(), option.end());
    forms.push_back(last);
  }
  std::vector<Invocation> out;
  for (const auto& f : forms) {
    INFO("argv: " << [&] {
      std::string s;
      for (const auto& w : f) s += w + " ";
      return s;
    }());
    Invocation inv = parse_cli(f);
    CHECK(inv.command == command);
    out.push_back(inv);
  }
  return out;
}

} // namespace

TEST_CASE("parse_cli: build is the default command") {
  CHECK(parse_cli({}).command == "build");
  CHECK(parse_cli({}).build.targets.empty());
  Invocation inv = parse_cli({"app", "tool"});
  CHECK(inv.command == "build");
  CHECK(inv.build.targets == Args{"app", "tool"});
  inv = parse_cli({"-j", "4", "app"});
  CHECK(inv.command == "build");
  CHECK(inv.build.common.jobs == 4);
  CHECK(inv.build.targets == Args{"app"});
}

TEST_CASE("parse_cli: the command word may follow options, even ones with values") {
  // The regressions: --jobs and --file take values, so the next word is not a target.
  Invocation inv = parse_cli({"--jobs", "2", "plan"});
  CHECK(inv.command == "plan");
  CHECK(inv.build.common.jobs == 2);
  CHECK(inv.build.targets.empty());
  inv = parse_cli({"--file", "x.yaml", "verify", "a"});
  CHECK(inv.command == "verify");
  CHECK(inv.verify.files == Args{"a"});
  inv = parse_cli({"-vq", "plan", "-Cdir", "-fx.yaml"});
  CHECK(inv.command == "plan");
  CHECK(inv.build.common.verbose);
  CHECK(inv.build.common.quiet);
  CHECK(inv.build.common.chdir == "dir");
  CHECK(inv.build.common.config == "x.yaml");
  inv = parse_cli({"-C", "dir", "verify", "x"});
  CHECK(inv.command == "verify");
  CHECK(inv.verify.common.chdir == "dir");
  CHECK(inv.verify.files == Args{"x"});
  CHECK(parse_cli({"--json", "plan"}).build.common.json);
  // `-C verify`: the value of -C is a directory that happens to be named verify.
  inv = parse_cli({"-C", "verify", "app"});
  CHECK(inv.command == "build");
  CHECK(inv.build.common.chdir == "verify");
  CHECK(inv.build.targets == Args{"app"});
  // A target named like a command after a target is a target.
  inv = parse_cli({"app", "env"});
  CHECK(inv.command == "build");
  CHECK(inv.build.targets == Args{"app", "env"});
  // After --, every word is an operand.
  inv = parse_cli({"build", "--", "-j"});
  CHECK(inv.build.targets == Args{"-j"});
  // --out-dir takes a value: a directory named plan is not the command.
  inv = parse_cli({"--out-dir", "plan", "app"});
  CHECK(inv.command == "build");
  CHECK(inv.build.out_dir == "plan");
  CHECK(inv.build.targets == Args{"app"});
  inv = parse_cli({"--out-dir", "dist", "plan"});
  CHECK(inv.command == "plan");
  CHECK(inv.build.out_dir == "dist");
  // --set takes its KEY=VALUE as the next word.
  inv = parse_cli({"--set", "version=v1", "plan"});
  CHECK(inv.command == "plan");
  CHECK(inv.build.set == std::vector<std::pair<std::string, std::string>>{{"version", "v1"}});
}

TEST_CASE("parse_cli: common options before and after the command word, short and long") {
  for (const char* cmd : {"build", "plan", "vendor", "env", "init", "doctor", "verify"}) {
    CAPTURE(cmd);
    const std::string operand = std::string(cmd) == "verify" ? "a.out" : "";
    for (const auto& inv : everywhere(cmd, {"-C", "d"}, operand)) CHECK(inv.common.chdir == "d");
    for (const auto& inv : everywhere(cmd, {"--json"}, operand)) CHECK(inv.common.json);
    for (const auto& inv : everywhere(cmd, {"-v"}, operand)) CHECK(inv.common.verbose);
    for (const auto& inv : everywhere(cmd, {"--verbose"}, operand)) CHECK(inv.common.verbose);
    for (const auto& inv : everywhere(cmd, {"-q"}, operand)) CHECK(inv.common.quiet);
    for (const auto& inv : everywhere(cmd, {"--quiet"}, operand)) CHECK(inv.common.quiet);
    for (const auto& inv : everywhere(cmd, {"--color=never"}, operand))
      CHECK(inv.common.color == ColorMode::never);
    for (const auto& inv : everywhere(cmd, {"--color", "always"}, operand))
      CHECK(inv.common.color == ColorMode::always);
  }
  // The options struct of the command sees them too.
  CHECK(parse_cli({"-q", "verify", "x"}).verify.common.quiet);
  CHECK(parse_cli({"init", "-C", "d"}).init.common.chdir == "d");
}

TEST_CASE("parse_cli: -f and -j before and after the command word, short and long") {
  for (const char* cmd : {"build", "plan", "vendor", "env", "init", "doctor", "verify"}) {
    CAPTURE(cmd);
    const std::string c = cmd;
    const std::string operand = c == "build" || c == "plan" || c == "env" ? "app" : c == "verify" ? "a.out" : "";
    for (const Args& f : {Args{"-f", "x.yaml"}, Args{"--file", "x.yaml"}, Args{"--file=x.yaml"}}) {
      for (const auto& inv : everywhere(cmd, f, operand)) {
        CHECK(inv.common.config == "x.yaml");
        CHECK(inv.common.config_given);
        if (c == "verify") CHECK(inv.verify.files == Args{operand});
        else CHECK(inv.build.targets == (operand.empty() ? Args{} : Args{operand}));
      }
    }
    for (const Args& j : {Args{"-j", "3"}, Args{"--jobs", "3"}, Args{"--jobs=3"}, Args{"-j3"}})
      for (const auto& inv : everywhere(cmd, j, operand)) CHECK(inv.build.common.jobs == 3);
  }
  CHECK_FALSE(parse_cli({"build"}).common.config_given);
  CHECK(parse_cli({"build"}).common.config == "gobuild.yaml");
}

TEST_CASE("parse_cli: build options before and after the command word") {
  for (const char* cmd : {"build", "plan", "env"}) {
    CAPTURE(cmd);
    for (const auto& inv : everywhere(cmd, {"--platform", "linux/arm/v7"}, "app")) {
      CHECK(inv.build.platforms == Args{"linux/arm/v7"});
      CHECK(inv.build.targets == Args{"app"});
    }
    for (const auto& inv : everywhere(cmd, {"--allow-cc"}, "app")) CHECK(inv.build.allow_cc);
    for (const auto& inv : everywhere(cmd, {"--set", "version=v1.2.3"}, "app")) {
      CHECK(inv.build.set == Pairs{{"version", "v1.2.3"}});
      CHECK(inv.build.targets == Args{"app"});
    }
    for (const auto& inv : everywhere(cmd, {"--out-dir", "/tmp/o"}, "app")) CHECK(inv.build.out_dir == "/tmp/o");
    for (const auto& inv : everywhere(cmd, {"--out-dir=o"}, "app")) CHECK(inv.build.out_dir == "o");
    for (const auto& inv : everywhere(cmd, {"--cache-prog", "gocached -x"}, "app"))
      CHECK(inv.build.cache_prog == "gocached -x");
  }
  for (const auto& inv : everywhere("build", {"--check-reproducible"}, "app")) CHECK(inv.build.check_reproducible);
  for (const auto& inv : everywhere("build", {"--no-sandbox"}, "app")) CHECK(inv.build.no_sandbox);
  for (const auto& inv : everywhere("build", {"--provenance", "p.json"}, "app")) CHECK(inv.build.provenance == "p.json");
  for (const auto& inv : everywhere("build", {"--checksums", "SUMS"}, "app")) CHECK(inv.build.checksums == "SUMS");
  for (const auto& inv : everywhere("verify", {"--allow-dynamic"}, "a.out")) CHECK(inv.verify.allow_dynamic);
  for (const auto& inv : everywhere("init", {"--force"}, "")) CHECK(inv.init.force);

  // Repeatable options keep every value, in order.
  Invocation inv = parse_cli({"--platform", "linux/amd64", "build", "--platform=linux/arm64", "--set", "a=1",
                              "--set=b=x=y", "app"});
  CHECK(inv.build.platforms == Args{"linux/amd64", "linux/arm64"});
  CHECK(inv.build.set == Pairs{{"a", "1"}, {"b", "x=y"}});
  CHECK(inv.build.targets == Args{"app"});
}

TEST_CASE("parse_cli: go build flags are sorted out for build and plan") {
  Invocation inv = parse_cli({"build", "-o", "bin/app", "-tags", "a,b", "-ldflags", "-s -w", "-trimpath",
                              "-x", "-gcflags=all=-N -l", "--asmflags", "-spectre=all", "."});
  CHECK(inv.command == "build");
  REQUIRE(inv.build.go.output);
  CHECK(*inv.build.go.output == "bin/app");
  CHECK(inv.build.go.tags == Args{"a,b"});
  CHECK(inv.build.go.ldflags == Args{"-s -w"});
  CHECK(inv.build.go.flags == Args{"-trimpath", "-x", "-gcflags=all=-N -l", "-asmflags=-spectre=all"});
  CHECK(inv.build.go.given == Args{"-o", "-tags", "-ldflags", "-trimpath", "-x", "-gcflags", "-asmflags"});
  CHECK(inv.build.targets == Args{"."});

  // Before the command word, and in the -flag=value form.
  inv = parse_cli({"-o=bin/", "plan", "-v", "./cmd/..."});
  CHECK(inv.command == "plan");
  CHECK(*inv.build.go.output == "bin/");
  CHECK(inv.build.common.verbose); // -v is gobuild's own (echo each command)
  CHECK(inv.build.targets == Args{"./cmd/..."});
  // No command word: build, with the package as operand.
  inv = parse_cli({"-o", "app", "."});
  CHECK(inv.command == "build");
  CHECK(inv.build.targets == Args{"."});
  // A refused flag is still sorted out here; the allowlist refuses it before anything runs.
  inv = parse_cli({"build", "-toolexec", "x", "."});
  CHECK(inv.build.go.flags == Args{"-toolexec=x"});
  CHECK(inv.build.targets == Args{"."});
  CHECK_FALSE(parse_cli({"build", "."}).build.go.any());
}

TEST_CASE("parse_cli: exact messages for bad usage") {
  CHECK(refusal({"verify", "--no-such-option", "x"}) == "The following argument was not expected: --no-such-option");
  CHECK(refusal({"verify"}) == "files is required");
  CHECK(refusal({"--color=sometimes", "verify", "x"}) ==
        "--color sometimes: expected auto, always or never");
  CHECK(refusal({"build", "-j", "0"}) == "--jobs: Value 0 not in range 1 to 1024");
  CHECK(refusal({"build", "-bogus"}) ==
        "unknown flag -bogus: not a gobuild option nor a go build flag (see gobuild --help)");
  CHECK(refusal({"build", "-jobs", "2"}) ==
        "unknown flag -jobs: not a gobuild option nor a go build flag (see gobuild --help)");
  CHECK(refusal({"verify", "-o", "x", "a"}) == "-o is a go build flag; only build and plan take it");
  CHECK(refusal({"build", "-o"}) == "-o needs a value");
  CHECK(refusal({"build", "--set", "novalue"}) == "--set novalue: expected KEY=VALUE");
  CHECK(refusal({"build", "--set", "=v"}) == "--set =v: expected KEY=VALUE");
  CHECK(refusal({"verify", "--check-reproducible", "x"}) ==
        "The following argument was not expected: --check-reproducible");
}

TEST_CASE("parse_cli: --help and --version answer without a command") {
  Invocation inv = parse_cli({"--version"});
  REQUIRE(inv.exit_code);
  CHECK(*inv.exit_code == 0);
  CHECK(inv.text == std::string("gobuild ") + GOBUILD_VERSION + "\n");
  inv = parse_cli({"--help"});
  REQUIRE(inv.exit_code);
  CHECK(*inv.exit_code == 0);
  CHECK(inv.text.find("Subcommands:") != std::string::npos);
  CHECK(inv.text.find("version") != std::string::npos);
  inv = parse_cli({"verify", "--help"});
  REQUIRE(inv.exit_code);
  CHECK(inv.text.find("--allow-dynamic") != std::string::npos);
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
