#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>

#include <boost/filesystem.hpp>

#include "gobuild/config/config.hpp"

using namespace gobuild;

namespace {

Config parse(const std::string& yaml, LoadOptions opts = {}) {
  return parse_config(yaml, "gobuild.yaml", "/src/app", opts);
}

/// The formatted ConfigError, or "(no error)".
std::string error_of(const std::string& yaml, LoadOptions opts = {}) {
  try {
    parse(yaml, opts);
  } catch (const ConfigError& e) {
    return e.formatted();
  }
  return "(no error)";
}

using Words = std::vector<std::string>;
using Env = std::vector<std::pair<std::string, std::string>>;

const char* const kMinimal = "version: 1\ntargets:\n  - name: hello\n";

} // namespace

TEST_CASE("vendor: true, false or check") {
  Config c = parse("version: 1\nvendor: check\ntargets:\n  - name: hello\n");
  CHECK(c.vendor);
  CHECK(c.vendor_check);
  c = parse("version: 1\nvendor: false\ntargets:\n  - name: hello\n");
  CHECK_FALSE(c.vendor);
  CHECK_FALSE(c.vendor_check);
  c = parse("version: 1\nvendor: true\ntargets:\n  - name: hello\n");
  CHECK(c.vendor);
  CHECK_FALSE(c.vendor_check);
}

TEST_CASE("a minimal config gets every default") {
  Config c = parse(kMinimal);
  CHECK(c.file == "gobuild.yaml");
  CHECK(c.dir == "/src/app");
  CHECK(c.module_dir == "/src/app");
  CHECK_FALSE(c.go.has_value());
  CHECK(c.vendor == true);
  CHECK(c.vendor_check == false);
  REQUIRE(c.targets.size() == 1);
  const Target& t = c.targets[0];
  CHECK(t.name == "hello");
  CHECK(t.main == ".");
  CHECK(t.output == "bin/{name}");
  CHECK(t.platforms.empty());
  CHECK(t.line == 3);
  const BuildSettings& b = t.build;
  CHECK(b.cgo == false);
  CHECK(b.rebuild_all == RebuildAll::automatic);
  CHECK_FALSE(rebuilds_all(b));
  CHECK(b.trimpath == true);
  CHECK(b.buildvcs == false);
  CHECK(b.linkmode == LinkMode::internal);
  CHECK(b.extldflags.empty());
  CHECK(b.ldflags.empty());
  CHECK(b.tags.empty());
  CHECK(b.flags.empty());
  CHECK(b.env.empty());
  CHECK(b.static_mode == StaticMode::on);
}

TEST_CASE("the full example of doc/config.md is read as written") {
  Config c = parse(R"Y(version: 1
module: ./src
go: "1.26"
vendor: false
build:
  cgo: true
  rebuild_all: false
  trimpath: false
  buildvcs: true
  linkmode: external
  extldflags: [-static, -lm]
  ldflags: [-s, -w]
  tags: [netgo, osusergo]
  flags: [-race, "-gcflags=all=-N -l"]
  env: {GOAMD64: v3, GOEXPERIMENT: boringcrypto}
  static: strict
targets:
  - name: hello
    main: ./cmd/hello
    output: out/{name}-{os}-{arch}
    platforms: [linux/amd64, linux/arm64]
)Y");
  CHECK(c.module_dir == "/src/app/src");
  CHECK(c.go == std::optional<std::string>("1.26"));
  CHECK(c.vendor == false);
  const Target& t = c.targets.at(0);
  CHECK(t.main == "./cmd/hello");
  CHECK(t.output == "out/{name}-{os}-{arch}");
  REQUIRE(t.platforms.size() == 2);
  CHECK(t.platforms[0].str() == "linux/amd64");
  CHECK(t.platforms[1].os == "linux");
  CHECK(t.platforms[1].arch == "arm64");
  const BuildSettings& b = t.build;
  CHECK(b.cgo == true);
  CHECK(b.rebuild_all == RebuildAll::no);
  CHECK(b.trimpath == false);
  CHECK(b.buildvcs == true);
  CHECK(b.linkmode == LinkMode::external);
  CHECK(b.extldflags == Words{"-static", "-lm"});
  CHECK(b.ldflags == Words{"-s", "-w"});
  CHECK(b.tags == Words{"netgo", "osusergo"});
  CHECK(b.flags == Words{"-race", "-gcflags=all=-N -l"});
  CHECK(b.env == Env{{"GOAMD64", "v3"}, {"GOEXPERIMENT", "boringcrypto"}});
  CHECK(b.static_mode == StaticMode::strict);
}

TEST_CASE("per-target keys override the defaults key by key; lists replace") {
  Config c = parse(R"Y(version: 1
build:
  tags: [netgo]
  ldflags: [-s]
  env: {GOAMD64: v2}
  trimpath: false
targets:
  - name: a
  - name: b
    tags: [osusergo]
    env: {GOARM64: v8.0}
    cgo: true
    static: false
  - name: c
    ldflags: []
)Y");
  REQUIRE(c.targets.size() == 3);
  const BuildSettings& a = c.targets[0].build;
  CHECK(a.tags == Words{"netgo"});
  CHECK(a.ldflags == Words{"-s"});
  CHECK(a.env == Env{{"GOAMD64", "v2"}});
  CHECK(a.trimpath == false);
  CHECK(a.cgo == false);
  const BuildSettings& b = c.targets[1].build;
  CHECK(b.tags == Words{"osusergo"});
  CHECK(b.ldflags == Words{"-s"});
  CHECK(b.env == Env{{"GOARM64", "v8.0"}});
  CHECK(b.trimpath == false);
  CHECK(b.cgo == true);
  CHECK(b.static_mode == StaticMode::off);
  CHECK(c.targets[2].build.ldflags.empty());
  CHECK(c.targets[2].build.tags == Words{"netgo"});
}

