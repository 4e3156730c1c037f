#pragma once
// Where the stamps' values come from, in order: `--set KEY=VALUE`; the module's git work tree
// (read by attest/git.hpp without running git): {version} the tag at HEAD, {commit} and
// {short_commit} HEAD, {date} and {timestamp} HEAD's committer time; then, for the date,
// SOURCE_DATE_EPOCH. Never the wall clock. Only the stamps a build uses are resolved.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gobuild/config/stamps.hpp"

namespace gobuild {

/// One stamp's value and where it came from ("--set", "git tag", "SOURCE_DATE_EPOCH", ...).
struct ResolvedStamp {
  std::string name;
  std::string value;
  std::string source;
};

/// `--set KEY=VALUE` words → KEY → VALUE (a later one wins). UsageError for a word without '=',
/// a KEY that is not a stamp, or a value a stamp cannot hold.
std::map<std::string, std::string> parse_set_options(const std::vector<std::string>& sets);

/// Resolves `needed` (stamp names) for the module in `module_dir`. `epoch`: SOURCE_DATE_EPOCH,
/// already checked to be an integer. UsageError naming the first stamp that has no value and
/// how to give it one.
std::vector<ResolvedStamp> resolve_stamps(const std::vector<std::string>& needed,
                                          const std::map<std::string, std::string>& set,
                                          const std::string& module_dir,
                                          std::optional<std::int64_t> epoch);

/// name → value.
StampValues stamp_values(const std::vector<ResolvedStamp>& stamps);

/// The line that says which values a build stamps, without the "gobuild: " prefix:
/// `stamps version=v1.2.0 (git tag), date=2024-01-02T03:04:05Z (HEAD's committer time)`.
std::string stamps_line(const std::vector<ResolvedStamp>& stamps);

/// The tag {version} takes when several point at HEAD: the highest semantic version
/// (v1.10.0 > v1.9.0 > v1.9.0-rc1; a leading "v" is optional, build metadata ignored); a tag that
/// is not a semantic version only when no tag is, then the greatest in byte order.
std::string pick_version_tag(const std::vector<std::string>& tags);

/// "2024-01-02T03:04:05Z" → seconds; nullopt when it is not that exact form (UTC, 'Z').
std::optional<std::int64_t> parse_rfc3339_utc(const std::string& text);

} // namespace gobuild
