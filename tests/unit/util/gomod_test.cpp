#include <doctest/doctest.h>

#include "gobuild/util/error.hpp"
#include "gobuild/util/gomod.hpp"

using namespace gobuild;

namespace {
std::string parse_error(std::string_view text) {
  try {
    gomod_directives(text);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "no error";
}
} // namespace

TEST_CASE("parse_gomod: module, go, toolchain and requirements, single and in blocks") {
  GoMod m = parse_gomod("// a comment\n"
                        "module example.com/app // trailing\n"
                        "\n"
                        "go 1.22\n"
                        "toolchain go1.22.3\n"
                        "require golang.org/x/sys v0.20.0\n"
                        "require (\n"
                        "\tgolang.org/x/text v0.14.0 // indirect\n"
                        "\n"
                        "\t\"example.com/quoted\" v1.0.0\n"
                        ")\n"
                        "replace example.com/a => ../a\n");
  CHECK(m.module == "example.com/app");
  CHECK(m.go == "1.22");
  CHECK(m.toolchain == "go1.22.3");
  CHECK(m.require == std::vector<std::pair<std::string, std::string>>{
                         {"golang.org/x/sys", "v0.20.0"},
                         {"golang.org/x/text", "v0.14.0"},
                         {"example.com/quoted", "v1.0.0"}});
}

TEST_CASE("parse_gomod: Go's quoting") {
  CHECK(parse_gomod("module \"example.com/a b\"\n").module == "example.com/a b");
  CHECK(parse_gomod("module `example.com/raw\\n`\n").module == "example.com/raw\\n");
  CHECK(parse_gomod("module \"ex\\x41\\u00e9\\101\\\"\"\n").module == "exA\xc3\xa9" "A\"");
  CHECK(parse_gomod("module \"a//b\" // the comment starts here\n").module == "a//b");
  CHECK(parse_gomod("module (\n  example.com/blocked\n)\n").module == "example.com/blocked");
  CHECK(parse_gomod("module example.com/m\r\ngo 1.21\r\n").go == "1.21");
  CHECK(parse_gomod("go 1.21\n").module == "");
  CHECK(parse_gomod("module x//comment\n").module == "x");
}

TEST_CASE("gomod_directives: lines and errors") {
  auto d = gomod_directives("module m\nrequire (\n  a v1\n)\n");
  REQUIRE(d.size() == 2);
  CHECK(d[1].words == std::vector<std::string>{"require", "a", "v1"});
  CHECK(d[1].line == 3);
  CHECK(parse_error("module \"open\n") == "go.mod:1: unterminated quoted string");
  CHECK(parse_error("module `open\n") == "go.mod:1: unterminated raw string");
  CHECK(parse_error("go 1\nmodule \"a\\q\"\n") == "go.mod:2: unknown escape \\q in quoted string");
  CHECK(parse_error("require (\n a v1\n") == "go.mod:1: block require ( is not closed");
  CHECK(parse_error(")\n") == "go.mod:1: unexpected )");
}
