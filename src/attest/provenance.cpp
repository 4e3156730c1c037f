#include "gobuild/attest/provenance.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "gobuild/util/error.hpp"
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

bool read_small_file(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

bool is_hex_commit(const std::string& s) {
  if (s.size() != 40 && s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_dir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string parent(const std::string& p) {
  auto pos = p.find_last_of('/');
  if (pos == std::string::npos || pos == 0) return "/";
  return p.substr(0, pos);
}

/// Resolves `ref` (e.g. refs/heads/main) in a git directory; follows at most a few symbolic refs.
std::optional<std::string> resolve_ref(const std::string& gitdir, const std::string& commondir, std::string ref) {
  for (int depth = 0; depth < 5; ++depth) {
    std::string content;
    if (read_small_file(gitdir + "/" + ref, content) || read_small_file(commondir + "/" + ref, content)) {
      content = trim(content);
      if (starts_with(content, "ref: ")) {
        ref = content.substr(5);
        continue;
      }
      return is_hex_commit(content) ? std::optional<std::string>(content) : std::nullopt;
    }
    std::string packed;
    if (read_small_file(commondir + "/packed-refs", packed)) {
      for (const auto& line : split(packed, '\n')) {
        auto sp = line.find(' ');
        if (sp != std::string::npos && line.substr(sp + 1) == ref && is_hex_commit(line.substr(0, sp)))
          return line.substr(0, sp);
      }
    }
    return std::nullopt;
  }
  return std::nullopt;
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
  namespace sfs = std::filesystem;
  sfs::path out(output);
  if (out.is_absolute()) return out.lexically_normal().string();
  sfs::path rel = (sfs::path(config_dir) / out).lexically_normal().lexically_relative(sfs::path(cwd).lexically_normal());
  return rel.empty() ? (sfs::path(config_dir) / out).lexically_normal().string() : rel.string();
}

void paths_from_cwd(std::vector<BuiltOutput>& outputs, const std::string& config_dir) {
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  if (ec) return; // the paths stay as the config names them
  for (auto& o : outputs) o.path = path_from(cwd, config_dir, o.path);
}

std::optional<std::string> git_head_commit(const std::string& dir, std::string* top) {
  std::string d = dir;
  for (int depth = 0; depth < 64; ++depth) {
    std::string dotgit = d + "/.git";
    std::string gitdir;
    if (is_dir(dotgit)) {
      gitdir = dotgit;
    } else {
      std::string content;
      if (read_small_file(dotgit, content) && starts_with(content, "gitdir: ")) {
        gitdir = trim(content.substr(8));
        if (!gitdir.empty() && gitdir[0] != '/') gitdir = d + "/" + gitdir;
      }
    }
    if (!gitdir.empty()) {
      std::string commondir = gitdir, rel;
      if (read_small_file(gitdir + "/commondir", rel)) {
        rel = trim(rel);
        commondir = rel.empty() || rel[0] == '/' ? rel : gitdir + "/" + rel;
      }
      if (top) *top = d;
      return resolve_ref(gitdir, commondir, "HEAD");
    }
    if (d == "/") break;
    d = parent(d);
  }
  return std::nullopt;
}

void write_file_atomic(const std::string& path, const std::string& data) {
  std::string dir = path.find('/') == std::string::npos ? "." : parent(path);
  std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  std::string tmpl = dir + "/." + base + ".gobuild-tmp-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) throw UsageError(path + ": " + std::strerror(errno));
  std::string tmp(name.data());
  const char* p = data.data();
  size_t left = data.size();
  while (left) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw UsageError(path + ": " + std::strerror(err));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  ::fchmod(fd, 0644);
  if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw UsageError(path + ": " + std::strerror(err));
  }
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

  json builds = json::array();
  for (const auto& o : in.outputs) {
    json env = json::object();
    for (const auto& kv : o.env) env[kv.first] = kv.second;
    builds.push_back(json{{"target", o.target}, {"platform", o.platform}, {"output", o.path}, {"env", env}, {"argv", o.argv}});
  }
  json internal;
  internal["go_version"] = in.go_version;
  if (in.go_pin) internal["go_pin"] = *in.go_pin;
  internal["builds"] = builds;
  if (!in.sandbox.empty()) internal["sandbox"] = in.sandbox;

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
  for (auto& kv : modules) resolved.push_back(kv.second);
  resolved.push_back(json{{"uri", "file:" + in.config_path}, {"digest", json{{"sha256", in.config_sha256}}}});
  if (in.git_commit)
    resolved.push_back(json{{"uri", in.git_uri}, {"digest", json{{"gitCommit", *in.git_commit}}}});

  json predicate;
  predicate["buildDefinition"] = json{{"buildType", kBuildType},
                                      {"externalParameters", external},
                                      {"internalParameters", internal},
                                      {"resolvedDependencies", resolved}};
  predicate["runDetails"] = json{
      {"builder", json{{"id", in.builder_id.empty() ? kDefaultBuilderId : in.builder_id},
                       {"version", json{{"gobuild", GOBUILD_VERSION}, {"go", in.go_version}}}}},
      {"metadata", json{{"startedOn", rfc3339(in.started)}, {"finishedOn", rfc3339(in.finished)}}}};

  json st;
  st["_type"] = "https://in-toto.io/Statement/v1";
  st["subject"] = subjects;
  st["predicateType"] = "https://slsa.dev/provenance/v1";
  st["predicate"] = predicate;
  return st;
}

} // namespace gobuild