TEST_CASE("external linking defaults extldflags to -static") {
  Config c = parse(R"Y(version: 1
build: {cgo: true}
targets:
  - name: a
    linkmode: external
  - name: b
    linkmode: external
    extldflags: [-static-pie]
  - name: c
)Y");
  CHECK(c.targets[0].build.extldflags == Words{"-static"});
  CHECK(c.targets[1].build.extldflags == Words{"-static-pie"});
  CHECK(c.targets[2].build.linkmode == LinkMode::internal);
  CHECK(c.targets[2].build.extldflags.empty());
}

TEST_CASE("an inherited extldflags is dropped for a target that links internally") {
  Config c = parse(R"Y(version: 1
build: {cgo: true, linkmode: external, extldflags: [-static, -lm]}
targets:
  - name: a
  - name: b
    linkmode: internal
)Y");
  CHECK(c.targets[0].build.extldflags == Words{"-static", "-lm"});
  CHECK(c.targets[1].build.extldflags.empty());
}

TEST_CASE("static: strict refuses cgo without netgo and osusergo before anything runs") {
  CHECK(error_of("version: 1\nbuild: {cgo: true, linkmode: external, tags: [netgo]}\ntargets:\n  - name: a\n"
                 "    static: strict\n") ==
        "gobuild.yaml:5:13: error: static: strict refuses cgo without the netgo and osusergo tags (glibc "
        "may load NSS modules at run time); add tags: [netgo, osusergo], or set static: true");
  CHECK(error_of("version: 1\nbuild: {static: strict}\ntargets:\n  - name: a\n    cgo: true\n") ==
        "gobuild.yaml:2:17: error: static: strict refuses cgo without the netgo and osusergo tags (target "
        "'a') (glibc may load NSS modules at run time); add tags: [netgo, osusergo], or set static: true");
  CHECK_NOTHROW(parse("version: 1\nbuild: {static: strict}\ntargets: [{name: a}]\n")); // no cgo
}

TEST_CASE("static takes true, false and strict") {
  auto mode = [](const std::string& v) {
    return parse("version: 1\nbuild: {static: " + v + "}\ntargets: [{name: a}]\n")
        .targets[0].build.static_mode;
  };
  CHECK(mode("true") == StaticMode::on);
  CHECK(mode("false") == StaticMode::off);
  CHECK(mode("strict") == StaticMode::strict);
  CHECK(mode("\"strict\"") == StaticMode::strict);
  CHECK(mode("TRUE") == StaticMode::on);
}

TEST_CASE("anchors and aliases share values") {
  Config c = parse(R"Y(version: 1
build:
  tags: &tags [netgo, osusergo]
targets:
  - name: a
    platforms: &plat [linux/amd64, linux/arm64]
  - name: b
    platforms: *plat
    tags: *tags
)Y");
  CHECK(c.targets[1].platforms.size() == 2);
  CHECK(c.targets[1].platforms[1].str() == "linux/arm64");
  CHECK(c.targets[1].build.tags == Words{"netgo", "osusergo"});
}

TEST_CASE("merge keys: explicit keys win, the first merged map wins, order is kept") {
  Config c = parse(R"Y(version: 1
x-defaults: &common
  cgo: true
  linkmode: external
  tags: [netgo]
x-more: &more
  tags: [osusergo]
  trimpath: false
targets:
  - name: a
    <<: *common
  - name: b
    tags: [mine]
    <<: [*common, *more]
)Y");
  const BuildSettings& a = c.targets[0].build;
  CHECK(a.cgo == true);
  CHECK(a.linkmode == LinkMode::external);
  CHECK(a.tags == Words{"netgo"});
  CHECK(a.extldflags == Words{"-static"});
  CHECK(a.trimpath == true);
  const BuildSettings& b = c.targets[1].build;
  CHECK(b.tags == Words{"mine"});
  CHECK(b.cgo == true);
  CHECK(b.trimpath == false);
}

TEST_CASE("a merge key in build: and env keeps file order around the merge") {
  Config c = parse(R"Y(version: 1
x-env: &env {GOAMD64: v3, GOEXPERIMENT: arenas}
build:
  env:
    GO386: sse2
    <<: *env
    GOAMD64: v1
targets: [{name: a}]
)Y");
  CHECK(c.targets[0].build.env ==
        Env{{"GO386", "sse2"}, {"GOEXPERIMENT", "arenas"}, {"GOAMD64", "v1"}});
}

TEST_CASE("a quoted << is an ordinary key") {
  CHECK(error_of("version: 1\n\"<<\": {}\ntargets: [{name: a}]\n") ==
        "gobuild.yaml:2:1: error: unknown key '<<' (known keys: version, module, go, vendor, "
        "build, targets)");
}

TEST_CASE("output defaults and placeholders") {
  Config c = parse(R"Y(version: 1
targets:
  - name: one
    platforms: [linux/amd64]
  - name: many
    platforms: [linux/amd64, windows/arm64]
  - name: custom
    output: dist/{os}/{arch}/{name}.exe
    platforms: [windows/amd64, linux/arm]
  - name: upper
    output: dist/UPPER.EXE
    platforms: [windows/386]
)Y");
  const Target& one = c.targets[0];
  CHECK(one.output == "bin/{name}");
  CHECK(expand_output(one, one.platforms[0]) == "bin/one");
  const Target& many = c.targets[1];
  CHECK(many.output == "bin/{name}-{os}-{arch}{variant}");
  CHECK(expand_output(many, many.platforms[0]) == "bin/many-linux-amd64");
  CHECK(expand_output(many, many.platforms[1]) == "bin/many-windows-arm64.exe");
  const Target& custom = c.targets[2];
  CHECK(expand_output(custom, custom.platforms[0]) == "dist/windows/amd64/custom.exe");
  CHECK(expand_output(custom, custom.platforms[1]) == "dist/linux/arm/custom.exe");
  const Target& upper = c.targets[3];
  CHECK(expand_output(upper, upper.platforms[0]) == "dist/UPPER.EXE");
}

