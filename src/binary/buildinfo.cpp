// The Go build info reader. The layout is the one cmd/link writes and debug/buildinfo reads:
//
//   header (32 bytes, 16-byte aligned): "\xff Go buildinf:" | ptrsize u8 | flags u8 | 16 bytes
//   flags & 2 (Go 1.18+): uvarint-prefixed version, then uvarint-prefixed modinfo, inline;
//   otherwise: two target-size pointers to Go string headers {data ptr, len}.
//
// The modinfo is framed by two 16-byte sentinels and holds tab-separated lines that
// runtime/debug.ParseBuildInfo reads; parse_modinfo follows its rules, including the
// strconv.Unquote syntax of quoted build settings.
#include "gobuild/binary/buildinfo.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace gobuild {
namespace {

constexpr char kMagic[] = "\xff Go buildinf:";
constexpr std::size_t kMagicLen = 14;
constexpr std::uint64_t kHeaderSize = 32;
constexpr std::uint64_t kAlign = 16;

// Go 1.26's debug/buildinfo searches the whole range (in 1 MiB chunks); Go 1.18-1.21 read only
// its first 64 KiB. The linker puts the header at the very start of .go.buildinfo or of the
// data segment, so we search like Go 1.26 but stop after 64 MiB: a hostile or merely huge
// non-Go file cannot make us read more than that.
constexpr std::uint64_t kMaxSearch = 64u << 20;
constexpr std::size_t kSearchChunk = 64u << 10; // a multiple of kAlign

// Sane caps on the strings: real versions are ~10-100 bytes, modinfo a few KiB to a few MiB.
constexpr std::uint64_t kMaxVersion = 4096;
constexpr std::uint64_t kMaxModinfo = 16u << 20;

[[noreturn]] void fail(const std::string& why) { throw ParseError("Go build info: " + why); }

/// Reads a Go string of at most `cap` bytes at file offset `off`, `avail` bytes being readable.
std::string read_string(const ByteSource& src, std::uint64_t off, std::uint64_t avail, std::uint64_t len,
                        std::uint64_t cap, const char* what) {
  if (len > cap) fail(std::string(what) + " too long (" + std::to_string(len) + " bytes)");
  if (len > avail) fail(std::string(what) + " runs past the end of the data");
  std::string s(static_cast<std::size_t>(len), '\0');
  src.read(off, s.data(), s.size(), "Go build info");
  return s;
}

/// Decodes an unsigned LEB128 varint as encoding/binary.Uvarint does: at most 10 bytes, the
/// 10th at most 1. Returns the number of bytes used, 0 when malformed or cut short.
std::size_t uvarint(const std::uint8_t* p, std::size_t n, std::uint64_t& out) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n && i < 10; ++i) {
    std::uint8_t b = p[i];
    if (b < 0x80) {
      if (i == 9 && b > 1) return 0; // overflows 64 bits
      out = v | std::uint64_t(b) << (7 * i);
      return i + 1;
    }
    v |= std::uint64_t(b & 0x7f) << (7 * i);
  }
  return 0;
}

/// Finds the 16-byte-aligned magic in [data_off, limit); returns its file offset. `end` is
/// where the range's file bytes end (limit <= end).
std::optional<std::uint64_t> search_magic(const ExeView& v, std::uint64_t limit, std::uint64_t end) {
  const ByteSource& src = *v.src;
  // The first aligned position, counted from data_addr as the loader would place it.
  std::uint64_t skip = (kAlign - v.data_addr % kAlign) % kAlign;
  std::uint64_t pos = v.data_off + skip;
  if (skip >= v.data_len) return std::nullopt;
  std::vector<std::uint8_t> buf;
  while (pos < limit) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kSearchChunk, limit - pos));
    buf.resize(n);
    src.read(pos, buf.data(), n, "Go build info");
    for (std::size_t i = 0; i + kMagicLen <= n; i += kAlign) {
      if (std::memcmp(buf.data() + i, kMagic, kMagicLen) != 0) continue;
      // Like Go: a magic without room for the whole header means "not a Go binary".
      if (end - (pos + i) < kHeaderSize) return std::nullopt;
      return pos + i;
    }
    pos += n;
  }
  return std::nullopt;
}

