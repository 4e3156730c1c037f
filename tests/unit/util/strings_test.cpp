#include <doctest/doctest.h>

#include "gobuild/util/strings.hpp"

using namespace gobuild;

TEST_CASE("split keeps empty fields") {
  CHECK(split("a,b", ',') == std::vector<std::string>{"a", "b"});
  CHECK(split("", ',') == std::vector<std::string>{""});
  CHECK(split("a,,b,", ',') == std::vector<std::string>{"a", "", "b", ""});
}

TEST_CASE("join, starts_with, ends_with") {
  CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
  CHECK(join({}, ",") == "");
  CHECK(starts_with("gobuild", "go"));
  CHECK_FALSE(starts_with("go", "gobuild"));
  CHECK(ends_with("app.exe", ".exe"));
  CHECK_FALSE(ends_with("exe", ".exe"));
}
