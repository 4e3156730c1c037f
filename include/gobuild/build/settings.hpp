#pragma once
// Does the binary say it was built as pinned? The Go build info's `build` lines must agree
// with the config: CGO_ENABLED, GOOS, GOARCH, -trimpath, -tags, the GOAMD64-style
// architecture levels the config sets, and -ldflags when the go command records it (it leaves
// -ldflags out of -trimpath builds, since it can hold host paths: golang/go#52372).
#include <string>
#include <vector>

#include "gobuild/binary/info.hpp"
#include "gobuild/config/config.hpp"

namespace gobuild {

/// One message per mismatch, naming the setting and both values:
/// `build setting CGO_ENABLED is "1" in the binary, but the config pins "0"`.
/// A binary without Go build info gets one message saying so.
std::vector<std::string> check_settings(const std::optional<GoBuildInfo>& go, const Target& t,
                                        const Platform& p);

} // namespace gobuild
