#include <doctest/doctest.h>

#include "gobuild/config/config.hpp"
#include "gobuild/config/emit.hpp"

using namespace gobuild;

namespace {

/// Every field the schema sets (positions and the file name aside).
void check_same(const Config& a, const Config& b) {
  CHECK(a.dir == b.dir);
  CHECK(a.module_dir == b.module_dir);
  CHECK(a.go == b.go);
  CHECK(a.vendor == b.vendor);
  REQUIRE(a.targets.size() == b.targets.size());
  for (size_t i = 0; i < a.targets.size(); ++i) {
    const Target& x = a.targets[i];
    const Target& y = b.targets[i];
    CAPTURE(x.name);
    CHECK(x.name == y.name);
    CHECK(x.main == y.main);
    CHECK(x.output == y.output);
    REQUIRE(x.platforms.size() == y.platforms.size());
    for (size_t k = 0; k < x.platforms.size(); ++k) CHECK(x.platforms[k] == y.platforms[k]);
    CHECK(x.build.cgo == y.build.cgo);
    CHECK(x.build.rebuild_all == y.build.rebuild_all);
    CHECK(x.build.trimpath == y.build.trimpath);
    CHECK(x.build.buildvcs == y.build.buildvcs);
    CHECK(x.build.linkmode == y.build.linkmode);
    CHECK(x.build.extldflags == y.build.extldflags);
    CHECK(x.build.ldflags == y.build.ldflags);
    CHECK(x.build.tags == y.build.tags);
    CHECK(x.build.flags == y.build.flags);
    CHECK(x.build.env == y.build.env);
    CHECK(x.build.static_mode == y.build.static_mode);
  }
}

Config round_trip(const Config& c) {
  return parse_config(emit_config(c), "gobuild.yaml", c.dir, {});
}

} // namespace

TEST_CASE("yaml_scalar: plain where YAML reads it back as the same string") {
  CHECK(yaml_scalar("app") == "app");
  CHECK(yaml_scalar("./cmd/app") == "./cmd/app");
  CHECK(yaml_scalar("-s") == "-s");
  CHECK(yaml_scalar("main.v=1") == "main.v=1");
  CHECK(yaml_scalar("bin/{name}") == "\"bin/{name}\"");
  CHECK(yaml_scalar("true") == "\"true\"");
  CHECK(yaml_scalar("No") == "\"No\"");
  CHECK(yaml_scalar("1.26") == "\"1.26\"");
  CHECK(yaml_scalar("") == "\"\"");
  CHECK(yaml_scalar("-") == "\"-\"");
  CHECK(yaml_scalar("a b") == "\"a b\"");
  CHECK(yaml_scalar("x: #y") == "\"x: #y\"");
  CHECK(yaml_scalar("say \"hi\"\\\n") == "\"say \\\"hi\\\"\\\\\\n\"");
}

TEST_CASE("emit_config: the drop-in's config, exactly") {
  Config c;
  c.dir = "/src/app";
  c.module_dir = "/src/app";
  c.vendor = false;
  Target t;
  t.name = "app";
  t.output = "bin/app";
  t.build.rebuild_all = RebuildAll::no;
  t.build.ldflags = {"-s", "-w", "-X", "main.v=1"};
  t.build.tags = {"netgo", "osusergo"};
  c.targets.push_back(t);
  CHECK(emit_config(c) == "version: 1\n"
                          "module: .\n"
                          "vendor: false\n"
                          "build:\n"
                          "  rebuild_all: false\n"
                          "  ldflags: [-s, -w, -X, main.v=1]\n"
                          "  tags: [netgo, osusergo]\n"
                          "targets:\n"
                          "  - name: app\n"
                          "    output: bin/app\n");
  check_same(c, round_trip(c));
}

TEST_CASE("emit_config: every key round-trips") {
  Config c;
  c.dir = "/src/repo";
  c.module_dir = "/src/repo/mod";
  c.go = "1.26";
  Target a;
  a.name = "a";
  a.main = "./cmd/a";
  a.output = "out/{name}-{os}-{arch}";
  a.platforms = {Platform{"linux", "amd64"}, Platform{"linux", "arm64"}};
  a.build.cgo = true;
  a.build.linkmode = LinkMode::external;
  a.build.extldflags = {"-static", "-Wl,--build-id=none"};
  a.build.flags = {"-gcflags=all=-N -l", "-x"};
  a.build.env = {{"GOAMD64", "v3"}, {"GOEXPERIMENT", ""}};
  a.build.static_mode = StaticMode::strict;
  a.build.tags = {"netgo", "osusergo"}; // strict with cgo needs both
  a.build.buildvcs = true;
  a.build.trimpath = false;
  a.build.ldflags = {"-X", "main.msg=hello world"};
  Target b;
  b.name = "b.tool";
  b.output = "out/b";
  b.build.static_mode = StaticMode::off;
  b.build.rebuild_all = RebuildAll::no;
  c.targets = {a, b};
  const std::string text = emit_config(c);
  CHECK(text.find("module: mod\n") != std::string::npos);
  CHECK(text.find("ldflags: [-X, \"'main.msg=hello world'\"]") != std::string::npos);
  CHECK(text.find("go: \"1.26\"\n") != std::string::npos);
  CHECK(text.find("build:") == std::string::npos); // the targets differ: settings in each
  check_same(c, round_trip(c));
  CHECK(emit_config(round_trip(c)) == text); // deterministic
}
