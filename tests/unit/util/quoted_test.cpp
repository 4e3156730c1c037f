#include <doctest/doctest.h>

#include "gobuild/util/error.hpp"
#include "gobuild/util/quoted.hpp"

using namespace gobuild;
using W = std::vector<std::string>;

TEST_CASE("split_go_words splits the way go build -ldflags does") {
  CHECK(split_go_words("-s -w -X main.version={version}") == W{"-s", "-w", "-X", "main.version={version}"});
  CHECK(split_go_words("  -s\t-w\n") == W{"-s", "-w"});
  CHECK(split_go_words("") == W{});
  CHECK(split_go_words("   ") == W{});
  CHECK(split_go_words("-X 'main.msg=hello world'") == W{"-X", "main.msg=hello world"});
  CHECK(split_go_words("-X \"main.msg=it's\"") == W{"-X", "main.msg=it's"});
  CHECK(split_go_words("''") == W{""});
  // No escapes, and a quote inside a word is an ordinary character.
  CHECK(split_go_words("-X main.q=a'b") == W{"-X", "main.q=a'b"});
  CHECK(split_go_words("'a\\'") == W{"a\\"});
  // After a closing quote a new word starts at once.
  CHECK(split_go_words("'a'b") == W{"a", "b"});
  CHECK(split_go_words("-extldflags '-static -s'") == W{"-extldflags", "-static -s"});
}

TEST_CASE("split_go_words refuses an unterminated quote") {
  CHECK_THROWS_WITH_AS(split_go_words("-X 'main.v=1"), "unterminated ' string", ParseError);
  CHECK_THROWS_WITH_AS(split_go_words("\"abc"), "unterminated \" string", ParseError);
}
