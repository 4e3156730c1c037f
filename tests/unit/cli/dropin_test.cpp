#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "gobuild/cli/dropin.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;
using Words = std::vector<std::string>;

namespace {

GoFlags flags(std::vector<std::string> items) {
  GoFlags g;
  g.flags = std::move(items);
  for (const auto& i : g.flags) g.given.push_back(i.substr(0, i.find('=')));
  return g;
}

std::string refusal_of_settings(const GoFlags& g) {
  try {
    dropin_settings(g, false);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

const std::string kModule = "/src/app";

std::vector<ListedPackage> listed(std::initializer_list<ListedPackage> l) { return l; }

} // namespace

TEST_CASE("dropin_settings: gobuild's defaults") {
  BuildSettings b = dropin_settings(GoFlags{}, false);
  CHECK_FALSE(b.cgo);
  CHECK(b.rebuild_all == RebuildAll::automatic);
  CHECK(b.trimpath);
  CHECK_FALSE(b.buildvcs);
  CHECK(b.linkmode == LinkMode::internal);
  CHECK(b.static_mode == StaticMode::on);
  CHECK(b.ldflags.empty());
  CHECK(b.tags.empty());
  CHECK(b.flags.empty());
}

TEST_CASE("dropin_settings: tags, ldflags and flags, the last -tags/-ldflags counting") {
  GoFlags g = flags({"-trimpath", "-x", "-gcflags=all=-N -l", "-a"});
  g.tags = {"ignored", "netgo,osusergo extra"};
  g.ldflags = {"-w", "-s -w -X 'main.msg=a b'"};
  BuildSettings b = dropin_settings(g, false);
  CHECK(b.tags == Words{"netgo", "osusergo", "extra"});
  CHECK(b.ldflags == Words{"-s", "-w", "-X", "main.msg=a b"});
  CHECK(b.flags == Words{"-x", "-gcflags=all=-N -l"});
  CHECK(b.trimpath);
  CHECK(b.rebuild_all == RebuildAll::yes);
  b = dropin_settings(flags({"-trimpath=false", "-buildvcs=true"}), false);
  CHECK_FALSE(b.trimpath);
  CHECK(b.buildvcs);
}

TEST_CASE("dropin_settings: the config's allowlists refuse, naming the flag") {
  CHECK(refusal_of_settings(flags({"-toolexec=x"})) ==
        "-toolexec=x: refused, as it would be in a gobuild.yaml (flags: -toolexec runs a program "
        "of the config's choosing)");
  CHECK(refusal_of_settings(flags({"-mod=mod"})) ==
        "-mod=mod: refused, as it would be in a gobuild.yaml (flags: -mod=mod may rewrite go.mod "
        "and go.sum)");
  CHECK(refusal_of_settings(flags({"-trimpath=maybe"})) == "-trimpath=maybe: expected true or false");
  GoFlags g;
  g.ldflags = {"-s -linkmode=external"};
  CHECK(refusal_of_settings(g) ==
        "-ldflags -s -linkmode=external: refused, as it would be in a gobuild.yaml (ldflags: "
        "-linkmode is set by gobuild; use the `linkmode` key)");
  g.ldflags = {"-X 'main.v=1"};
  CHECK(refusal_of_settings(g) == "unterminated ' string in '-X 'main.v=1'");
  g = GoFlags{};
  g.tags = {"a,b-c"};
  CHECK(refusal_of_settings(g) ==
        "-tags a,b-c: refused, as it would be in a gobuild.yaml (tags: 'b-c' is not a build tag "
        "(letters, digits, '_' and '.'; one tag an item))");
}

TEST_CASE("parse_listed and exec_name") {
  auto p = parse_listed("main example.com/app /src/my app\nlib example.com/app/lib /src/my app/lib\n\n");
  REQUIRE(p.size() == 2);
  CHECK(p[0].name == "main");
  CHECK(p[0].import_path == "example.com/app");
  CHECK(p[0].dir == "/src/my app");
  CHECK_THROWS_WITH_AS(parse_listed("go:warning\n"), "go list printed an unexpected line: go:warning",
                       UsageError);
  // go's messages while it fills the module cache share the stream: not packages.
  auto d = parse_listed("go: downloading golang.org/x/net v0.48.0\nmain example.com/app /src/app\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].import_path == "example.com/app");
  CHECK(exec_name("example.com/app") == "app");
  CHECK(exec_name("example.com/app/cmd/tool") == "tool");
  CHECK(exec_name("example.com/app/v2") == "app");
  CHECK(exec_name("example.com/app/cmd/v2x") == "v2x");
  CHECK(exec_name("v2") == "v2");
}

TEST_CASE("dropin_targets: -o as go reads it") {
  BuildSettings s;
  auto one = listed({{"main", "example.com/app", kModule}});
  auto two = listed({{"main", "example.com/app/cmd/a", kModule + "/cmd/a"},
                     {"lib", "example.com/app/cmd/lib", kModule + "/cmd/lib"},
                     {"main", "example.com/app/cmd/b", kModule + "/cmd/b"}});

  auto t = dropin_targets(one, false, std::string("bin/app"), false, kModule, s);
  REQUIRE(t.size() == 1);
  CHECK(t[0].name == "app");
  CHECK(t[0].main == ".");
  CHECK(t[0].output == "bin/app");
  t = dropin_targets(one, false, std::nullopt, false, kModule, s);
  CHECK(t[0].output == "app"); // the current directory, as go build
  t = dropin_targets(one, false, std::string("out"), true, kModule, s); // an existing directory
  CHECK(t[0].output == "out/{name}");

  t = dropin_targets(two, true, std::string("bin/"), false, kModule, s);
  REQUIRE(t.size() == 2);
  CHECK(t[0].name == "a");
  CHECK(t[0].main == "./cmd/a");
  CHECK(t[0].output == "bin/{name}");
  CHECK(t[1].name == "b");
  CHECK(t[1].main == "./cmd/b");

  CHECK_THROWS_WITH_AS(dropin_targets(two, true, std::string("bin/x"), false, kModule, s),
                       "-o bin/x: 2 main packages need a directory; end it with '/'", UsageError);
  CHECK_THROWS_WITH_AS(dropin_targets(two, true, std::nullopt, false, kModule, s),
                       "2 main packages: name a directory for them with -o DIR/", UsageError);
  CHECK_THROWS_WITH_AS(dropin_targets(two, false, std::string("bin/"), false, kModule, s),
                       "example.com/app/cmd/lib is package lib, not a main package: there is no "
                       "program to build", UsageError);
  CHECK_THROWS_WITH_AS(
      dropin_targets(listed({{"lib", "example.com/app/cmd/lib", kModule + "/cmd/lib"}}), true,
                     std::string("bin/"), false, kModule, s),
      "no main package to build among the packages named", UsageError);
  CHECK_THROWS_WITH_AS(dropin_targets(one, false, std::string("bin/{name}"), false, kModule, s),
                       "-o bin/{name}: braces are not allowed in the drop-in's output path", UsageError);
  auto clash = listed({{"main", "example.com/x/app", "/elsewhere/x/app"},
                       {"main", "example.com/y/app/v2", "/elsewhere/y/app/v2"}});
  CHECK_THROWS_WITH_AS(dropin_targets(clash, true, std::string("bin/"), false, kModule, s),
                       "example.com/x/app and example.com/y/app/v2 would both be written as 'app'; "
                       "build them apart, each with its own -o", UsageError);
  // A package outside the module is built by import path.
  t = dropin_targets(listed({{"main", "example.com/x/app", "/elsewhere/x/app"}}), false,
                     std::nullopt, false, kModule, s);
  CHECK(t[0].main == "example.com/x/app");
}
