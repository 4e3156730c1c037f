#include "gobuild/driver/toolchain.hpp"

#include <fstream>

#include <boost/filesystem.hpp>
#include <doctest/doctest.h>

using namespace gobuild;
namespace fs = boost::filesystem;

namespace {

/// A fake Go installation: ROOT/go/bin/go (an empty executable) and ROOT/go/VERSION.
struct FakeGoroot {
  fs::path root = fs::temp_directory_path() / fs::unique_path("gobuild-toolchain-%%%%%%%%");
  explicit FakeGoroot(const std::string& version_file) {
    fs::create_directories(root / "go" / "bin");
    std::ofstream(root / "go" / "bin" / "go").put('\n');
    fs::permissions(root / "go" / "bin" / "go", fs::perms::owner_all);
    std::ofstream(root / "go" / "VERSION") << version_file;
  }
  ~FakeGoroot() { fs::remove_all(root); }
  HostEnv host() const { return {{"PATH", (root / "go" / "bin").string()}}; }
};

} // namespace

TEST_CASE("resolve_toolchain: no pin is the host's go, an exact pin names its toolchain, without asking go") {
  Config cfg;
  cfg.module_dir = "/nonexistent";
  CHECK(resolve_toolchain(cfg, HostEnv{}) == "local");
  cfg.go = "1.26.8";
  CHECK(resolve_toolchain(cfg, HostEnv{}) == "go1.26.8");
  cfg.go = "1.27rc1";
  CHECK(resolve_toolchain(cfg, HostEnv{}) == "go1.27rc1");
}

TEST_CASE("local_go_version_from_goroot reads the first line of GOROOT/VERSION") {
  FakeGoroot g("go1.26.8\ntime 2026-01-01T00:00:00Z\n");
  CHECK(local_go_version_from_goroot(g.host()) == "go1.26.8");
}

TEST_CASE("local_go_version_from_goroot: nothing plausible is empty, and go is asked instead") {
  CHECK(local_go_version_from_goroot(HostEnv{}) == "");
  CHECK(local_go_version_from_goroot(HostEnv{{"PATH", "/nonexistent"}}) == "");
  FakeGoroot devel("devel go1.27-abcdef Mon Jan 1\n");
  CHECK(local_go_version_from_goroot(devel.host()) == "");
  FakeGoroot other("1.26.8\n");
  CHECK(local_go_version_from_goroot(other.host()) == "");
}