TEST_CASE("expand_output leaves unknown braces alone") {
  Target t;
  t.name = "x";
  t.output = "a/{name}{b}{os";
  CHECK(expand_output(t, Platform{"linux", "386"}) == "a/x{b}{os");
}

TEST_CASE("module resolves against the config's directory") {
  auto dir = [](const std::string& m) {
    return parse("version: 1\nmodule: " + m + "\ntargets: [{name: a}]\n").module_dir;
  };
  CHECK(dir(".") == "/src/app");
  CHECK(dir("./go/") == "/src/app/go");
  CHECK(dir("../other") == "/src/other");
  CHECK(error_of("version: 1\nmodule: /abs/mod\ntargets: [{name: a}]\n") ==
        "gobuild.yaml:2:9: error: module: '/abs/mod' is an absolute path; give the module's "
        "directory relative to the config's");
}

TEST_CASE("go versions") {
  auto go = [](const std::string& v) {
    return parse("version: 1\ngo: " + v + "\ntargets: [{name: a}]\n").go.value_or("-");
  };
  CHECK(go("\"1.26\"") == "1.26");
  CHECK(go("1.26") == "1.26");
  CHECK(go("1.22.0") == "1.22.0");
  CHECK(go("'1.26.8'") == "1.26.8");
  CHECK(go("1.27rc1") == "1.27rc1");
  CHECK(go("1.27beta2") == "1.27beta2");
  CHECK(go("1.21") == "1.21");
}

TEST_CASE("allowed flags and env") {
  Config c = parse(R"Y(version: 1
build:
  cgo: true
  static: false
  flags: [-race, -msan, -asan, -cover, -covermode=atomic, -coverpkg=./..., -gcflags=-m,
          -asmflags=-spectre=all, -pgo=off, -buildmode=pie, -p=4, -v, -x]
  env: {GOAMD64: v1, GOARM: 7, GO386: softfloat, GOARM64: v8.1, GOMIPS: hardfloat,
        GOMIPS64: softfloat, GOPPC64: power9, GORISCV64: rva22u64, GOWASM: satconv,
        GOEXPERIMENT: ""}
targets: [{name: a}]
)Y");
  CHECK(c.targets[0].build.flags.size() == 13);
  CHECK(c.targets[0].build.env.size() == 10);
  CHECK(c.targets[0].build.env[1] == std::pair<std::string, std::string>{"GOARM", "7"});
  CHECK(c.targets[0].build.env[9].second.empty());
}

TEST_CASE("release flags in `flags` become the keys they mean") {
  Config c = parse(R"Y(version: 1
build:
  trimpath: true
  flags: [-trimpath, -buildvcs=false, -mod=vendor, -p, "2", -v]
targets:
  - name: a
  - name: b
    trimpath: false
    buildvcs: true
    flags: [-buildvcs=true, -buildmode, exe]
)Y");
  const BuildSettings& a = c.targets[0].build;
  CHECK(a.trimpath);
  CHECK_FALSE(a.buildvcs);
  CHECK(a.flags == Words{"-p", "2", "-v"});
  const BuildSettings& b = c.targets[1].build;
  CHECK_FALSE(b.trimpath);
  CHECK(b.buildvcs);
  CHECK(b.flags == Words{"-buildmode", "exe"});
}

TEST_CASE("ldflags and extldflags items are split into the words the go command sees") {
  Config c = parse(R"Y(version: 1
build:
  cgo: true
  linkmode: external
  extldflags: ["-static -Wl,--gc-sections"]
  ldflags: ["-s -w -X 'main.version=1.0 beta'", -X, main.commit=abc]
targets: [{name: a}]
)Y");
  CHECK(c.targets[0].build.ldflags == Words{"-s", "-w", "-X", "main.version=1.0 beta", "-X",
                                            "main.commit=abc"});
  CHECK(c.targets[0].build.extldflags == Words{"-static", "-Wl,--gc-sections"});
}

TEST_CASE("flags that need another key say so") {
  auto err = [](const std::string& build) {
    return error_of("version: 1\nbuild:\n" + build + "targets: [{name: a}]\n");
  };
  CHECK(err("  trimpath: false\n  flags: [-v, -trimpath]\n") ==
        "gobuild.yaml:4:15: error: flags: -trimpath contradicts trimpath: false");
  CHECK(err("  buildvcs: false\n  flags: [-buildvcs=true]\n") ==
        "gobuild.yaml:4:11: error: flags: -buildvcs=true contradicts buildvcs: false");
  CHECK(error_of("version: 1\nvendor: false\nbuild:\n  flags: [-mod=vendor]\ntargets: [{name: a}]\n") ==
        "gobuild.yaml:4:11: error: flags: -mod=vendor needs vendor: true (gobuild builds from "
        "vendor/ only after vendoring it)");
  CHECK(err("  flags: [-mod=readonly]\n") ==
        "gobuild.yaml:3:11: error: flags: -mod=readonly contradicts vendor: true, which builds "
        "from vendor/");
  CHECK(err("  flags: [-race]\n") == "gobuild.yaml:3:11: error: flags: -race needs cgo: true");
  const std::string pie =
      "flags: -buildmode=pie makes an executable that needs the dynamic loader, which static: "
      "true refuses (set static: false, or build a static PIE with linkmode: external and "
      "extldflags: [-static-pie])";
  CHECK(err("  flags: [-buildmode=pie]\n") == "gobuild.yaml:3:11: error: " + pie);
  CHECK(err("  flags: [-v, -buildmode, pie]\n") == "gobuild.yaml:3:27: error: " + pie);
  CHECK(err("  cgo: true\n  linkmode: external\n  flags: [-buildmode=pie]\n") ==
        "gobuild.yaml:5:11: error: " + pie);
  CHECK(err("  cgo: true\n  linkmode: external\n  extldflags: [-static-pie]\n"
            "  flags: [-buildmode=pie]\n") == "(no error)");
  CHECK(err("  ldflags: [\"-X 'main.v=1\"]\n") ==
        "gobuild.yaml:3:13: error: ldflags[0]: unterminated ' string (go splits ldflags items as a shell would, "
        "without escapes)");
  CHECK(err("  ldflags: [-s, -X]\n") ==
        "gobuild.yaml:3:17: error: ldflags: -X needs a value (write -X=VALUE, or the value as the "
        "next item)");
}

