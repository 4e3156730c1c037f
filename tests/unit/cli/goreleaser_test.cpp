#include <algorithm>
#include <doctest/doctest.h>

#include "gobuild/cli/goreleaser.hpp"
#include "gobuild/cli/init.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;

TEST_CASE("translate_template: GoReleaser's fields become stamps; anything else is refused") {
  std::string out;
  CHECK(translate_template("-X main.version={{.Version}} -X main.commit={{ .Commit }}", out));
  CHECK(out == "-X main.version={version} -X main.commit={commit}");
  CHECK(translate_template("-X m.c={{.FullCommit}} -X m.s={{.ShortCommit}} -X m.d={{.Date}} -X m.t={{.Timestamp}}", out));
  CHECK(out == "-X m.c={commit} -X m.s={short_commit} -X m.d={date} -X m.t={timestamp}");
  CHECK_FALSE(translate_template("-X main.builtBy={{ .Env.BUILDER }}", out)); // no stamp for it
  CHECK(translate_template("-s -w", out));
  CHECK(out == "-s -w");
  CHECK_FALSE(translate_template("{{ if .IsSnapshot }}-X main.dev=1{{ end }}", out));
  CHECK_FALSE(translate_template("-X main.tag={{.Tag}}", out));
  CHECK_FALSE(translate_template("-X main.v={{ .Version | lower }}", out));
}

TEST_CASE("translate_goreleaser: builds, a goarm matrix, goamd64, ignore and what is left out") {
  const char* yaml = R"(
version: 2
before:
  hooks: [go mod tidy]
builds:
  - id: cli
    binary: mytool
    main: ./cmd/mytool
    env: [CGO_ENABLED=0, GOEXPERIMENT=loopvar]
    flags: [-trimpath]
    tags: [netgo]
    ldflags:
      - -s -w -X main.version={{.Version}} -X main.date={{.Date}}
      - "{{ if .IsSnapshot }}-X main.snapshot=1{{ end }}"
    goos: [linux, darwin]
    goarch: [amd64, arm, arm64]
    goarm: ["6", "7"]
    goamd64: [v1, v3]
    ignore:
      - goos: darwin
        goarch: arm
      - goos: linux
        goarch: arm
        goarm: "6"
    hooks:
      post:
        - upx {{ .Path }}
  - id: agent
    main: agent
    env: [CGO_ENABLED=1]
    skip: true
)";
  ReleaserTranslation t = translate_goreleaser(yaml, "proj");
  REQUIRE(t.targets.size() == 2);
  const ReleaserTarget& a = t.targets[0];
  CHECK(a.name == "mytool");
  CHECK(a.main == "./cmd/mytool");
  CHECK_FALSE(a.cgo);
  CHECK(a.env == std::map<std::string, std::string>{{"GOEXPERIMENT", "loopvar"}});
  CHECK(a.flags == std::vector<std::string>{"-trimpath"});
  CHECK(a.tags == std::vector<std::string>{"netgo"});
  CHECK(a.ldflags == std::vector<std::string>{"-s -w -X main.version={version} -X main.date={date}"});
  CHECK(a.platforms == std::vector<std::string>{"linux/amd64", "linux/amd64/v3", "linux/arm/v7", "linux/arm64",
                                                "darwin/amd64", "darwin/amd64/v3", "darwin/arm64"});
  const ReleaserTarget& b = t.targets[1];
  CHECK(b.name == "agent");
  CHECK(b.main == "./agent");
  CHECK(b.cgo);
  // GoReleaser's defaults: its ldflags, goos darwin/linux/windows, goarch 386/amd64/arm64.
  CHECK(b.ldflags == std::vector<std::string>{"-s -w -X main.version={version} -X main.commit={commit} "
                                              "-X main.date={date} -X main.builtBy=goreleaser"});
  CHECK(b.platforms == std::vector<std::string>{"darwin/amd64", "darwin/arm64", "linux/386", "linux/amd64",
                                                "linux/arm64", "windows/386", "windows/amd64", "windows/arm64"});
  CHECK(t.untranslated == std::vector<std::string>{
                              "builds[0].hooks",
                              "builds[0].ldflags: {{ if .IsSnapshot }}-X main.snapshot=1{{ end }}",
                              "builds[1].skip"});
}

TEST_CASE("translate_goreleaser: no builds is one default build; not YAML is an error") {
  ReleaserTranslation t = translate_goreleaser("project_name: x\n", "proj");
  REQUIRE(t.targets.size() == 1);
  CHECK(t.targets[0].name == "proj");
  CHECK(t.targets[0].main == ".");
  CHECK_THROWS_AS(translate_goreleaser("builds: [", "proj"), UsageError);
}

TEST_CASE("translate_goreleaser: the older single build: map, and a templated binary name") {
  ReleaserTranslation a = translate_goreleaser("build:\n  binary: croc\n  main: ./cmd/croc\n", "mod");
  REQUIRE(a.targets.size() == 1);
  CHECK(a.targets[0].name == "croc");
  CHECK(a.targets[0].main == "./cmd/croc");
  ReleaserTranslation b = translate_goreleaser("builds:\n  - binary: yq_{{ .Os }}_{{ .Arch }}\n", "yq");
  REQUIRE(b.targets.size() == 1);
  CHECK(b.targets[0].name == "yq");
  CHECK(std::find(b.untranslated.begin(), b.untranslated.end(), "builds[0].binary: yq_{{ .Os }}_{{ .Arch }}") !=
        b.untranslated.end());
}

TEST_CASE("translate_goreleaser: targets name the platforms outright") {
  ReleaserTranslation a = translate_goreleaser(
      "builds:\n  - targets: [linux_amd64_v1, linux_amd64_v3, linux_arm_7, darwin_arm64, go_first_class]\n", "app");
  REQUIRE(a.targets.size() == 1);
  CHECK(a.targets[0].platforms ==
        std::vector<std::string>{"linux/amd64", "linux/amd64/v3", "linux/arm/v7", "darwin/arm64"});
  CHECK(std::find(a.untranslated.begin(), a.untranslated.end(), "builds[0].targets: go_first_class") !=
        a.untranslated.end());
}
