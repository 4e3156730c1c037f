#pragma once
// When `go mod vendor` can be skipped.
//
// vendor/ is consistent, and the step is skipped, when both hold:
// 1. vendor/modules.txt lists exactly go.mod's requirements as `## explicit` modules, each at
//    the version go.mod requires: the check `go build -mod=vendor` itself makes;
// 2. vendor/.gobuild-stamp, written by gobuild after a successful `go mod vendor`, holds the
//    sha256 of the go.mod and go.sum that vendor/ was made from, so that any change to either
//    (a replace, a new sum) vendors again;
// 3. the stamp also holds the sha256 of every file in vendor/ (path and digest, sorted), and
//    vendor/ still holds exactly those files with those bytes: a vendored file edited, added or
//    deleted by hand (a whole module deleted) vendors again, since go.sum's digests stand for
//    what `go mod vendor` wrote, not for an edit.
// When in doubt (no stamp, unreadable files) gobuild vendors. A module without requirements
// needs no vendor/ at all: `go mod vendor` makes none ("no dependencies to vendor") and
// `go build -mod=vendor` builds it from the standard library alone.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gobuild {

using ModuleVersion = std::pair<std::string, std::string>; ///< path, version

/// The `require` lines of a go.mod (single and block form), in file order.
std::vector<ModuleVersion> gomod_requires(const std::string& gomod);

/// The toolchain a go.mod asks for: its `toolchain` line's version without "go"
/// ("toolchain go1.27.0" → "1.27.0"), else its `go` line's ("go 1.26" → "1.26"); `line` receives
/// "toolchain" or "go". nullopt when it has neither.
std::optional<std::string> gomod_toolchain_request(const std::string& gomod, std::string* line = nullptr);

/// The modules that vendor/modules.txt marks `## explicit`, in file order.
std::vector<ModuleVersion> modules_txt_explicit(const std::string& modules_txt);

/// The stamp's name in vendor/: never part of the tree it describes.
inline constexpr const char* kVendorStampName = ".gobuild-stamp";

/// One file below vendor/: its path relative to vendor/ and the sha256 of its bytes (a
/// symlink: "symlink:" and the sha256 of its target, never followed; a FIFO or a device:
/// "special", never opened).
struct VendorFile {
  std::string path;
  std::string sha256;
};
using VendorTree = std::vector<VendorFile>; ///< sorted by path

/// Every file below `vendor_dir` but the stamp, sorted; empty when there is no such directory.
VendorTree read_vendor_tree(const std::string& vendor_dir);

/// What differs between the tree `want` (what go mod vendor wrote) and `got` (what vendor/
/// holds), sorted by path: "modified vendor/P", "added vendor/P", "deleted vendor/P".
std::vector<std::string> vendor_differences(const VendorTree& want, const VendorTree& got);

/// The first few differences joined with ", ", and "and N more".
std::string describe_differences(const std::vector<std::string>& diffs);

/// The stamp for these go.mod and go.sum contents (go.sum may be absent) and this vendor/.
std::string vendor_stamp(const std::string& gomod, const std::optional<std::string>& gosum,
                         const VendorTree& tree);

/// The tree a stamp records; nullopt for a stamp that records none (an older gobuild's).
std::optional<VendorTree> stamp_tree(const std::string& stamp);

/// Why vendor/ is not consistent, or "" when it is. Pure: the file contents and the tree of
/// vendor/ are given (nullopt for a missing file).
std::string vendor_inconsistency(const std::string& gomod, const std::optional<std::string>& gosum,
                                 const std::optional<std::string>& modules_txt,
                                 const std::optional<std::string>& stamp, const VendorTree& tree);

/// Reads go.mod, go.sum, vendor/modules.txt, vendor/.gobuild-stamp and every file of vendor/
/// in `module_dir`.
/// A missing go.mod is a UsageError.
std::string check_vendor(const std::string& module_dir);

/// Writes vendor/.gobuild-stamp after a successful `go mod vendor` (not when the module has
/// no requirements and so no vendor/).
void write_vendor_stamp(const std::string& module_dir);

} // namespace gobuild