TEST_CASE("--allow-cc permits the C toolchain settings") {
  const char* yaml = R"Y(version: 1
build:
  cgo: true
  linkmode: external
  extldflags: [-static, -fuse-ld=mold]
  ldflags: [-extld=clang]
  env: {CC: musl-gcc, CGO_CFLAGS: -O2, CGO_LDFLAGS_ALLOW: ".*", PKG_CONFIG: pkgconf}
targets: [{name: a}]
)Y";
  LoadOptions cc;
  cc.allow_cc = true;
  Config c = parse(yaml, cc);
  CHECK(c.targets[0].build.env.size() == 4);
  CHECK(c.targets[0].build.extldflags == Words{"-static", "-fuse-ld=mold"});
  CHECK(error_of(yaml) ==
        "gobuild.yaml:5:25: error: extldflags: '-fuse-ld=mold' picks the linker program; pass "
        "--allow-cc to permit it");
}

TEST_CASE("is_known_platform holds the go tool dist list table") {
  CHECK(is_known_platform({"linux", "amd64"}));
  CHECK(is_known_platform({"linux", "loong64"}));
  CHECK(is_known_platform({"wasip1", "wasm"}));
  CHECK(is_known_platform({"aix", "ppc64"}));
  CHECK_FALSE(is_known_platform({"windows", "arm"})); // removed in Go 1.24
  CHECK_FALSE(is_known_platform({"linux", "x86_64"}));
  CHECK_FALSE(is_known_platform({"darwin", "386"}));
}

TEST_CASE("load_config reads the file and checks go.mod") {
  namespace fs = boost::filesystem;
  char tmpl[] = "/tmp/gobuild-config-test-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const fs::path dir = tmpl;
  const std::string path = (dir / "gobuild.yaml").string();

  SUBCASE("missing file") {
    CHECK_THROWS_WITH_AS(load_config((dir / "nope.yaml").string(), {}),
                         ((dir / "nope.yaml").string() + ": No such file or directory").c_str(),
                         UsageError);
  }
  SUBCASE("no go.mod") {
    std::ofstream(path) << "version: 1\nmodule: sub\ntargets: [{name: a}]\n";
    fs::create_directory(dir / "sub");
    try {
      load_config(path, {});
      FAIL("no error");
    } catch (const ConfigError& e) {
      CHECK(e.formatted() == path + ":2:9: error: module: no go.mod in " + (dir / "sub").string());
    }
  }
  SUBCASE("no go.mod, no module key") {
    std::ofstream(path) << "version: 1\ntargets: [{name: a}]\n";
    try {
      load_config(path, {});
      FAIL("no error");
    } catch (const ConfigError& e) {
      CHECK(e.formatted() == path + ":1:1: error: module: no go.mod in " + dir.string());
    }
  }
  SUBCASE("found") {
    std::ofstream(path) << "version: 1\nmodule: sub\ntargets: [{name: a}]\n";
    fs::create_directory(dir / "sub");
    std::ofstream(dir / "sub" / "go.mod") << "module example.com/a\n";
    Config c = load_config(path, {});
    CHECK(c.dir == dir.string());
    CHECK(c.module_dir == (dir / "sub").string());
    CHECK(c.file == path);
  }
  fs::remove_all(dir);
}

