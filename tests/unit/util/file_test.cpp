#include <doctest/doctest.h>

#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "gobuild/util/error.hpp"
#include "gobuild/util/file.hpp"

using namespace gobuild;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    std::string t = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/gobuild-file-XXXXXX";
    path = ::mkdtemp(t.data());
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
};

std::string error_of(void (*f)(const std::string&), const std::string& path) {
  try {
    f(path);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

void read_it(const std::string& p) { read_file(p); }

std::vector<std::string> names(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  while (dirent* e = ::readdir(d))
    if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") out.push_back(e->d_name);
  ::closedir(d);
  return out;
}

} // namespace

TEST_CASE("read_file reads regular files, and /proc files to their end") {
  TempDir t;
  std::ofstream(t / "a") << "hello\n";
  CHECK(read_file(t / "a") == "hello\n");
  std::ofstream(t / "empty");
  CHECK(read_file(t / "empty") == "");
  CHECK(read_file("/proc/self/stat").size() > 10); // fstat says size 0
}

TEST_CASE("read_file refuses what is not a regular file, without blocking") {
  TempDir t;
  REQUIRE(::mkfifo((t / "fifo").c_str(), 0600) == 0);
  CHECK(error_of(read_it, t / "fifo") == t / "fifo: not a regular file"); // no writer: no hang
  CHECK(error_of(read_it, "/dev/zero") == "/dev/zero: not a regular file");
  CHECK(error_of(read_it, "/dev/null") == "/dev/null: not a regular file");
  CHECK(error_of(read_it, t.path) == t.path + ": not a regular file");
  CHECK(error_of(read_it, t / "missing") == t / "missing: No such file or directory");
}

TEST_CASE("read_file caps the size") {
  TempDir t;
  std::ofstream(t / "big") << std::string(100, 'x');
  CHECK(read_file(t / "big", 100).size() == 100);
  try {
    read_file(t / "big", 99);
    FAIL("no error");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()) == t / "big: larger than 99 bytes");
  }
}

TEST_CASE("read_file_if_exists: absence is nullopt, other errors are errors") {
  TempDir t;
  CHECK_FALSE(read_file_if_exists(t / "missing"));
  CHECK_FALSE(read_file_if_exists(t / "missing/below"));
  std::ofstream(t / "a") << "x";
  CHECK(read_file_if_exists(t / "a") == std::optional<std::string>("x"));
  CHECK_THROWS_AS(read_file_if_exists("/dev/null"), UsageError);
  CHECK_FALSE(open_regular_file_if_exists(t / "missing"));
  CHECK(open_regular_file(t / "a").size == 1);
}

TEST_CASE("write_file_atomic replaces the file whole, with the mode, and leaves no temporary") {
  TempDir t;
  std::ofstream(t / "out") << "old";
  write_file_atomic(t / "out", "new contents", 0640);
  CHECK(read_file(t / "out") == "new contents");
  struct stat st;
  REQUIRE(::stat((t / "out").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
  CHECK(names(t.path) == std::vector<std::string>{"out"});

  write_file_atomic(t / "fresh", "");
  CHECK(read_file(t / "fresh") == "");
}

TEST_CASE("write_file_atomic: a failed rename leaves the target and no temporary") {
  TempDir t;
  REQUIRE(::mkdir((t / "dir").c_str(), 0755) == 0);
  std::ofstream(t / "dir/keep") << "k";
  try {
    write_file_atomic(t / "dir", "x"); // rename onto a non-empty directory fails
    FAIL("no error");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).rfind(t / "dir: ", 0) == 0);
  }
  CHECK(names(t.path) == std::vector<std::string>{"dir"});
  CHECK_THROWS_AS(write_file_atomic(t / "no/such/dir/file", "x"), UsageError);
}
