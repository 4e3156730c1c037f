// Toolchain resolution: which go builds (GOTOOLCHAIN), the host's go version, and having the
// pinned toolchain before anything is built.
#include "gobuild/driver/toolchain.hpp"

#include <climits>
#include <cstdlib>
#include <optional>
#include <utility>

#include <boost/filesystem.hpp>

#include "gobuild/driver/diagnostics.hpp"
#include "gobuild/driver/environment.hpp"
#include "gobuild/driver/process.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/file.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {

namespace {

// `go env GOVERSION` in the module with `env`: the version on success, else go's reason.
// nullopt when interrupted.
std::optional<std::pair<bool, std::string>> query_go_version(const Config& cfg, const EnvList& env) {
  ProcessSpec spec;
  spec.argv = {"go", "env", "GOVERSION"};
  spec.env = env;
  spec.cwd = cfg.module_dir;
  ProcessResult r = run_process(spec);
  if (r.interrupted) return std::nullopt;
  std::string out = r.output;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
  if (!r.ok() && out.empty())
    out = r.status_text();
  // Fetching a toolchain, go says so on stderr first ("go: downloading go1.27.0 ..."): the
  // version is the last line.
  if (r.ok() && out.find('\n') != std::string::npos) out = out.substr(out.rfind('\n') + 1);
  return std::make_pair(r.ok(), out);
}

} // namespace

std::string host_go_version(const Config& cfg, const HostEnv& host) {
  // Which go is on PATH? Asked with the same pinned basics as a build, GOTOOLCHAIN=local.
  auto r = query_go_version(cfg, query_environment(host));
  if (!r) return "";
  if (!r->first) throw UsageError("go env GOVERSION failed: " + r->second);
  return r->second;
}

std::string resolve_toolchain(const Config& cfg, const HostEnv& host) {
  if (!cfg.go || is_exact_go_version(*cfg.go)) return toolchain_setting(cfg.go, "");
  std::string version = host_go_version(cfg, host);
  if (version.empty()) return "local"; // interrupted: the caller stops
  return toolchain_setting(cfg.go, version);
}

/// The version of the go that GOTOOLCHAIN=local runs, from its GOROOT's VERSION file
/// ("go1.26.8" on the first line, in every Go distribution and Debian's golang-go): a file read
/// instead of a `go env GOVERSION` child, which costs as much as a cached build's overhead
/// budget. Empty when there is no such file; the caller then asks go.
std::string local_go_version_from_goroot(const HostEnv& host) {
  auto path = host.find("PATH");
  if (path == host.end()) return "";
  std::string go = find_in_path("go", path->second);
  if (go.empty()) return "";
  char real[PATH_MAX];
  if (!::realpath(go.c_str(), real)) return "";
  boost::filesystem::path goroot = boost::filesystem::path(real).parent_path().parent_path();
  std::string v;
  try {
    v = read_file_if_exists((goroot / "VERSION").string(), 4096).value_or("");
  } catch (const UsageError&) {
    return ""; // not a regular file, too large: ask go
  }
  v = trim(v.substr(0, v.find('\n')));
  bool plausible = starts_with(v, "go1.") && v.find(' ') == std::string::npos && v.size() < 40;
  return plausible ? v : "";
}

std::string ensure_toolchain(const BuildContext& ctx) {
  const Config& cfg = *ctx.cfg;
  if (!cfg.go) {
    // GOTOOLCHAIN=local: nothing to fetch; the output's build info is checked after the build.
    std::string v = local_go_version_from_goroot(ctx.host);
    if (!v.empty()) return v;
  }
  // The vendor step's environment: GOTOOLCHAIN and the proxy settings, so that the go command
  // fetches a pinned toolchain here, before anything is built, if it has to.
  auto r = query_go_version(cfg, vendor_environment(ctx.host, ctx.toolchain).env);
  if (!r) return "";
  if (r->first && starts_with(r->second, "go")) return r->second;
  std::string host;
  try {
    host = host_go_version(cfg, ctx.host);
  } catch (const std::exception&) {
  }
  std::string reason;
  for (char c : r->second) reason += c == '\n' ? std::string("; ") : std::string(1, c);
  if (!cfg.go)
    throw UsageError("the host's go (GOTOOLCHAIN=local) does not run: go env GOVERSION: " + reason);
  std::string msg = "go: \"" + *cfg.go + "\" in " + cfg.file + " pins go" + *cfg.go +
                    " (GOTOOLCHAIN=" + ctx.toolchain + "), which cannot be had; the host's go is " +
                    (host.empty() ? std::string("unknown") : host) + "; go env GOVERSION: " + reason;
  if (classify_go_failure(r->second) == GoFailure::environment)
    throw EnvironmentFailure(msg + " (the toolchain could not be downloaded: retrying may help)");
  throw UsageError(msg);
}

} // namespace gobuild
