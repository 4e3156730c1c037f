#pragma once
// Reading and writing whole files: the one way gobuild does either.
//
// Every file gobuild reads as input (the config, go.mod, .git files, vendor/modules.txt, the
// files given to `verify`, a previous output) is opened without blocking and must be a regular
// file, so that a FIFO or a device in its place is an error at once, never a hang or an
// endless read. Every file gobuild writes whole appears at its path complete or not at all.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "gobuild/util/fd.hpp"

namespace gobuild {

/// An open regular file and its size at open time.
struct OpenedFile {
  Fd fd;
  std::uint64_t size = 0;
};

/// Opens `path` for reading with O_NONBLOCK|O_CLOEXEC|O_NOCTTY (a FIFO does not wait for a
/// writer) and checks with fstat that it is a regular file. Throws UsageError
/// "PATH: <strerror>" or "PATH: not a regular file" (a directory, a FIFO, a device, a socket).
OpenedFile open_regular_file(const std::string& path);

/// Like open_regular_file, but nullopt when the path does not exist (ENOENT, ENOTDIR).
std::optional<OpenedFile> open_regular_file_if_exists(const std::string& path);

/// The whole contents of the regular file at `path`, at most `max_bytes` of them: a larger
/// file is UsageError "PATH: larger than N bytes". /proc files (size 0 in fstat) are read to
/// their end. Other errors as open_regular_file.
std::string read_file(const std::string& path, std::size_t max_bytes = 16u << 20);

/// Like read_file, but nullopt when the path does not exist.
std::optional<std::string> read_file_if_exists(const std::string& path,
                                               std::size_t max_bytes = 16u << 20);

/// Writes `data` to `path` atomically: a temporary `.NAME.gobuild-tmp-XXXXXX` in the same
/// directory, written, fsync'ed and given `mode`, renamed over `path`, and the directory
/// fsync'ed. On failure the temporary is removed and `path` is as it was; throws UsageError
/// "PATH: <reason>".
void write_file_atomic(const std::string& path, const std::string& data, unsigned mode = 0644);

} // namespace gobuild
