#pragma once
// `gobuild merge`: one provenance statement and one checksum file from the reports of builds
// run apart (CI shards, one target × platform each). Pure: documents in, documents out.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gobuild {

/// One shard's document: a `gobuild build --json` report or a provenance statement, and the
/// name it is known by in messages (its file name).
struct Shard {
  std::string name;
  nlohmann::ordered_json doc;
};

struct Merged {
  nlohmann::ordered_json statement; ///< the in-toto statement covering every shard's outputs
  std::string checksums;            ///< `SHA256  PATH` lines, sorted by path
  /// Why the shards cannot be merged, one line each, naming the shards: config digests,
  /// toolchains or stamps that disagree, an output with two digests, a failed shard. When not
  /// empty, `statement` and `checksums` are not to be written.
  std::vector<std::string> problems;
};

/// Merges the shards. The same output in two shards with the same digest is recorded once.
/// A document that is neither a report nor a statement is a UsageError naming the shard.
Merged merge_shards(const std::vector<Shard>& shards);

} // namespace gobuild
