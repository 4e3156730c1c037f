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

/// `rebuild_all:` true | false | auto. auto (the default) means -a only with cgo, where go's
/// build cache cannot see the C libraries that are linked; for pure Go the cache is keyed by
/// content and -a changes nothing but the time.
enum class RebuildAll { no, yes, automatic };

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
  RebuildAll rebuild_all = RebuildAll::automatic;
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

/// Whether `go build` gets -a: rebuild_all: true, or auto with cgo on.
inline bool rebuilds_all(const BuildSettings& b) {
  return b.rebuild_all == RebuildAll::yes || (b.rebuild_all == RebuildAll::automatic && b.cgo);
}
/// Where a value stands in the config (1-based; 0 when it was not written).
struct SourcePos {
  int line = 0;
  int column = 0;
};

struct Target {
  std::string name;
  std::string main = ".";
  std::string output;              ///< template with {name} {os} {arch} {variant} and stamps
                                   ///< ({version}...); defaults in doc/config.md
  std::vector<Platform> platforms; ///< empty: the host's GOOS/GOARCH
  BuildSettings build;
  int line = 0;                    ///< where the target starts in the file
  SourcePos name_at, main_at;      ///< main_at: the `main` value, else the name
  SourcePos output_at;             ///< the `output` value, else the name (a default output)
};

struct Config {
  std::string file;         ///< the config path as the user gave it (used in messages)
  std::string dir;          ///< absolute directory holding the config file
  std::string module_dir;   ///< absolute directory holding go.mod (`module:` resolved)
  std::string module;       ///< `module:` as written ("." by default)
  SourcePos module_at;      ///< the `module` value, else the top of the file
  std::string out_dir;      ///< absolute directory outputs are relative to: `dir`, or --out-dir
  std::optional<std::string> go; ///< `go:` toolchain version, e.g. "1.26" or "1.26.8"
  /// `go: mod`: `go` is filled from go.mod (its toolchain line, else its go line) by
  /// apply_go_mod (driver/environment.hpp) before anything runs; go_line/go_column locate the key.
  bool go_mod = false;
  int go_line = 0, go_column = 0;
  bool vendor = true;
  /// `vendor: check` (vendor is true too): vendor/ must be what `go mod vendor` writes, file
  /// for file; gobuild refuses it otherwise and never rewrites it.
  bool vendor_check = false;
  std::vector<Target> targets;
};

struct LoadOptions {
  bool allow_cc = false;    ///< --allow-cc: permits CC/CXX/CGO_* in env (and -extld in ldflags,
                            ///< -fuse-ld=/-B/plugins in extldflags)
  std::string out_dir;      ///< --out-dir: outputs go under this directory instead of the config's
};

/// Parses and validates config text. `file` names it in errors; `dir` resolves `module:`.
/// Throws ConfigError (FILE:LINE:COL) on the first mistake. Runs nothing, touches no file.
Config parse_config(const std::string& text, const std::string& file, const std::string& dir,
                    const LoadOptions& opts);

/// Reads `path` and parses it, then checks on the file system what the config alone decides
/// (gobuild/config/confine.hpp): `module` and `main` inside, nothing but a previous executable
/// at an output path. A missing file is a UsageError.
Config load_config(const std::string& path, const LoadOptions& opts);

/// The output path for one target and platform, {name} {os} {arch} {variant} expanded (stamps
/// are expanded earlier, by apply_stamps), relative to Config::out_dir (the config refuses
/// absolute ones). For windows, ".exe" is appended unless the result already ends in .exe (any
/// case).
std::string expand_output(const Target& t, const Platform& p);

/// The GOOS/GOARCH gobuild itself was compiled for: the platform of a target without one.
Platform compiled_host_platform();

/// Every GOOS/GOARCH pair `go tool dist list` prints for the Go versions gobuild supports.
bool is_known_platform(const Platform& p);

} // namespace gobuild
