#include <doctest/doctest.h>

#include "gobuild/util/shell.hpp"

using namespace gobuild;

TEST_CASE("shell_quote leaves plain words alone and single-quotes the rest") {
  CHECK(shell_quote("go") == "go");
  CHECK(shell_quote("-ldflags=-s") == "-ldflags=-s");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("-linkmode=external -extldflags '-static'") ==
        "'-linkmode=external -extldflags '\\''-static'\\'''");
  CHECK(shell_quote("$HOME") == "'$HOME'");
  CHECK(shell_quote("*") == "'*'");
}

TEST_CASE("shell_join quotes each word") {
  CHECK(shell_join({"go", "build", "-o", "bin/my app"}) == "go build -o 'bin/my app'");
  CHECK(shell_join({}) == "");
}
