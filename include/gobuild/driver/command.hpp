#pragma once
// The command lines gobuild runs (doc/build.md, the go build command line), as pure functions, and their printable form for
// `gobuild plan` and -v.
#include <string>
#include <vector>

#include "gobuild/driver/process.hpp"
#include "gobuild/config/config.hpp"

namespace gobuild {

/// One word for the go command's own flag splitting (-ldflags, -extldflags): it splits on
/// spaces and takes a word that starts with ' or " up to the same quote, with no escapes. A
/// word that needs quoting and holds both quote characters cannot be written: UsageError.
std::string go_quote(const std::string& word);

/// The -ldflags value: `-linkmode=M [-extldflags '...'] [ldflags...]`.
std::string ldflags_value(const BuildSettings& b);

/// `go build -o OUT [-a] [-trimpath] -buildvcs=B [-tags T] -ldflags L [flags...] MAIN`.
std::vector<std::string> go_build_argv(const Target& t, const std::string& output);

/// `go mod vendor`.
std::vector<std::string> go_vendor_argv();

/// A line that, pasted into sh, runs `argv` in `cwd` with exactly `env` and nothing else:
/// `cd CWD && env -i K=V ... ARGV...` (no `cd` when cwd is empty).
std::string command_line(const EnvList& env, const std::vector<std::string>& argv,
                         const std::string& cwd);

} // namespace gobuild
