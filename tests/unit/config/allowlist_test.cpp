#include <doctest/doctest.h>

#include "gobuild/config/allowlist.hpp"

using namespace gobuild;

namespace {
using Words = std::vector<std::string>;

std::string msg(const std::optional<std::string>& p) { return p.value_or("(ok)"); }

/// The first problem of a list, "(ok)" when every word is allowed.
std::string words(WordList list, const Words& w, bool allow_cc = false) {
  auto p = check_words(list, w, WordRules{allow_cc});
  return p ? p->message : "(ok)";
}
std::string flag(const std::string& w) { return words(WordList::flags, {w}); }
std::string ld(const Words& w, bool allow_cc = false) { return words(WordList::ldflags, w, allow_cc); }
std::string extld(const std::string& w, bool allow_cc = false) {
  return words(WordList::extldflags, {w}, allow_cc);
}
std::string gc(const Words& w) { return words(WordList::gcflags, w); }
} // namespace

TEST_CASE("split_go_words splits as the go command does") {
  CHECK(try_split_go_words("-s  -w\t-X main.v=1") == std::optional<Words>(Words{"-s", "-w", "-X", "main.v=1"}));
  CHECK(try_split_go_words("-X 'main.v=a b' \"x'y\"") == std::optional<Words>(Words{"-X", "main.v=a b", "x'y"}));
  CHECK(try_split_go_words("'a'b") == std::optional<Words>(Words{"a", "b"})); // quotes end a word
  CHECK(try_split_go_words("mid'quote") == std::optional<Words>(Words{"mid'quote"}));
  CHECK(try_split_go_words("''") == std::optional<Words>(Words{""}));
  CHECK(try_split_go_words("  ") == std::optional<Words>(Words{}));
  CHECK_FALSE(try_split_go_words("-X 'main.v=1").has_value());
}

TEST_CASE("flags: allowed forms") {
  for (const char* ok : {"-race", "-msan", "-asan", "-cover", "-v", "-x", "-covermode=set",
                         "-covermode=count", "-coverpkg=./...", "-coverpkg=./a/...,example.com/b",
                         "-gcflags=all=-N -l", "-gcflags=", "-gcflags=-m=2", "-asmflags=-spectre=all",
                         "-gcflags=example.com/m/...='-N' -l", "-pgo=auto", "-pgo=off",
                         "-buildmode=exe", "-buildmode=pie", "-p=8", "-trimpath", "-trimpath=true",
                         "-buildvcs=false", "-buildvcs=true", "-mod=vendor", "-mod=readonly"}) {
    CAPTURE(std::string(ok));
    CHECK(flag(ok) == "(ok)");
  }
  CHECK(words(WordList::flags, {"-p", "4", "-gcflags", "all=-N -l", "-v"}) == "(ok)");
}

