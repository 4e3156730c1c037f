// `gobuild verify [--json] [--allow-dynamic] FILE...` (doc/json.md: the verdict and the JSON).
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "gobuild/binary/inspect.hpp"
#include "gobuild/binary/report.hpp"
#include "gobuild/binary/verify.hpp"
#include "gobuild/cli/commands.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/json.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

/// FileSource's I/O errors already name the path; the JSON "error" and the human line want
/// the reason alone after it.
std::string reason_only(const std::string& path, const std::string& message) {
  std::string prefix = path + ": ";
  return starts_with(message, prefix) ? message.substr(prefix.size()) : message;
}

} // namespace

int run_verify(const VerifyOptions& o) {
  VerifyPolicy policy;
  policy.static_mode = o.allow_dynamic ? StaticMode::off : StaticMode::on;
  bool any_failed = false, any_unreadable = false;
  nlohmann::ordered_json files = nlohmann::ordered_json::array();

  for (const auto& path : o.files) {
    std::string error;
    try {
      BinaryInfo info = inspect_file(path);
      Verdict v = judge(info, policy);
      any_failed |= !v.ok;
      if (o.common.json) {
        files.push_back(file_json(path, info, v));
      } else if (!o.common.quiet || !v.ok) {
        std::string line = human_line(path, info, v) + "\n";
        std::fwrite(line.data(), 1, line.size(), stdout);
      }
      continue;
    } catch (const ParseError& e) {
      error = e.what();
    } catch (const UsageError& e) {
      error = reason_only(path, e.what());
    } catch (const std::bad_alloc&) {
      error = "out of memory";
    }
    any_unreadable = true;
    if (o.common.json)
      files.push_back(error_json(path, error));
    else
      std::fprintf(stderr, "gobuild: error: %s\n", escape_controls(path + ": " + error).c_str());
  }

  if (o.common.json) {
    std::string doc = json_text(nlohmann::ordered_json{{"files", std::move(files)}}) + "\n";
    std::fwrite(doc.data(), 1, doc.size(), stdout);
  }
  if (any_unreadable) return static_cast<int>(Exit::usage);
  return static_cast<int>(any_failed ? Exit::failed : Exit::ok);
}

} // namespace gobuild
