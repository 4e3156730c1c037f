#pragma once
// What gobuild knows about a binary after reading it: the model that the readers fill and
// that verification and the reports consume. Field names follow the verify JSON (doc/json.md).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gobuild {

enum class Format { elf, pe, macho };

/// The linkage classes of doc/json.md. `not_applicable` is for PE and Mach-O, whose linkage gobuild does not judge.
enum class Linkage { static_exe, static_pie, dynamic, shared_object, none, not_applicable };

std::string_view to_string(Format f);
std::string_view to_string(Linkage l); ///< "static", "static-pie", ..., "n/a"

/// One module line of the Go build info (`mod` or `dep`, or the target of `=>`).
struct GoModule {
  std::string path;
  std::string version;
  std::string sum; ///< "h1:..." or empty
};

struct GoDep {
  GoModule mod;
  std::optional<GoModule> replace; ///< from a following `=>` line
};

/// What `go version -m` prints.
struct GoBuildInfo {
  std::string version;          ///< "go1.26.8"
  std::string path;             ///< the `path` line
  std::optional<GoDep> main;    ///< the `mod` line
  std::vector<GoDep> deps;      ///< `dep` lines, in order
  std::vector<std::pair<std::string, std::string>> settings; ///< `build` lines, unquoted, in order

  /// The value of a build setting, or nullptr.
  const std::string* setting(std::string_view key) const {
    for (const auto& kv : settings)
      if (kv.first == key) return &kv.second;
    return nullptr;
  }
};

struct BinaryInfo {
  Format format = Format::elf;
  int bits = 0;                 ///< 32 or 64
  bool big_endian = false;
  std::string machine;          ///< readelf's name in lower case: x86_64, aarch64, i386, ...
  std::string type;             ///< exec, dyn, rel, core
  Linkage linkage = Linkage::none;
  std::optional<std::string> interpreter;
  std::vector<std::string> needed;  ///< DT_NEEDED; for PE the imported DLLs; Mach-O LC_LOAD_DYLIB
  std::vector<std::string> rpath;   ///< DT_RPATH (Mach-O: LC_RPATH)
  std::vector<std::string> runpath; ///< DT_RUNPATH
  std::string go_build_id;          ///< empty when there is none
  std::optional<GoBuildInfo> go;    ///< nullopt for a binary without Go build info
};

} // namespace gobuild
