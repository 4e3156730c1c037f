#pragma once
// go.mod, read as the go command's own lexer reads it: words separated by white space,
// `//` comments to the end of the line, "double-quoted" strings with Go's escapes and
// `backquoted` raw strings as single words, and `verb ( ... )` blocks, whose lines each stand
// for `verb ...`. The one reader of go.mod in gobuild.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gobuild {

/// One directive: the verb and its arguments with quoting removed (`require a v1` gives
/// {"require", "a", "v1"}; a line of a `require (` block the same). `line` is 1-based.
struct GoModDirective {
  std::vector<std::string> words;
  int line = 0;
};

/// Every directive in file order. Throws ParseError("go.mod:LINE: ...") for an unterminated
/// string, a bad escape, a stray `)` or an unclosed block.
std::vector<GoModDirective> gomod_directives(std::string_view text);

struct GoMod {
  std::string module;    ///< the module path; "" when there is no module line
  std::string go;        ///< the `go` line's version ("1.22"), or ""
  std::string toolchain; ///< the `toolchain` line's name ("go1.22.3"), or ""
  std::vector<std::pair<std::string, std::string>> require; ///< path, version, file order
};

/// The parts of go.mod gobuild uses. Errors as gomod_directives.
GoMod parse_gomod(std::string_view text);

} // namespace gobuild
