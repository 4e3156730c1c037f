// Helpers shared by init and doctor: the environment and the runner of toolchain queries.
#include <cstdio>

#include "gobuild/cli/host.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/shell.hpp"

namespace gobuild {

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string run_query(const std::vector<std::string>& argv, const EnvList& env,
                      const std::string& cwd) {
  ProcessSpec spec;
  spec.argv = argv;
  spec.env = env;
  spec.cwd = cwd;
  ProcessResult r = run_process(spec);
  if (r.interrupted) throw UsageError("interrupted");
  if (!r.ok()) {
    std::string why = r.term_signal ? "killed by signal " + std::to_string(r.term_signal)
                                    : "exit " + std::to_string(r.exit_code);
    std::string out = trim(r.output);
    throw UsageError("`" + shell_join(argv) + "` failed (" + why + ")" +
                     (out.empty() ? "" : ":\n" + out));
  }
  return r.output;
}

void print_error(const std::string& message) {
  std::fprintf(stderr, "gobuild: error: %s\n", message.c_str());
}

} // namespace gobuild
