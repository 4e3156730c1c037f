#pragma once
// Reading the child's output for what the user must know (doc/build.md, static linking with cgo): glibc's NSS warnings
// when cgo is linked statically, and a missing static C library or C compiler.
#include <string>
#include <string_view>
#include <vector>

namespace gobuild {

struct LinkFindings {
  /// Functions named by glibc's "Using 'X' in statically linked applications requires at
  /// runtime the shared libraries ..." warnings, once each, in order of appearance.
  std::vector<std::string> nss_functions;
  /// Libraries from "cannot find -lX", once each, in order.
  std::vector<std::string> missing_libs;
  /// The C compiler from cgo's `C compiler "X" not found`, or "".
  std::string missing_cc;
};

LinkFindings scan_link_output(std::string_view output);

/// `TARGET: getaddrinfo: glibc loads NSS modules at run time even in a static binary; ...`
std::string nss_warning(const std::string& target, const std::string& function);

/// The error, naming the package to install, for each finding about a missing library or C
/// compiler; empty when there is none.
std::vector<std::string> missing_tool_errors(const std::string& target, const LinkFindings& f);

/// Whose fault a failed `go mod vendor` or toolchain download is, from what go printed.
enum class GoFailure {
  other,       ///< exit 1
  input,       ///< the module's own mistake (a replacement directory that does not exist, a
               ///< go.sum without the needed line): exit 2, retrying cannot help
  environment, ///< the proxy refused or could not be reached, lookups are off (GOPROXY=off),
               ///< the toolchain could not be downloaded, the disk is full: exit 3
};

GoFailure classify_go_failure(std::string_view output);

/// The exit code for a failure of that kind.
int exit_code_of(GoFailure f);

} // namespace gobuild
