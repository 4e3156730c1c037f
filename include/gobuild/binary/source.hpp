#pragma once
// Bounded random access to the bytes of a binary.
//
// Every reader goes through ByteSource::read, which checks `off + n <= size()` without
// overflow and throws ParseError otherwise, so a hostile header field can never send a read
// outside the file. Readers never map or slurp the whole file: cost follows what is read.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "gobuild/util/error.hpp"
#include "gobuild/util/fd.hpp"

namespace gobuild {

class ByteSource {
public:
  virtual ~ByteSource() = default;
  virtual std::uint64_t size() const = 0;

  /// True when [off, off+n) lies inside the file (overflow-safe).
  bool contains(std::uint64_t off, std::uint64_t n) const {
    return off <= size() && n <= size() - off;
  }
  /// Copies exactly n bytes at off into out, or throws ParseError("WHAT: truncated ...").
  void read(std::uint64_t off, void* out, std::size_t n, const char* what) const;
  /// Like read, into a new buffer. n must already be bounded by the caller (an allocation
  /// is never sized by an unchecked header field): it is checked against size() first.
  std::vector<std::uint8_t> read_vec(std::uint64_t off, std::size_t n, const char* what) const;

protected:
  /// Reads exactly n bytes at off; the range is already checked.
  virtual void read_at(std::uint64_t off, void* out, std::size_t n) const = 0;
};

/// Bytes in memory (unit tests, fuzzers). Does not own the bytes.
class MemorySource final : public ByteSource {
public:
  MemorySource(const void* data, std::size_t size)
      : data_(static_cast<const std::uint8_t*>(data)), size_(size) {}
  explicit MemorySource(const std::vector<std::uint8_t>& v) : MemorySource(v.data(), v.size()) {}
  std::uint64_t size() const override { return size_; }

protected:
  void read_at(std::uint64_t off, void* out, std::size_t n) const override {
    if (n) std::memcpy(out, data_ + off, n);
  }

private:
  const std::uint8_t* data_;
  std::size_t size_;
};

/// A file read with pread(2). Keeps the first block in memory, since every format's header
/// and most program-header tables live there.
class FileSource final : public ByteSource {
public:
  /// Opens with open_regular_file: throws UsageError "PATH: <strerror>" or
  /// "PATH: not a regular file" (a directory, a FIFO, a device: without waiting on it).
  explicit FileSource(const std::string& path);
  std::uint64_t size() const override { return size_; }

protected:
  void read_at(std::uint64_t off, void* out, std::size_t n) const override;

private:
  void pread_exact(std::uint64_t off, void* out, std::size_t n) const;
  std::string path_;
  Fd fd_;
  std::uint64_t size_ = 0;
  std::vector<std::uint8_t> head_; ///< the first min(size, 4096) bytes
};

// Byte-order loads from a buffer the caller has already bounds-checked.
inline std::uint16_t load16(const std::uint8_t* p, bool big) {
  return big ? std::uint16_t(p[0] << 8 | p[1]) : std::uint16_t(p[1] << 8 | p[0]);
}
inline std::uint32_t load32(const std::uint8_t* p, bool big) {
  return big ? (std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3])
             : (std::uint32_t(p[3]) << 24 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[1]) << 8 | p[0]);
}
inline std::uint64_t load64(const std::uint8_t* p, bool big) {
  std::uint64_t hi = load32(big ? p : p + 4, big), lo = load32(big ? p + 4 : p, big);
  return hi << 32 | lo;
}

} // namespace gobuild
