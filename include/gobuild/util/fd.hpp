#pragma once
// An owned file descriptor: closed exactly once, by the destructor or by close().
//
// Every descriptor gobuild opens lives in one of these, so that no error path (a throw between
// open and close) can leak it.
#include <unistd.h>

#include <utility>

namespace gobuild {

class Fd {
public:
  Fd() = default;
  /// Takes ownership of `fd` (-1 for none).
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

  /// Closes now and reports close(2)'s result (a write error may only show here); the
  /// destructor then does nothing. True when there was nothing to close.
  bool close() {
    if (fd_ < 0) return true;
    return ::close(std::exchange(fd_, -1)) == 0;
  }
  /// Gives the descriptor up without closing it.
  int release() { return std::exchange(fd_, -1); }
  /// Closes the descriptor held, if any, and holds `fd` instead.
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

private:
  int fd_ = -1;
};

} // namespace gobuild
