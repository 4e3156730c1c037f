#include "gobuild/driver/command.hpp"

#include "gobuild/util/error.hpp"
#include "gobuild/util/shell.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {

std::string go_quote(const std::string& word) {
  bool plain = !word.empty() && word[0] != '\'' && word[0] != '"';
  for (char c : word)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') plain = false;
  if (plain) return word;
  if (word.find('\'') == std::string::npos) return "'" + word + "'";
  if (word.find('"') == std::string::npos) return "\"" + word + "\"";
  throw UsageError("cannot pass '" + word +
                   "' to the go command: a word with spaces may not hold both ' and \"");
}

std::string ldflags_value(const BuildSettings& b) {
  std::vector<std::string> words;
  words.push_back(std::string("-linkmode=") +
                  (b.linkmode == LinkMode::external ? "external" : "internal"));
  if (!b.extldflags.empty()) {
    std::vector<std::string> inner;
    for (const auto& w : b.extldflags) inner.push_back(go_quote(w));
    std::string joined = join(inner, " ");
    words.push_back("-extldflags");
    // Always quoted, as doc/build.md shows the command line: -extldflags '-static'.
    if (joined.find('\'') == std::string::npos)
      words.push_back("'" + joined + "'");
    else
      words.push_back(go_quote(joined));
  }
  for (const auto& w : b.ldflags) words.push_back(go_quote(w));
  return join(words, " ");
}

std::vector<std::string> go_build_argv(const Target& t, const std::string& output) {
  const BuildSettings& b = t.build;
  std::vector<std::string> argv = {"go", "build", "-o", output};
  if (rebuilds_all(b)) argv.push_back("-a");
  if (b.trimpath) argv.push_back("-trimpath");
  argv.push_back(b.buildvcs ? "-buildvcs=true" : "-buildvcs=false");
  if (!b.tags.empty()) {
    argv.push_back("-tags");
    argv.push_back(join(b.tags, ","));
  }
  argv.push_back("-ldflags");
  argv.push_back(ldflags_value(b));
  argv.insert(argv.end(), b.flags.begin(), b.flags.end());
  argv.push_back(t.main);
  return argv;
}

std::vector<std::string> go_vendor_argv() { return {"go", "mod", "vendor"}; }

std::string command_line(const EnvList& env, const std::vector<std::string>& argv,
                         const std::string& cwd) {
  std::string line;
  if (!cwd.empty()) line = "cd " + shell_quote(cwd) + " && ";
  line += "env -i";
  for (const auto& kv : env) line += " " + shell_quote(kv.first + "=" + kv.second);
  if (!argv.empty()) line += " " + shell_join(argv);
  return line;
}

} // namespace gobuild
