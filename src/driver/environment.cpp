#include "gobuild/driver/environment.hpp"

#include <cstdlib>
#include <unistd.h>
#include <vector>

#include <algorithm>
#include <cctype>

#include <fstream>
#include <sstream>

#include "gobuild/driver/vendor.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/strings.hpp"

extern char** environ;

namespace gobuild {

namespace {

// What a build needs to find its tools and its caches; nothing here can change the bytes.
const char* const kBuildKeep[] = {"PATH", "HOME", "TMPDIR", "GOCACHE", "GOMODCACHE", "GOPATH"};

// Where modules come from: only `go mod vendor` talks to the network. SSL_CERT_FILE and
// SSL_CERT_DIR too: a host whose CA bundle lives elsewhere could not fetch without them, and
// they cannot change what is vendored (go.sum checks every byte).
const char* const kProxyKeep[] = {"GOPROXY",    "GONOPROXY",   "GOPRIVATE",     "GONOSUMDB",
                                  "GOSUMDB",    "GOINSECURE",  "GOAUTH",        "http_proxy",
                                  "https_proxy", "no_proxy",   "HTTP_PROXY",    "HTTPS_PROXY",
                                  "NO_PROXY",   "SSL_CERT_FILE", "SSL_CERT_DIR"};

// Starts from the kept host variables; `set` then overrides or adds.
class EnvBuilder {
public:
  explicit EnvBuilder(const HostEnv& host) : host_(host) {}

  void keep(const char* name) {
    auto it = host_.find(name);
    if (it != host_.end()) vars_[it->first] = it->second;
  }
  void set(const std::string& name, const std::string& value) { vars_[name] = value; }

  PinnedEnv finish() const {
    PinnedEnv out;
    out.env.assign(vars_.begin(), vars_.end());
    for (const auto& kv : host_) {
      // A host variable is dropped when its value did not reach the child: not kept, or
      // replaced by a pinned value (GOFLAGS=-race on the host is dropped even though the
      // child gets GOFLAGS=-mod=vendor).
      auto it = vars_.find(kv.first);
      if (it == vars_.end() || !kept_.count(kv.first) || it->second != kv.second)
        out.dropped.push_back(kv.first);
    }
    return out;
  }

