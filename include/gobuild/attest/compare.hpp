#pragma once
// The reproducibility verdict (doc/build.md, reproducibility check): are two builds of one output the same bytes, and if
// not, where do they differ and why, most likely.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gobuild/binary/info.hpp"
#include "gobuild/binary/source.hpp"

namespace gobuild {

struct ReproDiff {
  bool identical = true;
  std::uint64_t size_a = 0, size_b = 0;
  std::uint64_t first_offset = 0;          ///< first differing byte (valid when !identical)
  std::string where;                       ///< "section .rodata (segment 2, PT_LOAD)" or "file offset 0x..."
  std::vector<std::string> buildinfo_diff; ///< "- build -trimpath=true" / "+ build ..." lines
  std::vector<std::string> likely_causes;
};

/// Compares the files at a and b byte for byte (streaming) and, when they differ, locates the
/// first difference in ELF terms and compares their Go build info.
/// Throws UsageError when a file cannot be read.
ReproDiff compare_builds(const std::string& a, const std::string& b);

/// The --check-reproducible verdict of one output as the report prints it (no `gobuild:`
/// prefix: these lines belong to the report, on stdout): `PATH: reproducible: sha256:A`, or
/// `PATH: not reproducible: sha256:A then sha256:B; first difference at WHERE` followed by the
/// build-info lines that differ (`  - ...`, `  + ...`) and `  likely cause: ...` lines.
std::vector<std::string> verdict_lines(const std::string& path, const std::string& sha_a,
                                       const std::string& sha_b, const ReproDiff& d);

/// Where offset `off` (the first byte that differs) lies in ELF file a, for the verdict:
/// "section .rodata (file offset 0x1234), segment 2 PT_LOAD"; in the headers,
/// "program header 3 (PT_LOAD) (file offset 0x108), segment 1 PT_LOAD; first differing section
/// .gopclntab: 0x1000 bytes, then 0x1010" (the section whose bytes moved the header, matched by
/// name in b); "file offset 0x..." for a file that is not ELF.
std::string describe_difference(const ByteSource& a, const ByteSource& b, std::uint64_t off);

/// The build-info lines that differ, `- ` for a only and `+ ` for b only, in a's order then b's.
std::vector<std::string> diff_buildinfo(const std::optional<GoBuildInfo>& a, const std::optional<GoBuildInfo>& b);

/// Guesses at the cause from the first build's info and the differences.
std::vector<std::string> guess_causes(const std::optional<GoBuildInfo>& a, const std::vector<std::string>& diff,
                                      const std::string& where);

} // namespace gobuild
