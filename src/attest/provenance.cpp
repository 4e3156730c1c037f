#include "gobuild/attest/provenance.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include "gobuild/util/error.hpp"
#include "gobuild/util/file.hpp"
#include "gobuild/util/sha256.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

using json = nlohmann::ordered_json;

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/// Best effort, as git's own files are read: false when the file is missing, unreadable or not
/// a regular file (never a wait on a FIFO).
bool read_small_file(const std::string& path, std::string& out) {
  try {
    auto text = read_file_if_exists(path);
    if (text) out = std::move(*text);
    return text.has_value();
  } catch (const UsageError&) {
    return false;
  }
}

// golang.org/x/mod/zip's isVendoredPackage, with its offset bug (golang.org/issue/31562)
// kept: checksums depend on it.
bool is_vendored_package(const std::string& name) {
  size_t i = 0;
  if (starts_with(name, "vendor/")) {
    i += 7;
  } else if (name.find("/vendor/") != std::string::npos) {
    i += 8;
  } else {
    return false;
  }
  return i <= name.size() && name.find('/', i) != std::string::npos;
}

bool excluded_path(const std::string& rel, const std::vector<std::string>& excluded) {
  for (const auto& e : excluded)
    if (rel == e || (starts_with(rel, e) && rel.size() > e.size() && rel[e.size()] == '/')) return true;
  return false;
}

