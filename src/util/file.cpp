#include "gobuild/util/file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "gobuild/util/error.hpp"

namespace gobuild {
namespace {

[[noreturn]] void fail(const std::string& path, int err) {
  throw UsageError(path + ": " + std::strerror(err));
}

bool absent(int err) { return err == ENOENT || err == ENOTDIR; }

/// Opens and checks; returns the errno of a failed open(2) (0 on success) so that the caller
/// decides whether absence is an error.
int open_checked(const std::string& path, OpenedFile& out) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (!fd) return errno;
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) fail(path, errno);
  if (!S_ISREG(st.st_mode)) throw UsageError(path + ": not a regular file");
  out.fd = std::move(fd);
  out.size = static_cast<std::uint64_t>(st.st_size);
  return 0;
}

std::string read_all(const std::string& path, OpenedFile f, std::size_t max_bytes) {
  auto too_large = [&] {
    return UsageError(path + ": larger than " + std::to_string(max_bytes) + " bytes");
  };
  if (f.size > max_bytes) throw too_large();
  std::string text;
  text.reserve(static_cast<std::size_t>(f.size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(f.fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, errno);
    if (n == 0) return text;
    if (static_cast<std::size_t>(n) > max_bytes - text.size()) throw too_large(); // it grew
    text.append(buf, static_cast<std::size_t>(n));
  }
}

std::string parent_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

OpenedFile open_regular_file(const std::string& path) {
  OpenedFile f;
  if (int err = open_checked(path, f)) fail(path, err);
  return f;
}

std::optional<OpenedFile> open_regular_file_if_exists(const std::string& path) {
  OpenedFile f;
  if (int err = open_checked(path, f)) {
    if (absent(err)) return std::nullopt;
    fail(path, err);
  }
  return f;
}

std::string read_file(const std::string& path, std::size_t max_bytes) {
  return read_all(path, open_regular_file(path), max_bytes);
}

std::optional<std::string> read_file_if_exists(const std::string& path, std::size_t max_bytes) {
  auto f = open_regular_file_if_exists(path);
  if (!f) return std::nullopt;
  return read_all(path, std::move(*f), max_bytes);
}

void write_file_atomic(const std::string& path, const std::string& data, unsigned mode) {
  const std::string dir = parent_dir(path);
  const auto slash = path.find_last_of('/');
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string tmpl = dir + "/." + base + ".gobuild-tmp-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  Fd fd(::mkstemp(name.data()));
  if (!fd) fail(path, errno);
  const std::string tmp(name.data());
  int err = 0;
  for (const char* p = data.data(), *end = p + data.size(); p < end && !err;) {
    ssize_t n = ::write(fd.get(), p, static_cast<std::size_t>(end - p));
    if (n < 0 && errno != EINTR) err = errno;
    if (n > 0) p += n;
  }
  if (!err && ::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) err = errno;
  if (!err && ::fsync(fd.get()) != 0) err = errno;
  if (!err && !fd.close()) err = errno;
  if (!err && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err) {
    ::unlink(tmp.c_str());
    fail(path, err);
  }
  // The rename is durable once the directory is: without this a crash can lose the new name.
  Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d) ::fsync(d.get());
}

} // namespace gobuild
