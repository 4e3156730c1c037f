// `gobuild merge --provenance OUT [--checksums OUT] REPORT...`: the shards of a CI fan-out
// combined into one statement and one checksum file (the logic is src/attest/merge.cpp).
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gobuild/attest/merge.hpp"
#include "gobuild/attest/provenance.hpp"
#include "gobuild/cli/commands.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/file.hpp"
#include "gobuild/util/json.hpp"

namespace gobuild {

int run_merge(const MergeOptions& o) {
  std::vector<Shard> shards;
  for (const auto& path : o.reports) {
    const std::string text = read_file(path, 64u << 20); // a FIFO or a device: an error, no hang
    Shard s;
    s.name = path;
    try {
      s.doc = nlohmann::ordered_json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      // The library's words without its "[json.exception.parse_error.101] " prefix.
      std::string why = e.what();
      if (why.size() > 1 && why[0] == '[' && why.find("] ") != std::string::npos) why = why.substr(why.find("] ") + 2);
      throw UsageError(path + ": not a JSON document (" + why + "); merge takes the shards' `gobuild build --json` "
                       "reports or provenance statements");
    }
    shards.push_back(std::move(s));
  }
  Merged m = merge_shards(shards);
  if (!m.problems.empty()) {
    for (const auto& p : m.problems) std::fprintf(stderr, "gobuild: error: %s\n", p.c_str());
    std::fprintf(stderr, "gobuild: error: nothing written: the %zu shards cannot be merged\n", shards.size());
    if (o.common.json)
      std::printf("%s\n", json_text(nlohmann::ordered_json{{"ok", false}, {"problems", m.problems}}).c_str());
    return static_cast<int>(Exit::failed);
  }
  write_file_atomic(o.provenance, json_text(m.statement) + "\n");
  if (!o.checksums.empty()) write_file_atomic(o.checksums, m.checksums);
  if (o.common.json) { // what was written, for the CI step after this one
    nlohmann::ordered_json subjects = nlohmann::ordered_json::array();
    for (const auto& s : m.statement["subject"]) subjects.push_back(s);
    std::printf("%s\n", json_text(nlohmann::ordered_json{{"ok", true},
                                                         {"provenance", o.provenance},
                                                         {"checksums", o.checksums.empty() ? nlohmann::ordered_json(nullptr)
                                                                                           : nlohmann::ordered_json(o.checksums)},
                                                         {"subjects", subjects}})
                             .c_str());
  }
  if (!o.common.quiet)
    std::fprintf(stderr, "gobuild: merged %zu shards: %zu outputs\n", shards.size(),
                 m.statement["subject"].size());
  return static_cast<int>(Exit::ok);
}

} // namespace gobuild
