#include "gobuild/driver/stamps.hpp"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

#include "gobuild/attest/git.hpp"
#include "gobuild/attest/provenance.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {

namespace {

constexpr std::size_t kShortCommit = 7; // git's usual abbreviation; fixed, so it never varies

/// Why a value cannot be a stamp, or "".
std::string bad_value(const std::string& v) {
  for (char c : v)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "holds a control character";
  if (v.find_first_of("{}") != std::string::npos) return "holds '{' or '}'";
  if (v.find('\'') != std::string::npos && v.find('"') != std::string::npos)
    return "holds both ' and \", which go's flag splitting cannot carry in one word";
  return "";
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Semver {
  long long major = 0, minor = 0, patch = 0;
  std::vector<std::string> pre; ///< empty for a release
};

std::optional<Semver> parse_semver(std::string s) {
  if (!s.empty() && s[0] == 'v') s = s.substr(1);
  if (auto plus = s.find('+'); plus != std::string::npos) s = s.substr(0, plus);
  std::string core = s, pre;
  if (auto dash = s.find('-'); dash != std::string::npos) {
    core = s.substr(0, dash);
    pre = s.substr(dash + 1);
    if (pre.empty()) return std::nullopt;
  }
  auto parts = split(core, '.');
  if (parts.size() != 3) return std::nullopt;
  for (const auto& p : parts)
    if (!all_digits(p) || (p.size() > 1 && p[0] == '0')) return std::nullopt;
  Semver v{std::stoll(parts[0]), std::stoll(parts[1]), std::stoll(parts[2]), {}};
  if (!pre.empty()) {
    v.pre = split(pre, '.');
    for (const auto& id : v.pre)
      if (id.empty()) return std::nullopt;
  }
  return v;
}

/// Semantic version precedence: <0, 0, >0.
int compare(const Semver& a, const Semver& b) {
  for (auto [x, y] : {std::pair{a.major, b.major}, {a.minor, b.minor}, {a.patch, b.patch}})
    if (x != y) return x < y ? -1 : 1;
  if (a.pre.empty() || b.pre.empty()) return a.pre.empty() == b.pre.empty() ? 0 : a.pre.empty() ? 1 : -1;
  for (std::size_t i = 0; i < std::min(a.pre.size(), b.pre.size()); ++i) {
    const std::string &x = a.pre[i], &y = b.pre[i];
    if (x == y) continue;
    const bool nx = all_digits(x), ny = all_digits(y);
    if (nx && ny) return std::stoll(x) < std::stoll(y) ? -1 : 1;
    if (nx != ny) return nx ? -1 : 1; // numeric identifiers sort first
    return x < y ? -1 : 1;
  }
  return a.pre.size() == b.pre.size() ? 0 : a.pre.size() < b.pre.size() ? -1 : 1;
}

std::string short_of(const std::string& commit) { return commit.substr(0, std::min(commit.size(), kShortCommit)); }

[[noreturn]] void unresolved(const std::string& name, const std::string& why, const std::string& fix) {
  throw UsageError(fmt::format("stamp {{{}}} has no value: {}; {}", name, why, fix));
}

const char* const kDateFix = "set SOURCE_DATE_EPOCH, or pass --set date=YYYY-MM-DDTHH:MM:SSZ "
                             "(or --set timestamp=SECONDS)";

} // namespace

std::optional<std::int64_t> parse_rfc3339_utc(const std::string& t) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z')
    return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    std::string s = t.substr(at, len);
    if (!all_digits(s)) return std::nullopt;
    return std::stoi(s);
  };
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !s || *y < 1970 || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 ||
      *mi > 59 || *s > 59)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = *y - 1900;
  tm.tm_mon = *mo - 1;
  tm.tm_mday = *d;
  tm.tm_hour = *h;
  tm.tm_min = *mi;
  tm.tm_sec = *s;
  const std::int64_t secs = static_cast<std::int64_t>(::timegm(&tm));
  if (rfc3339(secs) != t) return std::nullopt; // 2024-02-30 and the like
  return secs;
}

std::map<std::string, std::string> parse_set_options(const std::vector<std::string>& sets) {
  std::map<std::string, std::string> out;
  for (const auto& s : sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos)
      throw UsageError(fmt::format("--set {}: expected KEY=VALUE, like --set version=v1.2.3", s));
    const std::string key = s.substr(0, eq), value = s.substr(eq + 1);
    if (!is_stamp_name(key))
      throw UsageError(fmt::format("--set {}: '{}' is not a stamp (stamps: {})", s, key, join(stamp_names(), ", ")));
    if (std::string why = bad_value(value); !why.empty())
      throw UsageError(fmt::format("--set {}: the value {}", key, why));
    if (key == "timestamp" && !all_digits(value))
      throw UsageError(fmt::format("--set timestamp={}: not a number of seconds since the epoch", value));
    if (key == "date" && !parse_rfc3339_utc(value))
      throw UsageError(fmt::format("--set date={}: not an RFC 3339 UTC time like 2024-01-02T03:04:05Z", value));
    out[key] = value;
  }
  if (out.count("date") && out.count("timestamp") &&
      *parse_rfc3339_utc(out["date"]) != std::stoll(out["timestamp"]))
    throw UsageError(fmt::format("--set date={} and --set timestamp={} name different times", out["date"],
                                 out["timestamp"]));
  return out;
}

