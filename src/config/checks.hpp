#pragma once
// The value rules of gobuild.yaml that do not depend on YAML: platform names, build tags,
// toolchain versions, output templates and key-name suggestions. The allowlists of words and
// env values are in gobuild/config/allowlist.hpp.
// Each check returns the error message (without position) or nothing when the value is fine.
#include <optional>
#include <string>
#include <vector>

#include "gobuild/config/config.hpp"

namespace gobuild::config_detail {

using CheckProblem = std::optional<std::string>;

/// The candidate closest to `word` (case-insensitive edit distance, transpositions count one),
/// if it is close enough to be a likely typo.
std::optional<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates);

/// One `tags` item: letters, digits, '_' and '.'.
CheckProblem check_tag(const std::string& tag);

/// `go:`: 1.N, 1.N.P or 1.NrcK / 1.NbetaK, at least 1.21 (the first the go command can switch to).
CheckProblem check_go_version(const std::string& version);

/// A target name: [A-Za-z0-9._-]+, not "." or "..".
CheckProblem check_name(const std::string& name);

/// An output template: placeholders {name} {os} {arch} {variant} and the stamps only, braces balanced, names a file.
CheckProblem check_output_template(const std::string& tmpl);

/// "OS/ARCH" or "OS/ARCH/VARIANT" → a known platform, or the message saying why not.
CheckProblem parse_platform(const std::string& text, Platform& out);

/// The platform gobuild itself was compiled for, in GOOS/GOARCH terms: the stand-in for a
/// target without `platforms` when outputs are compared for collisions.
Platform compiled_host_platform();

/// Every platform of is_known_platform, in `go tool dist list` order.
const std::vector<std::string>& known_platforms();

} // namespace gobuild::config_detail
