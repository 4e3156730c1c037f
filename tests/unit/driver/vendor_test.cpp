#include "gobuild/driver/vendor.hpp"

#include <doctest/doctest.h>

using namespace gobuild;

namespace {

const char* kGoMod = R"(module example.com/app

go 1.26

require example.com/dep v1.0.0 // a comment

require (
	example.com/other v0.2.0 // indirect
	"example.com/quoted" v1.1.0
)

replace example.com/old => ../old
)";

const char* kModulesTxt = R"(# example.com/dep v1.0.0
## explicit; go 1.22
example.com/dep
# example.com/other v0.2.0
## explicit
example.com/other/sub
# example.com/quoted v1.1.0
## explicit; go 1.20
# example.com/transitive v0.0.1
example.com/transitive
# example.com/old => ../old
## explicit
)";

} // namespace

TEST_CASE("gomod_requires reads single lines and blocks") {
  std::vector<ModuleVersion> want = {{"example.com/dep", "v1.0.0"},
                                     {"example.com/other", "v0.2.0"},
                                     {"example.com/quoted", "v1.1.0"}};
  CHECK(gomod_requires(kGoMod) == want);
  CHECK(gomod_requires("module x\n\ngo 1.26\n").empty());
}

TEST_CASE("modules_txt_explicit takes only ## explicit modules with a version") {
  std::vector<ModuleVersion> want = {{"example.com/dep", "v1.0.0"},
                                     {"example.com/other", "v0.2.0"},
                                     {"example.com/quoted", "v1.1.0"}};
  CHECK(modules_txt_explicit(kModulesTxt) == want);
}

TEST_CASE("vendor_inconsistency") {
  std::string sum = "example.com/dep v1.0.0 h1:abc=\n";
  std::string stamp = vendor_stamp(kGoMod, sum);
  CHECK(vendor_inconsistency(kGoMod, sum, std::string(kModulesTxt), stamp) == "");

  SUBCASE("no modules.txt") {
    CHECK(vendor_inconsistency(kGoMod, sum, std::nullopt, stamp) ==
          "vendor/modules.txt does not exist");
  }
  SUBCASE("a required module missing or at another version") {
    std::string txt = kModulesTxt;
    txt.replace(txt.find("dep v1.0.0"), 10, "dep v0.9.0");
    CHECK(vendor_inconsistency(kGoMod, sum, txt, stamp) ==
          "go.mod requires example.com/dep v1.0.0, which vendor/modules.txt does not list as "
          "explicit");
  }
  SUBCASE("an explicit module go.mod does not require") {
    std::string txt = std::string(kModulesTxt) + "# example.com/extra v1.0.0\n## explicit\n";
    CHECK(vendor_inconsistency(kGoMod, sum, txt, stamp) ==
          "vendor/modules.txt lists example.com/extra v1.0.0 as explicit, but go.mod does not "
          "require it");
  }
  SUBCASE("no stamp") {
    CHECK(vendor_inconsistency(kGoMod, sum, std::string(kModulesTxt), std::nullopt) ==
          "vendor/.gobuild-stamp does not exist");
  }
  SUBCASE("go.sum changed") {
    CHECK(vendor_inconsistency(kGoMod, sum + "x\n", std::string(kModulesTxt), stamp) ==
          "go.mod or go.sum changed since vendor/ was made");
  }
  SUBCASE("no dependencies: nothing to vendor, no vendor/ needed") {
    CHECK(vendor_inconsistency("module x\ngo 1.26\n", std::nullopt, std::nullopt, std::nullopt) == "");
    CHECK(vendor_inconsistency("module x\ngo 1.26\n", std::nullopt, std::string(kModulesTxt),
                               std::nullopt) ==
          "vendor/modules.txt lists modules that go.mod does not require");
  }
}

TEST_CASE("vendor_stamp names both hashes") {
  CHECK(vendor_stamp("", std::nullopt) ==
        "gobuild vendor stamp 1\n"
        "go.mod e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "go.sum none\n");
}

#include <fstream>

#include <boost/filesystem.hpp>

#include "gobuild/util/error.hpp"

namespace {

struct TempDir {
  boost::filesystem::path path;
  TempDir() : path(boost::filesystem::temp_directory_path() / boost::filesystem::unique_path("gobuild-vendor-%%%%%%%%")) {
    boost::filesystem::create_directories(path);
  }
  ~TempDir() { boost::filesystem::remove_all(path); }
  void write(const std::string& rel, const std::string& text) const {
    boost::filesystem::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << text;
  }
};

} // namespace

TEST_CASE("check_vendor and write_vendor_stamp on disk") {
  TempDir d;
  const std::string dir = d.path.string();
  CHECK_THROWS_WITH_AS(check_vendor(dir), (dir + "/go.mod: cannot read it (is `module:` right?)").c_str(),
                       gobuild::UsageError);
  d.write("go.mod", kGoMod);
  d.write("go.sum", "sums\n");
  CHECK(check_vendor(dir) == "vendor/modules.txt does not exist");
  d.write("vendor/modules.txt", kModulesTxt);
  CHECK(check_vendor(dir) == "vendor/.gobuild-stamp does not exist");
  write_vendor_stamp(dir);
  CHECK(check_vendor(dir) == "");
  d.write("go.mod", std::string(kGoMod) + "\n// edited\n");
  CHECK(check_vendor(dir) == "go.mod or go.sum changed since vendor/ was made");
}

TEST_CASE("write_vendor_stamp makes no vendor/ for a module without requirements") {
  TempDir d;
  d.write("go.mod", "module x\n\ngo 1.26\n");
  write_vendor_stamp(d.path.string());
  CHECK_FALSE(boost::filesystem::exists(d.path / "vendor"));
  CHECK(check_vendor(d.path.string()) == "");
}