TEST_CASE("flags: refusals say why") {
  CHECK(flag("-exec=/bin/sh") == "flags: -exec runs a program of the config's choosing");
  CHECK(flag("-toolexec=/tmp/x") == "flags: -toolexec runs a program of the config's choosing");
  CHECK(flag("-overlay=o.json") == "flags: -overlay replaces source files with others");
  CHECK(flag("-modfile=other.mod") == "flags: -modfile replaces go.mod with another file");
  CHECK(flag("-o=x") == "flags: -o writes a file the config names (gobuild sets the output)");
  CHECK(flag("-a") == "flags: -a is set by gobuild; use the `rebuild_all` key");
  CHECK(flag("-tags=netgo") == "flags: -tags is set by gobuild; use the `tags` key");
  CHECK(flag("-ldflags=-s") ==
        "flags: -ldflags is set by gobuild; use the `ldflags`, `linkmode` and `extldflags` keys");
  CHECK(flag("-trimpath=false") == "flags: -trimpath=false: use the `trimpath` key to turn it off");
  CHECK(flag("-buildvcs=auto") == "flags: -buildvcs 'auto' is not one of true, false");
  CHECK(flag("-mod=mod") == "flags: -mod=mod may rewrite go.mod and go.sum");
  CHECK(flag("-mod") == "flags: -mod needs its value in the same item: -mod=VALUE");
  CHECK(flag("-work") == "flags: -work leaves the temporary work directory behind");
  CHECK(flag("-debug-actiongraph=/tmp/x") == "flags: -debug-actiongraph writes a file the config names");
  CHECK(flag("-linkshared") ==
        "flags: -linkshared links against shared libraries, so the output would not be static");
  CHECK(flag("--toolexec=x") == "flags: write '--toolexec=x' with one dash");
  CHECK(flag("race") == "flags: 'race' is not a flag; flags start with '-'");
  CHECK(flag("-race=true") == "flags: -race takes no value (write -race)");
  CHECK(flag("-p 4") == "flags: '-p 4' holds a space: give -p and its value as two items, or write -p=VALUE");
  CHECK(flag("-gcflags") ==
        "flags: -gcflags needs a value (write -gcflags=VALUE, or the value as the next item)");
  CHECK(flag("-pgo=") == "flags: -pgo '' reads a file the config names; put the profile at "
                         "default.pgo in the main package and use -pgo=auto");
  CHECK(flag("-pgo=/etc/passwd") == "flags: -pgo '/etc/passwd' reads a file the config names; put "
                                    "the profile at default.pgo in the main package and use -pgo=auto");
  CHECK(flag("-covermode=sometimes") == "flags: -covermode 'sometimes' is not one of set, count, atomic");
  CHECK(flag("-coverpkg=-o") == "flags: -coverpkg '-o' is not a list of package patterns");
  CHECK(flag("-buildmode=c-shared") ==
        "flags: -buildmode 'c-shared' is not one of exe, pie (gobuild builds executables)");
  CHECK(flag("-p=0") == "flags: -p '0' is not a positive number");
  CHECK(words(WordList::flags, {"-p", "-o"}) == "flags: -p '-o' is not a positive number");
  CHECK(flag("-compiler=gccgo") == "flags: -compiler selects another compiler; gobuild uses gc");
  CHECK(flag("-json") == "flags: -json writes files the config names");
  CHECK(flag("-installsuffix=x") ==
        "flags: '-installsuffix=x' is not allowed (allowed: -v, -x, -race, -msan, -asan, -cover, "
        "-trimpath, -covermode=set|count|atomic, -coverpkg=PATTERNS, -gcflags=FLAGS, "
        "-asmflags=FLAGS, -pgo=auto|off, -buildmode=exe|pie, -buildvcs=true|false, "
        "-mod=vendor|readonly, -p=N)");
}

TEST_CASE("flags: -gcflags and -asmflags values are checked word by word") {
  CHECK(flag("-gcflags=-o=/tmp/x") == "flags: -gcflags: -o writes a file the config names (gobuild sets the output)");
  CHECK(flag("-gcflags=all=-asmhdr=/tmp/x") == "flags: -gcflags: -asmhdr writes a file the config names");
  CHECK(flag("-gcflags=-N -cpuprofile /tmp/p") == "flags: -gcflags: -cpuprofile writes a file the config names");
  CHECK(flag("-gcflags=-d=ssa/check/on") ==
        "flags: -gcflags: -d=ssa/check/on is not allowed (only -d=checkptr[=N]; other debug "
        "settings can write files)");
  CHECK(flag("-gcflags=-importcfg=x") == "flags: -gcflags: -importcfg reads a file the config names");
  CHECK(flag("-gcflags=all=-N '-l") == "flags: -gcflags '-N '-l' has a quote that is not closed");
  CHECK(flag("-gcflags=a b=-N") == "flags: -gcflags: 'a b' is not a package pattern");
  CHECK(flag("-gcflags=std") == "flags: -gcflags 'std' is not [PATTERN=]FLAGS");
  CHECK(flag("-asmflags=-S") ==
        "flags: -asmflags: '-S' is not allowed (allowed: -spectre=all|ret)");
  CHECK(flag("-asmflags=-o=/tmp/x") ==
        "flags: -asmflags: -o writes a file the config names (gobuild sets the output)");
  CHECK(words(WordList::flags, {"-gcflags", "-trace=/tmp/t"}) ==
        "flags: -gcflags: -trace writes a file the config names");
  CHECK(gc({"-N", "-l", "-B", "-C", "-m", "-m=2", "-dwarf=false", "-d=checkptr", "-d=checkptr=2",
            "-spectre=all", "-spectre=index,ret"}) == "(ok)");
  CHECK(gc({"-m=9"}) == "-gcflags: -m '9' is not 1 to 4");
  CHECK(gc({"-spectre=everything"}) == "-gcflags: -spectre 'everything' is not all, index or ret");
}

