#pragma once
// JSON text for gobuild's outputs. Strings read from binaries and paths need not be UTF-8;
// nlohmann's default (throwing) would turn one such byte into an empty stdout for a whole
// batch, so every document is written with invalid bytes replaced by U+FFFD, as Go's own
// encoding/json (`go version -m -json`) does.
#include <string>

#include <nlohmann/json.hpp>

namespace gobuild {

inline std::string json_text(const nlohmann::ordered_json& j, int indent = 2) {
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace gobuild