  void mark_kept() {
    for (const auto& kv : vars_) kept_[kv.first] = true;
  }

private:
  const HostEnv& host_;
  std::map<std::string, std::string> vars_;
  std::map<std::string, bool> kept_;
};

} // namespace

HostEnv host_environment() {
  HostEnv env;
  for (char** p = environ; p && *p; ++p) {
    std::string entry = *p;
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

const std::string* PinnedEnv::get(const std::string& name) const {
  for (const auto& kv : env)
    if (kv.first == name) return &kv.second;
  return nullptr;
}

bool is_exact_go_version(const std::string& go) {
  if (std::count(go.begin(), go.end(), '.') >= 2) return true;
  // Pre-releases name one toolchain too: 1.27rc1, 1.27beta2.
  return go.find("rc") != std::string::npos || go.find("beta") != std::string::npos;
}

std::string toolchain_setting(const std::optional<std::string>& go,
                              const std::string& host_go_version) {
  if (!go) return "local";
  if (is_exact_go_version(*go)) return "go" + *go;
  std::string prefix = "go" + *go;
  if (host_go_version == prefix || starts_with(host_go_version, prefix + "."))
    return host_go_version;
  throw UsageError("go: \"" + *go + "\" needs a go" + *go + ".x toolchain, but the host's go is " +
                   (host_go_version.empty() ? std::string("unknown") : host_go_version) +
                   "; install one, or pin an exact version (e.g. go: \"" + *go +
                   ".0\") that the go command can fetch");
}

bool go_version_matches(const std::optional<std::string>& go, const std::string& used) {
  if (!go) return true;
  const std::string want = "go" + *go;
  if (is_exact_go_version(*go)) return used == want;
  // "1.26" is met by go1.26 and go1.26.x, not by go1.260 nor go1.26rc1.
  return used == want || starts_with(used, want + ".");
}

namespace {

struct GoVersion {
  long major = 0, minor = 0;
  int kind = 0; ///< 0 a language version ("1.26"), 1 beta, 2 rc, 3 a release ("1.26.0")
  long n = 0;   ///< the beta/rc number or the patch
};

std::optional<GoVersion> parse_go_version(std::string v) {
  if (starts_with(v, "go")) v = v.substr(2);
  GoVersion g;
  std::size_t i = 0;
  auto number = [&](long& out) {
    std::size_t start = i;
    while (i < v.size() && i - start < 9 && v[i] >= '0' && v[i] <= '9') ++i;
    if (i == start) return false;
    out = std::stol(v.substr(start, i - start));
    return true;
  };
  if (!number(g.major) || i >= v.size() || v[i++] != '.' || !number(g.minor)) return std::nullopt;
  if (i == v.size()) return g;
  if (v[i] == '.') {
    ++i;
    g.kind = 3;
  } else if (v.compare(i, 2, "rc") == 0) {
    i += 2;
    g.kind = 2;
  } else if (v.compare(i, 4, "beta") == 0) {
    i += 4;
    g.kind = 1;
  } else {
    return std::nullopt;
  }
  if (!number(g.n) || i != v.size()) return std::nullopt;
  return g;
}

} // namespace

int compare_go_versions(const std::string& a, const std::string& b) {
  auto x = parse_go_version(a), y = parse_go_version(b);
  if (!x || !y) return 0;
  for (auto [p, q] : {std::pair{x->major, y->major}, {x->minor, y->minor}, {long(x->kind), long(y->kind)}, {x->n, y->n}})
    if (p != q) return p < q ? -1 : 1;
  return 0;
}

void apply_go_mod(Config& cfg, const std::function<std::string()>& host_version) {
  if (!cfg.go_mod) return;
  const std::string path = cfg.module_dir + "/go.mod";
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string which;
  auto want = gomod_toolchain_request(text.str(), &which);
  if (!in || !want)
    throw ConfigError(cfg.file, cfg.go_line, cfg.go_column,
                      "go: mod: " + path + " has no toolchain or go line to take the version from");
  const std::string host = which == "go" ? host_version() : std::string();
  if (starts_with(host, "go") && parse_go_version(*want) && compare_go_versions(host, *want) >= 0) {
    cfg.go = host.substr(2); // the go line is a minimum, and the host's go meets it
    return;
  }
  // The same rule as a version written in the config: 1.N, 1.N.P, 1.NrcK, at least 1.21.
  const bool ok = parse_go_version(*want).has_value() && compare_go_versions(*want, "1.21") >= 0;
  if (!ok)
    throw ConfigError(cfg.file, cfg.go_line, cfg.go_column,
                      "go: mod: go.mod's " + which + " line names '" + *want +
                          "', which cannot pin a toolchain (1.21 or later: the first the go command can switch to)");
  if (which == "toolchain") {
    cfg.go = *want;
    return;
  }
  const GoVersion g = *parse_go_version(*want);
  cfg.go = g.kind == 0 ? *want + ".0" : *want;
}

std::string go_mod_newer_warning(const std::string& gomod, const std::string& host_version) {
  std::string which;
  auto want = gomod_toolchain_request(gomod, &which);
  if (!want || host_version.empty() || compare_go_versions(*want, host_version) <= 0) return "";
  return "warning: go.mod's " + which + " line asks for go" + *want + ", newer than the host's " +
         host_version + "; with no go: key gobuild uses the host's go (GOTOOLCHAIN=local). "
         "Set go: mod to use the version go.mod names (the go command fetches it), or install go" +
         *want;
}

std::string toolchain_line(const std::optional<std::string>& go, const std::string& version) {
  if (!go) return "toolchain " + version + " (host go, GOTOOLCHAIN=local)";
  return "toolchain " + version + " (pinned by go: \"" + *go + "\")";
}

EnvList query_environment(const HostEnv& host) {
  EnvList env;
  for (const char* key : kBuildKeep) {
    auto it = host.find(key);
    if (it != host.end()) env.emplace_back(key, it->second);
  }
  env.emplace_back("GOTOOLCHAIN", "local");
  env.emplace_back("GOWORK", "off");
  env.emplace_back("GOENV", "off");
  env.emplace_back("GOPROXY", "off");
  env.emplace_back("CGO_ENABLED", "0");
  return env;
}

std::string scratch_parent(const HostEnv& host) {
  auto it = host.find("TMPDIR");
  return it != host.end() && !it->second.empty() ? it->second : std::string("/tmp");
}

std::string make_scratch_dir(const HostEnv& host, const std::string& prefix) {
  // The run's pid in the name: a later run removes it if this one is killed (see
  // sweep_dead_temporaries).
  std::string templ = scratch_parent(host) + "/" + prefix + "-" + std::to_string(::getpid()) + "-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  return ::mkdtemp(buf.data()) ? std::string(buf.data()) : std::string();
}

PinnedEnv vendor_environment(const HostEnv& host, const std::string& toolchain) {
  EnvBuilder b(host);
  for (const char* name : kBuildKeep) b.keep(name);
  for (const char* name : kProxyKeep) b.keep(name);
  b.mark_kept();
  b.set("GOWORK", "off");
  b.set("GOENV", "off");
  b.set("GOTOOLCHAIN", toolchain);
  return b.finish();
}

PinnedEnv build_environment(const HostEnv& host, const Config& cfg, const Target& target,
                            const Platform& platform, const std::string& toolchain) {
  EnvBuilder b(host);
  for (const char* name : kBuildKeep) b.keep(name);
  b.mark_kept();
  b.set("CGO_ENABLED", target.build.cgo ? "1" : "0");
  b.set("GOOS", platform.os);
  b.set("GOARCH", platform.arch);
  // A variant (linux/arm/v7) sets its variable for this platform alone; the config refuses the
  // same variable in env for such a target, so the order below cannot matter.
  if (auto v = variant_setting(platform)) b.set(v->first, v->second);
  b.set("GOFLAGS", cfg.vendor ? "-mod=vendor" : "-mod=readonly");
  b.set("GOPROXY", "off");
  b.set("GOWORK", "off");
  b.set("GOENV", "off");
  b.set("GOTOOLCHAIN", toolchain);
  for (const auto& kv : target.build.env) b.set(kv.first, kv.second);
  return b.finish();
}

EnvList with_cache_prog(EnvList env, const std::string& cmd) {
  if (cmd.empty()) return env;
  auto it = std::find_if(env.begin(), env.end(),
                         [](const auto& kv) { return kv.first >= std::string("GOCACHEPROG"); });
  if (it != env.end() && it->first == "GOCACHEPROG")
    it->second = cmd;
  else
    env.emplace(it, "GOCACHEPROG", cmd);
  return env;
}

} // namespace gobuild