TEST_CASE("ldflags: the allowlist") {
  CHECK(ld({"-s", "-w", "-X", "main.version=1.0", "-X=main.commit={commit}", "-buildid=",
            "-B", "gobuildid", "-B=0x1234abcd", "-compressdwarf=false", "-checklinkname=0",
            "-strictdups=2", "-H", "windowsgui"}) == "(ok)");
  CHECK(ld({"-X", "main.msg=it's\"x"}) == "(ok)"); // no space: passed as it is
  CHECK(ld({"-X", "main.msg=a 'b' \"c\""}) ==
        "ldflags: -X 'main.msg=a 'b' \"c\"' holds spaces and both quote characters, so it "
        "cannot be passed as one word");
  CHECK(ld({"-X", "-o"}) == "ldflags: -X '-o' is not IMPORTPATH.NAME=VALUE");
  CHECK(ld({"-X", "version=1"}) == "ldflags: -X 'version=1' is not IMPORTPATH.NAME=VALUE");
  CHECK(ld({"-X"}) == "ldflags: -X needs a value (write -X=VALUE, or the value as the next item)");
  CHECK(ld({"-B", "/tmp/x"}) == "ldflags: -B '/tmp/x' is not gobuildid or 0xHEX");
  CHECK(ld({"-H", "elf"}) == "ldflags: -H 'elf' is not windowsgui");
  CHECK(ld({"-buildid=a b"}) == "ldflags: -buildid 'a b' is not a build ID of letters, digits and ._+-/=");
  CHECK(ld({"-strictdups=3"}) == "ldflags: -strictdups '3' is not 0, 1 or 2");
}

TEST_CASE("ldflags: refusals say why") {
  CHECK(ld({"-o", "/tmp/x"}) == "ldflags: -o writes a file the config names (gobuild sets the output)");
  CHECK(ld({"-cpuprofile", "/tmp/x"}) == "ldflags: -cpuprofile writes a file the config names");
  CHECK(ld({"-memprofile=/tmp/x"}) == "ldflags: -memprofile writes a file the config names");
  CHECK(ld({"-tmpdir=/tmp/x"}) == "ldflags: -tmpdir writes files into a directory the config names");
  CHECK(ld({"-importcfg=/tmp/x"}) == "ldflags: -importcfg reads a file the config names");
  CHECK(ld({"-linkmode=external"}) == "ldflags: -linkmode is set by gobuild; use the `linkmode` key");
  CHECK(ld({"--linkmode=internal"}) == "ldflags: write '--linkmode=internal' with one dash");
  CHECK(ld({"-extldflags=-static"}) ==
        "ldflags: -extldflags is set by gobuild; use the `extldflags` key (with linkmode: external)");
  CHECK(ld({"-extld=clang"}) ==
        "ldflags: -extld runs a program of the config's choosing; pass --allow-cc to permit it");
  CHECK(ld({"-extld=clang"}, true) == "(ok)");
  CHECK(ld({"-extar", "/tmp/ar"}, true) == "(ok)");
  CHECK(ld({"-r", "/tmp"}) == "ldflags: -r sets a library search path, so the output would not be static");
  CHECK(ld({"-X main.v=1"}) ==
        "ldflags: '-X main.v=1' holds a space: give -X and its value as two items, or write -X=VALUE");
  CHECK(ld({"main.v=1"}) == "ldflags: 'main.v=1' is not a flag; flags start with '-'");
  CHECK(ld({"-v"}) ==
        "ldflags: '-v' is not allowed (allowed: -s, -w, -X IMPORTPATH.NAME=VALUE, -buildid=ID, "
        "-B gobuildid|0xHEX, -compressdwarf=BOOL, -checklinkname=0|1, -strictdups=N, -H windowsgui)");
  CHECK(ld({"-o", "/tmp/x"}, true) ==
        "ldflags: -o writes a file the config names (gobuild sets the output)"); // --allow-cc or not
}

TEST_CASE("extldflags: the allowlist") {
  for (const char* ok : {"-static", "-static-pie", "-pie", "-no-pie", "-s", "-pthread",
                         "-static-libgcc", "-lm", "-lfoo_bar-2.0", "-Lthird_party/lib", "-L./lib",
                         "-Wl,--gc-sections", "-Wl,--build-id", "-Wl,--build-id=sha1",
                         "-Wl,--build-id=0xdeadbeef", "-Wl,-z,relro,-z,now", "-Wl,-z,noexecstack",
                         "-Wl,--hash-style=gnu", "-Wl,--as-needed", "-Wl,--no-as-needed", "-Wl,-O1",
                         "-Wl,--whole-archive", "-Wl,--no-whole-archive", "-Wl,--start-group",
                         "-Wl,--end-group", "-Wl,-Bstatic", "-Wl,-Bdynamic"}) {
    CAPTURE(std::string(ok));
    CHECK(extld(ok) == "(ok)");
  }
}