namespace {

struct Broken {
  const char* what;
  std::string yaml;
  std::string error;
};

// Each broken config with the exact message the user sees.
const std::vector<Broken> kBroken = {
    {"empty file", "", "gobuild.yaml: error: the config is empty; it needs version: 1 and targets"},
    {"not a map", "- a\n", "gobuild.yaml:1:1: error: expected a map with version: 1 and targets, got a list"},
    {"no version", "targets: [{name: a}]\n",
     "gobuild.yaml:1:1: error: version: missing; the config must say version: 1"},
    {"version 2", "version: 2\ntargets: [{name: a}]\n",
     "gobuild.yaml:1:10: error: version: 2 is not supported; this gobuild reads version 1"},
    {"quoted version", "version: \"1\"\ntargets: [{name: a}]\n",
     "gobuild.yaml:1:10: error: version: expected the number 1, got a quoted string"},
    {"unknown top key", "version: 1\nvendr: true\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:1: error: unknown key 'vendr' (did you mean 'vendor'?)"},
    {"unknown key far from any", "version: 1\nfoo: 1\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:1: error: unknown key 'foo' (known keys: version, module, go, vendor, build, "
     "targets)"},
    {"build key at the top", "version: 1\ncgo: true\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:1: error: unknown key 'cgo': build settings go under build: or in a target"},
    {"typo under build", "version: 1\nbuild:\n  trimpth: true\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:3: error: unknown key 'trimpth' (did you mean 'trimpath'?)"},
    {"target key under build", "version: 1\nbuild:\n  platforms: [linux/amd64]\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:3: error: unknown key 'platforms' under build: it is set in each target"},
    {"typo in a target", "version: 1\ntargets:\n  - name: a\n    platfroms: [linux/amd64]\n",
     "gobuild.yaml:4:5: error: unknown key 'platfroms' (did you mean 'platforms'?)"},
    {"nested build in a target", "version: 1\ntargets:\n  - name: a\n    build: {cgo: true}\n",
     "gobuild.yaml:4:5: error: build: per-target settings go directly in the target (e.g. cgo: "
     "true), not under build:"},
    {"string for a bool", "version: 1\nbuild:\n  cgo: \"true\"\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:8: error: cgo: expected true or false, got a quoted string"},
    {"yes is not a bool", "version: 1\nvendor: yes\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:9: error: vendor: 'yes' is not one of true, false, check"},
    {"vendor: a list", "version: 1\nvendor: [check]\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:9: error: vendor: expected true, false or check, got a list"},
    {"vendor: quoted check", "version: 1\nvendor: \"check\"\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:9: error: vendor: expected true, false or check, got a quoted string"},
    {"empty bool", "version: 1\nbuild:\n  trimpath:\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:3: error: trimpath: expected true or false, got nothing"},
    {"bad linkmode", "version: 1\nbuild:\n  linkmode: foo\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:13: error: linkmode: 'foo' is not one of internal, external"},
    {"static maybe", "version: 1\nbuild: {static: maybe}\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:17: error: static: 'maybe' is not one of true, false, strict"},
    {"go banana", "version: 1\ngo: banana\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:5: error: go: 'banana' is not a Go version like 1.26, 1.26.1 or 1.27rc1"},
    {"go with a go prefix", "version: 1\ngo: go1.26\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:5: error: go: 'go1.26' is not a Go version like 1.26, 1.26.1 or 1.27rc1 "
     "(write '1.26')"},
    {"go too old", "version: 1\ngo: \"1.18\"\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:5: error: go: '1.18' is older than 1.21, the first Go the go command can "
     "switch to through GOTOOLCHAIN"},
    {"go as a list", "version: 1\ngo: [1.26]\ntargets: [{name: a}]\n",
     "gobuild.yaml:2:5: error: go: expected a version such as \"1.26\", got a list"},
    {"map where a list is needed", "version: 1\nbuild:\n  tags: {netgo: true}\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:9: error: tags: expected a list, got a map"},
    {"string where a list is needed", "version: 1\nbuild:\n  tags: netgo\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:9: error: tags: expected a list, got 'netgo' (write [netgo])"},
    {"list item of the wrong type", "version: 1\nbuild:\n  ldflags: [-s, [-w]]\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:17: error: ldflags[1]: expected a string, got a list"},
    {"bad tag", "version: 1\nbuild:\n  tags: [netgo, \"os user\"]\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:17: error: tags: 'os user' is not a build tag (letters, digits, '_' and '.'; "
     "one tag an item)"},
    {"platform without arch", "version: 1\ntargets:\n  - name: a\n    platforms: [linux]\n",
     "gobuild.yaml:4:17: error: platforms: 'linux' is not OS/ARCH or OS/ARCH/VARIANT (e.g. linux/amd64, linux/arm/v7)"},
    {"platform with a variant its arch does not have", "version: 1\ntargets:\n  - name: a\n    platforms: [linux/amd64/x]\n",
     "gobuild.yaml:4:17: error: platforms: 'linux/amd64/x': 'x' is not a variant of amd64 (v1, v2, v3, v4: the values of GOAMD64)"},
    {"platform with four parts", "version: 1\ntargets:\n  - name: a\n    platforms: [linux/arm/v7/x]\n",
     "gobuild.yaml:4:17: error: platforms: 'linux/arm/v7/x' is not OS/ARCH or OS/ARCH/VARIANT (e.g. linux/amd64, linux/arm/v7)"},
    {"a variant of an arch without any", "version: 1\ntargets:\n  - name: a\n    platforms: [linux/s390x/v2]\n",
     "gobuild.yaml:4:17: error: platforms: 'linux/s390x/v2': s390x has no variants (variants are for arm, amd64, arm64, 386, mips, mips64, ppc64 and riscv64)"},
    {"arm64 variants", "version: 1\ntargets:\n  - name: a\n    platforms: [linux/arm64/v7]\n",
     "gobuild.yaml:4:17: error: platforms: 'linux/arm64/v7': 'v7' is not a variant of arm64 (v8.0 to v9.5: the values of GOARM64)"},
    {"a variant and env set the same variable", "version: 1\nbuild:\n  env: {GOARM: \"6\"}\ntargets:\n  - name: a\n    platforms: [linux/arm/v7, linux/amd64]\n",
     "gobuild.yaml:3:9: error: env: GOARM is also set by the platform 'linux/arm/v7' of target 'a' (GOARM=7); keep one: the variant for that platform, or env for the target"},
    {"a variant twice", "version: 1\ntargets:\n  - name: a\n    platforms: [linux/arm/v7, linux/arm/v7]\n",
     "gobuild.yaml:4:31: error: platforms: 'linux/arm/v7' is listed twice"},
    {"two variants, one output", "version: 1\ntargets:\n  - name: a\n    output: bin/{name}-{os}-{arch}\n    platforms: [linux/arm/v6, linux/arm/v7]\n",
     "gobuild.yaml:4:13: error: output: target 'a' writes 'bin/a-linux-arm' for both linux/arm/v6 and linux/arm/v7"},
    {"ldflags item with an unterminated quote", "version: 1\nbuild:\n  ldflags: [\"-s -X 'main.v=1\"]\ntargets:\n  - name: a\n",
     "gobuild.yaml:3:13: error: ldflags[0]: unterminated ' string (go splits ldflags items as a shell would, without escapes)"},
    {"ldflags item hiding a refused flag", "version: 1\nbuild:\n  ldflags: [\"-s -w -linkmode=external\"]\ntargets:\n  - name: a\n",
     "gobuild.yaml:3:13: error: ldflags: -linkmode is set by gobuild; use the `linkmode` key"},
    {"unknown stamp in ldflags", "version: 1\nbuild:\n  ldflags: [\"-X main.v={verison}\"]\ntargets:\n  - name: a\n",
     "gobuild.yaml:3:13: error: ldflags: unknown stamp '{verison}' (did you mean '{version}'?)"},
    {"unknown platform", "version: 1\ntargets:\n  - name: a\n    platforms: [linux/amd65]\n",
     "gobuild.yaml:4:17: error: platforms: 'linux/amd65' is not a platform Go supports (did you "
     "mean 'linux/amd64'?)"},
    {"far unknown platform", "version: 1\ntargets:\n  - name: a\n    platforms: [beos/x86_64]\n",
     "gobuild.yaml:4:17: error: platforms: 'beos/x86_64' is not a platform Go supports (see `go "
     "tool dist list`)"},
    {"duplicate platform", "version: 1\ntargets:\n  - name: a\n    platforms: [linux/arm64, linux/arm64]\n",
     "gobuild.yaml:4:30: error: platforms: 'linux/arm64' is listed twice"},
    {"empty platforms", "version: 1\ntargets:\n  - name: a\n    platforms: []\n",
     "gobuild.yaml:4:16: error: platforms: empty; leave the key out to build for the host"},
    {"duplicate target names", "version: 1\ntargets:\n  - name: a\n  - name: b\n  - name: a\n",
     "gobuild.yaml:5:11: error: name: 'a' is already used by the target at line 3"},
    {"unsafe name", "version: 1\ntargets:\n  - name: ../evil\n",
     "gobuild.yaml:3:11: error: name: '../evil' is not a safe name (letters, digits, '.', '_' "
     "and '-'; not . or ..)"},
    {"dot-dot name", "version: 1\ntargets:\n  - name: ..\n",
     "gobuild.yaml:3:11: error: name: '..' is not a safe name (letters, digits, '.', '_' and "
     "'-'; not . or ..)"},
    {"missing name", "version: 1\ntargets:\n  - main: ./cmd/a\n",
     "gobuild.yaml:3:5: error: targets[0]: name is required"},
    {"unknown placeholder", "version: 1\ntargets:\n  - name: a\n    output: bin/{nam}\n",
     "gobuild.yaml:4:13: error: output: unknown placeholder '{nam}' (did you mean '{name}'?)"},
    {"far unknown placeholder", "version: 1\ntargets:\n  - name: a\n    output: bin/{revision}\n",
     "gobuild.yaml:4:13: error: output: unknown placeholder '{revision}' (use {name}, {os}, {arch}, {variant} or a stamp such as {version})"},
    {"unbalanced brace", "version: 1\ntargets:\n  - name: a\n    output: bin/{name\n",
     "gobuild.yaml:4:13: error: output: 'bin/{name' has a '{' without a matching '}'"},
    {"stray closing brace", "version: 1\ntargets:\n  - name: a\n    output: bin/name}\n",
     "gobuild.yaml:4:13: error: output: 'bin/name}' has a '}' without a matching '{'"},
    {"template starting with a brace", "version: 1\ntargets:\n  - name: a\n    output: {name}\n",
     "gobuild.yaml:4:13: error: output: expected a string, got a map (quote a template that starts "
     "with '{')"},
    {"output naming a directory", "version: 1\ntargets:\n  - name: a\n    output: bin/\n",
     "gobuild.yaml:4:13: error: output: 'bin/' does not name a file"},
    {"output not telling platforms apart",
     "version: 1\ntargets:\n  - name: a\n    output: bin/{name}\n    platforms: [linux/amd64, linux/arm64]\n",
     "gobuild.yaml:4:13: error: output: 'bin/{name}' has no {os} or {arch}, so the 2 platforms of "
     "target 'a' would overwrite each other"},
    {"output telling only some platforms apart",
     "version: 1\ntargets:\n  - name: a\n    output: bin/{os}\n    platforms: [linux/amd64, linux/arm64]\n",
     "gobuild.yaml:4:13: error: output: target 'a' writes 'bin/linux' for both linux/amd64 and "
     "linux/arm64"},
    {"two targets, one output",
     "version: 1\ntargets:\n  - name: a\n    output: bin/app\n  - name: b\n    output: ./bin/x/../app\n",
     "gobuild.yaml:6:13: error: output: target 'b' writes './bin/x/../app', as target 'a' does"},
    {"external linking without cgo", "version: 1\nbuild:\n  linkmode: external\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:13: error: linkmode: external needs cgo: true, but target 'a' has cgo: false "
     "(Go 1.22 and later refuse external linking without cgo)"},
    {"external linking without cgo in a target",
     "version: 1\ntargets:\n  - name: a\n    linkmode: external\n",
     "gobuild.yaml:4:15: error: linkmode: external needs cgo: true (Go 1.22 and later refuse "
     "external linking without cgo)"},
    {"extldflags with internal linking", "version: 1\nbuild:\n  extldflags: [-static]\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:15: error: extldflags: only used with linkmode: external"},
    {"no targets", "version: 1\n", "gobuild.yaml:1:1: error: targets: missing; list at least one target"},
    {"empty targets", "version: 1\ntargets: []\n",
     "gobuild.yaml:2:10: error: targets: empty; list at least one target"},
    {"targets as a map", "version: 1\ntargets:\n  a: {}\n",
     "gobuild.yaml:3:3: error: targets: expected a list of targets, got a map"},
    {"target as a string", "version: 1\ntargets:\n  - hello\n",
     "gobuild.yaml:3:5: error: targets[0]: expected a map with name:, got 'hello'"},
    {"main that is a flag", "version: 1\ntargets:\n  - name: a\n    main: -toolexec=/bin/sh\n",
     "gobuild.yaml:4:11: error: main: '-toolexec=/bin/sh' starts with '-' and would be read as a flag"},
    {"main with several packages", "version: 1\ntargets:\n  - name: a\n    main: ./cmd/...\n",
     "gobuild.yaml:4:11: error: main: './cmd/...' names several packages; a target builds one"},
    {"env GOFLAGS", "version: 1\nbuild:\n  env: {GOFLAGS: -mod=mod}\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:9: error: env: GOFLAGS is not allowed: set by gobuild; use the `flags` key"},
    {"env GOOS", "version: 1\nbuild:\n  env:\n    GOOS: windows\ntargets: [{name: a}]\n",
     "gobuild.yaml:4:5: error: env: GOOS is not allowed: set by `platforms`"},
    {"env LD_PRELOAD", "version: 1\nbuild:\n  env: {LD_PRELOAD: /tmp/x.so}\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:9: error: env: LD_PRELOAD is not allowed: loads code into every program the "
     "build runs"},
    {"env CC without --allow-cc", "version: 1\nbuild:\n  env: {CC: gcc}\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:9: error: env: CC runs a program of the config's choosing; pass --allow-cc to "
     "permit it"},
    {"env typo", "version: 1\nbuild:\n  env: {GOAMD46: v1}\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:9: error: env: GOAMD46 is not allowed (did you mean GOAMD64?)"},
    {"env value a list", "version: 1\nbuild:\n  env: {GOAMD64: [v1]}\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:18: error: env: GOAMD64: expected a string, got a list"},
    {"env value missing", "version: 1\nbuild:\n  env:\n    GOAMD64:\ntargets: [{name: a}]\n",
     "gobuild.yaml:4:5: error: env: GOAMD64 needs a value (write \"\" for an empty one)"},
    {"flags -toolexec", "version: 1\nbuild:\n  flags: [-toolexec=/tmp/evil]\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:11: error: flags: -toolexec runs a program of the config's choosing"},
    {"flags -tags", "version: 1\nbuild:\n  flags: [-race, -tags=netgo]\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:18: error: flags: -tags is set by gobuild; use the `tags` key"},
    {"flags unknown", "version: 1\nbuild:\n  flags: [-foo]\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:11: error: flags: '-foo' is not allowed (allowed: -v, -x, -race, -msan, -asan, "
     "-cover, -trimpath, -covermode=set|count|atomic, -coverpkg=PATTERNS, -gcflags=FLAGS, "
     "-asmflags=FLAGS, -pgo=auto|off, -buildmode=exe|pie, -buildvcs=true|false, "
     "-mod=vendor|readonly, -p=N)"},
    {"flags in two words", "version: 1\nbuild:\n  flags: [\"-gcflags -N\"]\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:11: error: flags: '-gcflags -N' holds a space: give -gcflags and its value "
     "as two items, or write -gcflags=VALUE"},
    {"ldflags -linkmode", "version: 1\nbuild:\n  ldflags: [-s, -linkmode=external]\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:17: error: ldflags: -linkmode is set by gobuild; use the `linkmode` key"},
    {"ldflags hiding -extldflags in one item",
     "version: 1\nbuild:\n  ldflags: [\"-s '-extldflags=-B/tmp'\"]\ntargets: [{name: a}]\n",
     "gobuild.yaml:3:13: error: ldflags: -extldflags is set by gobuild; use the `extldflags` key "
     "(with linkmode: external)"},
    {"duplicate key", "version: 1\nbuild:\n  cgo: true\n  cgo: false\ntargets: [{name: a}]\n",
     "gobuild.yaml:4:3: error: duplicate key 'cgo' (first at line 3)"},
    {"YAML syntax error", "version: 1\ntargets: [{name: a}\n",
     "gobuild.yaml:3:1: error: invalid YAML: end of sequence flow not found"},
    {"tab indentation", "version: 1\ntargets:\n\t- name: a\n",
     "gobuild.yaml:3:2: error: invalid YAML: illegal block entry"},
};

} // namespace

