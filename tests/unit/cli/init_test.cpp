#include <doctest/doctest.h>

#include "gobuild/cli/init.hpp"
#include "gobuild/config/config.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;

TEST_CASE("parse_module_path reads the module line in its forms") {
  CHECK(parse_module_path("module example.com/hello\n\ngo 1.26\n") == "example.com/hello");
  CHECK(parse_module_path("// header\nmodule   example.com/x // trailing\n") == "example.com/x");
  CHECK(parse_module_path("module \"example.com/quoted\"\n") == "example.com/quoted");
  CHECK(parse_module_path("module `example.com/raw`\r\n") == "example.com/raw");
  CHECK(parse_module_path("module (\n  example.com/block\n)\n") == "example.com/block");
  CHECK(parse_module_path("go 1.26\nmodule example.com/late\n") == "example.com/late");
  // "modules" is not the verb.
  CHECK(parse_module_path("modules x\nmodule y\n") == "y");
  SUBCASE("no module line") {
    CHECK_THROWS_WITH_AS(parse_module_path("go 1.26\nrequire x v1.0.0\n"), "go.mod has no module line",
                         UsageError);
    CHECK_THROWS_WITH_AS(parse_module_path(""), "go.mod has no module line", UsageError);
  }
}

TEST_CASE("parse_main_packages keeps IMPORTPATH DIR lines only") {
  auto pkgs = parse_main_packages(
      "example.com/hello /src/hello\n"
      "go: warning: \"./...\" matched only vendored packages\n"
      "\n"
      "example.com/hello/cmd/tool /src/my hello/cmd/tool\r\n"
      "example.com/hello/cmd/a b /src/hello/cmd/a b\n"); // not an import path: skipped
  REQUIRE(pkgs.size() == 2);
  CHECK(pkgs[0].import_path == "example.com/hello");
  CHECK(pkgs[0].dir == "/src/hello");
  CHECK(pkgs[1].import_path == "example.com/hello/cmd/tool");
  CHECK(pkgs[1].dir == "/src/my hello/cmd/tool");
  CHECK(parse_main_packages("").empty());
}

TEST_CASE("cgo_only_packages") {
  std::vector<MainPackage> with = {{"m", "/m"}, {"m/cmd/c", "/m/cmd/c"}, {"m/cmd/p", "/m/cmd/p"}};
  std::vector<MainPackage> without = {{"m", "/m"}, {"m/cmd/p", "/m/cmd/p"}};
  auto only = cgo_only_packages(with, without);
  REQUIRE(only.size() == 1);
  CHECK(only[0].import_path == "m/cmd/c");
  CHECK(only[0].dir == "/m/cmd/c");
  CHECK(cgo_only_packages(without, with).empty());
  CHECK(cgo_only_packages({}, without).empty());
}

TEST_CASE("sanitize_target_name") {
  CHECK(sanitize_target_name("hello") == "hello");
  CHECK(sanitize_target_name("my tool+x") == "my-tool-x");
  CHECK(sanitize_target_name("a.b_c-d") == "a.b_c-d");
  CHECK(sanitize_target_name("caf\xc3\xa9") == "caf--");
  CHECK(sanitize_target_name("") == "main");
}

TEST_CASE("module_binary_name skips a major-version suffix like go build") {
  CHECK(module_binary_name("example.com/hello") == "hello");
  CHECK(module_binary_name("example.com/tool/v2") == "tool");
  CHECK(module_binary_name("example.com/tool/v1") == "v1");
  CHECK(module_binary_name("example.com/tool/v0") == "v0");
  CHECK(module_binary_name("v2") == "v2");
  CHECK(module_binary_name("hello") == "hello");
}

