#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

#include "gobuild/util/sha256.hpp"

using namespace gobuild;

TEST_CASE("sha256_hex matches the FIPS 180-2 vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sha256_file hashes a file larger than its buffer, and names the path on error") {
  std::string path = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/gobuild-sha256-test";
  std::string data(200000, 'x');
  {
    std::ofstream f(path, std::ios::binary);
    f << data;
  }
  CHECK(sha256_file(path) == sha256_hex(data));
  std::remove(path.c_str());
  try {
    sha256_file(path);
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == path + ": No such file or directory");
  }
}
