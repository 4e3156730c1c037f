#include "gobuild/driver/settings.hpp"

#include "gobuild/driver/command.hpp"
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
  // go records its architecture variable (GOARM, GOAMD64, ...) in every binary, the default
  // when unset; a platform variant must be the value recorded.
  if (auto v = variant_setting(p)) expect(problems, *go, v->first, &v->second);
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

std::string expected_format(const std::string& goos) {
  if (goos == "windows") return "pe";
  if (goos == "darwin" || goos == "ios") return "macho";
  return "elf";
}

std::string expected_machine(const std::string& goarch) {
  static const std::pair<const char*, const char*> machines[] = {
      {"amd64", "x86_64"}, {"arm64", "aarch64"}, {"386", "i386"},       {"arm", "arm"},
      {"s390x", "s390x"},  {"riscv64", "riscv"}, {"ppc64", "ppc64"},    {"ppc64le", "ppc64"},
      {"mips", "mips"},    {"mipsle", "mips"},   {"mips64", "mips"},    {"mips64le", "mips"},
      {"loong64", "loongarch"}};
  for (const auto& m : machines)
    if (goarch == m.first) return m.second;
  return ""; // wasm and anything new: not checked
}

std::vector<std::string> check_platform(const BinaryInfo& info, const Platform& p) {
  std::vector<std::string> problems;
  if (p.arch == "wasm") return problems; // a WebAssembly module: neither format nor machine
  std::string format(to_string(info.format));
  std::string want_format = expected_format(p.os);
  if (format != want_format)
    problems.push_back("format is \"" + format + "\", but " + p.str() + " builds \"" +
                       want_format + "\"");
  std::string want_machine = expected_machine(p.arch);
  if (!want_machine.empty() && info.machine != want_machine)
    problems.push_back("machine is \"" + info.machine + "\", but " + p.str() + " builds \"" +
                       want_machine + "\"");
  return problems;
}

} // namespace gobuild
