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

TEST_CASE("trim drops ASCII white space at both ends only") {
  CHECK(trim("  a b \t\r\n") == "a b");
  CHECK(trim("\n\n") == "");
  CHECK(trim("") == "");
  CHECK(trim("x") == "x");
}

TEST_CASE("escape_controls escapes what a terminal would act on, as Go's %q does") {
  CHECK(escape_controls("plain/path-1.0 ü 日本") == "plain/path-1.0 ü 日本");
  CHECK(escape_controls("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(escape_controls("a\nb\tc\rd\a\b\f\v") == "a\\nb\\tc\\rd\\a\\b\\f\\v");
  CHECK(escape_controls(std::string("nul\0del\x7f", 8)) == "nul\\x00del\\x7f");
  CHECK(escape_controls("\xc2\x9b" "2J") == "\\u009b2J"); // C1 CSI
  CHECK(escape_controls("\x9b" "2J") == "\\x9b2J");       // the raw byte: not UTF-8
  CHECK(escape_controls("\xff\xfe") == "\\xff\\xfe");
  CHECK(escape_controls("\xe6\x97") == "\\xe6\\x97");      // truncated sequence
  CHECK(escape_controls("\xc0\xaf") == "\\xc0\\xaf");      // overlong '/'
  CHECK(escape_controls("\xed\xa0\x80") == "\\xed\\xa0\\x80"); // a surrogate
  CHECK(escape_controls("line 1\n\x1b[2Jline 2\n", true) == "line 1\n\\x1b[2Jline 2\n");
}

TEST_CASE("normal_path and join_path write paths as the C++ standard library does on POSIX") {
  CHECK(normal_path("") == "");
  CHECK(normal_path("/") == "/");
  CHECK(normal_path("//") == "//");
  CHECK(normal_path("//tmp//x") == "/tmp/x");
  CHECK(normal_path("a/b/") == "a/b/");
  CHECK(normal_path("a/b/.") == "a/b/");
  CHECK(normal_path("a/./b") == "a/b");
  CHECK(normal_path("a/b/..") == "a/");
  CHECK(normal_path("a/..") == ".");
  CHECK(normal_path("./") == ".");
  CHECK(normal_path("../") == "..");
  CHECK(normal_path("a/../../b") == "../b");
  CHECK(normal_path("/w/../..") == "/");
  CHECK(normal_path("/../a") == "/a");
  CHECK(normal_path("/w/./bin/../out/app") == "/w/out/app");
  CHECK(join_path("/w", "bin/app") == "/w/bin/app");
  CHECK(join_path("/w/", "bin") == "/w/bin");
  CHECK(join_path("/w", "/abs/app") == "/abs/app");
  CHECK(join_path("", "x") == "x");
  CHECK(join_path("/w", "") == "/w/");
}
