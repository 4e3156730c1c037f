#include "gobuild/driver/environment.hpp"

#include <unistd.h>

#include <fstream>

#include <boost/filesystem.hpp>

#include <doctest/doctest.h>

#include "gobuild/util/error.hpp"

using namespace gobuild;

namespace {

HostEnv poisoned_host() {
  return HostEnv{{"PATH", "/usr/local/go/bin:/usr/bin:/bin"},
                 {"HOME", "/home/u"},
                 {"TMPDIR", "/var/tmp"},
                 {"GOCACHE", "/cache/go"},
                 {"GOFLAGS", "-race"},
                 {"CGO_ENABLED", "1"},
                 {"GOOS", "windows"},
                 {"GOARCH", "arm"},
                 {"GOEXPERIMENT", "loopvar"},
                 {"CC", "false"},
                 {"CGO_CFLAGS", "-O0"},
                 {"GODEBUG", "x=1"},
                 {"GOPROXY", "https://proxy.example"},
                 {"https_proxy", "http://squid:3128"},
                 {"LANG", "C.UTF-8"}};
}

Config config_with(bool vendor) {
  Config c;
  c.vendor = vendor;
  return c;
}

Target target_with(bool cgo) {
  Target t;
  t.name = "app";
  t.build.cgo = cgo;
  return t;
}

} // namespace

TEST_CASE("build_environment pins the build and drops the poisoned host variables") {
  Config cfg = config_with(true);
  Target t = target_with(false);
  t.build.env = {{"GOAMD64", "v2"}};
  PinnedEnv e = build_environment(poisoned_host(), cfg, t, Platform{"linux", "amd64"}, "local");
  EnvList want = {{"CGO_ENABLED", "0"},
                  {"GOAMD64", "v2"},
                  {"GOARCH", "amd64"},
                  {"GOCACHE", "/cache/go"},
                  {"GOENV", "off"},
                  {"GOFLAGS", "-mod=vendor"},
                  {"GOOS", "linux"},
                  {"GOPROXY", "off"},
                  {"GOTOOLCHAIN", "local"},
                  {"GOWORK", "off"},
                  {"HOME", "/home/u"},
                  {"PATH", "/usr/local/go/bin:/usr/bin:/bin"},
                  {"TMPDIR", "/var/tmp"}};
  CHECK(e.env == want);
  std::vector<std::string> dropped = {"CC",      "CGO_CFLAGS", "CGO_ENABLED", "GOARCH",
                                      "GODEBUG", "GOEXPERIMENT", "GOFLAGS",   "GOOS",
                                      "GOPROXY", "LANG",       "https_proxy"};
  CHECK(e.dropped == dropped);
  REQUIRE(e.get("GOFLAGS"));
  CHECK(*e.get("GOFLAGS") == "-mod=vendor");
  CHECK(e.get("GOMODCACHE") == nullptr); // unset on the host: go derives it from HOME
}

TEST_CASE("build_environment without vendoring uses -mod=readonly, and cgo sets CGO_ENABLED=1") {
  PinnedEnv e = build_environment(HostEnv{{"PATH", "/bin"}}, config_with(false), target_with(true),
                                  Platform{"linux", "arm64"}, "go1.26.8");
  EnvList want = {{"CGO_ENABLED", "1"}, {"GOARCH", "arm64"},      {"GOENV", "off"},
                  {"GOFLAGS", "-mod=readonly"}, {"GOOS", "linux"}, {"GOPROXY", "off"},
                  {"GOTOOLCHAIN", "go1.26.8"},  {"GOWORK", "off"},  {"PATH", "/bin"}};
  CHECK(e.env == want);
  CHECK(e.dropped.empty());
}

TEST_CASE("a platform variant sets its variable for that platform") {
  PinnedEnv e = build_environment(HostEnv{{"GOARM", "5"}}, config_with(false), target_with(false),
                                  Platform{"linux", "arm", "v7"}, "local");
  REQUIRE(e.get("GOARM"));
  CHECK(*e.get("GOARM") == "7");
  CHECK(e.dropped == std::vector<std::string>{"GOARM"});
  e = build_environment(HostEnv{}, config_with(false), target_with(false), Platform{"linux", "arm64", "v9"}, "local");
  REQUIRE(e.get("GOARM64"));
  CHECK(*e.get("GOARM64") == "v9.0");
  e = build_environment(HostEnv{}, config_with(false), target_with(false), Platform{"linux", "arm"}, "local");
  CHECK(e.get("GOARM") == nullptr);
}

TEST_CASE("a host variable with the pinned value is still listed as dropped") {
  PinnedEnv e = build_environment(HostEnv{{"GOOS", "linux"}}, config_with(true), target_with(false),
                                  Platform{"linux", "amd64"}, "local");
  CHECK(e.dropped == std::vector<std::string>{"GOOS"});
}

TEST_CASE("vendor_environment keeps the proxy settings and nothing of the build's") {
  PinnedEnv e = vendor_environment(poisoned_host(), "local");
  EnvList want = {{"GOCACHE", "/cache/go"},
                  {"GOENV", "off"},
                  {"GOPROXY", "https://proxy.example"},
                  {"GOTOOLCHAIN", "local"},
                  {"GOWORK", "off"},
                  {"HOME", "/home/u"},
                  {"PATH", "/usr/local/go/bin:/usr/bin:/bin"},
                  {"TMPDIR", "/var/tmp"},
                  {"https_proxy", "http://squid:3128"}};
  CHECK(e.env == want);
  std::vector<std::string> dropped = {"CC",      "CGO_CFLAGS",   "CGO_ENABLED", "GOARCH", "GODEBUG",
                                      "GOEXPERIMENT", "GOFLAGS", "GOOS",        "LANG"};
  CHECK(e.dropped == dropped);
}

