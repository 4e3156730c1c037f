#pragma once
// --check-reproducible (doc/build.md): the second build, from a copy of the module at another
// path with another HOME, TMPDIR and GOCACHE, compared byte for byte with the first.
#include <optional>
#include <string>
#include <vector>

#include <boost/filesystem/path.hpp>
#include <nlohmann/json.hpp>

#include "gobuild/config/config.hpp"
#include "gobuild/driver/pipeline.hpp"

namespace gobuild {

/// Copies the module tree (without .git) for the second build of --check-reproducible.
void copy_tree(const boost::filesystem::path& from, const boost::filesystem::path& to);

/// One job's verdict.
struct ReproVerdict {
  bool identical = false;
  std::vector<std::string> lines;      ///< verdict_lines, for the report (the CLI prints them)
  nlohmann::ordered_json json;         ///< the difference, for the --json report (null when identical)
};

/// --check-reproducible (doc/build.md): builds every job again from a copy of the module at another path, with another
/// HOME and TMPDIR, an empty GOCACHE, TZ and LANG changed and umask 077, and compares each
/// output with the first build's byte for byte. The first build's outputs are kept. Returns
/// one verdict per job (nullopt for a job whose first build failed). The second build never
/// uses the cache program, so it runs in the network namespace unless `no_sandbox`.
std::vector<std::optional<ReproVerdict>> check_reproducible(const Config& cfg, const BuildContext& ctx,
                                                            const std::vector<Job>& jobs,
                                                            const std::vector<JobResult>& first,
                                                            int parallel, bool no_sandbox);

} // namespace gobuild