/// Pre-1.18 format: reads the Go string header {ptr, len} at `addr` and then its bytes.
std::string read_pointed_string(const ExeView& v, std::uint64_t addr, unsigned ptr_size, bool big,
                                std::uint64_t cap, const char* what) {
  auto load_ptr = [&](const std::uint8_t* p) {
    return ptr_size == 8 ? load64(p, big) : std::uint64_t(load32(p, big));
  };
  std::uint64_t avail = 0;
  auto off = v.addr_to_off(addr, avail);
  if (!off || avail < 2 * ptr_size)
    fail(std::string(what) + " header at address " + std::to_string(addr) + " is not in the file");
  std::array<std::uint8_t, 16> hdr{};
  v.src->read(*off, hdr.data(), 2 * ptr_size, "Go build info");
  std::uint64_t data = load_ptr(hdr.data()), len = load_ptr(hdr.data() + ptr_size);
  if (len == 0) return {}; // an empty string may have any pointer (often nil)
  auto doff = v.addr_to_off(data, avail);
  if (!doff) fail(std::string(what) + " at address " + std::to_string(data) + " is not in the file");
  return read_string(*v.src, *doff, avail, len, cap, what);
}

// ---- strconv.Unquote, as far as ParseBuildInfo uses it (double quotes and backquotes) ----

void append_utf8(std::string& out, std::uint32_t r) {
  if (r < 0x80) {
    out += char(r);
  } else if (r < 0x800) {
    out += char(0xc0 | r >> 6);
    out += char(0x80 | (r & 0x3f));
  } else if (r < 0x10000) {
    out += char(0xe0 | r >> 12);
    out += char(0x80 | (r >> 6 & 0x3f));
    out += char(0x80 | (r & 0x3f));
  } else {
    out += char(0xf0 | r >> 18);
    out += char(0x80 | (r >> 12 & 0x3f));
    out += char(0x80 | (r >> 6 & 0x3f));
    out += char(0x80 | (r & 0x3f));
  }
}

/// Decodes one UTF-8 sequence the way Go's utf8.DecodeRune does: overlong forms, surrogates
/// and values above U+10FFFF are invalid; an invalid sequence is U+FFFD of length 1.
std::uint32_t decode_utf8(std::string_view s, std::size_t& len) {
  auto b = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
  auto cont = [&](std::size_t i) { return i < s.size() && (b(i) & 0xc0) == 0x80; };
  std::uint8_t c = b(0);
  len = 1;
  if (c < 0x80) return c;
  std::uint32_t r;
  std::size_t n;
  if (c >= 0xc2 && c <= 0xdf) { r = c & 0x1f; n = 2; }
  else if (c >= 0xe0 && c <= 0xef) { r = c & 0x0f; n = 3; }
  else if (c >= 0xf0 && c <= 0xf4) { r = c & 0x07; n = 4; }
  else return 0xfffd;
  for (std::size_t i = 1; i < n; ++i) {
    if (!cont(i)) return 0xfffd;
    r = r << 6 | (b(i) & 0x3f);
  }
  if ((n == 3 && r < 0x800) || (n == 4 && (r < 0x10000 || r > 0x10ffff)) || (r >= 0xd800 && r <= 0xdfff))
    return 0xfffd;
  len = n;
  return r;
}

int unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Parses the quoted string at the start of `in` (which starts with '"' or '`'). On success
/// returns true, sets `out` to the unquoted value and `used` to the length of the literal.
bool unquote_prefix(std::string_view in, std::string& out, std::size_t& used) {
  out.clear();
  if (in.size() < 2) return false;
  char q = in[0];
  if (q == '`') {
    std::size_t end = in.find('`', 1);
    if (end == std::string_view::npos) return false;
    for (std::size_t i = 1; i < end; ++i)
      if (in[i] != '\r') out += in[i]; // raw strings drop carriage returns
    used = end + 1;
    return true;
  }
  if (q != '"') return false;
  std::size_t i = 1;
  while (i < in.size() && in[i] != '"') {
    char c = in[i];
    if (c == '\n') return false;
    if (static_cast<unsigned char>(c) >= 0x80) {
      std::size_t n;
      append_utf8(out, decode_utf8(in.substr(i), n));
      i += n;
      continue;
    }
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 >= in.size()) return false;
    char e = in[i + 1];
    i += 2;
    switch (e) {
    case 'a': out += '\a'; break;
    case 'b': out += '\b'; break;
    case 'f': out += '\f'; break;
    case 'n': out += '\n'; break;
    case 'r': out += '\r'; break;
    case 't': out += '\t'; break;
    case 'v': out += '\v'; break;
    case '\\': out += '\\'; break;
    case '"': out += '"'; break;
    case 'x': case 'u': case 'U': {
      std::size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (in.size() - i < n) return false;
      std::uint32_t v = 0;
      for (std::size_t j = 0; j < n; ++j) {
        int h = unhex(in[i + j]);
        if (h < 0) return false;
        v = v << 4 | std::uint32_t(h);
      }
      i += n;
      if (e == 'x') {
        out += char(v); // a single byte, possibly not UTF-8
      } else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return false;
        append_utf8(out, v);
      }
      break;
    }
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
      std::uint32_t v = std::uint32_t(e - '0');
      if (in.size() - i < 2) return false;
      for (std::size_t j = 0; j < 2; ++j) {
        char d = in[i + j];
        if (d < '0' || d > '7') return false;
        v = v << 3 | std::uint32_t(d - '0');
      }
      i += 2;
      if (v > 255) return false;
      out += char(v);
      break;
    }
    default:
      return false; // includes \' inside a double-quoted string
    }
  }
  if (i >= in.size()) return false;
  used = i + 1;
  return true;
}