TEST_CASE("plan_init_targets names, relative mains and uniqueness") {
  std::vector<MainPackage> pkgs = {
      {"example.com/hello", "/m"},
      {"example.com/hello/cmd/tool", "/m/cmd/tool"},
      {"example.com/hello/tools/tool", "/m/tools/tool"},
      {"example.com/hello/cmd/hello", "/m/cmd/hello"},
      {"example.com/hello/cmd/we ird", "/m/cmd/we ird"},
  };
  auto t = plan_init_targets("example.com/hello", "/m", pkgs);
  REQUIRE(t.size() == 5);
  CHECK(t[0].name == "hello");
  CHECK(t[0].main == ".");
  CHECK(t[1].name == "tool");
  CHECK(t[1].main == "./cmd/tool");
  CHECK(t[2].name == "tool-2");
  CHECK(t[2].main == "./tools/tool");
  CHECK(t[3].name == "hello-2");
  CHECK(t[3].main == "./cmd/hello");
  CHECK(t[4].name == "we-ird");
  CHECK(t[4].main == "./cmd/we ird");

  SUBCASE("an import path outside the module path falls back to the directory") {
    auto u = plan_init_targets("example.com/m", "/m", {{"other/x", "/m/sub/x"}, {"other", "/m"}});
    REQUIRE(u.size() == 2);
    CHECK(u[0].main == "./sub/x");
    CHECK(u[0].name == "x");
    CHECK(u[1].main == ".");
    CHECK(u[1].name == "m");
  }
  SUBCASE("a v2 module root") {
    auto v = plan_init_targets("example.com/app/v2", "/m", {{"example.com/app/v2", "/m"}});
    REQUIRE(v.size() == 1);
    CHECK(v[0].name == "app");
  }
}

TEST_CASE("go_minor_version") {
  CHECK(go_minor_version("go1.26.3") == "1.26");
  CHECK(go_minor_version("go1.26") == "1.26");
  CHECK(go_minor_version("go1.27rc1") == "1.27");
  CHECK(go_minor_version("go1") == "");
  CHECK(go_minor_version("devel go1.27-abcdef") == "");
  CHECK(go_minor_version("") == "");
}

TEST_CASE("yaml_scalar quotes only what YAML would misread") {
  CHECK(yaml_scalar("hello") == "hello");
  CHECK(yaml_scalar("./cmd/tool") == "./cmd/tool");
  CHECK(yaml_scalar("linux/amd64") == "linux/amd64");
  CHECK(yaml_scalar(".") == ".");
  CHECK(yaml_scalar("a.b_c-d") == "a.b_c-d");
  CHECK(yaml_scalar("yes") == "\"yes\"");
  CHECK(yaml_scalar("NULL") == "\"NULL\"");
  CHECK(yaml_scalar(".Inf") == "\".Inf\"");
  CHECK(yaml_scalar("123") == "\"123\"");
  CHECK(yaml_scalar("1.5") == "\"1.5\"");
  CHECK(yaml_scalar("-x") == "\"-x\"");
  CHECK(yaml_scalar("./a b") == "\"./a b\"");
  CHECK(yaml_scalar("a: b") == "\"a: b\"");
  CHECK(yaml_scalar("x#y") == "\"x#y\"");
  CHECK(yaml_scalar("q\"\\\t\n\x01") == "\"q\\\"\\\\\\t\\n\\x01\"");
  CHECK(yaml_scalar("") == "\"\"");
}

