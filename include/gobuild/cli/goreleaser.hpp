#pragma once
// `gobuild init` on a module that ships with GoReleaser: its .goreleaser.yaml `builds`,
// translated into gobuild targets (pure: the text in, targets and notes out).
#include <map>
#include <string>
#include <vector>

namespace gobuild {

/// One gobuild target made from one GoReleaser build.
struct ReleaserTarget {
  std::string name;                      ///< binary (else id, else the module's binary name)
  std::string main = ".";                ///< main, "./"-prefixed
  bool cgo = false;                      ///< env CGO_ENABLED=1
  std::vector<std::string> ldflags;      ///< templates turned into stamps
  std::vector<std::string> flags;
  std::vector<std::string> tags;
  std::map<std::string, std::string> env; ///< env other than CGO_ENABLED
  std::vector<std::string> platforms;    ///< OS/ARCH[/VARIANT], goos × goarch × goarm/goamd64 − ignore
};

struct ReleaserTranslation {
  std::vector<ReleaserTarget> targets;
  std::vector<std::string> untranslated; ///< "builds[0].hooks", "builds[1].ldflags: {{ if ... }}", ...
};

/// `{{.Version}}` → `{version}`, `{{ .Commit }}`/`{{.FullCommit}}` → `{commit}`,
/// `{{.ShortCommit}}` → `{short_commit}`, `{{.Date}}` → `{date}`, `{{.Timestamp}}` →
/// `{timestamp}`, `{{.Env.X}}` → `{X}` (set with --set X=...). false when another template
/// remains (`{{ if }}`, `{{.Tag}}`, functions...).
bool translate_template(const std::string& in, std::string& out);

/// Reads the text of a .goreleaser.yaml (GoReleaser's defaults where a key is absent: main
/// ".", goos [darwin, linux, windows], goarch [386, amd64, arm64], goarm [6], goamd64 [v1],
/// darwin/386 dropped). Throws UsageError when it is not YAML.
ReleaserTranslation translate_goreleaser(const std::string& yaml_text, const std::string& default_name);

} // namespace gobuild
