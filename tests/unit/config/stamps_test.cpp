#include <doctest/doctest.h>

#include "gobuild/config/config.hpp"
#include "gobuild/config/stamps.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;
using Words = std::vector<std::string>;

TEST_CASE("stamps_in names each stamp once, in order of use") {
  CHECK(stamps_in("-X main.v={version}-{short_commit}+{version}") == Words{"version", "short_commit"});
  CHECK(stamps_in("{name}-{os}{variant}") == Words{});
  CHECK(stamps_in("{date") == Words{});
}

TEST_CASE("expand_stamps replaces in one pass") {
  StampValues v{{"version", "v1.2.0"}, {"commit", "{version}"}};
  CHECK(expand_stamps("main.v={version} c={commit} {name}", v) == "main.v=v1.2.0 c={version} {name}");
  CHECK(expand_stamps("{timestamp}", v) == "{timestamp}");
}

TEST_CASE("stamps_used looks at the selected targets' ldflags, extldflags and outputs") {
  Config c = parse_config(R"Y(version: 1
targets:
  - name: a
    ldflags: ["-X main.d={date} -X main.v={version}"]
  - name: b
    output: dist/{name}-{timestamp}
)Y", "gobuild.yaml", "/src", {});
  CHECK(stamps_used(c, {}) == Words{"version", "date", "timestamp"});
  CHECK(stamps_used(c, {"b"}) == Words{"timestamp"});
}

TEST_CASE("apply_stamps expands and checks each word again") {
  Config c = parse_config(R"Y(version: 1
targets:
  - name: a
    output: dist/{name}-{version}
    ldflags: ["-s -X main.v={version}"]
)Y", "gobuild.yaml", "/src", {});
  Config ok = c;
  apply_stamps(ok, {{"version", "v1 beta"}}, false);
  CHECK(ok.targets[0].build.ldflags == Words{"-s", "-X", "main.v=v1 beta"});
  CHECK(ok.targets[0].output == "dist/{name}-v1 beta");

  Config slash = c;
  CHECK_THROWS_WITH_AS(apply_stamps(slash, {{"version", "a/b"}}, false),
                       "stamp {version} is 'a/b', which holds '/'; the output of target 'a' "
                       "(dist/{name}-{version}) cannot use it",
                       UsageError);
  Config dots = c;
  CHECK_THROWS_WITH_AS(apply_stamps(dots, {{"version", ".."}}, false),
                       "stamp {version} is '..', which names a directory; the output of target 'a' "
                       "(dist/{name}-{version}) cannot use it",
                       UsageError);
}

TEST_CASE("check_stamp_placeholders") {
  CHECK_FALSE(check_stamp_placeholders("ldflags", "main.v={version}").has_value());
  CHECK_FALSE(check_stamp_placeholders("ldflags", "main.v={Version}{1}").has_value());
  CHECK(check_stamp_placeholders("ldflags", "main.v={commmit}") ==
        std::string("ldflags: unknown stamp '{commmit}' (did you mean '{commit}'?)"));
  CHECK(check_stamp_placeholders("ldflags", "main.v={tag}") ==
        std::string("ldflags: unknown stamp '{tag}' (stamps: {version}, {commit}, {short_commit}, "
                    "{date}, {timestamp})"));
}
