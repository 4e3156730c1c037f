#include <doctest/doctest.h>

#include "gobuild/cli/doctor.hpp"
#include "gobuild/cli/host.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;

TEST_CASE("render_checks_text: status column, advice for warn and fail only") {
  std::vector<Check> checks = {
      {"go", CheckStatus::ok, "go version go1.26.0 linux/amd64", "ignored for ok"},
      {"musl-gcc", CheckStatus::info, "not found", "ignored for info"},
      {"static libc", CheckStatus::warn, "libc.a not found", "install libc6-dev"},
      {"GOROOT", CheckStatus::fail, "/nope: not a directory", ""},
  };
  CHECK(render_checks_text(checks) ==
        "ok    go: go version go1.26.0 linux/amd64\n"
        "info  musl-gcc: not found\n"
        "warn  static libc: libc.a not found\n"
        "      advice: install libc6-dev\n"
        "fail  GOROOT: /nope: not a directory\n");
  CHECK(render_checks_text({}) == "");
  CHECK(render_checks_text(checks, true) ==
        "\x1b[32mok\x1b[0m    go: go version go1.26.0 linux/amd64\n"
        "info  musl-gcc: not found\n"
        "\x1b[33mwarn\x1b[0m  static libc: libc.a not found\n"
        "      advice: install libc6-dev\n"
        "\x1b[31mfail\x1b[0m  GOROOT: /nope: not a directory\n");
}

TEST_CASE("render_checks_json and the exit code") {
  std::vector<Check> checks = {{"go", CheckStatus::ok, "d\"1", ""},
                               {"C compiler", CheckStatus::warn, "cc", "a"}};
  CHECK(render_checks_json(checks) ==
        R"({"checks":[{"advice":"","detail":"d\"1","name":"go","status":"ok"},)"
        R"({"advice":"a","detail":"cc","name":"C compiler","status":"warn"}]})");
  CHECK(render_checks_json({}) == R"({"checks":[]})");
  CHECK(doctor_exit_code(checks) == 0);
  checks.push_back({"GOROOT", CheckStatus::fail, "x", ""});
  CHECK(doctor_exit_code(checks) == 1);
  CHECK(doctor_exit_code({}) == 0);
}

TEST_CASE("slow_filesystem_from_magic") {
  CHECK(slow_filesystem_from_magic(0x01021997) == std::optional<std::string>("9p"));
  CHECK(slow_filesystem_from_magic(0x6969) == std::optional<std::string>("nfs"));
  CHECK(slow_filesystem_from_magic(0xFF534D42) == std::optional<std::string>("cifs"));
  CHECK(slow_filesystem_from_magic(0xFE534D42) == std::optional<std::string>("smb2"));
  CHECK(slow_filesystem_from_magic(0x65735546) == std::optional<std::string>("fuse"));
  CHECK_FALSE(slow_filesystem_from_magic(0xEF53).has_value());     // ext4
  CHECK_FALSE(slow_filesystem_from_magic(0x58465342).has_value()); // xfs
  CHECK_FALSE(slow_filesystem_from_magic(0x01021994).has_value()); // tmpfs
}

TEST_CASE("slow_filesystem_from_type") {
  CHECK(slow_filesystem_from_type("9p") == std::optional<std::string>("9p"));
  CHECK(slow_filesystem_from_type("drvfs") == std::optional<std::string>("drvfs"));
  CHECK(slow_filesystem_from_type("nfs4") == std::optional<std::string>("nfs"));
  CHECK(slow_filesystem_from_type("smb3") == std::optional<std::string>("cifs"));
  CHECK(slow_filesystem_from_type("fuse.sshfs") == std::optional<std::string>("fuse"));
  CHECK(slow_filesystem_from_type("fuseblk") == std::optional<std::string>("fuse"));
  CHECK_FALSE(slow_filesystem_from_type("ext4").has_value());
  CHECK_FALSE(slow_filesystem_from_type("overlay").has_value());
  CHECK_FALSE(slow_filesystem_from_type("fusectl").has_value());
}

