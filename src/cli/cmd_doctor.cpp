// `gobuild doctor`: probes the host (go, C toolchain, static libc, cache filesystems, WSL,
// environment) and prints one verdict a check.
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/filesystem.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gobuild/cli/commands.hpp"
#include "gobuild/cli/doctor.hpp"
#include "gobuild/driver/environment.hpp"
#include "gobuild/cli/host.hpp"
#include "gobuild/config/config.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/file.hpp"
#include "gobuild/util/strings.hpp"

namespace fs = boost::filesystem;

namespace gobuild {

std::string_view to_string(CheckStatus s) {
  switch (s) {
  case CheckStatus::ok: return "ok";
  case CheckStatus::info: return "info";
  case CheckStatus::warn: return "warn";
  case CheckStatus::fail: return "fail";
  }
  return "?";
}

std::string render_checks_text(const std::vector<Check>& checks, bool color) {
  std::string out;
  for (const Check& c : checks) {
    std::string_view status = to_string(c.status);
    std::string pad(6 - status.size(), ' ');
    const char* sgr = c.status == CheckStatus::ok     ? "32"
                      : c.status == CheckStatus::warn ? "33"
                      : c.status == CheckStatus::fail ? "31"
                                                      : nullptr;
    if (color && sgr)
      out += fmt::format("\x1b[{}m{}\x1b[0m{}{}: {}\n", sgr, status, pad, c.name, c.detail);
    else
      out += fmt::format("{}{}{}: {}\n", status, pad, c.name, c.detail);
    bool needs_advice = c.status == CheckStatus::warn || c.status == CheckStatus::fail;
    if (needs_advice && !c.advice.empty()) out += fmt::format("      advice: {}\n", c.advice);
  }
  return out;
}

std::string render_checks_json(const std::vector<Check>& checks) {
  nlohmann::json list = nlohmann::json::array();
  for (const Check& c : checks)
    list.push_back({{"name", c.name},
                    {"status", std::string(to_string(c.status))},
                    {"detail", c.detail},
                    {"advice", c.advice}});
  return nlohmann::json{{"checks", list}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int doctor_exit_code(const std::vector<Check>& checks) {
  for (const Check& c : checks)
    if (c.status == CheckStatus::fail) return static_cast<int>(Exit::failed);
  return static_cast<int>(Exit::ok);
}

Check sandbox_check(Sandbox mode, const std::string& reason) {
  switch (mode) {
  case Sandbox::netns:
    return {"sandbox", CheckStatus::ok,
            "netns: the build step runs in a network namespace holding only loopback", ""};
  case Sandbox::userns_netns:
    return {"sandbox", CheckStatus::ok,
            "userns+netns: the build step runs in a user and network namespace holding only loopback",
            ""};
  case Sandbox::none: break;
  }
  return {"sandbox", CheckStatus::warn,
          fmt::format("none: no network namespace here ({}); the build step has GOPROXY=off alone", reason),
          "run gobuild as root, or allow unprivileged user namespaces "
          "(sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0, "
          "kernel.apparmor_restrict_unprivileged_userns=0)"};
}

Check toolchain_check(const std::optional<std::string>& go, const std::string& host_go_version) {
  const std::string host = host_go_version.empty() ? "unknown" : host_go_version;
  if (!go)
    return {"toolchain", CheckStatus::ok, fmt::format("no go: key: the host's go ({}), GOTOOLCHAIN=local", host), ""};
  std::string setting;
  try {
    setting = toolchain_setting(go, host_go_version);
  } catch (const UsageError& e) {
    return {"toolchain", CheckStatus::fail, e.what(), "install a matching go, or change go: in the config"};
  }
  if (setting == host_go_version)
    return {"toolchain", CheckStatus::ok, fmt::format("go: \"{}\" is met by the host's {}", *go, host), ""};
  return {"toolchain", CheckStatus::warn,
          fmt::format("go: \"{}\" is not the host's {}: the go command downloads {} through GOPROXY", *go,
                      host, setting),
          fmt::format("install {} to build offline", setting)};
}

std::optional<std::string> slow_filesystem_from_magic(std::uint64_t f_type) {
  switch (f_type) {
  case 0x01021997: return "9p";          // V9FS_MAGIC: WSL2's /mnt/c, VM shares
  case 0x6969: return "nfs";             // NFS_SUPER_MAGIC
  case 0xFF534D42: return "cifs";        // CIFS_SUPER_MAGIC
  case 0xFE534D42: return "smb2";        // SMB2_SUPER_MAGIC
  case 0x517B: return "smb";             // SMB_SUPER_MAGIC (the old smbfs)
  case 0x65735546: return "fuse";        // FUSE_SUPER_MAGIC: sshfs, ntfs-3g, rclone, ...
  default: return std::nullopt;
  }
}

std::optional<std::string> slow_filesystem_from_type(std::string_view t) {
  if (t == "9p" || t == "drvfs") return std::string(t);
  if (t == "nfs" || t == "nfs4") return "nfs";
  if (t == "cifs" || t == "smb3" || t == "smbfs") return "cifs";
  if (t == "fuse" || t == "fuseblk" || starts_with(t, "fuse.")) return "fuse";
  return std::nullopt;
}

namespace {

/// /proc/mounts writes space, tab, newline and backslash as \040, \011, \012, \134.
std::string unescape_mount_field(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' &&
        s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool path_within(std::string_view path, std::string_view dir) {
  if (dir == "/") return !path.empty() && path[0] == '/';
  return starts_with(path, dir) && (path.size() == dir.size() || path[dir.size()] == '/');
}

bool contains_icase(std::string_view text, std::string_view word) {
  auto it = std::search(text.begin(), text.end(), word.begin(), word.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

} // namespace

std::vector<MountEntry> parse_mounts(std::string_view text) {
  std::vector<MountEntry> out;
  for (const std::string& line : split(text, '\n')) {
    std::istringstream in(line);
    std::string source, point, type;
    if (!(in >> source >> point >> type)) continue;
    out.push_back({unescape_mount_field(source), unescape_mount_field(point), type});
  }
  return out;
}

const MountEntry* mount_containing(const std::string& path, const std::vector<MountEntry>& mounts) {
  const MountEntry* best = nullptr;
  for (const MountEntry& m : mounts) {
    if (!path_within(path, m.mount_point)) continue;
    // A later mount on the same point hides the earlier one, hence >=.
    if (!best || m.mount_point.size() >= best->mount_point.size()) best = &m;
  }
  return best;
}

bool looks_like_wsl(std::string_view text) {
  return contains_icase(text, "microsoft") || text.find("WSL") != std::string_view::npos;
}

std::vector<std::string> dropped_variables(const EnvMap& env) {
  // What a plain `go build` obeys and gobuild's pinned environment (doc/build.md) leaves out or
  // sets itself. GOCACHE, GOMODCACHE, GOPATH and the proxy settings are kept, so not listed.
  static const std::set<std::string> names = {
      "AR", "CC", "CXX", "FC", "GCCGO", "PKG_CONFIG", "GO111MODULE", "GO386", "GOAMD64",
      "GOARCH", "GOARM", "GOARM64", "GOBIN", "GOCACHEPROG", "GODEBUG", "GOENV", "GOEXPERIMENT",
      "GOFIPS140", "GOFLAGS", "GOMIPS", "GOMIPS64", "GOOS", "GOPPC64", "GORISCV64", "GOROOT",
      "GOTMPDIR", "GOTOOLCHAIN", "GOTOOLDIR", "GOVCS", "GOWASM", "GOWORK", "CGO_ENABLED"};
  std::vector<std::string> out;
  for (const auto& kv : env)
    if (names.count(kv.first) || starts_with(kv.first, "CGO_")) out.push_back(kv.first);
  return out; // EnvMap is ordered: already sorted
}

std::string go_env_file(const EnvMap& env) {
  auto get = [&](const char* key) {
    auto it = env.find(key);
    return it == env.end() ? std::string() : it->second;
  };
  std::string goenv = get("GOENV");
  if (goenv == "off") return {};
  if (!goenv.empty()) return goenv;
  std::string xdg = get("XDG_CONFIG_HOME");
  if (!xdg.empty() && xdg[0] == '/') return xdg + "/go/env";
  std::string home = get("HOME");
  if (!home.empty()) return home + "/.config/go/env";
  return {};
}

std::vector<std::string> parse_go_env_file(std::string_view text) {
  std::vector<std::string> keys;
  for (const std::string& raw : split(text, '\n')) {
    std::string line = trim(raw);
    auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos || eq == 0) continue;
    std::string key = trim(line.substr(0, eq));
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  return keys;
}

namespace {

/// "" when missing or unreadable: doctor reports what it finds.
std::string read_small_file(const std::string& path) {
  try {
    return read_file_if_exists(path).value_or("");
  } catch (const UsageError&) {
    return {};
  }
}

std::string env_get(const EnvMap& env, const char* key) {
  auto it = env.find(key);
  return it == env.end() ? std::string() : it->second;
}

/// The nearest existing directory at or above `p`: a cache not created yet will live on the
/// filesystem of its parent.
fs::path existing_ancestor(fs::path p) {
  boost::system::error_code ec;
  p = fs::absolute(p, ec).lexically_normal();
  while (!p.empty() && !fs::exists(p, ec)) {
    if (p == p.parent_path()) break;
    p = p.parent_path();
  }
  return fs::weakly_canonical(p, ec);
}

Check filesystem_check(const std::string& name, const std::string& path, const std::string& fix,
                       const std::vector<MountEntry>& mounts) {
  fs::path where = existing_ancestor(path);
  struct statfs st {};
  if (::statfs(where.c_str(), &st) != 0)
    return {name, CheckStatus::warn, fmt::format("{}: statfs: {}", path, std::strerror(errno)), ""};
  auto f_type = static_cast<std::uint64_t>(static_cast<unsigned long>(st.f_type));
  std::optional<std::string> slow = slow_filesystem_from_magic(f_type);
  const MountEntry* m = mount_containing(where.string(), mounts);
  if (!slow && m) slow = slow_filesystem_from_type(m->fs_type);
  std::string type = m ? m->fs_type : fmt::format("f_type 0x{:x}", f_type);
  if (slow)
    return {name, CheckStatus::warn,
            fmt::format("{} is on {} ({}): a slow or foreign filesystem", path, type, *slow),
            "builds there are slow and file locking may misbehave; " + fix};
  return {name, CheckStatus::ok, fmt::format("{} ({})", path, type), ""};
}

/// The directories the config's outputs go to, or the default bin/ beside the config; adds a
/// "config" check saying whether the config loads.
std::vector<std::string> output_dirs(const CommonOptions& o, const std::string& goos,
                                     const std::string& goarch, const std::string& goversion,
                                     std::vector<Check>& checks) {
  const std::string name = o.config.empty() ? "gobuild.yaml" : o.config;
  const char* const advice = "fix the config (gobuild(1), CONFIGURATION)";
  boost::system::error_code ec;
  fs::path config = fs::absolute(name, ec);
  std::vector<std::string> dirs;
  if (!fs::exists(config, ec)) {
    checks.push_back({"config", CheckStatus::info, fmt::format("no {} here; `gobuild init` writes one", name), ""});
  } else {
    try {
      // --allow-cc is a build's decision; doctor only wants the outputs.
      LoadOptions lo;
      lo.allow_cc = true;
      Config c = load_config(name, lo);
      checks.push_back({"config", CheckStatus::ok, fmt::format("{}: {} target(s)", name, c.targets.size()), ""});
      checks.push_back(toolchain_check(c.go, goversion));
      for (const Target& t : c.targets) {
        std::vector<Platform> platforms = t.platforms;
        if (platforms.empty()) platforms.push_back({goos, goarch});
        for (const Platform& p : platforms) {
          fs::path out = expand_output(t, p);
          if (out.is_relative()) out = fs::path(c.out_dir) / out;
          std::string dir = out.parent_path().lexically_normal().string();
          if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(dir);
        }
      }
    } catch (const ConfigError& e) {
      checks.push_back({"config", CheckStatus::fail, e.formatted(), advice});
    } catch (const std::exception& e) {
      checks.push_back({"config", CheckStatus::fail, e.what(), advice});
    }
  }
  if (dirs.empty()) dirs.push_back((config.parent_path() / "bin").lexically_normal().string());
  return dirs;
}

/// What the go command says about itself; empty fields when it could not be asked.
struct GoFacts {
  std::string gocache, gomodcache, goos, goarch, goversion;
};

/// go on PATH, its version and GOROOT.
GoFacts check_go(const EnvMap& host, const EnvList& env, std::vector<Check>& checks) {
  GoFacts f{env_get(host, "GOCACHE"), env_get(host, "GOMODCACHE"), "", "", ""};
  std::string go = find_in_path("go", env_get(host, "PATH"));
  if (go.empty()) {
    checks.push_back({"go", CheckStatus::fail, "not found on PATH",
                      "install Go (https://go.dev/dl/) and put its bin directory on PATH"});
    return f;
  }
  try {
    std::string version = trim(run_query({go, "version"}, env));
    checks.push_back({"go", CheckStatus::ok, fmt::format("{} ({})", version, go), ""});
    std::vector<std::string> v = split(
        trim(run_query({go, "env", "GOROOT", "GOCACHE", "GOMODCACHE", "GOOS", "GOARCH", "GOVERSION"}, env)),
        '\n');
    v.resize(6);
    for (auto& line : v) line = trim(line);
    boost::system::error_code ec;
    if (fs::is_directory(v[0], ec))
      checks.push_back({"GOROOT", CheckStatus::ok, v[0], ""});
    else
      checks.push_back({"GOROOT", CheckStatus::fail, fmt::format("{}: not a directory", v[0]),
                        "reinstall Go: GOROOT is where the go command found itself"});
    f = {v[1], v[2], v[3], v[4], v[5]};
  } catch (const UsageError& e) {
    checks.push_back({"go", CheckStatus::fail, e.what(), "check the Go installation: `go version`"});
  }
  return f;
}

/// A C compiler (which turns cgo on for a plain go build), libc.a, musl-gcc.
void check_c_toolchain(const EnvMap& host, const EnvList& env, std::vector<Check>& checks) {
  const std::string path = env_get(host, "PATH");
  std::string cc;
  for (const char* name : {"cc", "gcc", "clang"})
    if (cc.empty()) cc = find_in_path(name, path);
  if (cc.empty()) {
    checks.push_back({"C compiler", CheckStatus::info,
                      "none on PATH: cgo is off for a plain go build too; `cgo: true` targets cannot build", ""});
    checks.push_back({"static libc", CheckStatus::info, "not checked: no C compiler", ""});
  } else {
    checks.push_back({"C compiler", CheckStatus::warn,
                      fmt::format("{}: cgo would silently turn on for a plain go build; gobuild pins CGO_ENABLED", cc),
                      "nothing to do for gobuild; set `cgo: true` in gobuild.yaml only for targets that need C"});
    std::string libc;
    try {
      libc = trim(run_query({cc, "-print-file-name=libc.a"}, env));
    } catch (const UsageError&) {
      // judged below like a libc.a that was not found
    }
    boost::system::error_code ec;
    // The compiler prints the bare name back when it does not find the file.
    if (libc.find('/') != std::string::npos && fs::exists(libc, ec))
      checks.push_back({"static libc", CheckStatus::ok, fs::weakly_canonical(libc, ec).string(), ""});
    else
      checks.push_back({"static libc", CheckStatus::warn,
                        fmt::format("libc.a not found by {}: `cgo: true` with -static cannot link", cc),
                        "install libc6-dev (Debian, Ubuntu), glibc-static (Fedora, RHEL) or musl-tools"});
  }
  std::string musl = find_in_path("musl-gcc", path);
  if (musl.empty())
    checks.push_back({"musl-gcc", CheckStatus::info,
                      "not found; musl-tools gives a static libc without glibc's NSS caveats", ""});
  else
    checks.push_back({"musl-gcc", CheckStatus::ok, musl, ""});
}

/// The filesystems of the caches and the outputs, and WSL. Adds the config's checks to
/// `config_checks`.
void check_storage(const CommonOptions& o, const GoFacts& go, std::vector<Check>& checks,
                   std::vector<Check>& config_checks) {
  std::vector<MountEntry> mounts = parse_mounts(read_small_file("/proc/self/mounts"));
  if (go.gocache == "off")
    checks.push_back({"GOCACHE", CheckStatus::fail, "off: go build refuses to run without a build cache",
                      "unset GOCACHE or point it at a writable local directory"});
  else if (!go.gocache.empty())
    checks.push_back(filesystem_check("GOCACHE", go.gocache, "set GOCACHE to a directory on a local disk", mounts));
  if (!go.gomodcache.empty())
    checks.push_back(
        filesystem_check("GOMODCACHE", go.gomodcache, "set GOMODCACHE to a directory on a local disk", mounts));
  for (const std::string& dir : output_dirs(o, go.goos, go.goarch, go.goversion, config_checks))
    checks.push_back(filesystem_check("output directory", dir, "keep the module on a local disk", mounts));

  std::string osrelease = trim(read_small_file("/proc/sys/kernel/osrelease"));
  if (looks_like_wsl(osrelease) || looks_like_wsl(read_small_file("/proc/version")))
    checks.push_back({"WSL", CheckStatus::info,
                      fmt::format("running under WSL (kernel {}); keep the module and the caches on the Linux "
                                  "filesystem, not under /mnt", osrelease), ""});
  else
    checks.push_back({"WSL", CheckStatus::ok, "not WSL", ""});
}

/// What a plain `go build` here would obey and gobuild drops: variables and the go env file.
void check_dropped(const EnvMap& host, std::vector<Check>& checks) {
  std::vector<std::string> dropped = dropped_variables(host);
  if (dropped.empty())
    checks.push_back({"environment", CheckStatus::ok, "no Go or C toolchain variables set", ""});
  else
    checks.push_back({"environment", CheckStatus::warn,
                      fmt::format("{} set: gobuild drops them, a plain `go build` here obeys them", join(dropped, ", ")),
                      "harmless for gobuild; unset them to make a plain go build match"});
  std::string envfile = go_env_file(host);
  boost::system::error_code ec;
  if (envfile.empty()) {
    checks.push_back({"go env file", CheckStatus::ok, "GOENV=off", ""});
  } else if (!fs::exists(envfile, ec)) {
    checks.push_back({"go env file", CheckStatus::ok, fmt::format("{}: none", envfile), ""});
  } else {
    std::vector<std::string> keys = parse_go_env_file(read_small_file(envfile));
    if (keys.empty())
      checks.push_back({"go env file", CheckStatus::ok, fmt::format("{}: empty", envfile), ""});
    else
      checks.push_back({"go env file", CheckStatus::warn,
                        fmt::format("{} sets {}: gobuild ignores it (GOENV=off), a plain `go build` obeys it",
                                    envfile, join(keys, ", ")),
                        "harmless for gobuild; `go env -u " + join(keys, " ") + "` makes a plain go build match"});
  }
}

std::vector<Check> run_checks(const CommonOptions& o) {
  std::vector<Check> checks, config_checks;
  EnvMap host = host_environment();
  EnvList env = query_environment(host);
  GoFacts go = check_go(host, env, checks);
  check_c_toolchain(host, env, checks);
  check_storage(o, go, checks, config_checks);
  check_dropped(host, checks);
  const SandboxSupport& sandbox = probe_sandbox();
  checks.push_back(sandbox_check(sandbox.mode, sandbox.reason));
  checks.insert(checks.end(), config_checks.begin(), config_checks.end());
  return checks;
}

} // namespace

int run_doctor(const CommonOptions& o) {
  std::vector<Check> checks = run_checks(o);
  if (interrupted()) return static_cast<int>(Exit::interrupted);
  if (o.json) {
    std::printf("%s\n", render_checks_json(checks).c_str());
  } else {
    std::vector<Check> shown;
    for (const Check& c : checks)
      if (!o.quiet || c.status == CheckStatus::warn || c.status == CheckStatus::fail) shown.push_back(c);
    const char* no_color = std::getenv("NO_COLOR");
    bool color = o.color == ColorMode::always ||
                 (o.color == ColorMode::automatic && ::isatty(STDOUT_FILENO) && !(no_color && *no_color));
    std::fputs(render_checks_text(shown, color).c_str(), stdout);
  }
  return doctor_exit_code(checks);
}

} // namespace gobuild
