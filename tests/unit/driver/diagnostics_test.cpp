#include "gobuild/driver/diagnostics.hpp"

#include <doctest/doctest.h>

using namespace gobuild;

namespace {

// What go build -ldflags "-linkmode=external -extldflags '-static'" printed for a main that
// imports net and os/user (GNU ld 2.40, glibc 2.36).
const char* kGlibcStatic = R"(# example.com/hello
/usr/bin/ld: /tmp/go-link-1045615695/000008.o: in function `mygetgrouplist':
/_/GOROOT/src/os/user/getgrouplist_unix.go:15: warning: Using 'getgrouplist' in statically linked applications requires at runtime the shared libraries from the glibc version used for linking
/usr/bin/ld: /tmp/go-link-1045615695/000007.o: in function `mygetgrgid_r':
/_/GOROOT/src/os/user/cgo_lookup_cgo.go:45: warning: Using 'getgrgid_r' in statically linked applications requires at runtime the shared libraries from the glibc version used for linking
/usr/bin/ld: /tmp/go-link-1045615695/000004.o: in function `_cgo_77133bf98b3a_C2func_getaddrinfo':
/tmp/go-build/cgo_unix_cgo.cgo2.c:60: warning: Using 'getaddrinfo' in statically linked applications requires at runtime the shared libraries from the glibc version used for linking
/tmp/go-build/cgo_unix_cgo.cgo2.c:60: warning: Using 'getaddrinfo' in statically linked applications requires at runtime the shared libraries from the glibc version used for linking
)";

const char* kNoLibc = R"(# example.com/hello
/usr/local/go/pkg/tool/linux_amd64/link: running gcc failed: exit status 1
/usr/bin/gcc -m64 -o $WORK/b001/exe/a.out -static -lpthread
/usr/bin/ld: cannot find -lpthread: No such file or directory
/usr/bin/ld: cannot find -lc: No such file or directory
/usr/bin/ld: cannot find -lsqlite3
collect2: error: ld returned 1 exit status
)";

} // namespace

TEST_CASE("scan_link_output finds each NSS function once, in order") {
  LinkFindings f = scan_link_output(kGlibcStatic);
  CHECK(f.nss_functions == std::vector<std::string>{"getgrouplist", "getgrgid_r", "getaddrinfo"});
  CHECK(f.missing_libs.empty());
  CHECK(f.missing_cc.empty());
}

TEST_CASE("nss_warning names the target and the function and suggests the tags") {
  CHECK(nss_warning("hello", "getaddrinfo") ==
        "hello: getaddrinfo: glibc loads NSS modules at run time even in a static binary; add "
        "tags [netgo, osusergo] to use Go's own resolver and user lookup, or link against musl");
}

TEST_CASE("a missing static libc names libc6-dev") {
  LinkFindings f = scan_link_output(kNoLibc);
  CHECK(f.missing_libs == std::vector<std::string>{"pthread", "c", "sqlite3"});
  auto errors = missing_tool_errors("app", f);
  REQUIRE(errors.size() == 3);
  CHECK(errors[1] ==
        "app: the linker cannot find libc.a, the static C library: install libc6-dev "
        "(Debian/Ubuntu: apt-get install libc6-dev), or link with musl-gcc from musl-tools");
  CHECK(errors[2] ==
        "app: the linker cannot find libsqlite3.a: install the package that ships its static "
        "archive (on Debian the libsqlite3-dev package, as a rule)");
}

TEST_CASE("a missing musl-gcc names musl-tools") {
  LinkFindings f = scan_link_output(
      "# runtime/cgo\ncgo: C compiler \"musl-gcc\" not found: exec: \"musl-gcc\": executable "
      "file not found in $PATH\n");
  CHECK(f.missing_cc == "musl-gcc");
  CHECK(missing_tool_errors("app", f) ==
        std::vector<std::string>{
            "app: C compiler musl-gcc not found: install musl-tools (apt-get install musl-tools)"});
}

TEST_CASE("clean output finds nothing") {
  LinkFindings f = scan_link_output("");
  CHECK(f.nss_functions.empty());
  CHECK(missing_tool_errors("app", f).empty());
}

TEST_CASE("classify_go_failure: the environment, the module's mistake, or neither") {
  // What go prints (go1.26) for each, from `go mod vendor` and a toolchain download.
  CHECK(classify_go_failure("go: example.com/a imports\n\texample.com/dep: example.com/dep@v1.0.0: reading "
                            "file:///p/example.com/dep/@v/v1.0.0.zip: no such file or directory\n") ==
        GoFailure::environment);
  CHECK(classify_go_failure("\texample.com/dep: module lookup disabled by GOPROXY=off\n") == GoFailure::environment);
  CHECK(classify_go_failure("Get \"http://127.0.0.1:9/x/@v/list\": dial tcp 127.0.0.1:9: connect: connection refused") ==
        GoFailure::environment);
  CHECK(classify_go_failure("example.com/dep@v1.0.0: reading https://proxy.example/x/@v/v1.0.0.mod: 410 Gone") ==
        GoFailure::environment);
  CHECK(classify_go_failure("go: download go1.99.1 for linux/amd64: toolchain not available") == GoFailure::environment);
  CHECK(classify_go_failure("write /x/vendor/a.go: no space left on device") == GoFailure::environment);
  CHECK(classify_go_failure("\texample.com/dep: example.com/dep@v1.0.0: replacement directory ../pkg does not exist") ==
        GoFailure::input);
  CHECK(classify_go_failure("main.go:3:8: missing go.sum entry for module providing package example.com/dep") ==
        GoFailure::input);
  CHECK(classify_go_failure("./main.go:5:2: undefined: x") == GoFailure::other);
  CHECK(exit_code_of(GoFailure::environment) == 3);
  CHECK(exit_code_of(GoFailure::input) == 2);
  CHECK(exit_code_of(GoFailure::other) == 1);
}