TEST_CASE("parse_mounts and mount_containing") {
  auto mounts = parse_mounts(
      "overlay / overlay rw,relatime 0 0\n"
      "C:\\134 /mnt/c 9p rw,noatime,dirsync,aname=drvfs 0 0\n"
      "server:/export /home/me/My\\040Code nfs4 rw 0 0\n"
      "garbage\n"
      "tmpfs /mnt/cache tmpfs rw 0 0\n"
      "/dev/sdb1 /mnt/cache ext4 rw 0 0\n");
  REQUIRE(mounts.size() == 5);
  CHECK(mounts[1].source == "C:\\");
  CHECK(mounts[2].mount_point == "/home/me/My Code");
  CHECK(mounts[2].fs_type == "nfs4");

  auto at = [&](const std::string& p) {
    const MountEntry* m = mount_containing(p, mounts);
    return m ? m->mount_point + " " + m->fs_type : std::string("none");
  };
  CHECK(at("/mnt/c/Users/me/go") == "/mnt/c 9p");
  CHECK(at("/mnt/c") == "/mnt/c 9p");
  CHECK(at("/mnt/cx") == "/ overlay"); // a prefix of the name is not the directory
  CHECK(at("/home/me/My Code/app") == "/home/me/My Code nfs4");
  CHECK(at("/mnt/cache/go-build") == "/mnt/cache ext4"); // the later mount hides the earlier
  CHECK(at("/") == "/ overlay");
  CHECK(at("relative") == "none");
  CHECK(mount_containing("/x", {}) == nullptr);
}

TEST_CASE("looks_like_wsl") {
  CHECK(looks_like_wsl("5.15.153.1-microsoft-standard-WSL2"));
  CHECK(looks_like_wsl("4.4.0-19041-Microsoft"));
  CHECK(looks_like_wsl("Linux version 5.15 (gcc) #1 SMP WSL"));
  CHECK_FALSE(looks_like_wsl("6.1.0-18-amd64"));
  CHECK_FALSE(looks_like_wsl("6.8.0-wsl-lookalike")); // lower-case "wsl" alone is not the marker
  CHECK_FALSE(looks_like_wsl(""));
}

TEST_CASE("dropped_variables lists what a plain go build obeys and gobuild drops") {
  EnvMap env = {{"PATH", "/bin"},          {"HOME", "/h"},        {"GOCACHE", "/c"},
                {"GOPATH", "/g"},          {"GOPROXY", "direct"}, {"GOFLAGS", "-mod=mod"},
                {"CC", "clang"},           {"CGO_CFLAGS", "-O0"}, {"CGO_ENABLED", "1"},
                {"GOOS", "windows"},       {"GODEBUG", "x=1"},    {"GOBUILD", "/usr/bin/gobuild"},
                {"LANG", "C.UTF-8"},       {"GOTOOLCHAIN", "auto"}};
  CHECK(dropped_variables(env) == std::vector<std::string>{"CC", "CGO_CFLAGS", "CGO_ENABLED",
                                                           "GODEBUG", "GOFLAGS", "GOOS", "GOTOOLCHAIN"});
  CHECK(dropped_variables({{"PATH", "/bin"}}).empty());
}

