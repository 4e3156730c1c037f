#include <doctest/doctest.h>

#include "gobuild/config/flag_words.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;
using Words = std::vector<std::string>;

TEST_CASE("split_flag_words: spaces separate, quotes at the start of a word group") {
  CHECK(split_flag_words("") == Words{});
  CHECK(split_flag_words("  \t\n ") == Words{});
  CHECK(split_flag_words("-s -w") == Words{"-s", "-w"});
  CHECK(split_flag_words("  -s\t-w\n-X main.v=1 ") == Words{"-s", "-w", "-X", "main.v=1"});
  CHECK(split_flag_words("-X 'main.msg=hello world'") == Words{"-X", "main.msg=hello world"});
  CHECK(split_flag_words("-X \"main.msg=it's\"") == Words{"-X", "main.msg=it's"});
  CHECK(split_flag_words("''") == Words{""});
  // A quote inside a word is kept, as go keeps it.
  CHECK(split_flag_words("-X main.msg='a") == Words{"-X", "main.msg='a"});
  // The word ends at the closing quote, even with no space after it.
  CHECK(split_flag_words("'a b'c") == Words{"a b", "c"});
}

TEST_CASE("split_flag_words: an unterminated quote is an error") {
  CHECK_THROWS_WITH_AS(split_flag_words("-X 'main.v=1"), "unterminated ' string in '-X 'main.v=1'",
                       UsageError);
  CHECK_THROWS_WITH_AS(split_flag_words("\"x"), "unterminated \" string in '\"x'", UsageError);
}

TEST_CASE("check_config_word: the config's allowlists, for words from the command line") {
  CHECK_FALSE(check_config_words(ConfigKey::flags, {"-x"}, false));
  CHECK_FALSE(check_config_words(ConfigKey::flags, {"-gcflags=all=-N -l"}, false));
  CHECK(check_config_words(ConfigKey::flags, {"-toolexec=x"}, false) ==
        std::optional<std::string>("flags: -toolexec runs a program of the config's choosing"));
  CHECK_FALSE(check_config_words(ConfigKey::ldflags, {"-s"}, false));
  CHECK(check_config_words(ConfigKey::ldflags, {"-extld=cc"}, false).has_value());
  CHECK_FALSE(check_config_words(ConfigKey::ldflags, {"-extld=cc"}, true));
  CHECK_FALSE(check_config_words(ConfigKey::tags, {"netgo"}, false));
  CHECK(check_config_words(ConfigKey::tags, {"a b"}, false).has_value());
}

TEST_CASE("read_config_platform: the config's platform rules") {
  Platform p;
  CHECK_FALSE(read_config_platform("linux/arm64", p));
  CHECK(p.str() == "linux/arm64");
  CHECK(read_config_platform("linux", p) ==
        std::optional<std::string>("platforms: 'linux' is not OS/ARCH or OS/ARCH/VARIANT (e.g. linux/amd64, linux/arm/v7)"));
}
