#pragma once
// Where a config may reach (doc/safety.md): `module` and every `main` inside the config's
// directory, outputs relative and below the output directory, never in .git/ or vendor/, never
// a directory of another output, names short enough for their temporaries, and never over
// anything but a previous build's executable. Checked before anything runs, and the output
// path once more right before the rename.
#include <cstddef>
#include <optional>
#include <string>

#include "gobuild/config/config.hpp"

namespace gobuild {

/// The longest output file name: NAME_MAX (255) less what its temporary adds
/// ("." before, ".gobuild-tmp-XXXXXX" after).
constexpr std::size_t kMaxOutputName = 255 - 20;

/// The rules an expanded output path obeys by its text alone: relative, no `..`, not in .git/
/// or vendor/ (any case), no `~` or `$` that a shell would have expanded, names within
/// NAME_MAX (the file's own within kMaxOutputName). The reason, or nothing.
std::optional<std::string> check_output_path(const std::string& output);

/// Every output of `cfg` by check_output_path, and no output inside another's path
/// (`bin/x` and `bin/x/y`, compared without case). Throws ConfigError at the output's position.
void check_outputs(const Config& cfg);

/// What is on the file system at `base`/`output` now. Fine: nothing, or a regular file that
/// holds an executable (ELF, PE or Mach-O magic); no directory on the way that is a symlink
/// leading out of `base`, or not a directory. Never blocks (lstat, O_NONBLOCK|O_NOFOLLOW).
/// The reason, or nothing.
std::optional<std::string> check_output_file(const std::string& base, const std::string& output);

/// The file-system checks of a loaded config: `module` and every path-like `main` resolve
/// (symlinks followed) inside the config's directory, and check_output_file for every output
/// of every target and platform. Throws ConfigError at the value's position.
void check_confinement(const Config& cfg);

} // namespace gobuild
