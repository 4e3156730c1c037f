#pragma once
// Config → gobuild.yaml text: what `gobuild plan` shows for the drop-in mode, and what
// `gobuild init` can write.
#include <string>

#include "gobuild/config/config.hpp"

namespace gobuild {

/// The gobuild.yaml that loads (in Config::dir) into `cfg`: `version`, `module` (relative to
/// Config::dir), `go` when set, `vendor`, then the build settings that differ from the
/// defaults (under `build:` when every target has the same ones, else in each target), then
/// the targets. Deterministic: the same Config gives the same bytes. Strings are quoted only
/// where YAML would read them otherwise.
std::string emit_config(const Config& cfg);

/// One YAML scalar for `s`: as is when it reads back as the same string, else double-quoted.
std::string yaml_scalar(const std::string& s);

} // namespace gobuild
