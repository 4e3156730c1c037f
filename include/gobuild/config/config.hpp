#pragma once
// gobuild.yaml, version 1 (doc/config.md): the typed model, the strict loader and the placeholders.
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
  std::string str() const { return os + "/" + arch; }
  bool operator==(const Platform& o) const { return os == o.os && arch == o.arch; }
};

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
  std::string output;              ///< template with {name} {os} {arch}; defaults in doc/config.md
  std::vector<Platform> platforms; ///< empty: the host's GOOS/GOARCH
  BuildSettings build;
  int line = 0;                    ///< where the target starts in the file
};

struct Config {
  std::string file;         ///< the config path as the user gave it (used in messages)
  std::string dir;          ///< absolute directory holding the config file
  std::string module_dir;   ///< absolute directory holding go.mod (`module:` resolved)
  std::optional<std::string> go; ///< `go:` toolchain version, e.g. "1.26" or "1.26.8"
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

/// The output path for one target and platform, placeholders expanded, relative to Config::dir
/// unless absolute. For windows, ".exe" is appended unless the result already ends in .exe (any
/// case).
std::string expand_output(const Target& t, const Platform& p);

/// The GOOS/GOARCH gobuild itself was compiled for: the platform of a target without one.
Platform compiled_host_platform();

/// Every GOOS/GOARCH pair `go tool dist list` prints for the Go versions gobuild supports.
bool is_known_platform(const Platform& p);

} // namespace gobuild
