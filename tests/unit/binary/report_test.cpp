#include <doctest/doctest.h>

#include "gobuild/binary/report.hpp"
#include "gobuild/util/json.hpp"

using namespace gobuild;

namespace {

BinaryInfo sample() {
  BinaryInfo i;
  i.format = Format::elf;
  i.bits = 64;
  i.machine = "x86_64";
  i.type = "exec";
  i.linkage = Linkage::static_exe;
  i.go_build_id = "abc/def";
  GoBuildInfo g;
  g.version = "go1.26.8";
  g.path = "example.com/hello";
  g.main = GoDep{{"example.com/hello", "(devel)", ""}, std::nullopt};
  g.deps.push_back(GoDep{{"golang.org/x/sys", "v0.20.0", "h1:abc="}, GoModule{"../sys", "", ""}});
  g.settings = {{"-buildmode", "exe"}, {"CGO_ENABLED", "0"}, {"-trimpath", "true"}, {"-tags", "netgo"}};
  i.go = g;
  return i;
}

} // namespace

TEST_CASE("file_json follows the verify JSON, key order included") {
  auto j = file_json("bin/hello", sample(), Verdict{});
  CHECK(j.dump() ==
        R"J({"path":"bin/hello","ok":true,"problems":[],"format":"elf","class":64,"endian":"little",)J"
        R"J("machine":"x86_64","type":"exec","linkage":"static","interpreter":null,"needed":[],)J"
        R"J("rpath":[],"runpath":[],"go_build_id":"abc/def","go":{"version":"go1.26.8",)J"
        R"J("path":"example.com/hello","main":{"path":"example.com/hello","version":"(devel)","sum":"",)J"
        R"J("replace":null},"deps":[{"path":"golang.org/x/sys","version":"v0.20.0","sum":"h1:abc=",)J"
        R"J("replace":{"path":"../sys","version":"","sum":""}}],"settings":{"-buildmode":"exe",)J"
        R"J("CGO_ENABLED":"0","-trimpath":"true","-tags":"netgo"}}})J");
}

TEST_CASE("file_json: no Go build info, no build ID, PE linkage") {
  BinaryInfo i = sample();
  i.go.reset();
  i.go_build_id.clear();
  auto j = file_json("x", i, Verdict{});
  CHECK(j["go"].is_null());
  CHECK(j["go_build_id"].is_null());
  i.format = Format::pe;
  i.linkage = Linkage::not_applicable;
  CHECK(file_json("x", i, Verdict{})["linkage"].is_null());
}

TEST_CASE("error_json has path, ok and error only") {
  CHECK(error_json("a.out", "truncated ELF header").dump() ==
        R"J({"path":"a.out","ok":false,"error":"truncated ELF header"})J");
}

TEST_CASE("human_line reads at a glance") {
  CHECK(human_line("bin/hello", sample(), Verdict{}) ==
        "bin/hello: static, ELF64 x86_64, go1.26.8, CGO_ENABLED=0, -trimpath, -tags=netgo");
  BinaryInfo d = sample();
  d.linkage = Linkage::dynamic;
  d.needed = {"libc.so.6"};
  d.interpreter = "/lib64/ld-linux-x86-64.so.2";
  d.go.reset();
  Verdict v = judge(d, {});
  CHECK(human_line("bin/app", d, v) ==
        "bin/app: dynamic: needs libc.so.6 (interpreter /lib64/ld-linux-x86-64.so.2), ELF64 x86_64, no Go build info");
  BinaryInfo pe = sample();
  pe.format = Format::pe;
  pe.linkage = Linkage::not_applicable;
  pe.needed = {"kernel32.dll"};
  pe.go.reset();
  CHECK(human_line("app.exe", pe, Verdict{}) == "app.exe: PE32+ x86_64, imports kernel32.dll, no Go build info");
}

TEST_CASE("human_line escapes control characters from the binary and the path; the JSON keeps them") {
  BinaryInfo i = sample();
  i.go->settings = {{"CGO_ENABLED", "0"}, {"-tags", "netgo\x1b]0;owned\a"}};
  i.rpath = {"/opt/\x1b[2J"};
  const Verdict v = judge(i, {});
  CHECK(human_line("bin/new\nline", i, v) ==
        "bin/new\\nline: static, ELF64 x86_64, go1.26.8, CGO_ENABLED=0, -tags=netgo\\x1b]0;owned\\a; "
        "warning: DT_RPATH /opt/\\x1b[2J");
  const auto j = file_json("bin/new\nline", i, v);
  CHECK(j["path"] == "bin/new\nline");
  CHECK(j["go"]["settings"]["-tags"] == "netgo\x1b]0;owned\a");
  CHECK(json_text(j, -1).find("\\u001b]0;owned\\u0007") != std::string::npos);
}