TEST_CASE("go_env_file follows the go command's lookup") {
  CHECK(go_env_file({{"GOENV", "/etc/goenv"}, {"HOME", "/h"}}) == "/etc/goenv");
  CHECK(go_env_file({{"GOENV", "off"}, {"HOME", "/h"}}) == "");
  CHECK(go_env_file({{"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}}) == "/x/go/env");
  CHECK(go_env_file({{"XDG_CONFIG_HOME", "rel"}, {"HOME", "/h"}}) == "/h/.config/go/env");
  CHECK(go_env_file({{"HOME", "/h"}}) == "/h/.config/go/env");
  CHECK(go_env_file({}) == "");
}

TEST_CASE("parse_go_env_file") {
  CHECK(parse_go_env_file("GOFLAGS=-mod=mod\n\n# c\nGOPROXY=direct\nGOFLAGS=-x\n junk \n=v\n") ==
        std::vector<std::string>{"GOFLAGS", "GOPROXY"});
  CHECK(parse_go_env_file("").empty());
}

TEST_CASE("query_environment keeps the few host variables and pins the rest") {
  EnvMap host = {{"PATH", "/bin"}, {"HOME", "/h"}, {"GOFLAGS", "-x"}, {"GOMODCACHE", "/m"},
                 {"CC", "clang"},  {"TMPDIR", "/t"}};
  EnvList expected = {{"PATH", "/bin"},       {"HOME", "/h"},      {"TMPDIR", "/t"},
                      {"GOMODCACHE", "/m"},   {"GOTOOLCHAIN", "local"}, {"GOWORK", "off"},
                      {"GOENV", "off"},       {"GOPROXY", "off"},  {"CGO_ENABLED", "0"}};
  CHECK(query_environment(host) == expected);
}

TEST_CASE("trim") {
  CHECK(trim("  a b \r\n") == "a b");
  CHECK(trim(" \t\n") == "");
  CHECK(trim("x") == "x");
}

TEST_CASE("run_query returns the output, or says which command failed and what it said") {
  EnvList env = {{"PATH", "/usr/bin:/bin"}};
  CHECK(run_query({"sh", "-c", "echo one; echo two >&2"}, env) == "one\ntwo\n");
  CHECK(run_query({"pwd"}, env, "/") == "/\n");
  CHECK_THROWS_WITH_AS(run_query({"sh", "-c", "echo why; exit 3"}, env),
                       "`sh -c 'echo why; exit 3'` failed (exit status 3):\nwhy", UsageError);
  CHECK_THROWS_WITH_AS(run_query({"false"}, env), "`false` failed (exit status 1)", UsageError);
  CHECK_THROWS_WITH_AS(run_query({"sh", "-c", "kill -9 $$"}, env),
                       "`sh -c 'kill -9 $$'` failed (killed by signal 9)", UsageError);
}

TEST_CASE("toolchain_check") {
  Check c = toolchain_check(std::nullopt, "go1.26.8");
  CHECK(c.status == CheckStatus::ok);
  CHECK(c.detail == "no go: key: the host's go (go1.26.8), GOTOOLCHAIN=local");
  c = toolchain_check(std::string("1.26"), "go1.26.8");
  CHECK(c.status == CheckStatus::ok);
  CHECK(c.detail == "go: \"1.26\" is met by the host's go1.26.8");
  c = toolchain_check(std::string("1.26.8"), "go1.26.8");
  CHECK(c.status == CheckStatus::ok);
  c = toolchain_check(std::string("1.27.1"), "go1.26.8");
  CHECK(c.status == CheckStatus::warn);
  CHECK(c.detail == "go: \"1.27.1\" is not the host's go1.26.8: the go command downloads go1.27.1 through GOPROXY");
  CHECK(c.advice == "install go1.27.1 to build offline");
  c = toolchain_check(std::string("1.27"), "go1.26.8");
  CHECK(c.status == CheckStatus::fail);
  CHECK(c.detail.rfind("go: \"1.27\" needs a go1.27.x toolchain, but the host's go is go1.26.8", 0) == 0);
  CHECK(c.name == "toolchain");
}

TEST_CASE("sandbox_check: ok with a namespace, warn with the kernel's reason without") {
  Check netns = sandbox_check(Sandbox::netns, "");
  CHECK(netns.name == "sandbox");
  CHECK(netns.status == CheckStatus::ok);
  CHECK(netns.detail == "netns: the build step runs in a network namespace holding only loopback");
  Check userns = sandbox_check(Sandbox::userns_netns, "");
  CHECK(userns.status == CheckStatus::ok);
  CHECK(userns.detail.rfind("userns+netns: ", 0) == 0);
  Check none = sandbox_check(Sandbox::none, "unshare(CLONE_NEWNET): Operation not permitted");
  CHECK(none.status == CheckStatus::warn);
  CHECK(none.detail == "none: no network namespace here (unshare(CLONE_NEWNET): Operation not "
                       "permitted); the build step has GOPROXY=off alone");
  CHECK(none.advice.find("unprivileged user namespaces") != std::string::npos);
}
