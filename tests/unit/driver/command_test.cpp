#include "gobuild/driver/command.hpp"

#include <doctest/doctest.h>

#include "gobuild/util/error.hpp"

using namespace gobuild;

TEST_CASE("go_build_argv with the defaults") {
  Target t;
  t.name = "hello";
  std::vector<std::string> want = {"go", "build", "-o", "/out/.hello.tmp", "-trimpath",
                                   "-buildvcs=false", "-ldflags", "-linkmode=internal", "."};
  CHECK(go_build_argv(t, "/out/.hello.tmp") == want); // rebuild_all: auto without cgo: no -a
  t.build.cgo = true;
  CHECK(go_build_argv(t, "/out/.hello.tmp").at(4) == "-a"); // auto with cgo
  t.build.rebuild_all = RebuildAll::no;
  CHECK(go_build_argv(t, "/out/.hello.tmp").at(4) == "-trimpath");
  t.build.cgo = false;
  t.build.rebuild_all = RebuildAll::yes;
  CHECK(go_build_argv(t, "/out/.hello.tmp").at(4) == "-a");
}

TEST_CASE("go_build_argv with every setting") {
  Target t;
  t.main = "./cmd/app";
  t.build.cgo = true;
  t.build.rebuild_all = RebuildAll::no;
  t.build.trimpath = false;
  t.build.buildvcs = true;
  t.build.linkmode = LinkMode::external;
  t.build.extldflags = {"-static", "-Wl,--gc-sections"};
  t.build.ldflags = {"-s", "-w", "-X=main.v=1 2"};
  t.build.tags = {"netgo", "osusergo"};
  t.build.flags = {"-race", "-gcflags=all=-N"};
  std::vector<std::string> want = {
      "go", "build", "-o", "bin/app", "-buildvcs=true", "-tags", "netgo,osusergo", "-ldflags",
      "-linkmode=external -extldflags '-static -Wl,--gc-sections' -s -w '-X=main.v=1 2'",
      "-race", "-gcflags=all=-N", "./cmd/app"};
  CHECK(go_build_argv(t, "bin/app") == want);
}

TEST_CASE("ldflags_value quotes for the go command's splitter") {
  BuildSettings b;
  b.linkmode = LinkMode::external;
  b.extldflags = {"-static"};
  CHECK(ldflags_value(b) == "-linkmode=external -extldflags '-static'");
  b.extldflags = {"-static", "-L/opt/my libs"};
  CHECK(ldflags_value(b) == "-linkmode=external -extldflags \"-static '-L/opt/my libs'\"");
  b.extldflags = {};
  b.ldflags = {"-X", "main.msg=it's"};
  CHECK(ldflags_value(b) == "-linkmode=external -X main.msg=it's");
}

TEST_CASE("go_quote") {
  CHECK(go_quote("-s") == "-s");
  CHECK(go_quote("") == "''");
  CHECK(go_quote("a b") == "'a b'");
  CHECK(go_quote("'x") == "\"'x\"");
  CHECK(go_quote("it's a") == "\"it's a\"");
  CHECK_THROWS_WITH_AS(go_quote("it's \"a\""),
                       "cannot pass 'it's \"a\"' to the go command: a word with spaces may not "
                       "hold both ' and \"",
                       UsageError);
}

TEST_CASE("command_line is pasteable: cd, env -i, every word shell-quoted") {
  EnvList env = {{"GOFLAGS", "-mod=vendor"}, {"HOME", "/home/a b"}, {"PATH", "/usr/bin:/bin"}};
  std::vector<std::string> argv = {"go", "build", "-o", "/out/bin/app", "-ldflags",
                                   "-linkmode=external -extldflags '-static'", "."};
  CHECK(command_line(env, argv, "/src/my mod") ==
        "cd '/src/my mod' && env -i GOFLAGS=-mod=vendor 'HOME=/home/a b' PATH=/usr/bin:/bin go "
        "build -o /out/bin/app -ldflags '-linkmode=external -extldflags '\\''-static'\\''' .");
  CHECK(command_line({}, {"go", "mod", "vendor"}, "") == "env -i go mod vendor");
}