TEST_CASE("extldflags: refusals say why, and --allow-cc lifts them") {
  const std::string cc = "; pass --allow-cc to permit it";
  const std::string runs_from = "makes the C compiler run programs from a directory the config names";
  CHECK(extld("--prefix=/tmp/evil/") == "extldflags: '--prefix=/tmp/evil/' " + runs_from + cc);
  CHECK(extld("-B/tmp/evil") == "extldflags: '-B/tmp/evil' " + runs_from + cc);
  CHECK(extld("-fuse-ld=/tmp/ld") == "extldflags: '-fuse-ld=/tmp/ld' picks the linker program" + cc);
  CHECK(extld("--ld-path=/tmp/ld") == "extldflags: '--ld-path=/tmp/ld' picks the linker program" + cc);
  CHECK(extld("-o") == "extldflags: '-o' writes a file the config names (gobuild sets the output)" + cc);
  CHECK(extld("-wrapper") ==
        "extldflags: '-wrapper' runs every program of the C compiler through one the config names" + cc);
  CHECK(extld("@args.txt") == "extldflags: '@args.txt' reads more options from a file" + cc);
  CHECK(extld("-specs=/tmp/s") == "extldflags: '-specs=/tmp/s' reads a specs file, which can run any program" + cc);
  CHECK(extld("-Wl,-plugin,/tmp/p.so") == "extldflags: '-Wl,-plugin,/tmp/p.so' loads a plugin into the linker" + cc);
  CHECK(extld("-flto") == "extldflags: '-flto' runs the LTO plugin and its programs" + cc);
  CHECK(extld("-Wl,--dynamic-linker=/tmp/ld.so") ==
        "extldflags: '-Wl,--dynamic-linker=/tmp/ld.so' sets the program interpreter, so the output "
        "would not be static" + cc);
  CHECK(extld("-Wl,-Map=/tmp/map") == "extldflags: '-Wl,-Map=/tmp/map' writes a file the config names" + cc);
  CHECK(extld("-Wl,--gc-sections,-o,/tmp/x") ==
        "extldflags: '-Wl,--gc-sections,-o,/tmp/x' is not allowed without --allow-cc (allowed: "
        "-static, -static-pie, -pie, -no-pie, -s, -pthread, -static-libgcc, -static-libstdc++, "
        "-lNAME, -LDIR (inside the module), and -Wl, with --build-id[=...], "
        "-z,relro|now|noexecstack, --hash-style=..., --as-needed, --no-as-needed, --gc-sections, "
        "-O1, --whole-archive, --no-whole-archive, --start-group, --end-group, -Bstatic, "
        "-Bdynamic, -s, --strip-all, --strip-debug)");
  CHECK(extld("-Wl,-z,execstack").find("is not allowed without --allow-cc") != std::string::npos);
  CHECK(extld("-L/usr/lib") ==
        "extldflags: '-L/usr/lib' reads libraries from outside the module (give a relative "
        "directory without '..')");
  CHECK(extld("-Llib/../../x") ==
        "extldflags: '-Llib/../../x' reads libraries from outside the module (give a relative "
        "directory without '..')");
  CHECK(extld("-l/tmp/x").find("is not allowed without --allow-cc") != std::string::npos);
  CHECK(extld("-it's") == "extldflags: '-it's' holds a quote character, which cannot pass through -extldflags");
  for (const char* w : {"--prefix=/tmp/evil/", "-B/tmp/evil", "-fuse-ld=mold", "-o", "@x",
                        "-Wl,-plugin,/p.so", "-L/usr/lib"}) {
    CAPTURE(std::string(w));
    CHECK(extld(w, true) == "(ok)");
  }
}

TEST_CASE("check_words names the word at fault") {
  auto p = check_words(WordList::ldflags, {"-s", "-X", "main.v=1", "-o", "x"}, WordRules{});
  REQUIRE(p.has_value());
  CHECK(p->index == 3);
  p = check_words(WordList::ldflags, {"-s", "-X"}, WordRules{});
  REQUIRE(p.has_value());
  CHECK(p->index == 2);
  CHECK(msg(check_package_flags(WordList::gcflags, "all=-N -l", WordRules{})) == "(ok)");
}