TEST_CASE("broken configs give exact errors") {
  for (const auto& b : kBroken) {
    CAPTURE(std::string(b.what));
    CHECK(error_of(b.yaml) == b.error);
  }
}

TEST_CASE("rebuild_all: true, false or auto; auto is -a only with cgo") {
  auto settings = [](const std::string& build) {
    return parse("version: 1\nbuild:\n" + build + "targets:\n  - name: a\n  - name: c\n    cgo: true\n");
  };
  Config c = settings("  rebuild_all: auto\n");
  CHECK(c.targets[0].build.rebuild_all == RebuildAll::automatic);
  CHECK_FALSE(rebuilds_all(c.targets[0].build));
  CHECK(rebuilds_all(c.targets[1].build));
  c = settings("  rebuild_all: true\n");
  CHECK(rebuilds_all(c.targets[0].build));
  CHECK(rebuilds_all(c.targets[1].build));
  c = settings("  rebuild_all: false\n");
  CHECK_FALSE(rebuilds_all(c.targets[0].build));
  CHECK_FALSE(rebuilds_all(c.targets[1].build));
  c = settings("  cgo: false\n"); // the default is auto
  CHECK_FALSE(rebuilds_all(c.targets[0].build));
  CHECK(rebuilds_all(c.targets[1].build));
  auto error = [](const std::string& build) {
    return error_of("version: 1\nbuild:\n" + build + "targets:\n  - name: a\n");
  };
  CHECK(error("  rebuild_all: sometimes\n") ==
        "gobuild.yaml:3:16: error: rebuild_all: 'sometimes' is not one of true, false, auto");
  CHECK(error("  rebuild_all: \"auto\"\n") ==
        "gobuild.yaml:3:16: error: rebuild_all: expected true, false or auto, got a quoted string");
}

