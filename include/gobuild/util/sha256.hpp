#pragma once
// SHA-256 through Nettle.
#include <string>

namespace gobuild {

/// Lower-case hex SHA-256 of the file at `path`; throws std::runtime_error naming the path.
std::string sha256_file(const std::string& path);

/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(const std::string& data);

} // namespace gobuild
