#pragma once
// The variants an architecture has (see variants.cpp).
#include <string>

#include "checks.hpp"

namespace gobuild::config_detail {

/// A platform's third part: is `variant` one of `arch`'s? `text` is the platform as written.
CheckProblem check_variant(const std::string& text, const std::string& arch, const std::string& variant);

} // namespace gobuild::config_detail
