#pragma once
// The pinned child environment (doc/build.md): built from nothing, never inherited.
//
// A pure function of (host environment, config, target, platform, step): the same inputs give
// the same EnvList, so `gobuild env`, `gobuild plan` and the build itself cannot disagree.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gobuild/driver/process.hpp"
#include "gobuild/config/config.hpp"

namespace gobuild {

/// The host environment as a sorted map (what `environ` holds).
using HostEnv = std::map<std::string, std::string>;

/// Reads `environ`.
HostEnv host_environment();

/// The child's environment, sorted by name, and the host variables it left out.
struct PinnedEnv {
  EnvList env;                      ///< sorted by name, each name once
  std::vector<std::string> dropped; ///< host variable names not passed on, sorted
  /// The value of `name`, or nullptr.
  const std::string* get(const std::string& name) const;
};

/// True for a `go:` value naming one release ("1.26.8", "1.27rc1"); false for a prefix
/// ("1.26"), which accepts any 1.26.x.
bool is_exact_go_version(const std::string& go);

/// The GOTOOLCHAIN value (doc/build.md, toolchain):
/// - no `go:` key: "local" (the host's go, never one fetched behind the user's back);
/// - an exact version X: "goX" (no "+auto"): the go command runs exactly that toolchain,
///   fetching it through GOPROXY when the host's go is another version;
/// - a prefix P ("1.26"): go has no toolchain name for "any 1.26.x" (GOTOOLCHAIN=go1.26 is
///   refused as a language version), so the host's go is pinned by its exact version when it
///   matches the prefix (`host_go_version`, e.g. "go1.26.8"); otherwise a UsageError says so.
std::string toolchain_setting(const std::optional<std::string>& go,
                              const std::string& host_go_version);

/// The toolchain pin after a build: does `used` (the output's build info version, "go1.26.8") meet the
/// config's `go:` key? Exact pin: equal to "go" + pin; prefix pin "1.26": "go1.26" or "go1.26.x".
/// No pin: always. The empty string (no build info) never meets a pin.
bool go_version_matches(const std::optional<std::string>& go, const std::string& used);

/// Orders Go versions as the go command does: "1.26" (a language version) < "1.26rc1" <
/// "1.26.0" < "1.26.8" < "1.27beta1"; a leading "go" is ignored. <0, 0 or >0; versions that do
/// not parse compare equal (no warning is better than a wrong one).
int compare_go_versions(const std::string& a, const std::string& b);

/// `go: mod`: sets cfg.go from MODULE/go.mod. A `toolchain` line names one release: it is pinned
/// exactly. Without one, the `go` line is what go itself reads it as, a minimum: the host's go
/// (`host_version()`, "go1.26.8", "" when unknown) when it is at least that, pinned by its exact
/// version; else exactly that version (1.N becomes 1.N.0, the first release of 1.N), which the
/// go command fetches. ConfigError at the `go:` key when go.mod names neither, or a version
/// older than 1.21.
void apply_go_mod(Config& cfg, const std::function<std::string()>& host_version);

/// With no `go:` key: the warning for a go.mod that asks for a newer toolchain than the host's
/// `host_version` ("go1.26.8"), or "" when it does not. Without the "gobuild: " prefix.
std::string go_mod_newer_warning(const std::string& gomod, const std::string& host_version);

/// The line that says which toolchain a build uses, without the "gobuild: " prefix:
/// `toolchain go1.26.8 (pinned by go: "1.26")` or `toolchain go1.26.8 (host go, GOTOOLCHAIN=local)`.
std::string toolchain_line(const std::optional<std::string>& go, const std::string& version);

/// The environment for toolchain queries (go env, go list, go version, cc): PATH, HOME,
/// TMPDIR, GOCACHE, GOMODCACHE and GOPATH from the host when set, as in a build; then
/// GOTOOLCHAIN=local (never fetch a toolchain to answer a question), GOWORK=off, GOENV=off,
/// GOPROXY=off (a query never uses the network) and CGO_ENABLED=0. Nothing else of the host's.
EnvList query_environment(const HostEnv& host);

/// The host's TMPDIR, or /tmp: where scratch directories go.
std::string scratch_parent(const HostEnv& host);

/// Makes a fresh directory PREFIX-PID-XXXXXX (PID: gobuild's) under the host's TMPDIR (or
/// /tmp) and returns its path, or "" when it cannot. The caller owns it (usually through a
/// TempPath); a later run removes it if this one is killed. PREFIX is `gobuild-` and
/// lower-case letters.
std::string make_scratch_dir(const HostEnv& host, const std::string& prefix);

/// The environment of `go mod vendor`: PATH, HOME, TMPDIR, GOCACHE, GOMODCACHE, GOPATH and the
/// proxy settings (GOPROXY, GONOPROXY, GOPRIVATE, GONOSUMDB, GOSUMDB, GOINSECURE, GOAUTH,
/// http_proxy, https_proxy, no_proxy in either case, and SSL_CERT_FILE/SSL_CERT_DIR so that
/// HTTPS works where the CA bundle is not in the default place) from the host; then GOWORK=off, GOENV=off,
/// GOTOOLCHAIN. This is the only step that may use the network.
PinnedEnv vendor_environment(const HostEnv& host, const std::string& toolchain);

/// The environment of `go build` for one target and platform: PATH, HOME, TMPDIR, GOCACHE,
/// GOMODCACHE, GOPATH from the host (those unset on the host stay unset: go derives them from
/// HOME); then CGO_ENABLED, GOOS, GOARCH, the platform variant's variable (GOARM=7 for
/// linux/arm/v7), GOFLAGS (-mod=vendor when vendoring, else
/// -mod=readonly, so that a stray vendor/ or go.mod edit cannot change what is built),
/// GOPROXY=off, GOWORK=off, GOENV=off, GOTOOLCHAIN, and last the config's `env`.
PinnedEnv build_environment(const HostEnv& host, const Config& cfg, const Target& target,
                            const Platform& platform, const std::string& toolchain);

/// `env` with GOCACHEPROG=cmd in its sorted place (--cache-prog: the operator's shared build
/// cache; go splits the command line itself, with quotes). Empty `cmd`: `env` unchanged.
EnvList with_cache_prog(EnvList env, const std::string& cmd);

} // namespace gobuild
