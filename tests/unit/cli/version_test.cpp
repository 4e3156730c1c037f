#include <doctest/doctest.h>

#include "gobuild/cli/version.hpp"

#include <algorithm>
#include <optional>
#include <string>

using namespace gobuild;

TEST_CASE("cxx_standard_name") {
  CHECK(cxx_standard_name(201703L) == "C++17");
  CHECK(cxx_standard_name(202002L) == "C++20");
  CHECK(cxx_standard_name(201402L) == "C++14");
  CHECK(cxx_standard_name(42L) == "C++ (42L)");
}

TEST_CASE("render_version: the version line first, then one fact a line") {
  VersionFacts f;
  f.version = "9.9.9";
  f.compiler = "GCC 12.2.0";
  f.standard = "C++17";
  f.build = "optimized, assertions on";
  f.linkage = "static";
  f.libraries = {{"fmt", "9.1.0"}, {"Nettle", "3.8"}};
  CHECK(render_version(f) ==
        "gobuild 9.9.9\n"
        "compiler: GCC 12.2.0\n"
        "standard: C++17\n"
        "build: optimized, assertions on\n"
        "linkage: static\n"
        "library: fmt 9.1.0\n"
        "library: Nettle 3.8\n");
}

TEST_CASE("version_facts describe this build") {
  VersionFacts f = version_facts();
  CHECK(f.version == GOBUILD_VERSION);
  CHECK(f.standard == "C++17");
  // Looked up by name: adding or reordering a library does not break this test.
  auto version_of = [&f](const std::string& name) -> std::optional<std::string> {
    for (const auto& [n, v] : f.libraries)
      if (n == name) return v;
    return std::nullopt;
  };
  REQUIRE(version_of("Boost"));
  CHECK(version_of("Boost")->rfind("1.", 0) == 0);
  REQUIRE(version_of("Nettle"));
  CHECK_FALSE(version_of("Nettle")->empty());
  for (const auto& [name, version] : f.libraries) {
    CAPTURE(name);
    CHECK_FALSE(version.empty());
    CHECK(std::count_if(f.libraries.begin(), f.libraries.end(),
                        [&name = name](const auto& l) { return l.first == name; }) == 1);
  }
#if defined(NDEBUG)
  CHECK(f.build.find("assertions off (NDEBUG)") != std::string::npos);
#else
  CHECK(f.build.find("assertions on") != std::string::npos);
#endif
}

TEST_CASE("executable_linkage reports unreadable files instead of throwing") {
  std::string l = executable_linkage("/nonexistent/gobuild-test");
  CHECK(l.rfind("unknown (", 0) == 0);
  CHECK(l.back() == ')');
}

TEST_CASE("executable_linkage of this test, which meson links dynamically") {
  CHECK(executable_linkage("/proc/self/exe") == "dynamic");
}
