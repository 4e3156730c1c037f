#include "gobuild/cli/goreleaser.hpp"

#include <algorithm>
#include <regex>

#include <yaml-cpp/yaml.h>

#include "gobuild/util/error.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

std::vector<std::string> strings_of(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) {
    out.push_back(n.as<std::string>());
  } else if (n.IsSequence()) {
    for (const auto& item : n)
      if (item.IsScalar()) out.push_back(item.as<std::string>());
  }
  return out;
}

// The keys of a build that translate; any other is listed as untranslated.
const char* const kKnown[] = {"id", "binary", "main", "ldflags", "flags", "tags", "env", "goos",
                              "goarch", "goarm", "goamd64", "ignore", "targets"};

std::string platform_of(const std::string& os, const std::string& arch, const std::string& arm,
                        const std::string& amd64) {
  std::string p = os + "/" + arch;
  if (arch == "arm") p += "/v" + arm;
  if (arch == "amd64" && amd64 != "v1") p += "/" + amd64;
  return p;
}

bool ignored(const YAML::Node& ignore, const std::string& os, const std::string& arch,
             const std::string& arm, const std::string& amd64) {
  if (!ignore || !ignore.IsSequence()) return false;
  for (const auto& rule : ignore) {
    if (!rule.IsMap()) continue;
    auto match = [&rule](const char* key, const std::string& value) {
      return !rule[key] || rule[key].as<std::string>() == value;
    };
    if (match("goos", os) && match("goarch", arch) && (arch != "arm" || match("goarm", arm)) &&
        (arch != "amd64" || match("goamd64", amd64)))
      return true;
  }
  return false;
}

} // namespace

bool translate_template(const std::string& in, std::string& out) {
  static const std::regex action(R"(\{\{-?\s*\.(\w+)(?:\.(\w+))?\s*-?\}\})");
  out.clear();
  auto begin = std::sregex_iterator(in.begin(), in.end(), action);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    out += in.substr(last, static_cast<size_t>(m.position()) - last);
    last = static_cast<size_t>(m.position() + m.length());
    std::string field = m[1], sub = m[2];
    // {{ .Env.NAME }} has no stamp: a value from the release machine's environment is what
    // gobuild keeps out of a build, so the item is listed as not translated.
    if (!sub.empty()) return false;
    else if (field == "Version") out += "{version}";
    else if (field == "Commit" || field == "FullCommit") out += "{commit}";
    else if (field == "ShortCommit") out += "{short_commit}";
    else if (field == "Date") out += "{date}";
    else if (field == "Timestamp") out += "{timestamp}";
    else return false;
  }
  out += in.substr(last);
  return out.find("{{") == std::string::npos;
}

ReleaserTranslation translate_goreleaser(const std::string& yaml_text, const std::string& default_name) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw UsageError(".goreleaser.yaml: " + std::string(e.what()));
  }
  ReleaserTranslation t;
  YAML::Node builds = root.IsMap() ? root["builds"] : YAML::Node();
  if ((!builds || !builds.IsSequence()) && root.IsMap() && root["build"] && root["build"].IsMap()) {
    builds = YAML::Node(YAML::NodeType::Sequence); // the older single `build:` map
    builds.push_back(root["build"]);
  }
  if (!builds || !builds.IsSequence()) {
    builds = YAML::Node(YAML::NodeType::Sequence);
    builds.push_back(YAML::Node(YAML::NodeType::Map));
  }
  for (size_t i = 0; i < builds.size(); ++i) {
    const YAML::Node b = builds[i];
    const std::string where = "builds[" + std::to_string(i) + "]";
    if (!b.IsMap()) {
      t.untranslated.push_back(where + ": not a map");
      continue;
    }
    for (const auto& kv : b) {
      std::string key = kv.first.as<std::string>();
      if (std::find_if(std::begin(kKnown), std::end(kKnown), [&key](const char* k) { return key == k; }) ==
          std::end(kKnown))
        t.untranslated.push_back(where + "." + key);
    }
    ReleaserTarget r;
    r.name = b["binary"] ? b["binary"].as<std::string>() : b["id"] ? b["id"].as<std::string>() : default_name;
    if (r.name.find("{{") != std::string::npos) { // a templated name ("yq_{{ .Os }}_{{ .Arch }}")
      t.untranslated.push_back(where + ".binary: " + r.name);
      r.name = b["id"] && b["id"].as<std::string>().find("{{") == std::string::npos ? b["id"].as<std::string>()
                                                                                   : default_name;
    }
    std::string main = b["main"] ? b["main"].as<std::string>() : ".";
    r.main = main == "." || starts_with(main, "./") || starts_with(main, "../") ? main : "./" + main;
    std::vector<std::string> ldflags = b["ldflags"]
        ? strings_of(b["ldflags"])
        : std::vector<std::string>{"-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} "
                                   "-X main.date={{.Date}} -X main.builtBy=goreleaser"};
    for (const auto& l : ldflags) {
      std::string out;
      if (translate_template(l, out)) r.ldflags.push_back(out);
      else t.untranslated.push_back(where + ".ldflags: " + l);
    }
    for (const auto& f : strings_of(b["flags"])) {
      std::string out;
      if (translate_template(f, out)) r.flags.push_back(out);
      else t.untranslated.push_back(where + ".flags: " + f);
    }
    r.tags = strings_of(b["tags"]);
    for (const auto& e : strings_of(b["env"])) {
      auto eq = e.find('=');
      std::string out;
      if (eq == std::string::npos || !translate_template(e, out)) {
        t.untranslated.push_back(where + ".env: " + e);
        continue;
      }
      std::string k = out.substr(0, eq), v = out.substr(eq + 1);
      if (k == "CGO_ENABLED") r.cgo = v == "1";
      else r.env[k] = v;
    }
    auto list = [&b](const char* key, std::vector<std::string> def) {
      std::vector<std::string> v = strings_of(b[key]);
      return v.empty() ? def : v;
    };
    // targets: [linux_amd64_v3, linux_arm_7, darwin_arm64] names the platforms outright (goos,
    // goarch and the rest are then not used); go_first_class and the like are lists of Go's own.
    if (b["targets"] && b["targets"].IsSequence()) {
      for (const auto& name : strings_of(b["targets"])) {
        std::vector<std::string> parts = split(name, '_');
        if (starts_with(name, "go_") || parts.size() < 2 || parts.size() > 3) {
          t.untranslated.push_back(where + ".targets: " + name);
          continue;
        }
        std::string v = parts.size() == 3 ? parts[2] : "";
        if (parts[1] == "arm" && !v.empty()) v = "v" + v;
        if (parts[1] == "amd64" && v == "v1") v.clear();
        r.platforms.push_back(parts[0] + "/" + parts[1] + (v.empty() ? "" : "/" + v));
      }
      t.targets.push_back(std::move(r));
      continue;
    }
    for (const auto& os : list("goos", {"darwin", "linux", "windows"}))
      for (const auto& arch : list("goarch", {"386", "amd64", "arm64"})) {
        if (os == "darwin" && arch == "386") continue; // Go has not built it since 1.15
        std::vector<std::string> arms = arch == "arm" ? list("goarm", {"6"}) : std::vector<std::string>{""};
        std::vector<std::string> amd = arch == "amd64" ? list("goamd64", {"v1"}) : std::vector<std::string>{"v1"};
        for (const auto& arm : arms)
          for (const auto& a : amd)
            if (!ignored(b["ignore"], os, arch, arm, a)) r.platforms.push_back(platform_of(os, arch, arm, a));
      }
    t.targets.push_back(std::move(r));
  }
  return t;
}

} // namespace gobuild
