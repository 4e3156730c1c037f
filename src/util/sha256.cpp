#include "gobuild/util/sha256.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

#include <nettle/sha2.h>

#include "gobuild/util/file.hpp"

namespace gobuild {
namespace {

std::string hex(const uint8_t* digest, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[digest[i] >> 4];
    out[2 * i + 1] = digits[digest[i] & 15];
  }
  return out;
}

} // namespace

std::string sha256_hex(const std::string& data) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, data.size(), reinterpret_cast<const uint8_t*>(data.data()));
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, sizeof digest, digest);
  return hex(digest, sizeof digest);
}

std::string sha256_file(const std::string& path) {
  OpenedFile f = open_regular_file(path);
  sha256_ctx ctx;
  sha256_init(&ctx);
  static thread_local uint8_t buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(f.fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
    if (n == 0) break;
    sha256_update(&ctx, static_cast<size_t>(n), buf);
  }
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, sizeof digest, digest);
  return hex(digest, sizeof digest);
}

} // namespace gobuild