std::string pick_version_tag(const std::vector<std::string>& tags) {
  std::optional<std::string> best;
  std::optional<Semver> best_v;
  for (const auto& t : tags) {
    auto v = parse_semver(t);
    if (v) {
      // Equal precedence (v1.2.0 and 1.2.0, or build metadata): the greater name, so the
      // choice never depends on the order tags were listed.
      if (!best_v || compare(*v, *best_v) > 0 || (compare(*v, *best_v) == 0 && t > *best)) {
        best = t;
        best_v = v;
      }
    } else if (!best_v && (!best || t > *best)) {
      best = t;
    }
  }
  return best.value_or("");
}

std::vector<ResolvedStamp> resolve_stamps(const std::vector<std::string>& needed,
                                          const std::map<std::string, std::string>& set,
                                          const std::string& module_dir, std::optional<std::int64_t> epoch) {
  auto wants = [&](const char* n) { return std::find(needed.begin(), needed.end(), n) != needed.end(); };
  auto given = [&](const char* n) -> const std::string* {
    auto it = set.find(n);
    return it == set.end() ? nullptr : &it->second;
  };
  std::optional<GitRepo> repo;
  std::optional<std::string> head;
  bool looked = false;
  auto git_head = [&]() {
    if (!looked) {
      looked = true;
      repo = find_git_repo(module_dir);
      if (repo) head = git_resolve_ref(*repo, "HEAD");
    }
    return head;
  };
  auto no_head = [&]() {
    return repo ? fmt::format("HEAD of the git work tree {} names no commit", repo->top)
                : fmt::format("{} is not in a git work tree", module_dir);
  };

  std::vector<ResolvedStamp> out;
  if (wants("version")) {
    if (const std::string* v = given("version")) {
      out.push_back({"version", *v, "--set"});
    } else {
      if (!git_head()) unresolved("version", no_head(), "pass --set version=VALUE");
      std::vector<std::string> tags;
      try {
        tags = git_tags_at(*repo, *head);
      } catch (const ParseError& e) {
        unresolved("version", fmt::format("the tags of {} cannot be read ({})", repo->top, e.what()),
                   "pass --set version=VALUE");
      }
      if (tags.empty())
        unresolved("version", fmt::format("no tag points at HEAD ({}) in {}", short_of(*head), repo->top),
                   "tag the commit (git tag -a v1.2.3) or pass --set version=VALUE");
      std::string tag = pick_version_tag(tags);
      if (std::string why = bad_value(tag); !why.empty())
        unresolved("version", fmt::format("the tag '{}' {}", tag, why), "pass --set version=VALUE");
      out.push_back({"version", tag, tags.size() == 1 ? "git tag" : fmt::format("the highest of {} git tags", tags.size())});
    }
  }
  std::optional<std::string> commit;
  std::string commit_source;
  if (const std::string* c = given("commit")) {
    commit = *c;
    commit_source = "--set";
  } else if (wants("commit") || (wants("short_commit") && !given("short_commit"))) {
    if (!git_head()) unresolved(wants("commit") ? "commit" : "short_commit", no_head(),
                                wants("commit") ? "pass --set commit=VALUE" : "pass --set short_commit=VALUE");
    commit = head;
    commit_source = "git HEAD";
  }
  if (wants("commit")) out.push_back({"commit", *commit, commit_source});
  if (wants("short_commit")) {
    if (const std::string* s = given("short_commit")) out.push_back({"short_commit", *s, "--set"});
    else out.push_back({"short_commit", short_of(*commit), commit_source == "--set" ? "--set commit" : commit_source});
  }
  if (wants("date") || wants("timestamp")) {
    std::int64_t secs = 0;
    std::string source;
    if (const std::string* d = given("date")) {
      secs = *parse_rfc3339_utc(*d);
      source = "--set date";
    } else if (const std::string* t = given("timestamp")) {
      secs = std::stoll(*t);
      source = "--set timestamp";
    } else {
      const char* name = wants("date") ? "date" : "timestamp";
      std::string git_problem;
      if (git_head()) {
        try {
          secs = git_commit_time(*repo, *head);
          source = "HEAD's committer time";
        } catch (const ParseError& e) {
          git_problem = fmt::format("the committer time of HEAD ({}) cannot be read: {}", short_of(*head), e.what());
        }
      } else {
        git_problem = no_head();
      }
      if (source.empty()) {
        if (!epoch) unresolved(name, git_problem + ", and SOURCE_DATE_EPOCH is not set", kDateFix);
        secs = *epoch;
        source = "SOURCE_DATE_EPOCH";
      }
    }
    if (wants("date")) out.push_back({"date", rfc3339(secs), source});
    if (wants("timestamp")) out.push_back({"timestamp", std::to_string(secs), source});
  }
  return out;
}

StampValues stamp_values(const std::vector<ResolvedStamp>& stamps) {
  StampValues v;
  for (const auto& s : stamps) v[s.name] = s.value;
  return v;
}

std::string stamps_line(const std::vector<ResolvedStamp>& stamps) {
  std::vector<std::string> parts;
  for (const auto& s : stamps) parts.push_back(fmt::format("{}={} ({})", s.name, s.value, s.source));
  return "stamps " + join(parts, ", ");
}

} // namespace gobuild
