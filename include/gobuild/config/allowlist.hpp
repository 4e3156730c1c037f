#pragma once
// What a config may pass to the go command, its compiler, assembler and linker, and the C
// linker: allowlists, one word at a time (doc/safety.md). Anything not on a list is refused
// with the reason when the word is a known way to write or read a file or to run a program.
// The drop-in mode checks `-ldflags`/`-gcflags` given on the command line with the same
// functions, after splitting them with try_split_go_words.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace gobuild {

/// Which list a word belongs to. Messages start with its name ("ldflags: ...").
enum class WordList { flags, ldflags, extldflags, gcflags, asmflags };

const char* to_string(WordList list);

struct WordRules {
  /// --allow-cc: the config may choose the C toolchain's programs, so every extldflags word
  /// and -extld/-extar in ldflags are allowed.
  bool allow_cc = false;
};

/// Checks the words of one list in order. Some flags take the next word as their value
/// (`-X NAME=VALUE`, `-B gobuildid`, `-p 4`, `-gcflags all=-N`): the checker remembers that.
class WordChecker {
public:
  WordChecker(WordList list, WordRules rules) : list_(list), rules_(rules) {}
  /// The problem with `word`, given the words before it; nothing when it is allowed.
  std::optional<std::string> next(const std::string& word);
  /// At the end of the list: a flag still waiting for its value, or nothing.
  std::optional<std::string> finish();

private:
  std::optional<std::string> value_of(const std::string& flag, const std::string& value);
  WordList list_;
  WordRules rules_;
  std::string pending_; ///< a flag whose value is the next word ("" when none)
};

struct WordProblem {
  std::size_t index = 0; ///< the word at fault (words.size() when the list ended too soon)
  std::string message;
};

/// Every word of one list: the first problem, or nothing when all are allowed.
std::optional<WordProblem> check_words(WordList list, const std::vector<std::string>& words,
                                       const WordRules& rules);

/// The value of -gcflags or -asmflags as go build reads it: `[PATTERN=]WORDS`, the words split
/// by try_split_go_words and each checked against the compiler's (assembler's) list.
std::optional<std::string> check_package_flags(WordList list, const std::string& value,
                                               const WordRules& rules);

/// The words of a -ldflags, -gcflags or -extldflags value as the go command splits them
/// (split_go_words, util/quoted.hpp); nothing when a quote is not closed.
std::optional<std::vector<std::string>> try_split_go_words(const std::string& text);

/// One `env` entry: the name must be on the list (the C toolchain's only with `allow_cc`) and
/// the value of the form the go command accepts for it.
std::optional<std::string> check_env_entry(const std::string& name, const std::string& value,
                                           bool allow_cc);

} // namespace gobuild
