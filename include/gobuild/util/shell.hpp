#pragma once
// POSIX shell quoting, for `gobuild plan` and -v: a quoted word pasted into sh is that word.
#include <string>
#include <vector>

namespace gobuild {

/// The word unchanged if it needs no quoting, else single-quoted with ' written as '\''.
std::string shell_quote(const std::string& word);

/// Words quoted and joined with one space.
std::string shell_join(const std::vector<std::string>& words);

} // namespace gobuild
