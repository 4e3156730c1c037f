#pragma once
// The value rules of gobuild.yaml that do not depend on YAML: allowlists (doc/safety.md), platform
// names, build tags, toolchain versions, output templates and key-name suggestions.
// Each check returns the error message (without position) or nothing when the value is fine.
#include <optional>
#include <string>
#include <vector>

#include "gobuild/config/config.hpp"

namespace gobuild::config_detail {

using Problem = std::optional<std::string>;

/// The candidate closest to `word` (case-insensitive edit distance, transpositions count one),
/// if it is close enough to be a likely typo.
std::optional<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates);

/// One `flags` item: must be `-flag` or `-flag=value` from the allowlist.
Problem check_flag(const std::string& item);

/// One `env` name (`allow_cc`: --allow-cc was given) and its value.
Problem check_env(const std::string& name, const std::string& value, bool allow_cc);

/// One `ldflags` word: no -linkmode/-extldflags (own keys), no -extld without --allow-cc.
Problem check_ldflag(const std::string& word, bool allow_cc);

/// One `extldflags` word: nothing that makes the C compiler run another program without
/// --allow-cc (-fuse-ld=, -B, --ld-path=, plugins, specs, @response files).
Problem check_extldflag(const std::string& word, bool allow_cc);

/// One `tags` item: letters, digits, '_' and '.'.
Problem check_tag(const std::string& tag);

/// `go:`: 1.N, 1.N.P or 1.NrcK / 1.NbetaK, at least 1.21 (the first the go command can switch to).
Problem check_go_version(const std::string& version);

/// A target name: [A-Za-z0-9._-]+, not "." or "..".
Problem check_name(const std::string& name);

/// An output template: placeholders {name} {os} {arch} only, braces balanced, names a file.
Problem check_output_template(const std::string& tmpl);

/// "OS/ARCH" → a known platform, or the message saying why not.
Problem parse_platform(const std::string& text, Platform& out);

/// The platform gobuild itself was compiled for, in GOOS/GOARCH terms: the stand-in for a
/// target without `platforms` when outputs are compared for collisions.
Platform compiled_host_platform();

/// Every platform of is_known_platform, in `go tool dist list` order.
const std::vector<std::string>& known_platforms();

} // namespace gobuild::config_detail
