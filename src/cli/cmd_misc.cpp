// Helpers shared by init and doctor: the environment and the runner of toolchain queries.
#include <cstdio>

#include "gobuild/cli/host.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/shell.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {

std::string run_query(const std::vector<std::string>& argv, const EnvList& env,
                      const std::string& cwd) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.env = env;
  spec.cwd = cwd;
  ProcessResult r = run_process(spec);
  if (r.interrupted) throw UsageError("interrupted");
  if (!r.ok()) {
    std::string out = trim(r.output);
    throw UsageError("`" + shell_join(argv) + "` failed (" + r.status_text() + ")" +
                     (out.empty() ? "" : ":\n" + out));
  }
  return r.output;
}

void print_error(const std::string& message) {
  std::fprintf(stderr, "gobuild: error: %s\n", message.c_str());
}

} // namespace gobuild