void walk_module(const std::string& root, const std::string& rel, const std::vector<std::string>& excluded,
                 std::vector<std::string>& out) {
  namespace sfs = boost::filesystem;
  boost::system::error_code ec;
  sfs::path dir = rel.empty() ? sfs::path(root) : sfs::path(root) / rel;
  std::vector<std::string> names;
  for (sfs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  if (ec) throw std::runtime_error(dir.string() + ": " + ec.message());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    std::string r = rel.empty() ? name : rel + "/" + name;
    if (excluded_path(r, excluded)) continue;
    if (is_vendored_package(r)) continue;
    struct stat st;
    if (::lstat((root + "/" + r).c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (name == ".bzr" || name == ".hg" || name == ".git" || name == ".svn") continue;
      struct stat gm;
      if (::lstat((root + "/" + r + "/go.mod").c_str(), &gm) == 0 && !S_ISDIR(gm.st_mode)) continue;
      walk_module(root, r, excluded, out);
    } else if (S_ISREG(st.st_mode)) {
      out.push_back(r);
    }
  }
}

std::string base64(const std::string& bytes) {
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += a[v >> 18];
    out += a[(v >> 12) & 63];
    out += a[(v >> 6) & 63];
    out += a[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += a[v >> 18];
    out += a[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? a[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string hex_to_bytes(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

json module_dependency(const GoModule& used, const std::optional<GoModule>& original, const std::string& go_sum) {
  json d;
  d["uri"] = "pkg:golang/" + used.path + (used.version.empty() ? "" : "@" + used.version);
  json digest = json::object();
  std::string sum = used.sum.empty() && !used.version.empty() ? go_sum_h1(go_sum, used.path, used.version) : used.sum;
  if (auto hex = h1_to_hex(sum)) digest["dirHash"] = *hex;
  if (!digest.empty()) d["digest"] = digest;
  if (original) d["annotations"] = json{{"replaces", original->path + (original->version.empty() ? "" : "@" + original->version)}};
  return d;
}

} // namespace

bool is_host_variable(const std::string& name) {
  static const char* const host[] = {"PATH", "HOME", "TMPDIR", "GOCACHE", "GOMODCACHE", "GOPATH",
                                     "GOTMPDIR", "GOCACHEPROG"};
  return std::any_of(std::begin(host), std::end(host), [&name](const char* h) { return name == h; });
}

std::vector<std::string> module_files(const std::string& dir, const std::vector<std::string>& excluded) {
  std::vector<std::string> out;
  walk_module(dir, "", excluded, out);
  std::sort(out.begin(), out.end());
  return out;
}

std::string dirhash_h1(const std::string& dir, const std::vector<std::string>& files, const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(prefix.empty() ? f : prefix + "/" + f);
  std::sort(names.begin(), names.end());
  std::string summary;
  for (const auto& name : names) {
    if (name.find('\n') != std::string::npos) throw std::runtime_error(dir + "/" + name + ": a file name with a newline");
    summary += sha256_file(dir + "/" + name.substr(prefix.empty() ? 0 : prefix.size() + 1)) + "  " + name + "\n";
  }
  return "h1:" + base64(hex_to_bytes(sha256_hex(summary)));
}

std::string go_mod_module_path(const std::string& dir) {
  std::string text;
  if (!read_small_file(dir + "/go.mod", text)) return "";
  for (const auto& raw : split(text, '\n')) {
    std::string line = raw;
    auto c = line.find("//");
    if (c != std::string::npos) line.erase(c);
    std::istringstream ss(line);
    std::string word, path;
    if (ss >> word >> path && word == "module") {
      if (path.size() >= 2 && (path.front() == '"' || path.front() == '`')) path = path.substr(1, path.size() - 2);
      return path;
    }
  }
  return "";
}

std::string go_sum_h1(const std::string& go_sum, const std::string& path, const std::string& version) {
  for (const auto& line : split(go_sum, '\n')) {
    std::istringstream ss(line);
    std::string p, v, h;
    if (ss >> p >> v >> h && p == path && v == version && starts_with(h, "h1:")) return h;
  }
  return "";
}

std::string read_go_sum(const std::string& module_dir) {
  std::string text;
  return read_small_file(module_dir + "/go.sum", text) ? text : std::string();
}

std::optional<std::string> h1_to_hex(const std::string& sum) {
  if (!starts_with(sum, "h1:")) return std::nullopt;
  std::string b64 = sum.substr(3);
  if (b64.empty() || b64.size() % 4 != 0) return std::nullopt;
  std::string bytes;
  unsigned acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (size_t i = 0; i < b64.size(); ++i) {
    char c = b64[i];
    if (c == '=') {
      if (i + 2 < b64.size()) return std::nullopt;
      ++pad;
      continue;
    }
    if (pad) return std::nullopt;
    int v = base64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bytes.size() != 32) return std::nullopt; // h1 is a SHA-256
  static const char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) {
    hex += digits[b >> 4];
    hex += digits[b & 15];
  }
  return hex;
}

std::string rfc3339(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::int64_t> source_date_epoch(const char* value) {
  if (!value || !*value) return std::nullopt;
  std::string s(value);
  bool digits = s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits)
    throw UsageError("SOURCE_DATE_EPOCH='" + s + "' is not an integer number of seconds since the epoch "
                     "(see reproducible-builds.org/specs/source-date-epoch)");
  return std::stoll(s);
}

std::string checksum_lines(const std::vector<BuiltOutput>& outputs) {
  std::string out;
  for (const auto& o : outputs) {
    // sha256sum escapes names with a backslash or newline; gobuild's outputs cannot have a
    // newline (config names are [A-Za-z0-9._-]) but a directory might have a backslash.
    if (o.path.find('\\') != std::string::npos || o.path.find('\n') != std::string::npos) {
      std::string esc;
      for (char c : o.path) esc += c == '\\' ? "\\\\" : c == '\n' ? "\\n" : std::string(1, c);
      out += "\\" + o.sha256 + "  " + esc + "\n";
    } else {
      out += o.sha256 + "  " + o.path + "\n";
    }
  }
  return out;
}

std::string path_from(const std::string& cwd, const std::string& config_dir, const std::string& output) {
  namespace sfs = boost::filesystem;
  sfs::path out(output);
  if (out.is_absolute()) return out.lexically_normal().string();
  sfs::path rel = (sfs::path(config_dir) / out).lexically_normal().lexically_relative(sfs::path(cwd).lexically_normal());
  return rel.empty() ? (sfs::path(config_dir) / out).lexically_normal().string() : rel.string();
}

void paths_from_cwd(std::vector<BuiltOutput>& outputs, const std::string& config_dir) {
  boost::system::error_code ec;
  std::string cwd = boost::filesystem::current_path(ec).string();
  if (ec) return; // the paths stay as the config names them
  for (auto& o : outputs) o.path = path_from(cwd, config_dir, o.path);
}

json provenance_statement(const ProvenanceInput& in) {
  json subjects = json::array();
  std::vector<std::string> targets, platforms;
  for (const auto& o : in.outputs) {
    subjects.push_back(json{{"name", o.path}, {"digest", json{{"sha256", o.sha256}}}});
    if (std::find(targets.begin(), targets.end(), o.target) == targets.end()) targets.push_back(o.target);
    if (std::find(platforms.begin(), platforms.end(), o.platform) == platforms.end()) platforms.push_back(o.platform);
  }

  json external;
  external["config"] = json{{"path", in.config_path}, {"sha256", in.config_sha256}};
  external["targets"] = targets;
  external["platforms"] = platforms;
  if (!in.stamps.empty()) {
    json stamps = json::object();
    for (const auto& [name, value] : in.stamps) stamps[name] = value;
    external["stamps"] = stamps;
  }

  // buildDefinition is what decides the bytes, the same on every machine: the output as the
  // config names it, the environment without the host's paths, argv with that output.
  json builds = json::array();
  json host_builds = json::array();
  for (const auto& o : in.outputs) {
    json env = json::object(), host_env = json::object();
    for (const auto& kv : o.env) (is_host_variable(kv.first) ? host_env : env)[kv.first] = kv.second;
    std::vector<std::string> argv = o.argv;
    for (size_t i = 0; i + 1 < argv.size(); ++i)
      if (argv[i] == "-o" && !o.abs_output.empty() && argv[i + 1] == o.abs_output) argv[i + 1] = o.config_output;
    builds.push_back(json{{"target", o.target}, {"platform", o.platform}, {"output", o.config_output}, {"env", env}, {"argv", argv}});
    host_builds.push_back(json{{"target", o.target}, {"platform", o.platform}, {"output", o.abs_output}, {"env", host_env}});
  }
  json internal;
  internal["go_version"] = in.go_version;
  if (in.go_pin) internal["go_pin"] = *in.go_pin;
  internal["builds"] = builds;

  // Every module that went into an output, once, sorted, as it was used (a replacement wins).
  std::map<std::string, json> modules;
  for (const auto& o : in.outputs) {
    if (!o.go) continue;
    for (const auto& dep : o.go->deps) {
      const GoModule& used = dep.replace ? *dep.replace : dep.mod;
      std::optional<GoModule> original;
      if (dep.replace) original = dep.mod;
      json d = module_dependency(used, original, in.go_sum);
      modules.emplace(d["uri"].get<std::string>(), d);
    }
  }
  json resolved = json::array();
  // The main module first: its source tree by Go's h1: dirhash, so that a source that is not a
  // git checkout is identified too.
  if (!in.main_module.empty() && !in.main_dirhash.empty()) {
    json m{{"uri", "pkg:golang/" + in.main_module}};
    if (auto hex = h1_to_hex(in.main_dirhash)) m["digest"] = json{{"dirHash", *hex}};
    m["annotations"] = json{{"main", true}, {"h1", in.main_dirhash}, {"h1_names", in.main_module + "@" + in.main_version}};
    resolved.push_back(m);
  }
  for (auto& kv : modules) resolved.push_back(kv.second);
  resolved.push_back(json{{"uri", "file:" + in.config_path}, {"digest", json{{"sha256", in.config_sha256}}}});
  if (in.git_commit) {
    json g{{"name", "git"}, {"digest", json{{"gitCommit", *in.git_commit}}}};
    g["annotations"] = json{{"module_subdir", in.git_subdir.empty() ? std::string(".") : in.git_subdir}};
    resolved.push_back(g);
  }

  json predicate;
  predicate["buildDefinition"] = json{{"buildType", kBuildType},
                                      {"externalParameters", external},
                                      {"internalParameters", internal},
                                      {"resolvedDependencies", resolved}};
  json builder{{"id", in.builder_id.empty() ? kDefaultBuilderId : in.builder_id},
               {"version", json{{"gobuild", GOBUILD_VERSION}, {"go", in.go_version}}}};
  if (!in.cache_prog.empty())
    builder["builderDependencies"] =
        json::array({json{{"name", "GOCACHEPROG"}, {"annotations", json{{"command", in.cache_prog}}}}});
  predicate["runDetails"] = json{
      {"builder", builder},
      {"metadata", json{{"startedOn", rfc3339(in.started)}, {"finishedOn", rfc3339(in.finished)}}}};
  // Where this machine had things: the paths that buildDefinition leaves out.
  json host{{"module_dir", in.module_dir}, {"config", in.config_abs}};
  if (in.git_commit) host["git_work_tree"] = in.git_top;
  // How this machine cut the build step off the network: the host's doing, not the build's.
  if (!in.sandbox.empty()) host["sandbox"] = in.sandbox;
  host["builds"] = host_builds;
  predicate["runDetails"]["byproducts"] = json::array({json{{"name", "host"}, {"annotations", host}}});

  json st;
  st["_type"] = "https://in-toto.io/Statement/v1";
  st["subject"] = subjects;
  st["predicateType"] = "https://slsa.dev/provenance/v1";
  st["predicate"] = predicate;
  return st;
}

} // namespace gobuild
