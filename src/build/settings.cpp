#include "gobuild/build/settings.hpp"

#include "gobuild/build/command.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {

namespace {

// Environment variables that the go command records as build settings when set.
bool is_recorded_env(const std::string& key) {
  static const char* const keys[] = {"GOAMD64", "GOARM",  "GO386",     "GOARM64", "GOMIPS",
                                     "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM"};
  for (const char* k : keys)
    if (key == k) return true;
  return false;
}

std::string shown(const std::string* v) { return v ? "\"" + *v + "\"" : std::string("unset"); }

void expect(std::vector<std::string>& problems, const GoBuildInfo& go, const std::string& key,
            const std::string* want) {
  const std::string* have = go.setting(key);
  bool same = (have == nullptr && want == nullptr) || (have && want && *have == *want);
  if (!same)
    problems.push_back("build setting " + key + " is " + shown(have) +
                       " in the binary, but the config pins " + shown(want));
}

} // namespace

std::vector<std::string> check_settings(const std::optional<GoBuildInfo>& go, const Target& t,
                                        const Platform& p) {
  std::vector<std::string> problems;
  if (!go) {
    problems.push_back("the binary has no Go build info, so its settings cannot be checked");
    return problems;
  }
  const BuildSettings& b = t.build;
  std::string cgo = b.cgo ? "1" : "0";
  expect(problems, *go, "CGO_ENABLED", &cgo);
  expect(problems, *go, "GOOS", &p.os);
  expect(problems, *go, "GOARCH", &p.arch);
  std::string yes = "true";
  expect(problems, *go, "-trimpath", b.trimpath ? &yes : nullptr);
  std::string tags = join(b.tags, ",");
  expect(problems, *go, "-tags", b.tags.empty() ? nullptr : &tags);
  if (!b.trimpath) {
    std::string ldflags = ldflags_value(b);
    expect(problems, *go, "-ldflags", &ldflags);
  }
  for (const auto& kv : b.env)
    if (is_recorded_env(kv.first) && go->setting(kv.first)) expect(problems, *go, kv.first, &kv.second);
  return problems;
}

} // namespace gobuild
