// `gobuild version`: the version, then how this binary was built and what it links.
#include <cstdio>
#include <exception>

#include <boost/version.hpp>
#include <CLI/Version.hpp>
#include <fmt/format.h>
#include <nettle/version.h>
#include <nlohmann/json.hpp>

#include "gobuild/binary/inspect.hpp"
#include "gobuild/cli/commands.hpp"
#include "gobuild/cli/version.hpp"

namespace gobuild {

std::string cxx_standard_name(long cplusplus) {
  switch (cplusplus) {
  case 199711L: return "C++98";
  case 201103L: return "C++11";
  case 201402L: return "C++14";
  case 201703L: return "C++17";
  case 202002L: return "C++20";
  case 202302L: return "C++23";
  default: return fmt::format("C++ ({}L)", cplusplus);
  }
}

std::string executable_linkage(const std::string& path) {
  try {
    return std::string(to_string(inspect_file(path).linkage));
  } catch (const std::exception& e) {
    return fmt::format("unknown ({})", e.what());
  }
}

VersionFacts version_facts() {
  VersionFacts f;
  f.version = GOBUILD_VERSION;
#if defined(__clang__)
  f.compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  f.compiler = "GCC " __VERSION__;
#else
  f.compiler = "unknown compiler";
#endif
  while (!f.compiler.empty() && f.compiler.back() == ' ') f.compiler.pop_back();
  f.standard = cxx_standard_name(__cplusplus);
#if defined(__OPTIMIZE__)
  f.build = "optimized";
#else
  f.build = "not optimized";
#endif
#if defined(NDEBUG)
  f.build += ", assertions off (NDEBUG)";
#else
  f.build += ", assertions on";
#endif
  f.linkage = executable_linkage("/proc/self/exe");
  f.libraries = {
      {"Boost", fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000,
                            BOOST_VERSION % 100)},
      {"CLI11", CLI11_VERSION},
      {"fmt", fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100)},
      {"nlohmann-json", fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR,
                                    NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH)},
      // Asked of the library linked in, not of the headers.
      {"Nettle", fmt::format("{}.{}", nettle_version_major(), nettle_version_minor())},
      // yaml-cpp 0.7 defines no version macro: meson passes the version it found.
      {"yaml-cpp", GOBUILD_YAML_CPP_VERSION},
  };
  return f;
}

std::string render_version(const VersionFacts& f) {
  std::string out = "gobuild " + f.version + "\n";
  out += "compiler: " + f.compiler + "\n";
  out += "standard: " + f.standard + "\n";
  out += "build: " + f.build + "\n";
  out += "linkage: " + f.linkage + "\n";
  for (const auto& lib : f.libraries) out += "library: " + lib.first + " " + lib.second + "\n";
  return out;
}

int run_version() {
  std::fputs(render_version(version_facts()).c_str(), stdout);
  return 0;
}

} // namespace gobuild
