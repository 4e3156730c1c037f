#pragma once
// Stamps: `{version}` `{commit}` `{short_commit}` `{date}` `{timestamp}` in ldflags words,
// extldflags words and output templates. This file knows the names and how to expand them in a
// config; where the values come from (--set, .git, SOURCE_DATE_EPOCH) is driver/stamps.hpp.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gobuild/config/config.hpp"

namespace gobuild {

/// The stamp names, in the order they are printed: version, commit, short_commit, date,
/// timestamp.
const std::vector<std::string>& stamp_names();

bool is_stamp_name(const std::string& name);

/// The stamps `{NAME}` that `text` uses, in order of first use, each once.
std::vector<std::string> stamps_in(const std::string& text);

/// The stamps that the named targets (all when `targets` is empty) use, in stamp_names() order.
std::vector<std::string> stamps_used(const Config& cfg, const std::vector<std::string>& targets);

using StampValues = std::map<std::string, std::string>;

/// Replaces each `{NAME}` whose NAME has a value, in one pass: a value is never expanded again.
std::string expand_stamps(const std::string& text, const StampValues& values);

/// An ldflags or extldflags word's placeholders: a `{word}` of lower-case letters and '_' must
/// be a stamp (so that a typo is not passed to the linker as it is). The message, or nothing.
std::optional<std::string> check_stamp_placeholders(const std::string& key, const std::string& word);

/// Expands the stamps in every target's ldflags, extldflags and output. Each expanded ldflags
/// and extldflags word passes the allowlist again (`allow_cc`: --allow-cc), and a value used
/// in an output may not hold '/'. UsageError naming the stamp and the word when not.
void apply_stamps(Config& cfg, const StampValues& values, bool allow_cc);

} // namespace gobuild
