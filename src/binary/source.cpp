#include "gobuild/binary/source.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "gobuild/util/file.hpp"

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
  OpenedFile f = open_regular_file(path); // without blocking: a FIFO is refused, not waited on
  fd_ = std::move(f.fd);
  size_ = f.size;
  head_.resize(size_ < 4096 ? size_ : 4096);
  pread_exact(0, head_.data(), head_.size()); // on a throw, fd_ closes itself
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
    ssize_t got = ::pread(fd_.get(), dst, n, static_cast<off_t>(off));
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