TEST_CASE("the starter config that gobuild init writes is valid") {
  Config c = parse(R"Y(version: 1                        # config schema version (required)
module: .                         # directory holding go.mod, relative to this file
# go: "1.26"
vendor: true
build:
  cgo: false
  rebuild_all: true
  trimpath: true
  buildvcs: false
  linkmode: internal
  # extldflags: [-static]
  ldflags: []
  tags: []
  flags: []
  env: {}
  static: true
targets:
  - name: hello
    main: .
    platforms: [linux/amd64]
    # output: bin/{name}
  - name: tool
    main: ./cmd/tool
    platforms: [linux/amd64]
)Y");
  REQUIRE(c.targets.size() == 2);
  CHECK(c.targets[1].main == "./cmd/tool");
  CHECK(c.targets[1].build.env.empty());
  CHECK(expand_output(c.targets[1], c.targets[1].platforms[0]) == "bin/tool");
}

TEST_CASE("every build key can be overridden in a target") {
  Config c = parse(R"Y(version: 1
targets:
  - name: a
    cgo: true
    rebuild_all: false
    trimpath: false
    buildvcs: true
    linkmode: external
    extldflags: [-static, -lpthread]
    ldflags: [-s]
    tags: [netgo, osusergo]
    flags: [-v]
    env: {GOAMD64: v4}
    static: strict
)Y");
  const BuildSettings& b = c.targets[0].build;
  CHECK(b.cgo == true);
  CHECK(b.rebuild_all == RebuildAll::no);
  CHECK(b.trimpath == false);
  CHECK(b.buildvcs == true);
  CHECK(b.linkmode == LinkMode::external);
  CHECK(b.extldflags == Words{"-static", "-lpthread"});
  CHECK(b.ldflags == Words{"-s"});
  CHECK(b.tags == Words{"netgo", "osusergo"});
  CHECK(b.flags == Words{"-v"});
  CHECK(b.env == Env{{"GOAMD64", "v4"}});
  CHECK(b.static_mode == StaticMode::strict);
}

