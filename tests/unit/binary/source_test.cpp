#include "gobuild/binary/source.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace gobuild {
namespace {

std::string read_error(const ByteSource& src, std::uint64_t off, std::size_t n) {
  std::vector<std::uint8_t> out(n);
  try {
    src.read(off, out.data(), n, "table");
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::vector<std::uint8_t>& bytes) {
    std::string t = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/gobuild-source-XXXXXX";
    int fd = ::mkstemp(t.data());
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    ::close(fd);
    path = t;
  }
  ~TempFile() { ::unlink(path.c_str()); }
};

std::vector<std::uint8_t> pattern(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::uint8_t(i * 7 + i / 251);
  return v;
}

} // namespace

TEST_CASE("contains is exact at the end and safe from overflow") {
  std::vector<std::uint8_t> v(10);
  MemorySource m(v);
  CHECK(m.size() == 10);
  CHECK(m.contains(0, 10));
  CHECK(m.contains(10, 0));
  CHECK(m.contains(4, 6));
  CHECK_FALSE(m.contains(4, 7));
  CHECK_FALSE(m.contains(11, 0));
  const auto max = std::numeric_limits<std::uint64_t>::max();
  CHECK_FALSE(m.contains(max, 2));  // off + n wraps to 1
  CHECK_FALSE(m.contains(2, max));
  CHECK_FALSE(m.contains(max, max));
}

TEST_CASE("read copies the bytes asked for, or says what was out of bounds") {
  const auto v = pattern(64);
  MemorySource m(v);
  std::uint8_t out[8] = {};
  m.read(56, out, 8, "tail");
  CHECK(std::vector<std::uint8_t>(out, out + 8) == std::vector<std::uint8_t>(v.begin() + 56, v.end()));
  CHECK(read_error(m, 60, 8) == "table out of bounds: 8 bytes at offset 60, file size 64");
  CHECK(read_error(m, std::numeric_limits<std::uint64_t>::max(), 2) ==
        "table out of bounds: 2 bytes at offset 18446744073709551615, file size 64");
  CHECK(m.read_vec(3, 5, "x") == std::vector<std::uint8_t>(v.begin() + 3, v.begin() + 8));
  CHECK(m.read_vec(64, 0, "x").empty());
  CHECK_THROWS_WITH_AS(m.read_vec(1, 64, "names"), "names out of bounds: 64 bytes at offset 1, file size 64",
                       ParseError);
}

TEST_CASE("FileSource reads the same bytes as memory, in the first block and beyond it") {
  const auto v = pattern(3 * 4096 + 123);
  TempFile f(v);
  FileSource src(f.path);
  CHECK(src.size() == v.size());
  for (std::uint64_t off : {std::uint64_t(0), std::uint64_t(4000), std::uint64_t(4090), std::uint64_t(4096),
                            std::uint64_t(10000), std::uint64_t(v.size() - 16)}) {
    CAPTURE(off);
    CHECK(src.read_vec(off, 16, "x") == std::vector<std::uint8_t>(v.begin() + std::ptrdiff_t(off),
                                                                   v.begin() + std::ptrdiff_t(off + 16)));
  }
  CHECK(read_error(src, v.size() - 15, 16) == "table out of bounds: 16 bytes at offset " +
                                                  std::to_string(v.size() - 15) + ", file size " +
                                                  std::to_string(v.size()));
  TempFile small({1, 2, 3});
  FileSource s(small.path);
  CHECK(s.size() == 3);
  CHECK(s.read_vec(0, 3, "x") == std::vector<std::uint8_t>{1, 2, 3});
  TempFile empty({});
  CHECK(FileSource(empty.path).size() == 0);
}

TEST_CASE("FileSource: a file that shrinks under it is an error, not garbage") {
  const auto v = pattern(20000);
  TempFile f(v);
  FileSource src(f.path);
  REQUIRE(::truncate(f.path.c_str(), 8000) == 0);
  CHECK(src.read_vec(100, 16, "x").size() == 16); // from the first block, kept in memory
  CHECK_THROWS_WITH_AS(src.read_vec(12000, 16, "x"), "file shrank while being read", ParseError);
}

TEST_CASE("FileSource refuses what is not a regular file, at once") {
  std::string dir = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/gobuild-source-dXXXXXX";
  REQUIRE(::mkdtemp(dir.data()));
  const std::string fifo = dir + "/fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_WITH_AS(FileSource{fifo}, (fifo + ": not a regular file").c_str(), UsageError);
  CHECK_THROWS_WITH_AS(FileSource{dir}, (dir + ": not a regular file").c_str(), UsageError);
  CHECK_THROWS_WITH_AS(FileSource{"/dev/zero"}, "/dev/zero: not a regular file", UsageError);
  CHECK_THROWS_WITH_AS(FileSource{dir + "/missing"}, (dir + "/missing: No such file or directory").c_str(),
                       UsageError);
  ::unlink(fifo.c_str());
  ::rmdir(dir.c_str());
}

TEST_CASE("load16/32/64 in both byte orders") {
  const std::uint8_t b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  CHECK(load16(b, false) == 0x0201);
  CHECK(load16(b, true) == 0x0102);
  CHECK(load32(b, false) == 0x04030201u);
  CHECK(load32(b, true) == 0x01020304u);
  CHECK(load64(b, false) == 0x0807060504030201ull);
  CHECK(load64(b, true) == 0x0102030405060708ull);
}

} // namespace gobuild