TEST_CASE("toolchain_setting") {
  CHECK(toolchain_setting(std::nullopt, "go1.26.8") == "local");
  CHECK(toolchain_setting(std::string("1.26.8"), "") == "go1.26.8");
  CHECK(toolchain_setting(std::string("1.27rc1"), "go1.26.8") == "go1.27rc1");
  CHECK(toolchain_setting(std::string("1.26"), "go1.26.8") == "go1.26.8");
  CHECK(toolchain_setting(std::string("1.26"), "go1.26") == "go1.26");
  CHECK_THROWS_WITH_AS(toolchain_setting(std::string("1.26"), "go1.261.0"),
                       "go: \"1.26\" needs a go1.26.x toolchain, but the host's go is go1.261.0; "
                       "install one, or pin an exact version (e.g. go: \"1.26.0\") that the go "
                       "command can fetch",
                       UsageError);
  CHECK_THROWS_AS(toolchain_setting(std::string("1.25"), "go1.26.8"), UsageError);
  CHECK(is_exact_go_version("1.26.8"));
  CHECK_FALSE(is_exact_go_version("1.26"));
}

TEST_CASE("with_cache_prog puts GOCACHEPROG in its sorted place, once") {
  EnvList env = {{"GOARCH", "amd64"}, {"GOCACHE", "/c"}, {"GOENV", "off"}, {"PATH", "/bin"}};
  CHECK(with_cache_prog(env, "") == env);
  EnvList want = {{"GOARCH", "amd64"}, {"GOCACHE", "/c"}, {"GOCACHEPROG", "go-cacher --verbose"},
                  {"GOENV", "off"}, {"PATH", "/bin"}};
  CHECK(with_cache_prog(env, "go-cacher --verbose") == want);
  CHECK(with_cache_prog(want, "other") ==
        EnvList{{"GOARCH", "amd64"}, {"GOCACHE", "/c"}, {"GOCACHEPROG", "other"}, {"GOENV", "off"}, {"PATH", "/bin"}});
  CHECK(with_cache_prog({}, "x") == EnvList{{"GOCACHEPROG", "x"}});
}

TEST_CASE("compare_go_versions orders as the go command does") {
  CHECK(compare_go_versions("1.26", "1.26rc1") < 0);
  CHECK(compare_go_versions("1.26rc1", "1.26.0") < 0);
  CHECK(compare_go_versions("1.26beta2", "1.26rc1") < 0);
  CHECK(compare_go_versions("go1.26.8", "1.26.10") < 0);
  CHECK(compare_go_versions("go1.27.0", "go1.26.8") > 0);
  CHECK(compare_go_versions("1.27", "go1.26.8") > 0);
  CHECK(compare_go_versions("go1.26.8", "1.26.8") == 0);
  CHECK(compare_go_versions("nonsense", "1.26") == 0);
}

TEST_CASE("go_mod_newer_warning: a toolchain or go line newer than the host's go") {
  CHECK(go_mod_newer_warning("module m\n\ngo 1.22\n\ntoolchain go1.27.0\n", "go1.26.8") ==
        "warning: go.mod's toolchain line asks for go1.27.0, newer than the host's go1.26.8; with no go: key "
        "gobuild uses the host's go (GOTOOLCHAIN=local). Set go: mod to use the version go.mod names (the go "
        "command fetches it), or install go1.27.0");
  CHECK(go_mod_newer_warning("module m\ngo 1.27 // new\n", "go1.26.8").rfind("warning: go.mod's go line asks for go1.27,", 0) == 0);
  CHECK(go_mod_newer_warning("module m\ngo 1.22\ntoolchain go1.26.8\n", "go1.26.8").empty());
  CHECK(go_mod_newer_warning("module m\n", "go1.26.8").empty());
}

TEST_CASE("apply_go_mod: the toolchain line exactly, the go line as a minimum") {
  namespace fs = boost::filesystem;
  fs::path dir = fs::temp_directory_path() / ("gobuild-gomod-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto with = [&](const std::string& gomod, const std::string& host) {
    std::ofstream(dir / "go.mod") << gomod;
    Config cfg;
    cfg.file = "gobuild.yaml";
    cfg.module_dir = dir.string();
    cfg.go_mod = true;
    cfg.go_line = 2;
    cfg.go_column = 5;
    apply_go_mod(cfg, [&] { return host; });
    return cfg.go.value_or("(none)");
  };
  CHECK(with("module m\ngo 1.22\ntoolchain go1.27.0\n", "go1.26.8") == "1.27.0");
  CHECK(with("module m\ngo 1.22\n", "go1.26.8") == "1.26.8");
  CHECK(with("module m\ngo 1.20\n", "go1.26.8") == "1.26.8");
  CHECK(with("module m\ngo 1.27\n", "go1.26.8") == "1.27.0");
  CHECK(with("module m\ngo 1.27rc1\n", "") == "1.27rc1");
  CHECK(with("module m\ngo 1.27.3\n", "go1.26.8") == "1.27.3");
  CHECK_THROWS_WITH_AS(with("module m\n", "go1.26.8"),
                       ("go: mod: " + (dir / "go.mod").string() + " has no toolchain or go line to take the version from").c_str(),
                       ConfigError);
  CHECK_THROWS_WITH_AS(with("module m\ntoolchain go1.19\n", "go1.26.8"),
                       "go: mod: go.mod's toolchain line names '1.19', which cannot pin a toolchain (1.21 or later: "
                       "the first the go command can switch to)",
                       ConfigError);
  fs::remove_all(dir);
}
