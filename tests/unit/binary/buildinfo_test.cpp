#include "gobuild/binary/buildinfo.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "elf_builder.hpp"

namespace gobuild {
namespace {

using test::Bytes;
using test::framed_modinfo;
using test::inline_buildinfo;

/// A view of the whole buffer, placed at virtual address `addr`, with an identity-like map.
struct Blob {
  std::vector<std::uint8_t> bytes;
  std::uint64_t addr = 0x10000;
  MemorySource src{bytes};

  explicit Blob(std::vector<std::uint8_t> b, std::uint64_t a = 0x10000) : bytes(std::move(b)), addr(a), src(bytes) {}
  ExeView view(std::uint64_t off = 0, std::uint64_t len = ~std::uint64_t(0)) const {
    ExeView v;
    v.src = &src;
    v.data_off = off;
    v.data_len = len == ~std::uint64_t(0) ? bytes.size() - off : len;
    v.data_addr = addr + off;
    std::uint64_t base = addr, size = bytes.size();
    v.addr_to_off = [base, size](std::uint64_t a, std::uint64_t& avail) -> std::optional<std::uint64_t> {
      if (a < base || a - base >= size) return std::nullopt;
      avail = size - (a - base);
      return a - base;
    };
    return v;
  }
};

std::string error_of(const ExeView& v) {
  try {
    read_go_buildinfo(v);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string parse_error(std::string_view text) {
  GoBuildInfo info;
  try {
    parse_modinfo(text, info);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<std::uint8_t> cat(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const std::string kMod = "path\texample.com/hello\n"
                         "mod\texample.com/hello\t(devel)\t\n"
                         "dep\tgolang.org/x/sys\tv0.20.0\th1:abc=\n"
                         "dep\tgolang.org/x/text\tv0.14.0\th1:def=\n"
                         "=>\t../text\t(devel)\t\n"
                         "build\t-buildmode=exe\n"
                         "build\t-ldflags=\"-s -w\"\n"
                         "build\tCGO_ENABLED=0\n";

TEST_CASE("inline (Go 1.18+) build info") {
  Blob b(inline_buildinfo("go1.26.8", framed_modinfo(kMod)));
  auto info = read_go_buildinfo(b.view());
  REQUIRE(info);
  CHECK(info->version == "go1.26.8");
  CHECK(info->path == "example.com/hello");
  REQUIRE(info->main);
  CHECK(info->main->mod.path == "example.com/hello");
  CHECK(info->main->mod.version == "(devel)");
  CHECK(info->main->mod.sum == "");
  REQUIRE(info->deps.size() == 2);
  CHECK(info->deps[0].mod.path == "golang.org/x/sys");
  CHECK(info->deps[0].mod.sum == "h1:abc=");
  CHECK_FALSE(info->deps[0].replace);
  REQUIRE(info->deps[1].replace);
  CHECK(info->deps[1].replace->path == "../text");
  CHECK(info->deps[1].replace->version == "(devel)");
  REQUIRE(info->settings.size() == 3);
  CHECK(*info->setting("-ldflags") == "-s -w");
  CHECK(*info->setting("CGO_ENABLED") == "0");
  CHECK(info->setting("GOOS") == nullptr);
}

TEST_CASE("searching for the header") {
  auto blob = inline_buildinfo("go1.26.8", framed_modinfo(kMod));
  SUBCASE("no magic: not Go") {
    Blob b(std::vector<std::uint8_t>(4096, 0));
    CHECK_FALSE(read_go_buildinfo(b.view()));
  }
  SUBCASE("empty or missing range") {
    Blob b(blob);
    CHECK_FALSE(read_go_buildinfo(b.view(0, 0)));
    CHECK_FALSE(read_go_buildinfo(ExeView{}));
    ExeView v = b.view();
    v.data_off = 1u << 30; // past the end of the file
    CHECK_FALSE(read_go_buildinfo(v));
  }
  SUBCASE("found after other data, at a 16-byte boundary") {
    Blob b(cat(std::vector<std::uint8_t>(48, 'x'), blob));
    CHECK(read_go_buildinfo(b.view())->version == "go1.26.8");
  }
  SUBCASE("a misaligned magic is skipped") {
    Blob b(cat(std::vector<std::uint8_t>(8, 'x'), blob));
    CHECK_FALSE(read_go_buildinfo(b.view()));
  }
  SUBCASE("alignment counts from data_addr, not from the file offset") {
    Blob b(cat(std::vector<std::uint8_t>(8, 'x'), blob), 0x10008);
    CHECK(read_go_buildinfo(b.view())->version == "go1.26.8");
  }
  SUBCASE("the range limits the search") {
    Blob b(cat(std::vector<std::uint8_t>(64, 'x'), blob));
    CHECK_FALSE(read_go_buildinfo(b.view(0, 64)));
    CHECK(read_go_buildinfo(b.view(64))->version == "go1.26.8");
  }
  SUBCASE("a magic without room for the 32-byte header is not Go") {
    Blob b(std::vector<std::uint8_t>(blob.begin(), blob.begin() + 31));
    CHECK_FALSE(read_go_buildinfo(b.view()));
  }
  SUBCASE("a range longer than the file is cut at the end of the file") {
    Blob b(blob);
    CHECK(read_go_buildinfo(b.view(0, 1u << 30))->version == "go1.26.8");
  }
  SUBCASE("beyond the first search chunk") {
    Blob b(cat(std::vector<std::uint8_t>(200000, 0), blob));
    CHECK(read_go_buildinfo(b.view())->version == "go1.26.8");
  }
}

TEST_CASE("malformed inline build info") {
  Bytes hdr;
  hdr.str("\xff Go buildinf:").u8(8).u8(2).zeros(16);
  auto with = [&](const std::vector<std::uint8_t>& tail) { return Blob(cat(hdr.v, tail)); };
  SUBCASE("a varint longer than 10 bytes") {
    auto b = with(std::vector<std::uint8_t>(11, 0xff));
    CHECK(error_of(b.view()) == "Go build info: malformed version length");
  }
  SUBCASE("a varint that overflows 64 bits in its 10th byte") {
    std::vector<std::uint8_t> v(9, 0xff);
    v.push_back(0x02);
    auto b = with(v);
    CHECK(error_of(b.view()) == "Go build info: malformed version length");
  }
  SUBCASE("a varint cut by the end of the data") {
    auto b = with({0x80, 0x80});
    CHECK(error_of(b.view()) == "Go build info: malformed version length");
    auto none = with({});
    CHECK(error_of(none.view()) == "Go build info: malformed version length");
  }
  SUBCASE("a length past the end") {
    Bytes t;
    t.uvarint(100).str("go1.26");
    auto b = with(t.v);
    CHECK(error_of(b.view()) == "Go build info: version runs past the end of the data");
  }
  SUBCASE("a huge length") {
    Bytes t;
    t.uvarint(~std::uint64_t(0));
    auto b = with(t.v);
    CHECK(error_of(b.view()) == "Go build info: version too long (18446744073709551615 bytes)");
    Bytes m;
    m.uvarint(8).str("go1.26.8").uvarint(std::uint64_t(1) << 40);
    auto c = with(m.v);
    CHECK(error_of(c.view()) == "Go build info: modinfo too long (1099511627776 bytes)");
  }
  SUBCASE("the strings must lie inside the range") {
    Blob b(inline_buildinfo("go1.26.8", ""));
    CHECK(error_of(b.view(0, 36)) == "Go build info: version runs past the end of the data");
  }
  SUBCASE("an empty version") {
    Bytes t;
    t.uvarint(0).uvarint(0);
    auto b = with(t.v);
    CHECK(error_of(b.view()) == "Go build info: empty version");
  }
}

TEST_CASE("modinfo framing: the 16-byte sentinels") {
  SUBCASE("stripped when present") {
    Blob b(inline_buildinfo("go1.26.8", framed_modinfo("path\tp\n")));
    CHECK(read_go_buildinfo(b.view())->path == "p");
  }
  SUBCASE("without the newline before the end sentinel, the modinfo is ignored (as Go does)") {
    std::string m = framed_modinfo("path\tp");
    Blob b(inline_buildinfo("go1.26.8", m));
    auto info = read_go_buildinfo(b.view());
    REQUIRE(info);
    CHECK(info->version == "go1.26.8");
    CHECK(info->path == "");
  }
  SUBCASE("too short to hold the sentinels") {
    Blob b(inline_buildinfo("go1.26.8", "path\tp\n"));
    CHECK(read_go_buildinfo(b.view())->path == "");
  }
  SUBCASE("a malformed line is an error") {
    Blob b(inline_buildinfo("go1.26.8", framed_modinfo("path\tp\nmod\tonly-one\n")));
    CHECK(error_of(b.view()) == "Go build info line 2: expected 2 or 3 columns; got 1");
  }
}

TEST_CASE("pre-1.18 pointer format") {
  auto make = [](bool big, unsigned ptr) {
    std::string mod = framed_modinfo("path\told\n");
    Bytes b(big);
    b.str("\xff Go buildinf:").u8(ptr).u8(big ? 1 : 0);
    const std::uint64_t base = 0x10000;
    // header (32) | version string header at 32 | modinfo string header at 32+2*ptr | bytes
    std::uint64_t vers_hdr = base + 32, mod_hdr = vers_hdr + 2 * ptr;
    std::uint64_t vers_data = mod_hdr + 2 * ptr, mod_data = vers_data + 8;
    b.uint(vers_hdr, int(ptr)).uint(mod_hdr, int(ptr));
    b.zeros(32 - b.v.size());
    b.uint(vers_data, int(ptr)).uint(8, int(ptr)).uint(mod_data, int(ptr)).uint(mod.size(), int(ptr));
    b.str("go1.16.5").str(mod);
    return b.v;
  };
  for (bool big : {false, true}) {
    for (unsigned ptr : {4u, 8u}) {
      CAPTURE(big);
      CAPTURE(ptr);
      Blob b(make(big, ptr));
      auto info = read_go_buildinfo(b.view());
      REQUIRE(info);
      CHECK(info->version == "go1.16.5");
      CHECK(info->path == "old");
    }
  }
  SUBCASE("an unsupported pointer size") {
    auto v = make(false, 8);
    v[14] = 3;
    Blob b(v);
    CHECK(error_of(b.view()) == "Go build info: unsupported pointer size 3");
  }
  SUBCASE("no address map") {
    Blob b(make(false, 8));
    ExeView v = b.view();
    v.addr_to_off = nullptr;
    CHECK(error_of(v) == "Go build info: pointer format needs an address map");
  }
  SUBCASE("pointers outside the file") {
    auto v = make(false, 8);
    v[16 + 3] = 0x7f; // the version string header pointer
    Blob b(v);
    CHECK(error_of(b.view()) == "Go build info: version header at address 2130772000 is not in the file");
    auto w = make(false, 8);
    w[32 + 3] = 0x7f; // the version bytes pointer
    Blob c(w);
    CHECK(error_of(c.view()) == "Go build info: version at address 2130772032 is not in the file");
  }
  SUBCASE("a string length past the mapped bytes") {
    auto v = make(false, 4);
    v[32 + 4 + 1] = 0x01; // version length 0x108
    Blob b(v);
    CHECK(error_of(b.view()) == "Go build info: version runs past the end of the data");
  }
  SUBCASE("an empty modinfo may have a nil pointer") {
    auto v = make(true, 4);
    for (int i = 0; i < 8; ++i) v[32 + 8 + i] = 0; // modinfo {nil, 0}
    Blob b(v);
    auto info = read_go_buildinfo(b.view());
    REQUIRE(info);
    CHECK(info->path == "");
  }
}

TEST_CASE("parse_modinfo: module lines and replacements") {
  GoBuildInfo info;
  parse_modinfo("path\tcmd/x\n"
                "mod\tex.com/m\tv1.2.3\th1:m=\n"
                "=>\tex.com/fork\tv1.2.4\th1:f=\n"
                "dep\tex.com/a\tv0.1.0\n"
                "go\tignored\n"
                "dep\tex.com/b\tv0.2.0\th1:b=\n"
                "=>\t./local\t(devel)\t\n",
                info);
  CHECK(info.path == "cmd/x");
  REQUIRE(info.main);
  CHECK(info.main->replace->path == "ex.com/fork");
  CHECK(info.main->replace->sum == "h1:f=");
  REQUIRE(info.deps.size() == 2);
  CHECK(info.deps[0].mod.version == "v0.1.0");
  CHECK(info.deps[0].mod.sum == "");
  CHECK_FALSE(info.deps[0].replace);
  CHECK(info.deps[1].replace->path == "./local");
  CHECK(info.deps[1].replace->sum == "");
}

TEST_CASE("parse_modinfo: a last line without a newline is ignored, as Go does") {
  GoBuildInfo info;
  parse_modinfo("path\ta\nbuild\tK=V", info);
  CHECK(info.path == "a");
  CHECK(info.settings.empty());
}

TEST_CASE("parse_modinfo: quoted build settings unquote like strconv.Unquote") {
  GoBuildInfo info;
  parse_modinfo("build\t-ldflags=\"-X main.v=1 -s\"\n"
                "build\t\"key with space\"=plain\n"
                "build\t`raw\\n`=`a\r\"b`\n"
                "build\tesc=\"\\x41\\101\\u00e9\\U0001F600\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\"\n"
                "build\tbyte=\"\\xff\"\n"
                "build\tbad-utf8=\"a\\n\xff\"\n"
                "build\tempty=\n"
                "build\tq=\"\"\n"
                "build\teq=a=b\n",
                info);
  REQUIRE(info.settings.size() == 9);
  CHECK(info.settings[0] == std::pair<std::string, std::string>{"-ldflags", "-X main.v=1 -s"});
  CHECK(info.settings[1] == std::pair<std::string, std::string>{"key with space", "plain"});
  CHECK(info.settings[2] == std::pair<std::string, std::string>{"raw\\n", "a\"b"}); // raw: \r dropped
  CHECK(info.settings[3].second == "AA\xc3\xa9\xf0\x9f\x98\x80\a\b\f\n\r\t\v\\\"");
  CHECK(info.settings[4].second == "\xff");
  CHECK(info.settings[5].second == "a\n\xef\xbf\xbd"); // invalid UTF-8 becomes U+FFFD
  CHECK(info.settings[6].second == "");
  CHECK(info.settings[7].second == "");
  CHECK(info.settings[8] == std::pair<std::string, std::string>{"eq", "a=b"});
}

TEST_CASE("parse_modinfo: errors name the line and the reason, as runtime/debug does") {
  CHECK(parse_error("mod\ta\tb\tc\td\n") == "Go build info line 1: expected 2 or 3 columns; got 4");
  CHECK(parse_error("path\tp\ndep\ta\n") == "Go build info line 2: expected 2 or 3 columns; got 1");
  CHECK(parse_error("=>\ta\tb\n") == "Go build info line 1: expected 3 columns for replacement; got 2");
  CHECK(parse_error("=>\ta\tb\tc\n") == "Go build info line 1: replacement with no module on previous line");
  CHECK(parse_error("dep\ta\tv1\n=>\tb\tv2\t\n=>\tc\tv3\t\n") ==
        "Go build info line 3: replacement with no module on previous line");
  CHECK(parse_error("build\t\n") == "Go build info line 1: build line missing '='");
  CHECK(parse_error("build\t=v\n") == "Go build info line 1: build line with missing key");
  CHECK(parse_error("build\t\"k\n") == "Go build info line 1: invalid quoted key in build line");
  CHECK(parse_error("build\t\"k\"\n") == "Go build info line 1: build line missing '=' after quoted key");
  CHECK(parse_error("build\t\"k\"x=1\n") == "Go build info line 1: unexpected character after quoted key");
  CHECK(parse_error("build\tnoequals\n") == "Go build info line 1: build line missing '=' after key");
  CHECK(parse_error("build\ta b=c\n") == "Go build info line 1: unquoted key must be quoted: a b");
  CHECK(parse_error("build\tk=a b\n") == "Go build info line 1: unquoted value must be quoted: a b");
  CHECK(parse_error("build\tk=\"abc\n") == "Go build info line 1: invalid quoted value in build line");
  CHECK(parse_error("build\tk=\"a\"b\n") == "Go build info line 1: invalid quoted value in build line");
  CHECK(parse_error("build\tk=\"\\q\"\n") == "Go build info line 1: invalid quoted value in build line");
  CHECK(parse_error("build\tk=\"\\'\"\n") == "Go build info line 1: invalid quoted value in build line");
  CHECK(parse_error("build\tk=\"\\x4\"\n") == "Go build info line 1: invalid quoted value in build line");
  CHECK(parse_error("build\tk=\"\\400\"\n") == "Go build info line 1: invalid quoted value in build line");
  CHECK(parse_error("build\tk=\"\\ud800\"\n") == "Go build info line 1: invalid quoted value in build line");
  CHECK(parse_error("build\tk=\"\\U00110000\"\n") == "Go build info line 1: invalid quoted value in build line");
  CHECK(parse_error("build\tk=`abc\n") == "Go build info line 1: invalid quoted value in build line");
  CHECK(parse_error("build\tk=\"abc\\\"\n") == "Go build info line 1: invalid quoted value in build line");
}

TEST_CASE("find_go_build_id_in_text") {
  auto src_of = [](const std::string& s) { return std::vector<std::uint8_t>(s.begin(), s.end()); };
  auto marker = [](const std::string& quoted) { return "\xff Go build ID: \"" + quoted + "\"\n \xff"; };
  SUBCASE("found after other bytes") {
    auto v = src_of(std::string(100, '\0') + marker("abc/def") + "rest");
    CHECK(find_go_build_id_in_text(MemorySource(v), 0, v.size()) == "abc/def");
    CHECK(find_go_build_id_in_text(MemorySource(v), 50, v.size()) == "abc/def");
  }
  SUBCASE("absent, or without its end") {
    auto none = src_of(std::string(100, 'x'));
    CHECK(find_go_build_id_in_text(MemorySource(none), 0, none.size()) == "");
    auto open = src_of("\xff Go build ID: \"abc/def");
    CHECK(find_go_build_id_in_text(MemorySource(open), 0, open.size()) == "");
  }
  SUBCASE("escapes in the ID are unquoted; a bad escape means no ID") {
    auto v = src_of(marker("a\\x2fb"));
    CHECK(find_go_build_id_in_text(MemorySource(v), 0, v.size()) == "a/b");
    auto bad = src_of(marker("a\\qb"));
    CHECK(find_go_build_id_in_text(MemorySource(bad), 0, bad.size()) == "");
  }
  SUBCASE("only the first 32 KiB of the range, and only inside the file") {
    auto far = src_of(std::string(32 * 1024, '\0') + marker("abc/def"));
    CHECK(find_go_build_id_in_text(MemorySource(far), 0, far.size()) == "");
    CHECK(find_go_build_id_in_text(MemorySource(far), 32 * 1024, far.size()) == "abc/def");
    CHECK(find_go_build_id_in_text(MemorySource(far), 32 * 1024, 10) == "");
    CHECK(find_go_build_id_in_text(MemorySource(far), far.size() + 1, 100) == "");
    CHECK(find_go_build_id_in_text(MemorySource(far), 32 * 1024, ~std::uint64_t(0)) == "abc/def");
  }
}


// Not a test: writes build info blobs into $GOBUILD_FUZZ_SEEDS/buildinfo as fuzzer seeds
// (fuzz/seeds.sh runs it with --no-skip). fuzz_buildinfo maps address A to file offset A.
TEST_CASE("fuzz seeds: build info" * doctest::skip()) {
  const char* dir = std::getenv("GOBUILD_FUZZ_SEEDS");
  if (!dir) return;
  std::vector<std::vector<std::uint8_t>> seeds;
  seeds.push_back(inline_buildinfo("go1.26.8", framed_modinfo(kMod)));
  seeds.push_back(inline_buildinfo("go1.26.8", framed_modinfo("build\t\"k y\"=`a\\b`\nbuild\tq=\"\\x41\\u00e9\\101\"\n")));
  for (bool big : {false, true}) {
    Bytes b(big);
    std::string mod = framed_modinfo("path\told\n");
    b.str("\xff Go buildinf:").u8(8).u8(big ? 1 : 0).u64(32).u64(48).u64(64).u64(8).u64(72).u64(mod.size());
    b.str("go1.16.5").str(mod);
    seeds.push_back(b.v);
  }
  std::string text = std::string(64, '\0') + "\xff Go build ID: \"a/b\"\n \xff" + kMod;
  seeds.emplace_back(text.begin(), text.end());
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    std::ofstream out(std::string(dir) + "/buildinfo/hand-" + std::to_string(i), std::ios::binary);
    out.write(reinterpret_cast<const char*>(seeds[i].data()), std::streamsize(seeds[i].size()));
    CHECK(out.good());
  }
}

} // namespace
} // namespace gobuild
