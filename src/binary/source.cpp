#include "gobuild/binary/source.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace gobuild {

void ByteSource::read(std::uint64_t off, void* out, std::size_t n, const char* what) const {
  if (!contains(off, n))
    throw ParseError(std::string(what) + " out of bounds: " + std::to_string(n) + " bytes at offset " +
                     std::to_string(off) + ", file size " + std::to_string(size()));
  read_at(off, out, n);
}

std::vector<std::uint8_t> ByteSource::read_vec(std::uint64_t off, std::size_t n, const char* what) const {
  if (!contains(off, n))
    throw ParseError(std::string(what) + " out of bounds: " + std::to_string(n) + " bytes at offset " +
                     std::to_string(off) + ", file size " + std::to_string(size()));
  std::vector<std::uint8_t> v(n);
  read_at(off, v.data(), n);
  return v;
}

FileSource::FileSource(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw UsageError(path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    int err = errno;
    ::close(fd_);
    throw UsageError(path + ": " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw UsageError(path + ": " + (S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file"));
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  std::vector<std::uint8_t> head(size_ < 4096 ? size_ : 4096);
  pread_exact(0, head.data(), head.size());
  head_ = std::move(head);
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

void FileSource::read_at(std::uint64_t off, void* out, std::size_t n) const {
  if (off < head_.size() && n <= head_.size() - off) {
    if (n) std::memcpy(out, head_.data() + off, n);
    return;
  }
  pread_exact(off, out, n);
}

void FileSource::pread_exact(std::uint64_t off, void* out, std::size_t n) const {
  auto* dst = static_cast<std::uint8_t*>(out);
  while (n > 0) {
    ssize_t got = ::pread(fd_, dst, n, static_cast<off_t>(off));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw ParseError(std::string("read error: ") + std::strerror(errno));
    }
    if (got == 0) throw ParseError("file shrank while being read");
    dst += got;
    off += static_cast<std::uint64_t>(got);
    n -= static_cast<std::size_t>(got);
  }
}

} // namespace gobuild
