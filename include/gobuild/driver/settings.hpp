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

/// The file format GOOS builds: "pe" for windows, "macho" for darwin and ios, "elf" otherwise.
std::string expected_format(const std::string& goos);

/// The machine name (readelf's, lower case, as in doc/json.md) GOARCH builds: amd64 -> x86_64, arm64 -> aarch64, ...;
/// empty when gobuild does not check it (wasm, or a GOARCH it does not know).
std::string expected_machine(const std::string& goarch);

/// Is the output what the job's platform builds? One message per mismatch, naming both:
/// `format is "elf", but windows/amd64 builds "pe"`, `machine is "x86_64", but linux/arm64
/// builds "aarch64"`. The Go build info's GOOS/GOARCH are check_settings' business.
std::vector<std::string> check_platform(const BinaryInfo& info, const Platform& p);

} // namespace gobuild
