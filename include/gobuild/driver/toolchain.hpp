#pragma once
// Toolchain resolution (doc/config.md, go): the GOTOOLCHAIN value every child gets, the host's
// go version, and the toolchain had (fetched when pinned and missing) before anything is built.
#include <string>

#include "gobuild/config/config.hpp"
#include "gobuild/driver/environment.hpp"
#include "gobuild/driver/pipeline.hpp"

namespace gobuild {

/// The GOTOOLCHAIN value for `cfg`, asking the host's go for its version only when `go:` is
/// a prefix (doc/config.md, go).
std::string resolve_toolchain(const Config& cfg, const HostEnv& host);

/// The host's go version ("go1.26.8"): `go env GOVERSION` with GOTOOLCHAIN=local; "" when
/// interrupted; UsageError with go's reason when it fails.
std::string host_go_version(const Config& cfg, const HostEnv& host);

/// The toolchain, before anything is built: `go env GOVERSION` with the vendor step's environment
/// (GOTOOLCHAIN=ctx.toolchain and the proxy settings), so that the go command fetches a pinned
/// toolchain now if it must. Returns the version it runs ("go1.26.8"), "" when interrupted.
/// A toolchain that cannot be had is an error naming the pinned version, the host's and go's
/// reason: EnvironmentFailure (exit 3) when it could not be downloaded, else UsageError.
std::string ensure_toolchain(const BuildContext& ctx);

/// The version of the go that GOTOOLCHAIN=local runs, read from its GOROOT's VERSION file (the
/// go found on the host's PATH, through symlinks); "" when there is no plausible one.
std::string local_go_version_from_goroot(const HostEnv& host);

} // namespace gobuild
