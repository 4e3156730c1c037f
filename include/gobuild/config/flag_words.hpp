#pragma once
// How the go command splits the value of -ldflags, -gcflags and -extldflags into words.
#include <string>
#include <vector>

namespace gobuild {

/// Splits `text` the way `go build -ldflags` does: words are separated by spaces, tabs and
/// newlines; a word that starts with ' or " runs to the next same quote, which is removed (no
/// escapes). A quote inside a word is an ordinary character. An unterminated quote is a
/// UsageError ("unterminated ' string").
std::vector<std::string> split_flag_words(const std::string& text);

} // namespace gobuild
