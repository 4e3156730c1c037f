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

const VendorTree kTree = {{"example.com/dep/dep.go", std::string(64, 'a')},
                          {"example.com/other/sub/x.go", std::string(64, 'b')},
                          {"modules.txt", std::string(64, 'c')}};

TEST_CASE("vendor_inconsistency") {
  std::string sum = "example.com/dep v1.0.0 h1:abc=\n";
  std::string stamp = vendor_stamp(kGoMod, sum, kTree);
  CHECK(vendor_inconsistency(kGoMod, sum, std::string(kModulesTxt), stamp, kTree) == "");

  SUBCASE("no modules.txt") {
    CHECK(vendor_inconsistency(kGoMod, sum, std::nullopt, stamp, kTree) ==
          "vendor/modules.txt does not exist");
  }
  SUBCASE("a required module missing or at another version") {
    std::string txt = kModulesTxt;
    txt.replace(txt.find("dep v1.0.0"), 10, "dep v0.9.0");
    CHECK(vendor_inconsistency(kGoMod, sum, txt, stamp, kTree) ==
          "go.mod requires example.com/dep v1.0.0, which vendor/modules.txt does not list as "
          "explicit");
  }
  SUBCASE("an explicit module go.mod does not require") {
    std::string txt = std::string(kModulesTxt) + "# example.com/extra v1.0.0\n## explicit\n";
    CHECK(vendor_inconsistency(kGoMod, sum, txt, stamp, kTree) ==
          "vendor/modules.txt lists example.com/extra v1.0.0 as explicit, but go.mod does not "
          "require it");
  }
  SUBCASE("no stamp") {
    CHECK(vendor_inconsistency(kGoMod, sum, std::string(kModulesTxt), std::nullopt, kTree) ==
          "vendor/.gobuild-stamp does not exist");
  }
  SUBCASE("go.sum changed") {
    CHECK(vendor_inconsistency(kGoMod, sum + "x\n", std::string(kModulesTxt), stamp, kTree) ==
          "go.mod or go.sum changed since vendor/ was made");
  }
  SUBCASE("a vendored file edited, added or deleted by hand") {
    VendorTree edited = kTree;
    edited[0].sha256 = std::string(64, 'f');
    CHECK(vendor_inconsistency(kGoMod, sum, std::string(kModulesTxt), stamp, edited) ==
          "vendor/ changed since gobuild vendored it: modified vendor/example.com/dep/dep.go");
    VendorTree added = kTree;
    added.insert(added.begin() + 1, VendorFile{"example.com/dep/evil.go", std::string(64, 'e')});
    CHECK(vendor_inconsistency(kGoMod, sum, std::string(kModulesTxt), stamp, added) ==
          "vendor/ changed since gobuild vendored it: added vendor/example.com/dep/evil.go");
    VendorTree deleted = {kTree[0], kTree[2]};  // a whole module directory gone
    CHECK(vendor_inconsistency(kGoMod, sum, std::string(kModulesTxt), stamp, deleted) ==
          "vendor/ changed since gobuild vendored it: deleted vendor/example.com/other/sub/x.go");
  }
  SUBCASE("a stamp without file digests, from an older gobuild") {
    std::string old = "gobuild vendor stamp 1\ngo.mod x\ngo.sum y\n";
    CHECK(vendor_inconsistency(kGoMod, sum, std::string(kModulesTxt), old, kTree) ==
          "vendor/.gobuild-stamp holds no file digests (an older gobuild wrote it)");
  }
  SUBCASE("no dependencies: nothing to vendor, no vendor/ needed") {
    CHECK(vendor_inconsistency("module x\ngo 1.26\n", std::nullopt, std::nullopt, std::nullopt, {}) == "");
    CHECK(vendor_inconsistency("module x\ngo 1.26\n", std::nullopt, std::string(kModulesTxt),
                               std::nullopt, {}) ==
          "vendor/modules.txt lists modules that go.mod does not require");
  }
}

TEST_CASE("vendor_stamp names both hashes and every file, and stamp_tree reads the files back") {
  CHECK(vendor_stamp("", std::nullopt, {}) ==
        "gobuild vendor stamp 2\n"
        "go.mod e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "go.sum none\n");
  std::string stamp = vendor_stamp("", std::nullopt, kTree);
  CHECK(stamp.substr(stamp.find("file ")) ==
        "file " + std::string(64, 'a') + " example.com/dep/dep.go\n"
        "file " + std::string(64, 'b') + " example.com/other/sub/x.go\n"
        "file " + std::string(64, 'c') + " modules.txt\n");
  auto back = stamp_tree(stamp);
  REQUIRE(back.has_value());
  REQUIRE(back->size() == 3);
  CHECK(vendor_differences(kTree, *back).empty());
  CHECK_FALSE(stamp_tree("gobuild vendor stamp 1\ngo.mod x\ngo.sum none\n").has_value());
}

TEST_CASE("vendor_differences and describe_differences") {
  VendorTree want = {{"a.go", "1"}, {"b/c.go", "2"}, {"d.go", "3"}};
  VendorTree got = {{"a.go", "1"}, {"b/c.go", "9"}, {"c.go", "4"}};
  auto diffs = vendor_differences(want, got);
  CHECK(diffs == std::vector<std::string>{"modified vendor/b/c.go", "added vendor/c.go", "deleted vendor/d.go"});
  CHECK(describe_differences(diffs) == "modified vendor/b/c.go, added vendor/c.go, deleted vendor/d.go");
  std::vector<std::string> many(7, "added vendor/x");
  CHECK(describe_differences(many) ==
        "added vendor/x, added vendor/x, added vendor/x, added vendor/x, added vendor/x and 2 more");
}

#include <fstream>

#include <sys/stat.h>

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
  d.write("vendor/example.com/dep/dep.go", "package dep\n");
  CHECK(check_vendor(dir) == "vendor/ changed since gobuild vendored it: added vendor/example.com/dep/dep.go");
  write_vendor_stamp(dir);
  CHECK(check_vendor(dir) == "");
  d.write("vendor/example.com/dep/dep.go", "package dep // edited\n");
  CHECK(check_vendor(dir) == "vendor/ changed since gobuild vendored it: modified vendor/example.com/dep/dep.go");
  boost::filesystem::remove_all(d.path / "vendor/example.com");
  CHECK(check_vendor(dir) == "vendor/ changed since gobuild vendored it: deleted vendor/example.com/dep/dep.go");
  write_vendor_stamp(dir);
  boost::filesystem::create_symlink("/etc/passwd", d.path / "vendor/link.go");
  CHECK(check_vendor(dir) == "vendor/ changed since gobuild vendored it: added vendor/link.go");
  boost::filesystem::remove(d.path / "vendor/link.go");
  CHECK(::mkfifo((d.path / "vendor/fifo.go").c_str(), 0600) == 0);  // never opened: no hang
  CHECK(check_vendor(dir) == "vendor/ changed since gobuild vendored it: added vendor/fifo.go");
  boost::filesystem::remove(d.path / "vendor/fifo.go");
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