TEST_CASE("env: names and values") {
  auto env = [](const char* n, const std::string& v, bool cc = false) {
    return msg(check_env_entry(n, v, cc));
  };
  for (auto [n, v] : std::vector<std::pair<const char*, const char*>>{
           {"GOAMD64", "v1"}, {"GOAMD64", "v4"}, {"GOARM", "5"}, {"GOARM", "7,softfloat"},
           {"GOARM", "6,hardfloat"}, {"GOARM64", "v8.0"}, {"GOARM64", "v9.5,lse,crypto"},
           {"GO386", "sse2"}, {"GO386", "softfloat"}, {"GOMIPS", "hardfloat"},
           {"GOMIPS64", "softfloat"}, {"GOPPC64", "power10"}, {"GORISCV64", "rva22u64"},
           {"GOWASM", "satconv,signext"}, {"GOEXPERIMENT", ""}, {"GOEXPERIMENT", "arenas,noswissmap"},
           {"GOFIPS140", "latest"}, {"GOFIPS140", "v1.0.0"}}) {
    CAPTURE(std::string(n) + "=" + v);
    CHECK(env(n, v) == "(ok)");
  }
  CHECK(env("GOAMD64", "v5") == "env: GOAMD64 'v5' is not one of v1, v2, v3, v4");
  CHECK(env("GOARM", "8") == "env: GOARM '8' is not 5, 6 or 7, optionally with ,softfloat or ,hardfloat");
  CHECK(env("GOARM64", "v9.6") ==
        "env: GOARM64 'v9.6' is not v8.0 to v8.9 or v9.0 to v9.5, optionally with ,lse and ,crypto");
  CHECK(env("GOARM64", "v8.0,lse,lse").find("is not v8.0") != std::string::npos);
  CHECK(env("GO386", "387") == "env: GO386 '387' is not one of sse2, softfloat");
  CHECK(env("GOPPC64", "power7") == "env: GOPPC64 'power7' is not one of power8, power9, power10");
  CHECK(env("GORISCV64", "x") == "env: GORISCV64 'x' is not one of rva20u64, rva22u64, rva23u64");
  CHECK(env("GOEXPERIMENT", "a b") ==
        "env: GOEXPERIMENT 'a b' is not a comma-separated list of experiment names");
  CHECK(env("GOFIPS140", "v1") ==
        "env: GOFIPS140 'v1' is not off, latest, inprocess, certified or a version vX.Y.Z");
  CHECK(env("CC", "gcc", true) == "(ok)");
  CHECK(env("CGO_CFLAGS_ALLOW", ".*", true) == "(ok)");
  CHECK(env("CGO_LDFLAGS", "-fuse-ld=x") ==
        "env: CGO_LDFLAGS can make the C toolchain run a program of the config's choosing; pass "
        "--allow-cc to permit it");
  CHECK(env("CXX", "g++") == "env: CXX runs a program of the config's choosing; pass --allow-cc to permit it");
  CHECK(env("PKG_CONFIG", "x") ==
        "env: PKG_CONFIG runs a program of the config's choosing; pass --allow-cc to permit it");
  CHECK(env("GOARCH", "arm64") == "env: GOARCH is not allowed: set by `platforms`");
  CHECK(env("CGO_ENABLED", "1", true) == "env: CGO_ENABLED is not allowed: set by the `cgo` key");
  CHECK(env("GOTOOLCHAIN", "auto") == "env: GOTOOLCHAIN is not allowed: set by gobuild from the `go` key");
  CHECK(env("GOCACHEPROG", "/tmp/x") ==
        "env: GOCACHEPROG is not allowed: runs a program of the config's choosing; the operator "
        "gives --cache-prog");
  CHECK(env("GOPROXY", "direct") ==
        "env: GOPROXY is not allowed: builds run offline; network settings come from the host "
        "for vendoring");
  CHECK(env("PATH", "/tmp", true) == "env: PATH is not allowed: taken from the host");
  CHECK(env("GOAMD6", "v1") == "env: GOAMD6 is not allowed (did you mean GOAMD64?)");
  CHECK(env("WHATEVER", "1") ==
        "env: WHATEVER is not allowed (allowed: GOAMD64, GOARM, GO386, GOARM64, GOMIPS, GOMIPS64, "
        "GOPPC64, GORISCV64, GOWASM, GOEXPERIMENT, GOFIPS140; with --allow-cc also CC, CXX, "
        "CGO_CFLAGS and the other C toolchain settings)");
  CHECK(env("GOAMD64", std::string("v1\0x", 4)) == "env: the value of GOAMD64 contains a NUL byte");
}
