#pragma once
// Rendering an inspected binary for people (one line) and for machines (the verify JSON of doc/json.md).
#include <string>

#include <nlohmann/json.hpp>

#include "gobuild/binary/info.hpp"
#include "gobuild/binary/verify.hpp"

namespace gobuild {

/// The JSON object for one file: path, ok, problems, format, ..., go.
nlohmann::ordered_json file_json(const std::string& path, const BinaryInfo& info, const Verdict& v);
/// A file that could not be read: {"path", "ok": false, "error"} and nothing else.
nlohmann::ordered_json error_json(const std::string& path, const std::string& message);
/// The Go build info as the "go" object of the verify JSON.
nlohmann::ordered_json go_json(const GoBuildInfo& go);

/// `bin/app: static, ELF64 x86_64, go1.26.8, CGO_ENABLED=0, -trimpath`, control characters
/// (from the path or the file) escaped by escape_controls: safe to print on a terminal.
std::string human_line(const std::string& path, const BinaryInfo& info, const Verdict& v);

} // namespace gobuild