TEST_CASE("render_init_config writes every default with a comment") {
  InitConfig c;
  c.module_path = "example.com/hello";
  c.module_dir = ".";
  c.platform = "linux/amd64";
  c.go_version = "1.26";
  c.targets = {{"hello", "."}, {"tool", "./cmd/tool"}};
  const std::string expected =
      "# gobuild.yaml for example.com/hello, written by `gobuild init`.\n"
      "# Every setting is spelled out at its default value; see gobuild(1).\n"
      "version: 1                    # config schema version (required)\n"
      "module: .                     # directory holding go.mod, relative to this file\n"
      "# go: \"1.26\"                  # require this Go toolchain; unset: the host's go, never a download\n"
      "vendor: true                  # `go mod vendor` first, then build offline from vendor/\n"
      "build:                        # defaults for every target; each can be overridden per target\n"
      "  cgo: false                  # CGO_ENABLED=0: pure Go, no C toolchain involved\n"
      "  rebuild_all: auto           # go build -a only with cgo (go's cache cannot see C libraries)\n"
      "  trimpath: true              # go build -trimpath: no local paths in the binary\n"
      "  buildvcs: false             # go build -buildvcs=false: no VCS stamp\n"
      "  linkmode: internal          # Go's own linker; external needs cgo: true\n"
      "  # extldflags: [-static]     # -extldflags words, used with linkmode: external\n"
      "  ldflags: []                 # further -ldflags words, e.g. [-s, -w] to strip\n"
      "  tags: []                    # build tags, e.g. [netgo, osusergo] with cgo: true\n"
      "  flags: []                   # further go build flags (allowlist: -race, -gcflags, -pgo, ...)\n"
      "  env: {}                     # further environment (allowlist: GOAMD64, GOARM, ...)\n"
      "  static: true                # ELF outputs must be statically linked (true | strict | false)\n"
      "targets:\n"
      "  - name: hello               # unique, [A-Za-z0-9._-]+\n"
      "    main: .                   # package to build, relative to the module\n"
      "    platforms: [linux/amd64]  # GOOS/GOARCH list; default: the host's\n"
      "    # output: bin/{name}      # default; bin/{name}-{os}-{arch} for several platforms\n"
      "  - name: tool                # unique, [A-Za-z0-9._-]+\n"
      "    main: ./cmd/tool          # package to build, relative to the module\n"
      "    platforms: [linux/amd64]  # GOOS/GOARCH list; default: the host's\n"
      "    # output: bin/{name}      # default; bin/{name}-{os}-{arch} for several platforms\n";
  CHECK(render_init_config(c) == expected);

  SUBCASE("odd values are quoted and the go version has a fallback") {
    c.module_dir = "../my mod";
    c.go_version = "";
    c.targets = {{"1", "./cmd/1"}};
    std::string y = render_init_config(c);
    CHECK(y.find("module: \"../my mod\"") != std::string::npos);
    CHECK(y.find("# go: \"1.26\"") != std::string::npos);
    CHECK(y.find("  - name: \"1\"") != std::string::npos);
  }
}

TEST_CASE("what init writes loads with the config loader, at the documented defaults") {
  InitConfig c;
  c.module_path = "example.com/hello";
  c.module_dir = "../mod dir";
  c.platform = "linux/arm64";
  c.go_version = "1.26";
  c.targets = {{"hello", "."}, {"tool", "./cmd/tool"}, {"1", "./cmd/1"}};
  Config cfg = parse_config(render_init_config(c), "gobuild.yaml", "/work/cfg", LoadOptions{});
  CHECK(cfg.module_dir == "/work/mod dir");
  CHECK_FALSE(cfg.go.has_value());
  CHECK(cfg.vendor);
  REQUIRE(cfg.targets.size() == 3);
  const BuildSettings defaults;
  for (size_t i = 0; i < 3; ++i) {
    const Target& t = cfg.targets[i];
    CAPTURE(i);
    CHECK(t.name == c.targets[i].name);
    CHECK(t.main == c.targets[i].main);
    CHECK(t.output == "bin/{name}");
    REQUIRE(t.platforms.size() == 1);
    CHECK(t.platforms[0].str() == "linux/arm64");
    CHECK(t.build.cgo == defaults.cgo);
    CHECK(t.build.rebuild_all == defaults.rebuild_all);
    CHECK(t.build.trimpath == defaults.trimpath);
    CHECK(t.build.buildvcs == defaults.buildvcs);
    CHECK(t.build.linkmode == defaults.linkmode);
    CHECK(t.build.extldflags.empty());
    CHECK(t.build.ldflags.empty());
    CHECK(t.build.tags.empty());
    CHECK(t.build.flags.empty());
    CHECK(t.build.env.empty());
    CHECK(t.build.static_mode == defaults.static_mode);
  }
}