/// strconv.Unquote: the whole of `in` must be one literal.
bool unquote(std::string_view in, std::string& out) {
  std::size_t used = 0;
  return unquote_prefix(in, out, used) && used == in.size();
}

bool needs_quoted_key(std::string_view k) { return k.empty() || k.find_first_of("= \t\r\n\"`") != k.npos; }
bool needs_quoted_value(std::string_view v) { return v.find_first_of(" \t\r\n\"`") != v.npos; }

std::vector<std::string_view> split_tabs(std::string_view s) {
  std::vector<std::string_view> out;
  for (;;) {
    std::size_t t = s.find('\t');
    out.push_back(s.substr(0, t));
    if (t == s.npos) return out;
    s.remove_prefix(t + 1);
  }
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

} // namespace

std::optional<GoBuildInfo> read_go_buildinfo(const ExeView& v) {
  if (!v.src || v.data_len == 0 || !v.src->contains(v.data_off, 0)) return std::nullopt;
  const ByteSource& src = *v.src;
  // The part of the range that is in the file, capped at kMaxSearch for the search.
  std::uint64_t end = v.data_off + std::min(v.data_len, src.size() - v.data_off);
  auto found = search_magic(v, v.data_off + std::min(kMaxSearch, end - v.data_off), end);
  if (!found) return std::nullopt;

  std::uint64_t at = *found;
  std::array<std::uint8_t, kHeaderSize> hdr{};
  src.read(at, hdr.data(), hdr.size(), "Go build info header");
  unsigned ptr_size = hdr[14];
  std::uint8_t flags = hdr[15];

  GoBuildInfo info;
  std::string mod;
  if (flags & 0x2) {
    // Go 1.18+: two uvarint-prefixed strings right after the header, inside the range.
    std::uint64_t pos = at + kHeaderSize;
    auto next = [&](std::uint64_t cap, const char* what) {
      std::array<std::uint8_t, 10> b{};
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(b.size(), end - pos));
      src.read(pos, b.data(), n, "Go build info");
      std::uint64_t len = 0;
      std::size_t used = uvarint(b.data(), n, len);
      if (used == 0) fail(std::string("malformed ") + what + " length");
      pos += used;
      std::string s = read_string(src, pos, end - pos, len, cap, what);
      pos += len;
      return s;
    };
    info.version = next(kMaxVersion, "version");
    mod = next(kMaxModinfo, "modinfo");
  } else {
    // Before Go 1.18: pointers to Go string headers, in the byte order of flags bit 0.
    if (ptr_size != 4 && ptr_size != 8) fail("unsupported pointer size " + std::to_string(ptr_size));
    if (!v.addr_to_off) fail("pointer format needs an address map");
    bool big = flags & 0x1;
    auto ptr = [&](std::size_t o) { return ptr_size == 8 ? load64(&hdr[o], big) : std::uint64_t(load32(&hdr[o], big)); };
    info.version = read_pointed_string(v, ptr(16), ptr_size, big, kMaxVersion, "version");
    mod = read_pointed_string(v, ptr(16 + ptr_size), ptr_size, big, kMaxModinfo, "modinfo");
  }
  if (info.version.empty()) fail("empty version");
  // Strip the 16-byte sentinels around the modinfo; without them Go ignores the modinfo.
  if (mod.size() >= 33 && mod[mod.size() - 17] == '\n')
    parse_modinfo(std::string_view(mod).substr(16, mod.size() - 32), info);
  return info;
}

