#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace gobuild {

/// Splits on `sep`, keeping empty fields.
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
/// `s` without leading and trailing ASCII white space (space, \t, \n, \v, \f, \r).
std::string trim(std::string_view s);

/// `path` normalised as the C++ standard library's lexically_normal does it on POSIX: repeated
/// slashes, "." and "dir/.." dropped, ".." above "/" dropped, a trailing slash kept, "" for "",
/// "." for a path that becomes empty. Boost.Filesystem's own writes "dir/" as "dir/.".
std::string normal_path(std::string_view path);
/// `rest` appended to `dir` as the C++ standard library's path operator/ does on POSIX: an absolute `rest`
/// replaces `dir`, and no second slash is added.
std::string join_path(std::string_view dir, std::string_view rest);

/// `s` made safe to write to a terminal or a text report, as Go's %q writes a string's
/// inside: control characters become \a \b \f \n \r \t \v or \xNN (ESC is `\x1b`), C1
/// controls (U+0080..U+009F) \u00NN, bytes that are not UTF-8 \xNN; everything else, including
/// valid UTF-8 text, is kept. Text from a binary, a config or a path goes through this before
/// it reaches stderr, stdout or a human-readable report (JSON escapes by itself).
/// `keep_newlines` leaves \n as it is, for a whole message of several lines.
std::string escape_controls(std::string_view s, bool keep_newlines = false);

} // namespace gobuild