TEST_CASE("is_helper_main: test helpers and examples, not internal tools") {
  for (const char* m : {"./tests/cmd/fake-server", "./test/helper", "./examples/library", "./_examples/x",
                        "./helpers/gen", "./internal/testdata/x", "./e2e/runner", "./pkg/example"}) {
    CAPTURE(m);
    CHECK(is_helper_main(m));
  }
  for (const char* m : {".", "./cmd/tool", "./internal/cmd/migrate", "./tools/gen", "./cmd/testify", "./latest"}) {
    CAPTURE(m);
    CHECK_FALSE(is_helper_main(m));
  }
}

TEST_CASE("render_init_summary pads names to the longest, 16 at least") {
  CHECK(render_init_summary({{"hello", ".", false}, {"tool", "./cmd/tool", false}}) ==
        "  hello            .\n"
        "  tool             ./cmd/tool\n");
  CHECK(render_init_summary({{"a", ".", false}, {"a-very-long-name-17", "./cmd/a-very-long-name-17", false},
                             {"needs-c", "./cmd/needs-c", true}}) ==
        "  a                   .\n"
        "  a-very-long-name-17 ./cmd/a-very-long-name-17\n"
        "  needs-c             ./cmd/needs-c  (cgo)\n");
}

TEST_CASE("render_init_config: a main that needs cgo gets cgo: true, the C linker, -static") {
  InitConfig c;
  c.module_path = "example.com/hello";
  c.module_dir = ".";
  c.platform = "linux/amd64";
  c.go_version = "1.26";
  c.targets = {{"needs-c", "./cmd/needs-c", true}};
  std::string y = render_init_config(c);
  CHECK(y.substr(y.find("targets:\n")) ==
        "targets:\n"
        "  - name: needs-c             # unique, [A-Za-z0-9._-]+\n"
        "    main: ./cmd/needs-c       # package to build, relative to the module\n"
        "    cgo: true                 # its files all need cgo (none builds with CGO_ENABLED=0)\n"
        "    linkmode: external        # cgo links with the C linker\n"
        "    extldflags: [-static]     # a static binary, as static: true checks\n"
        "    platforms: [linux/amd64]  # GOOS/GOARCH list; default: the host's\n"
        "    # output: bin/{name}      # default; bin/{name}-{os}-{arch} for several platforms\n");
  CHECK_NOTHROW(parse_config(y, "gobuild.yaml", "/m", LoadOptions{}));
}

TEST_CASE("render_init_config: a target translated from .goreleaser.yaml") {
  InitConfig c;
  c.module_path = "example.com/tool";
  c.module_dir = ".";
  c.platform = "linux/amd64";
  c.go_version = "1.26";
  InitTarget t("mytool", "./cmd/mytool");
  t.ldflags = {"-s -w -X main.version={version}"};
  t.flags = {"-trimpath"};
  t.tags = {"netgo"};
  t.env = {{"GOEXPERIMENT", "loopvar"}};
  t.platforms = {"linux/amd64", "linux/arm/v7"};
  c.targets = {t};
  std::string y = render_init_config(c);
  CHECK(y.substr(y.find("targets:\n")) ==
        "targets:\n"
        "  - name: mytool              # unique, [A-Za-z0-9._-]+\n"
        "    main: ./cmd/mytool        # package to build, relative to the module\n"
        "    ldflags: [\"-s -w -X main.version={version}\"] # from .goreleaser.yaml\n"
        "    flags: [\"-trimpath\"]      # from .goreleaser.yaml\n"
        "    tags: [netgo]             # from .goreleaser.yaml\n"
        "    env: {GOEXPERIMENT: loopvar} # from .goreleaser.yaml\n"
        "    platforms: [linux/amd64, linux/arm/v7] # goos x goarch x goarm/goamd64 of .goreleaser.yaml\n"
        "    # output: bin/{name}      # default; bin/{name}-{os}-{arch} for several platforms\n");
}
