#pragma once
// `gobuild version`: what this binary is and how it was made.
#include <string>
#include <utility>
#include <vector>

namespace gobuild {

struct VersionFacts {
  std::string version;      ///< GOBUILD_VERSION, "0.1.0"
  std::string compiler;     ///< "GCC 12.2.0", "clang 14.0.6"
  std::string standard;     ///< "C++17"
  std::string build;        ///< "optimized, assertions on"
  std::string linkage;      ///< linkage of the running binary (as verify names it), or "unknown (why)"
  std::vector<std::pair<std::string, std::string>> libraries; ///< name, version
};

/// "C++17" for 201703L; "C++ (NNNNNNL)" for a value this code does not know.
std::string cxx_standard_name(long cplusplus);

/// The linkage of the executable at `path` ("static", "static-pie", "dynamic", ...),
/// or "unknown (REASON)" when it cannot be read.
std::string executable_linkage(const std::string& path);

/// The facts of this build of gobuild (linkage from /proc/self/exe).
VersionFacts version_facts();

/// `gobuild VERSION`, then one `key: value` line a fact.
std::string render_version(const VersionFacts& f);

} // namespace gobuild
