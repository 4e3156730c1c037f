#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace gobuild {

/// Splits on `sep`, keeping empty fields.
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);

} // namespace gobuild
