#pragma once
// `gobuild init`: the pure parts (reading go.mod and `go list`, naming targets, writing the
// YAML), kept apart from the I/O in src/cli/cmd_init.cpp so that the tests can check them.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gobuild {

/// One main package as `go list` reports it.
struct MainPackage {
  std::string import_path; ///< "example.com/hello/cmd/tool"
  std::string dir;         ///< absolute directory
};

/// One target that init writes.
struct InitTarget {
  InitTarget() = default;
  InitTarget(std::string name_, std::string main_, bool cgo_ = false)
      : name(std::move(name_)), main(std::move(main_)), cgo(cgo_) {}
  std::string name; ///< unique, matches [A-Za-z0-9._-]+
  std::string main; ///< "." or "./cmd/tool", relative to the module
  bool cgo = false; ///< its files all need cgo: written with cgo: true, linkmode: external
  // From a .goreleaser.yaml build; empty: not written (the defaults).
  std::vector<std::string> ldflags, flags, tags;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::string> platforms; ///< empty: the host's
};

/// What the written file says besides the targets.
struct InitConfig {
  std::string module_path;   ///< from go.mod, for the header comment
  std::string module_dir;    ///< `module:` value, relative to the config file ("." usually)
  std::string platform;      ///< the host's "GOOS/GOARCH"
  std::string go_version;    ///< "1.26", shown in the commented-out `go:` line
  std::vector<InitTarget> targets;
};

/// The module path of a go.mod file (`module example.com/x`, quoted or not, comments
/// allowed). Throws UsageError "go.mod has no module line" when there is none.
std::string parse_module_path(std::string_view gomod);

/// The lines "IMPORTPATH DIR" printed by init's `go list -f` template. Lines of any other
/// shape (warnings the go command writes to stderr) are skipped.
std::vector<MainPackage> parse_main_packages(std::string_view go_list_output);

/// The packages of `with_cgo` (listed with CGO_ENABLED=1) missing from `without_cgo` (listed
/// with CGO_ENABLED=0, gobuild's default): main packages that build only with cgo.
std::vector<MainPackage> cgo_only_packages(const std::vector<MainPackage>& with_cgo,
                                           const std::vector<MainPackage>& without_cgo);

/// Whether a main package at `main` ("./tests/cmd/helper") is a test helper or an example
/// rather than something a release ships: some directory on its path is testdata, test,
/// tests, testing, testutil, e2e, example, examples, _example, _examples or helpers.
/// internal/ is not on the list: a tool under internal/cmd is a real tool.
bool is_helper_main(std::string_view main);

/// The summary init prints: `  NAME  MAIN` lines, the names padded to the longest.
std::string render_init_summary(const std::vector<InitTarget>& targets);

/// `name` with every character outside [A-Za-z0-9._-] replaced by '-'; "main" when empty.
std::string sanitize_target_name(std::string_view name);

/// The last element of a module path, skipping a major-version suffix, as `go build` names
/// the binary: "example.com/tool/v2" -> "tool".
std::string module_binary_name(std::string_view module_path);

/// One target per package, in the given order: named after the directory's base name (the
/// module root after the module path), sanitized, made unique with "-2", "-3", ...; `main`
/// relative to the module ("." for the root).
std::vector<InitTarget> plan_init_targets(const std::string& module_path,
                                          const std::string& module_dir,
                                          const std::vector<MainPackage>& packages);

/// "go1.26.3" -> "1.26"; "" when the version has another shape (devel builds).
std::string go_minor_version(std::string_view goversion);

/// A YAML scalar: the text unchanged when YAML reads it back as that string, else
/// double-quoted.
std::string yaml_scalar(std::string_view s);

/// The commented gobuild.yaml: every default spelled out, one comment a key.
std::string render_init_config(const InitConfig& c);

} // namespace gobuild