TEST_CASE("x- keys at the top hold anchors and are otherwise ignored") {
  Config c = parse("version: 1\nx-tags: &t [netgo]\ntargets: [{name: a, tags: *t}]\n");
  CHECK(c.targets[0].build.tags == Words{"netgo"});
  CHECK(error_of("version: 1\ntargets: [{name: a, x-note: hi}]\n") ==
        "gobuild.yaml:2:21: error: unknown key 'x-note' (known keys: name, main, output, "
        "platforms, cgo, rebuild_all, trimpath, buildvcs, linkmode, extldflags, ldflags, tags, "
        "flags, env, static)");
}

TEST_CASE("ldflags and extldflags items are split into words as go splits -ldflags") {
  Config c = parse(R"Y(version: 1
build:
  cgo: true
  linkmode: external
  extldflags: ["-static -s"]
  ldflags: ["-s -w -X main.version={version}", "-X 'main.msg=hello world'", -buildid=]
targets:
  - name: a
)Y");
  const BuildSettings& b = c.targets[0].build;
  CHECK(b.ldflags == Words{"-s", "-w", "-X", "main.version={version}", "-X", "main.msg=hello world", "-buildid="});
  CHECK(b.extldflags == Words{"-static", "-s"});
}

TEST_CASE("platform variants: parsed, named by {variant}, matched by the default output") {
  Config c = parse(R"Y(version: 1
targets:
  - name: app
    platforms: [linux/amd64, linux/amd64/v3, linux/arm/v6, linux/arm/v7, linux/arm64/v8]
  - name: one
    platforms: [linux/arm/v5]
  - name: custom
    output: dist/{name}_{os}_{arch}_{variant}
    platforms: [linux/386/softfloat, linux/mips/hardfloat, linux/ppc64le/power9, linux/riscv64/rva22u64]
)Y");
  const Target& app = c.targets[0];
  REQUIRE(app.platforms.size() == 5);
  CHECK(app.platforms[1].str() == "linux/amd64/v3");
  CHECK(app.platforms[1].variant == "v3");
  CHECK(app.platforms[0].variant.empty());
  Words outs;
  for (const auto& p : app.platforms) outs.push_back(expand_output(app, p));
  CHECK(outs == Words{"bin/app-linux-amd64", "bin/app-linux-amd64v3", "bin/app-linux-armv6",
                      "bin/app-linux-armv7", "bin/app-linux-arm64v8"});
  CHECK(expand_output(c.targets[1], c.targets[1].platforms[0]) == "bin/one");
  const Target& custom = c.targets[2];
  CHECK(expand_output(custom, custom.platforms[0]) == "dist/custom_linux_386_softfloat");

  using Setting = std::optional<std::pair<std::string, std::string>>;
  CHECK(variant_setting(app.platforms[0]) == Setting{});
  CHECK(variant_setting(app.platforms[1]) == Setting{{"GOAMD64", "v3"}});
  CHECK(variant_setting(app.platforms[2]) == Setting{{"GOARM", "6"}});
  CHECK(variant_setting(app.platforms[4]) == Setting{{"GOARM64", "v8.0"}});
  CHECK(variant_setting(custom.platforms[0]) == Setting{{"GO386", "softfloat"}});
  CHECK(variant_setting(custom.platforms[1]) == Setting{{"GOMIPS", "hardfloat"}});
  CHECK(variant_setting(custom.platforms[2]) == Setting{{"GOPPC64", "power9"}});
  CHECK(variant_setting(custom.platforms[3]) == Setting{{"GORISCV64", "rva22u64"}});
}

TEST_CASE("env may set a variant's variable where no platform of the target has that variant") {
  Config c = parse(R"Y(version: 1
build:
  env: {GOARM: "6"}
targets:
  - name: a
    platforms: [linux/arm, linux/amd64/v2]
  - name: b
    env: {}
    platforms: [linux/arm/v7]
)Y");
  CHECK(c.targets[0].build.env == Env{{"GOARM", "6"}});
  CHECK(c.targets[1].build.env.empty());
}

TEST_CASE("go: mod defers the version to go.mod") {
  Config c = parse("version: 1\ngo: mod\ntargets:\n  - name: a\n");
  CHECK(c.go_mod);
  CHECK_FALSE(c.go.has_value());
  CHECK(c.go_line == 2);
  CHECK(c.go_column == 5);
}
