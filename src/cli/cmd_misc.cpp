// Helpers shared by init and doctor: the environment and the runner of toolchain queries.
#include <cstdio>

#include "gobuild/cli/host.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/shell.hpp"

namespace gobuild {

EnvList query_environment(const EnvMap& host) {
  EnvList env;
  for (const char* key : {"PATH", "HOME", "TMPDIR", "GOCACHE", "GOMODCACHE", "GOPATH"}) {
    auto it = host.find(key);
    if (it != host.end()) env.emplace_back(key, it->second);
  }
  // A question about the toolchain must not fetch a toolchain, read a go.work or a `go env -w`
  // file, touch the network or depend on a C compiler being around.
  env.emplace_back("GOTOOLCHAIN", "local");
  env.emplace_back("GOWORK", "off");
  env.emplace_back("GOENV", "off");
  env.emplace_back("GOPROXY", "off");
  env.emplace_back("CGO_ENABLED", "0");
  return env;
}

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
