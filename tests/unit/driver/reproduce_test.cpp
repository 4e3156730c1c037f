#include "gobuild/driver/reproduce.hpp"

#include <fstream>
#include <sstream>

#include <boost/filesystem.hpp>
#include <doctest/doctest.h>

using namespace gobuild;
namespace fs = boost::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p.string()) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

TEST_CASE("copy_tree copies files, directories and symlinks, but not the top-level .git") {
  fs::path root = fs::temp_directory_path() / fs::unique_path("gobuild-copytree-%%%%%%%%");
  fs::path from = root / "mod";
  write(from / "go.mod", "module example.com/app\n");
  write(from / "cmd" / "app" / "main.go", "package main\n");
  write(from / ".git" / "HEAD", "ref: refs/heads/main\n");
  write(from / "sub" / ".git", "gitdir: elsewhere\n"); // only the module's own .git is left out
  fs::create_directories(from / "empty");
  fs::create_symlink("go.mod", from / "link");

  fs::path to = root / "copy" / "mod";
  copy_tree(from, to);
  CHECK(read(to / "go.mod") == "module example.com/app\n");
  CHECK(read(to / "cmd" / "app" / "main.go") == "package main\n");
  CHECK(read(to / "sub" / ".git") == "gitdir: elsewhere\n");
  CHECK(fs::is_directory(to / "empty"));
  CHECK(fs::is_symlink(fs::symlink_status(to / "link")));
  CHECK(fs::read_symlink(to / "link") == fs::path("go.mod"));
  CHECK_FALSE(fs::exists(to / ".git"));
  fs::remove_all(root);
}
