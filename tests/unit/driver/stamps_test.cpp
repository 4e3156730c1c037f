// Stamp values from --set, a real git repository (made by `git` with pinned dates and no
// user config) and SOURCE_DATE_EPOCH.
#include "gobuild/driver/stamps.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

#include "gobuild/util/error.hpp"

using namespace gobuild;
using Words = std::vector<std::string>;

namespace {

struct Scratch {
  std::string path;
  Scratch() {
    std::string tmpl = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/gobuild-stamps-XXXXXX";
    path = ::mkdtemp(tmpl.data());
  }
  ~Scratch() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string sh(const std::string& line) const {
    std::string cmd = "cd '" + path + "' && env GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME='" + path +
                      "' GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=c "
                      "GIT_COMMITTER_EMAIL=c@example.com GIT_AUTHOR_DATE=2024-01-02T03:04:05Z "
                      "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z sh -c '" + line + "' 2>/dev/null";
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    char buf[256];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    REQUIRE(::pclose(p) == 0);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
};

std::string line_of(const std::vector<std::string>& needed, const std::map<std::string, std::string>& set,
                    const std::string& dir, std::optional<std::int64_t> epoch = std::nullopt) {
  return stamps_line(resolve_stamps(needed, set, dir, epoch));
}

std::string error_of(const std::vector<std::string>& needed, const std::map<std::string, std::string>& set,
                     const std::string& dir, std::optional<std::int64_t> epoch = std::nullopt) {
  try {
    resolve_stamps(needed, set, dir, epoch);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

const Words kAll = {"version", "commit", "short_commit", "date", "timestamp"};

} // namespace

TEST_CASE("pick_version_tag: the highest semantic version") {
  CHECK(pick_version_tag({"v1.9.0", "v1.10.0", "v1.10.0-rc1"}) == "v1.10.0");
  CHECK(pick_version_tag({"v2.0.0-rc.2", "v2.0.0-rc.10", "v2.0.0-beta"}) == "v2.0.0-rc.10");
  CHECK(pick_version_tag({"latest", "v0.1.0", "stable"}) == "v0.1.0");
  CHECK(pick_version_tag({"latest", "stable"}) == "stable");
  CHECK(pick_version_tag({"1.2.0", "v1.2.0"}) == "v1.2.0");
  CHECK(pick_version_tag({"v1.2.0-1", "v1.2.0-alpha"}) == "v1.2.0-alpha");
  CHECK(pick_version_tag({"v01.2.3", "v0.0.1"}) == "v0.0.1");
}

TEST_CASE("parse_rfc3339_utc") {
  CHECK(parse_rfc3339_utc("2024-01-02T03:04:05Z") == 1704164645);
  CHECK(parse_rfc3339_utc("1970-01-01T00:00:00Z") == 0);
  CHECK_FALSE(parse_rfc3339_utc("2024-02-30T00:00:00Z").has_value());
  CHECK_FALSE(parse_rfc3339_utc("2024-01-02T03:04:05+01:00").has_value());
  CHECK_FALSE(parse_rfc3339_utc("2024-01-02 03:04:05Z").has_value());
}

TEST_CASE("parse_set_options") {
  CHECK(parse_set_options({"version=v1", "commit=abc", "version=v2"}) ==
        std::map<std::string, std::string>{{"commit", "abc"}, {"version", "v2"}});
  CHECK_THROWS_WITH_AS(parse_set_options({"tag=v1"}),
                       "--set tag=v1: 'tag' is not a stamp (stamps: version, commit, short_commit, date, timestamp)",
                       UsageError);
  CHECK_THROWS_WITH_AS(parse_set_options({"version"}), "--set version: expected KEY=VALUE, like --set version=v1.2.3",
                       UsageError);
  CHECK_THROWS_WITH_AS(parse_set_options({"timestamp=soon"}),
                       "--set timestamp=soon: not a number of seconds since the epoch", UsageError);
  CHECK_THROWS_WITH_AS(parse_set_options({"date=2024-01-02"}),
                       "--set date=2024-01-02: not an RFC 3339 UTC time like 2024-01-02T03:04:05Z", UsageError);
  CHECK_THROWS_WITH_AS(parse_set_options({"date=2024-01-02T03:04:05Z", "timestamp=1"}),
                       "--set date=2024-01-02T03:04:05Z and --set timestamp=1 name different times", UsageError);
  CHECK_THROWS_WITH_AS(parse_set_options({"version=a\nb"}), "--set version: the value holds a control character",
                       UsageError);
}

TEST_CASE("stamps from a git repository, --set over it, SOURCE_DATE_EPOCH without it") {
  Scratch s;
  s.sh("git init -q -b main m && cd m && echo x > f && git add f && git commit -q -m one && "
       "git tag -a -m r v1.1.0 && git tag v1.1.0-rc1 && git tag nightly");
  const std::string head = s.sh("cd m && git rev-parse HEAD");
  const std::string dir = s.path + "/m";
  CHECK(line_of(kAll, {}, dir) ==
        "stamps version=v1.1.0 (the highest of 3 git tags), commit=" + head + " (git HEAD), short_commit=" +
            head.substr(0, 7) + " (git HEAD), date=2024-01-02T03:04:05Z (HEAD's committer time), "
            "timestamp=1704164645 (HEAD's committer time)");
  // The committer time comes before SOURCE_DATE_EPOCH.
  CHECK(line_of({"timestamp"}, {}, dir, 5) == "stamps timestamp=1704164645 (HEAD's committer time)");
  CHECK(line_of({"version", "short_commit", "date"}, {{"version", "v9"}, {"commit", "abcdef0123"}, {"timestamp", "7"}}, dir) ==
        "stamps version=v9 (--set), short_commit=abcdef0 (--set commit), date=1970-01-01T00:00:07Z (--set timestamp)");

  SUBCASE("no tag at HEAD") {
    s.sh("cd m && git commit -q --allow-empty -m two");
    const std::string two = s.sh("cd m && git rev-parse --short=7 HEAD");
    CHECK(error_of({"version"}, {}, dir) == "stamp {version} has no value: no tag points at HEAD (" + two + ") in " +
                                                dir + "; tag the commit (git tag -a v1.2.3) or pass --set version=VALUE");
    CHECK(line_of({"commit"}, {}, dir).find("commit=") != std::string::npos);
  }
  SUBCASE("a subdirectory module in the work tree") {
    s.sh("mkdir -p m/sub");
    CHECK(line_of({"version"}, {}, dir + "/sub") == "stamps version=v1.1.0 (the highest of 3 git tags)");
  }
}

TEST_CASE("stamps outside a git work tree") {
  Scratch s;
  s.sh("mkdir m");
  const std::string dir = s.path + "/m";
  CHECK(error_of({"version"}, {}, dir) ==
        "stamp {version} has no value: " + dir + " is not in a git work tree; pass --set version=VALUE");
  CHECK(error_of({"short_commit"}, {}, dir) ==
        "stamp {short_commit} has no value: " + dir + " is not in a git work tree; pass --set short_commit=VALUE");
  CHECK(error_of({"date"}, {}, dir) ==
        "stamp {date} has no value: " + dir + " is not in a git work tree, and SOURCE_DATE_EPOCH is not set; set "
        "SOURCE_DATE_EPOCH, or pass --set date=YYYY-MM-DDTHH:MM:SSZ (or --set timestamp=SECONDS)");
  CHECK(line_of({"date", "timestamp"}, {}, dir, 1704164645) ==
        "stamps date=2024-01-02T03:04:05Z (SOURCE_DATE_EPOCH), timestamp=1704164645 (SOURCE_DATE_EPOCH)");
  CHECK(line_of({}, {}, dir) == "stamps ");
}