void parse_modinfo(std::string_view text, GoBuildInfo& info) {
  int line_no = 1;
  auto bad = [&](const std::string& why) {
    throw ParseError("Go build info line " + std::to_string(line_no) + ": " + why);
  };
  auto module = [&](std::string_view rest) {
    auto cols = split_tabs(rest);
    if (cols.size() != 2 && cols.size() != 3)
      bad("expected 2 or 3 columns; got " + std::to_string(cols.size()));
    return GoModule{std::string(cols[0]), std::string(cols[1]), cols.size() == 3 ? std::string(cols[2]) : ""};
  };
  GoDep* last = nullptr; // the module a `=>` line replaces
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    if (nl == text.npos) break; // like Go, a last line without a newline is ignored
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    if (starts_with(line, "path\t")) {
      info.path = std::string(line.substr(5));
    } else if (starts_with(line, "mod\t")) {
      info.main = GoDep{module(line.substr(4)), std::nullopt};
      last = &*info.main;
    } else if (starts_with(line, "dep\t")) {
      info.deps.push_back(GoDep{module(line.substr(4)), std::nullopt});
      last = &info.deps.back();
    } else if (starts_with(line, "=>\t")) {
      auto cols = split_tabs(line.substr(3));
      if (cols.size() != 3) bad("expected 3 columns for replacement; got " + std::to_string(cols.size()));
      if (!last) bad("replacement with no module on previous line");
      last->replace = GoModule{std::string(cols[0]), std::string(cols[1]), std::string(cols[2])};
      last = nullptr;
    } else if (starts_with(line, "build\t")) {
      std::string_view kv = line.substr(6);
      if (kv.empty()) bad("build line missing '='");
      std::string key, value;
      std::string_view raw_value;
      if (kv[0] == '=') bad("build line with missing key");
      if (kv[0] == '"' || kv[0] == '`') {
        std::size_t used = 0;
        if (!unquote_prefix(kv, key, used)) bad("invalid quoted key in build line");
        if (used == kv.size()) bad("build line missing '=' after quoted key");
        if (kv[used] != '=') bad("unexpected character after quoted key");
        raw_value = kv.substr(used + 1);
      } else {
        std::size_t eq = kv.find('=');
        if (eq == kv.npos) bad("build line missing '=' after key");
        key = std::string(kv.substr(0, eq));
        if (needs_quoted_key(key)) bad("unquoted key must be quoted: " + key);
        raw_value = kv.substr(eq + 1);
      }
      if (!raw_value.empty() && (raw_value[0] == '"' || raw_value[0] == '`')) {
        if (!unquote(raw_value, value)) bad("invalid quoted value in build line");
      } else {
        value = std::string(raw_value);
        if (needs_quoted_value(value)) bad("unquoted value must be quoted: " + value);
      }
      info.settings.emplace_back(std::move(key), std::move(value));
    }
    ++line_no;
  }
}

std::string find_go_build_id_in_text(const ByteSource& src, std::uint64_t off, std::uint64_t len) {
  // `go tool buildid` looks only at the first 32 KiB for this marker.
  constexpr std::uint64_t kWindow = 32u << 10;
  if (off >= src.size()) return {};
  std::uint64_t n = std::min({len, kWindow, src.size() - off});
  auto buf = src.read_vec(off, static_cast<std::size_t>(n), "Go build ID");
  std::string_view data(reinterpret_cast<const char*>(buf.data()), buf.size());
  constexpr std::string_view prefix("\xff Go build ID: \"", 16), suffix("\"\n \xff", 4);
  std::size_t i = data.find(prefix);
  if (i == data.npos) return {};
  std::size_t j = data.find(suffix, i + prefix.size());
  if (j == data.npos) return {};
  // The ID is a Go-quoted string: the quote that ends the prefix through the one that starts
  // the suffix. A literal that does not unquote is treated as no ID.
  std::string id;
  if (!unquote(data.substr(i + prefix.size() - 1, j - i - prefix.size() + 2), id)) return {};
  return id;
}

} // namespace gobuild
