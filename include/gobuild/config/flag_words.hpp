#pragma once
// How the go command splits the value of -ldflags, -gcflags and -extldflags into words, and
// the config's allowlists for words that come from elsewhere (the drop-in's go build flags).
#include <optional>
#include <string>
#include <vector>

#include "gobuild/config/config.hpp"

namespace gobuild {

/// Splits `text` the way `go build -ldflags` does: words are separated by spaces, tabs and
/// newlines; a word that starts with ' or " runs to the next same quote, which is removed (no
/// escapes). A quote inside a word is an ordinary character. An unterminated quote is a
/// UsageError ("unterminated ' string").
std::vector<std::string> split_flag_words(const std::string& text);

/// The config key a word from the command line stands for.
enum class ConfigKey { flags, ldflags, tags };

/// The reason the config's allowlist refuses `words` as the items of `key` (the message a
/// gobuild.yaml would get, without position), or nothing when they are allowed. The one adapter
/// between words that do not come from a gobuild.yaml and the config's checks (allowlist.hpp).
std::optional<std::string> check_config_words(ConfigKey key, const std::vector<std::string>& words,
                                              bool allow_cc);

/// `text` ("linux/amd64") read as a platform of the config's `platforms` list, or the reason it
/// is not one (the config's message, without position).
std::optional<std::string> read_config_platform(const std::string& text, Platform& out);

} // namespace gobuild
