#pragma once
// What init and doctor need from the host: the small environment gobuild uses when it asks
// the toolchain questions (go env, go list, go version, cc), and a helper that runs such a
// query and returns its output. The host's environment itself is host_environment() of
// gobuild/driver/environment.hpp.
#include <map>
#include <string>
#include <vector>

#include "gobuild/driver/environment.hpp"
#include "gobuild/driver/process.hpp"
#include "gobuild/util/strings.hpp" // trim

namespace gobuild {

using EnvMap = HostEnv;

// query_environment(), the environment for toolchain queries, is in environment.hpp.

/// Runs a query with run_process and returns its output (stdout and stderr merged). Throws
/// UsageError "`ARGV` failed (exit status N): OUTPUT" when it exits non-zero, and the runner's
/// UsageError when the program cannot be started.
std::string run_query(const std::vector<std::string>& argv, const EnvList& env,
                      const std::string& cwd = {});

/// Prints `gobuild: error: MESSAGE` on stderr.
void print_error(const std::string& message);

} // namespace gobuild
