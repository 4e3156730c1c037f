#pragma once
// The Go build info reader: the `\xff Go buildinf:` header, the Go 1.18+ inline format and the
// older pointer format, the modinfo framing, and the text lines (path, mod, dep, =>, build)
// with Go's quoting rules. Format-neutral: ELF, PE and Mach-O readers hand it an ExeView.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "gobuild/binary/info.hpp"
#include "gobuild/binary/source.hpp"

namespace gobuild {

/// What the build info reader needs from an executable format.
struct ExeView {
  const ByteSource* src = nullptr;
  /// File range to search for the 16-byte-aligned header: the `.go.buildinfo` section, or the
  /// first writable, non-executable segment (Go's own reader does the same). Alignment is
  /// counted from `data_addr`, the virtual address of `data_off`.
  std::uint64_t data_off = 0;
  std::uint64_t data_len = 0;
  std::uint64_t data_addr = 0;
  /// Maps a virtual address to a file offset, for the pre-1.18 pointer format; returns
  /// nullopt when the address is not backed by file bytes. `avail` receives how many
  /// bytes from there on are in the file.
  std::function<std::optional<std::uint64_t>(std::uint64_t addr, std::uint64_t& avail)> addr_to_off;
};

/// Reads the Go build info, or nullopt when the view has no build info header.
/// Throws ParseError when a header is there but malformed.
std::optional<GoBuildInfo> read_go_buildinfo(const ExeView& view);

/// Parses the modinfo text (the part between the 16-byte sentinels) into `info`'s path,
/// main, deps and settings. Throws ParseError on a malformed line.
void parse_modinfo(std::string_view text, GoBuildInfo& info);

/// Reads a Go build ID from the start of a text section (PE, Mach-O): the
/// `\xff Go build ID: "..."\n \xff` marker within the first bytes. Empty if none.
std::string find_go_build_id_in_text(const ByteSource& src, std::uint64_t off, std::uint64_t len);

} // namespace gobuild
