#include <doctest/doctest.h>

#include "checks.hpp"

using namespace gobuild;
using namespace gobuild::config_detail;

namespace {
std::string msg(const Problem& p) { return p.value_or("(ok)"); }
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

TEST_CASE("flags: allowed forms") {
  for (const char* ok : {"-race", "-msan", "-asan", "-cover", "-v", "-x", "-covermode=set",
                         "-covermode=count", "-coverpkg=./...", "-gcflags=all=-N -l",
                         "-gcflags=", "-asmflags=-S", "-pgo=auto", "-pgo=default.pgo",
                         "-buildmode=exe", "-buildmode=pie", "-p=8"}) {
    CAPTURE(std::string(ok));
    CHECK(msg(check_flag(ok)) == "(ok)");
  }
}

TEST_CASE("flags: refusals say why") {
  CHECK(msg(check_flag("-exec=/bin/sh")) == "flags: -exec runs a program of the config's choosing");
  CHECK(msg(check_flag("-overlay=o.json")) == "flags: -overlay replaces source files with others");
  CHECK(msg(check_flag("-modfile=other.mod")) == "flags: -modfile replaces go.mod with another file");
  CHECK(msg(check_flag("-o=x")) == "flags: -o is set from the target's `output`");
  CHECK(msg(check_flag("-a")) == "flags: -a is set by gobuild; use the `rebuild_all` key");
  CHECK(msg(check_flag("-trimpath")) == "flags: -trimpath is set by gobuild; use the `trimpath` key");
  CHECK(msg(check_flag("-ldflags=-s")) ==
        "flags: -ldflags is set by gobuild; use the `ldflags`, `linkmode` and `extldflags` keys");
  CHECK(msg(check_flag("-buildvcs=true")) == "flags: -buildvcs is set by gobuild; use the `buildvcs` key");
  CHECK(msg(check_flag("-mod=mod")) == "flags: -mod is set by gobuild (-mod=vendor when vendoring)");
  CHECK(msg(check_flag("-work")) == "flags: -work leaves the temporary work directory behind");
  CHECK(msg(check_flag("-linkshared")) ==
        "flags: -linkshared links against shared libraries, so the output would not be static");
  CHECK(msg(check_flag("--toolexec=x")) == "flags: write '--toolexec=x' with one dash");
  CHECK(msg(check_flag("race")) == "flags: 'race' is not a flag; flags start with '-'");
  CHECK(msg(check_flag("-race=true")) == "flags: -race takes no value (write -race)");
  CHECK(msg(check_flag("-gcflags")) == "flags: -gcflags needs a value, as one item: -gcflags=VALUE");
  CHECK(msg(check_flag("-pgo=")) == "flags: -pgo needs a value, as one item: -pgo=VALUE");
  CHECK(msg(check_flag("-covermode=sometimes")) ==
        "flags: -covermode 'sometimes' is not one of set, count, atomic");
  CHECK(msg(check_flag("-buildmode=c-shared")) ==
        "flags: -buildmode 'c-shared' is not one of exe, pie (gobuild builds executables)");
  CHECK(msg(check_flag("-p=0")) == "flags: -p '0' is not a positive number");
}

TEST_CASE("env: allowlist, C toolchain and refusals") {
  CHECK(msg(check_env("GOAMD64", "v2", false)) == "(ok)");
  CHECK(msg(check_env("GOEXPERIMENT", "", false)) == "(ok)");
  CHECK(msg(check_env("CC", "gcc", true)) == "(ok)");
  CHECK(msg(check_env("CGO_CFLAGS_ALLOW", ".*", true)) == "(ok)");
  CHECK(msg(check_env("CGO_LDFLAGS", "-fuse-ld=x", false)) ==
        "env: CGO_LDFLAGS can make the C toolchain run a program of the config's choosing; pass "
        "--allow-cc to permit it");
  CHECK(msg(check_env("CXX", "g++", false)) ==
        "env: CXX runs a program of the config's choosing; pass --allow-cc to permit it");
  CHECK(msg(check_env("GOARCH", "arm64", false)) == "env: GOARCH is not allowed: set by `platforms`");
  CHECK(msg(check_env("CGO_ENABLED", "1", true)) == "env: CGO_ENABLED is not allowed: set by the `cgo` key");
  CHECK(msg(check_env("GOTOOLCHAIN", "auto", false)) ==
        "env: GOTOOLCHAIN is not allowed: set by gobuild from the `go` key");
  CHECK(msg(check_env("GOPROXY", "direct", false)) ==
        "env: GOPROXY is not allowed: builds run offline; network settings come from the host "
        "for vendoring");
  CHECK(msg(check_env("PATH", "/tmp", true)) == "env: PATH is not allowed: taken from the host");
  CHECK(msg(check_env("WHATEVER", "1", false)) ==
        "env: WHATEVER is not allowed (allowed: GOAMD64, GOARM, GO386, GOARM64, GOMIPS, GOMIPS64, "
        "GOPPC64, GORISCV64, GOWASM, GOEXPERIMENT; with --allow-cc also CC, CXX, CGO_CFLAGS and "
        "the other C toolchain settings)");
  CHECK(msg(check_env("GOAMD64", std::string("v1\0x", 4), false)) ==
        "env: the value of GOAMD64 contains a NUL byte");
}

TEST_CASE("ldflags and extldflags words") {
  CHECK(msg(check_ldflag("-X=main.version=1.0", false)) == "(ok)");
  CHECK(msg(check_ldflag("--linkmode=internal", false)) ==
        "ldflags: -linkmode is set by gobuild; use the `linkmode` key");
  CHECK(msg(check_ldflag("-extld=clang", false)) ==
        "ldflags: -extld runs a program of the config's choosing; pass --allow-cc to permit it");
  CHECK(msg(check_ldflag("-extld=clang", true)) == "(ok)");
  CHECK(msg(check_extldflag("-static", false)) == "(ok)");
  CHECK(msg(check_extldflag("-Wl,--gc-sections", false)) == "(ok)");
  for (const char* bad : {"-B/tmp/evil", "-fuse-ld=/tmp/ld", "--ld-path=/tmp/ld", "@args.txt",
                          "-Wl,@args.txt", "-Wl,-plugin,/tmp/p.so", "-specs=/tmp/s",
                          "-wrapper /tmp/w"}) {
    CAPTURE(std::string(bad));
    CHECK(msg(check_extldflag(bad, false)).find("can make the C compiler run a program") !=
          std::string::npos);
    CHECK(msg(check_extldflag(bad, true)) == "(ok)");
  }
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
