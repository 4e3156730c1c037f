#pragma once
// gobuild.yaml, version 1 (SPEC §2): the typed model, the strict loader and the placeholders.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gobuild/binary/verify.hpp"
#include "gobuild/util/error.hpp"

namespace gobuild {

enum class LinkMode { internal, external };

struct Platform {
  std::string os;
  std::string arch;
  std::string variant{}; ///< OCI-style: "v7" for linux/arm/v7, "v3" for linux/amd64/v3; "" when none
  std::string str() const { return os + "/" + arch + (variant.empty() ? "" : "/" + variant); }
  bool operator==(const Platform& o) const {
    return os == o.os && arch == o.arch && variant == o.variant;
  }
};

/// The go environment variable a platform's variant sets and its value: linux/arm/v7 →
/// {"GOARM", "7"}, linux/amd64/v3 → {"GOAMD64", "v3"}, linux/arm64/v8 → {"GOARM64", "v8.0"};
/// nullopt for a platform without a variant.
std::optional<std::pair<std::string, std::string>> variant_setting(const Platform& p);

/// The `build:` keys: defaults at the top, overridable per target. Fields hold the values in
/// force after defaults were applied (extldflags is [-static] for external linking unless set).
struct BuildSettings {
  bool cgo = false;
  bool rebuild_all = true;
  bool trimpath = true;
  bool buildvcs = false;
  LinkMode linkmode = LinkMode::internal;
  std::vector<std::string> extldflags;
  std::vector<std::string> ldflags;
  std::vector<std::string> tags;
  std::vector<std::string> flags;
  std::vector<std::pair<std::string, std::string>> env; ///< in file order
  StaticMode static_mode = StaticMode::on;
};

struct Target {
  std::string name;
  std::string main = ".";
  std::string output;              ///< template with {name} {os} {arch} {variant} and stamps
                                   ///< ({version}...), defaulted by the loader
  std::vector<Platform> platforms; ///< empty: the host's GOOS/GOARCH
  BuildSettings build;
  int line = 0;                    ///< where the target starts in the file
};

struct Config {
  std::string file;         ///< the config path as the user gave it (used in messages)
  std::string dir;          ///< absolute directory holding the config file
  std::string module_dir;   ///< absolute directory holding go.mod (`module:` resolved)
  std::optional<std::string> go; ///< `go:` toolchain version, e.g. "1.26" or "1.26.8"
  /// `go: mod`: `go` is filled from go.mod (its toolchain line, else its go line) by
  /// apply_go_mod (driver/environment.hpp) before anything runs; go_line/go_column locate the key.
  bool go_mod = false;
  int go_line = 0, go_column = 0;
  bool vendor = true;
  std::vector<Target> targets;
};

struct LoadOptions {
  bool allow_cc = false;    ///< --allow-cc: permits CC/CXX/CGO_* in env (and -extld in ldflags,
                            ///< -fuse-ld=/-B/plugins in extldflags)
};

/// Parses and validates config text. `file` names it in errors; `dir` resolves `module:`.
/// Throws ConfigError (FILE:LINE:COL) on the first mistake. Runs nothing, touches no file.
Config parse_config(const std::string& text, const std::string& file, const std::string& dir,
                    const LoadOptions& opts);

/// Reads `path` and parses it. A missing file is a UsageError.
Config load_config(const std::string& path, const LoadOptions& opts);

/// The output path for one target and platform, {name} {os} {arch} {variant} expanded (stamps
/// are expanded earlier, by apply_stamps), relative to Config::dir
/// unless absolute. For windows, ".exe" is appended unless the result already ends in .exe (any
/// case).
std::string expand_output(const Target& t, const Platform& p);

/// The GOOS/GOARCH gobuild itself was compiled for: the platform of a target without one.
Platform compiled_host_platform();

/// Every GOOS/GOARCH pair `go tool dist list` prints for the Go versions gobuild supports.
bool is_known_platform(const Platform& p);

} // namespace gobuild
