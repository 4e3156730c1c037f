#pragma once
// SLSA provenance v1 in an in-toto Statement v1 (doc/provenance.md), checksum files, SOURCE_DATE_EPOCH.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gobuild/binary/info.hpp"

namespace gobuild {

/// One output of the build, as the provenance and checksum files record it.
struct BuiltOutput {
  std::string target;
  std::string platform;  ///< "linux/amd64"
  std::string path;      ///< as reported to the user
  std::string config_output; ///< as the config names it, relative to the config's directory
  std::string abs_output;    ///< absolute (recorded in runDetails only)
  std::string sha256;
  std::vector<std::pair<std::string, std::string>> env; ///< the pinned environment of its build
  std::vector<std::string> argv;                        ///< the `go build` argv
  std::optional<GoBuildInfo> go;
};

struct ProvenanceInput {
  std::string config_path;               ///< relative to the module directory (portable)
  std::string config_abs;                ///< absolute (runDetails only)
  std::string module_dir;                ///< absolute (runDetails only)
  std::string main_module;               ///< the main module's path ("example.com/app")
  std::string main_version = "(devel)";  ///< the version its dirhash names (MODULE@VERSION/ prefix)
  std::string main_dirhash;              ///< its source tree's h1: dirhash, "" when unknown
  std::string git_subdir;                ///< the module directory relative to the work tree's top
  std::string config_sha256;
  std::string go_version;                ///< the toolchain actually used ("go1.26.8")
  std::optional<std::string> go_pin;     ///< the config's `go:` key
  std::optional<std::string> git_commit; ///< HEAD of the work tree holding the module
  std::string git_top;                   ///< the work tree's top (runDetails only)
  std::vector<BuiltOutput> outputs;
  std::vector<std::pair<std::string, std::string>> stamps; ///< the stamps used, name → value
  /// The module's go.sum text: the h1: sum of a module whose build info has none (a build
  /// from vendor/ records no sums) is taken from its `PATH VERSION h1:...` line.
  std::string go_sum;
  std::int64_t started = 0;              ///< seconds since the epoch (SOURCE_DATE_EPOCH when set)
  std::int64_t finished = 0;
  std::string builder_id;                ///< defaults to kDefaultBuilderId when empty
  /// --cache-prog: the GOCACHEPROG command the builds used. A property of this run, not of
  /// the build: recorded in runDetails.builder.builderDependencies, never in buildDefinition.
  std::string cache_prog;
  /// How the build step was cut off from the network: "netns", "userns+netns" or "none";
  /// runDetails (it is the host's, not the build's) when not empty.
  std::string sandbox;
};

inline constexpr const char* kBuildType = "urn:gobuild:build-type:go-build:v1";
inline constexpr const char* kDefaultBuilderId = "urn:gobuild:builder:local";

/// The in-toto Statement. resolvedDependencies: every module of the outputs' build info
/// (`pkg:golang/PATH@VERSION`, digest `dirHash`: the h1: sum (from the build info, else go.sum) in hex, per the in-toto DigestSet
/// spec; a replacement is recorded as the module that was used), the config file (sha256) and
/// the git commit (gitCommit).
nlohmann::ordered_json provenance_statement(const ProvenanceInput& in);

/// Variables of the pinned environment whose values are the host's and cannot change the
/// bytes (PATH, HOME, TMPDIR, caches): runDetails records them, buildDefinition does not.
bool is_host_variable(const std::string& name);

/// The files of the module in `dir` as Go's module zip holds them (golang.org/x/mod/zip
/// CreateFromDir): regular files only, without .git/.hg/.svn/.bzr directories, subdirectories
/// holding their own go.mod, and files inside packages under vendor/ (Go's rule, bug included);
/// `excluded` paths (slash-separated, relative to `dir`; a directory excludes what is under
/// it) are left out too. Sorted by path, slash-separated.
std::vector<std::string> module_files(const std::string& dir, const std::vector<std::string>& excluded = {});

/// Go's h1: dirhash (golang.org/x/mod/sumdb/dirhash Hash1) of `files` under `dir`: the
/// SHA-256 of the lines "SHA256HEX  PREFIX/PATH\n" in sorted order, base64 → "h1:...". Go's
/// sums use the prefix MODULE@VERSION (the names in the module zip). Throws
/// std::runtime_error when a file cannot be read.
std::string dirhash_h1(const std::string& dir, const std::vector<std::string>& files, const std::string& prefix = "");

/// The module path of the go.mod in `dir` ("" when there is none).
std::string go_mod_module_path(const std::string& dir);

/// The h1: sum go.sum text gives the module PATH at VERSION (its tree, not its /go.mod line);
/// "" when it has none.
std::string go_sum_h1(const std::string& go_sum, const std::string& path, const std::string& version);

/// The text of MODULE_DIR/go.sum, or "" when there is none.
std::string read_go_sum(const std::string& module_dir);

/// `h1:BASE64` → lower-case hex of the hash; nullopt when it is not a well-formed h1 sum.
std::optional<std::string> h1_to_hex(const std::string& sum);

/// RFC 3339 UTC time: 2026-11-27T14:05:00Z.
std::string rfc3339(std::int64_t seconds);

/// SOURCE_DATE_EPOCH (reproducible-builds.org): nullopt when unset or empty; UsageError when it
/// is not a non-negative decimal integer.
std::optional<std::int64_t> source_date_epoch(const char* value);

/// The path of `output` (as the config names it: relative to `config_dir`, or absolute) from
/// the directory `cwd`, so that `sha256sum -c` run where gobuild ran (after -C) finds it:
/// ("/w", "/w", "bin/app") → "bin/app"; ("/w", "/w/sub", "bin/app") → "sub/bin/app";
/// ("/w/x", "/w/sub", "bin/app") → "../sub/bin/app"; an absolute output stays absolute.
std::string path_from(const std::string& cwd, const std::string& config_dir, const std::string& output);

/// Rewrites each output's path with path_from(the current directory, config_dir, path).
void paths_from_cwd(std::vector<BuiltOutput>& outputs, const std::string& config_dir);

/// `SHA256  PATH` lines, one per output, in the given order (what `sha256sum -c` reads).
std::string checksum_lines(const std::vector<BuiltOutput>& outputs);


} // namespace gobuild
