#pragma once
// The go command's word splitting for flag values such as -ldflags and -extldflags
// (cmd/internal/quoted): spaces, tabs and newlines separate words; a word that starts with ' or "
// runs to the next same quote, which it does not include; there are no escapes.
#include <string>
#include <vector>

namespace gobuild {

/// Splits `s` as `go build -ldflags` splits its argument: "-s -w -X 'a.b=c d'" gives
/// {"-s", "-w", "-X", "a.b=c d"}. A quote not at the start of a word is an ordinary character.
/// Throws ParseError "unterminated ' string" (or ") when a quoted word does not end.
std::vector<std::string> split_go_words(const std::string& s);

} // namespace gobuild
