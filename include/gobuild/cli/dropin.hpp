#pragma once
// The drop-in for `go build`: in a module without gobuild.yaml (and without -f), `gobuild build
// [-o OUT] [-tags T] [-ldflags L] [-gcflags G] ... [PACKAGE...]` builds each main package with
// gobuild's defaults. The go flags become an in-memory Config, the one gobuild.yaml would load
// into, so that the pipeline after it is the same.
#include <optional>
#include <string>
#include <vector>

#include "gobuild/cli/commands.hpp"
#include "gobuild/config/config.hpp"
#include "gobuild/driver/environment.hpp"

namespace gobuild {

/// True when `o` builds without a config: no -f, and no `o.common.config` (gobuild.yaml) in
/// the current directory. A go build flag with a config present is a UsageError that says
/// where such settings go.
bool dropin_mode(const BuildOptions& o);

/// The go flags, checked by the config's allowlists, as build settings: cgo off, trimpath,
/// no VCS stamps, -a only when asked, static verification; `-tags` split at commas (and
/// spaces), `-ldflags` split as go splits it. The last -tags and -ldflags count, as in go.
/// UsageError naming the flag when an allowlist refuses a word.
BuildSettings dropin_settings(const GoFlags& go, bool allow_cc);

/// One package `go list` printed: `{{.Name}} {{.ImportPath}} {{.Dir}}`.
struct ListedPackage {
  std::string name;
  std::string import_path;
  std::string dir;
};

/// Parses go list's lines. UsageError for a line that is not NAME IMPORTPATH DIR.
std::vector<ListedPackage> parse_listed(const std::string& text);

/// The file name go gives a package's executable: the last element of its import path, or the
/// one before it when the last is a major version (v2, v3, ...).
std::string exec_name(const std::string& import_path);

/// The targets for the main packages among `listed` (others are skipped when `patterns`, else
/// refused), built with `settings`. `output` is -o: a directory when it ends in '/' or
/// `output_is_dir` (it names an existing directory), then each output is DIR/NAME; otherwise a
/// file, for one package only. Without -o, one package is written to NAME in the current
/// directory, as go does. `main` is "./PATH" relative to `module_dir` for a package in the
/// module, else its import path.
std::vector<Target> dropin_targets(const std::vector<ListedPackage>& listed, bool patterns,
                                   const std::optional<std::string>& output, bool output_is_dir,
                                   const std::string& module_dir, const BuildSettings& settings);

/// The whole drop-in Config for the current directory: settings checked first, then the
/// module found (go.mod here or above), then the packages listed with `go list` in the query
/// environment of `host`. Config::file is "(command line)". --platform sets every target's
/// platforms (several: each output gets "-{os}-{arch}" appended).
Config dropin_config(const BuildOptions& o, const HostEnv& host);

} // namespace gobuild
