#pragma once
// `gobuild doctor`: the checks' model and output, and the pure judgements behind them
// (filesystem kinds, WSL, the variables a build drops), apart from the probing in
// src/cli/cmd_doctor.cpp so that the tests can feed them any input.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gobuild/cli/host.hpp"
#include "gobuild/driver/process.hpp"

namespace gobuild {

enum class CheckStatus { ok, info, warn, fail };

std::string_view to_string(CheckStatus s); ///< "ok", "info", "warn", "fail"

struct Check {
  std::string name;
  CheckStatus status = CheckStatus::ok;
  std::string detail;
  std::string advice; ///< what to do about a warn or fail; may be empty
};

/// One line a check, `STATUS  NAME: DETAIL` (status padded to 6 columns), then
/// `      advice: ADVICE` for a warn or fail that has advice. With `color`, the status word is
/// wrapped in an ANSI colour (ok green, warn yellow, fail red; info plain).
std::string render_checks_text(const std::vector<Check>& checks, bool color = false);

/// {"checks":[{"name","status","detail","advice"}]}, one line.
std::string render_checks_json(const std::vector<Check>& checks);

/// 1 when any check failed, else 0.
int doctor_exit_code(const std::vector<Check>& checks);

/// The "sandbox" check: ok when the build step can run in a network namespace (`mode` from
/// probe_sandbox()), warn with the kernel's `reason` and what to change when it cannot.
Check sandbox_check(Sandbox mode, const std::string& reason);

/// The "toolchain" check: whether the config's `go:` key (doc/config.md) is met by the host's go
/// (`host_go_version`, "go1.26.8"), makes the go command download another, or cannot be met.
Check toolchain_check(const std::optional<std::string>& go, const std::string& host_go_version);

/// The slow or foreign filesystem a statfs(2) f_type denotes ("9p", "nfs", "cifs", "smb2",
/// "fuse"), or nullopt for anything else.
std::optional<std::string> slow_filesystem_from_magic(std::uint64_t f_type);

/// The same judgement from a /proc/mounts type ("9p", "drvfs", "nfs4", "fuse.sshfs", ...).
std::optional<std::string> slow_filesystem_from_type(std::string_view fs_type);

struct MountEntry {
  std::string source;
  std::string mount_point; ///< octal escapes (\040) decoded
  std::string fs_type;
};

/// The lines of /proc/mounts (or /proc/self/mounts).
std::vector<MountEntry> parse_mounts(std::string_view text);

/// The entry mounted last at the longest mount point containing the absolute path `path`,
/// or nullptr.
const MountEntry* mount_containing(const std::string& path, const std::vector<MountEntry>& mounts);

/// True when a kernel release or /proc/version text says WSL ("microsoft", "WSL").
bool looks_like_wsl(std::string_view text);

/// The host variables that a plain `go build` would obey and that gobuild drops from its
/// pinned environment (GOFLAGS, GOOS, CC, CGO_*, ...), sorted.
std::vector<std::string> dropped_variables(const EnvMap& env);

/// Where the go command reads its `go env -w` settings: $GOENV, else
/// $XDG_CONFIG_HOME/go/env, else $HOME/.config/go/env; "" when GOENV=off or nothing is known.
std::string go_env_file(const EnvMap& env);

/// The keys set in a go env file (KEY=VALUE lines), in file order.
std::vector<std::string> parse_go_env_file(std::string_view text);

} // namespace gobuild
