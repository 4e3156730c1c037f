#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "gobuild/attest/provenance.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/gobuild-attest-XXXXXX";
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  void write(const std::string& rel, const std::string& data) const {
    std::string full = path + "/" + rel;
    std::system(("mkdir -p \"$(dirname '" + full + "')\"").c_str());
    std::ofstream(full) << data;
  }
};

const char* kCommit = "0123456789abcdef0123456789abcdef01234567";

ProvenanceInput sample() {
  ProvenanceInput in;
  in.config_path = "gobuild.yaml";
  in.config_sha256 = std::string(64, 'c');
  in.go_version = "go1.26.8";
  in.started = 1700000000;
  in.finished = 1700000042;
  BuiltOutput o;
  o.target = "hello";
  o.platform = "linux/amd64";
  o.path = "bin/hello";
  o.config_output = "bin/hello";
  o.sha256 = std::string(64, 'a');
  o.env = {{"CGO_ENABLED", "0"}, {"GOOS", "linux"}};
  o.argv = {"go", "build", "-o", "bin/hello", "."};
  GoBuildInfo go;
  go.version = "go1.26.8";
  go.deps.push_back(GoDep{{"example.com/dep", "v1.0.0", "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}, std::nullopt});
  go.deps.push_back(GoDep{{"example.com/old", "v0.1.0", "h1:xx"}, GoModule{"example.com/new", "v0.2.0", ""}});
  o.go = go;
  in.outputs.push_back(o);
  BuiltOutput o2 = o;
  o2.platform = "linux/arm64";
  o2.path = "bin/hello-arm64";
  o2.config_output = "bin/hello-arm64";
  in.outputs.push_back(o2); // the same modules again: recorded once
  return in;
}

} // namespace

TEST_CASE("h1_to_hex turns a Go module sum into the in-toto dirHash form") {
  CHECK(h1_to_hex("h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") ==
        std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  CHECK_FALSE(h1_to_hex("").has_value());
  CHECK_FALSE(h1_to_hex("h1:").has_value());
  CHECK_FALSE(h1_to_hex("h2:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=").has_value());
  CHECK_FALSE(h1_to_hex("h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF=").has_value()); // short
  CHECK_FALSE(h1_to_hex("h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu!U=").has_value());
}

TEST_CASE("provenance_statement: in-toto Statement v1, SLSA v1 predicate") {
  auto st = provenance_statement(sample());
  CHECK(st["_type"] == "https://in-toto.io/Statement/v1");
  CHECK(st["predicateType"] == "https://slsa.dev/provenance/v1");
  REQUIRE(st["subject"].size() == 2);
  CHECK(st["subject"][0].dump() == R"({"name":"bin/hello","digest":{"sha256":")" + std::string(64, 'a') + R"("}})");

  auto& def = st["predicate"]["buildDefinition"];
  CHECK(def["buildType"] == kBuildType);
  CHECK(def["externalParameters"]["config"]["path"] == "gobuild.yaml");
  CHECK(def["externalParameters"]["targets"].dump() == R"(["hello"])");
  CHECK(def["externalParameters"]["platforms"].dump() == R"(["linux/amd64","linux/arm64"])");
  CHECK(def["internalParameters"]["go_version"] == "go1.26.8");
  CHECK(def["internalParameters"]["builds"][0]["env"].dump() == R"({"CGO_ENABLED":"0","GOOS":"linux"})");
  CHECK(def["internalParameters"]["builds"][1]["output"] == "bin/hello-arm64");

  auto& deps = def["resolvedDependencies"];
  REQUIRE(deps.size() == 3);
  CHECK(deps[0].dump() == R"({"uri":"pkg:golang/example.com/dep@v1.0.0","digest":{"dirHash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}})");
  CHECK(deps[1].dump() == R"({"uri":"pkg:golang/example.com/new@v0.2.0","annotations":{"replaces":"example.com/old@v0.1.0"}})");
  CHECK(deps[2]["uri"] == "file:gobuild.yaml");
  CHECK(deps[2]["digest"]["sha256"] == std::string(64, 'c'));

  auto& run = st["predicate"]["runDetails"];
  CHECK(run["builder"]["id"] == kDefaultBuilderId);
  CHECK(run["builder"]["version"]["gobuild"] == GOBUILD_VERSION);
  CHECK(run["metadata"]["startedOn"] == "2023-11-14T22:13:20Z");
  CHECK(run["metadata"]["finishedOn"] == "2023-11-14T22:14:02Z");
}

TEST_CASE("provenance records the git commit when there is one, without the host's path") {
  ProvenanceInput in = sample();
  in.git_commit = kCommit;
  in.git_top = "/src/app";
  in.git_subdir = "tools/x";
  auto st = provenance_statement(in);
  auto deps = st["predicate"]["buildDefinition"]["resolvedDependencies"];
  CHECK(deps.back().dump() == std::string(R"({"name":"git","digest":{"gitCommit":")") + kCommit +
                                  R"("},"annotations":{"module_subdir":"tools/x"}})");
  CHECK(st["predicate"]["runDetails"]["byproducts"][0]["annotations"]["git_work_tree"] == "/src/app");
}

TEST_CASE("provenance: buildDefinition holds no host path; runDetails does") {
  ProvenanceInput in = sample();
  in.module_dir = "/home/u/app";
  in.config_abs = "/home/u/app/gobuild.yaml";
  for (auto& o : in.outputs) {
    o.abs_output = "/home/u/app/" + o.config_output;
    o.env = {{"CGO_ENABLED", "0"}, {"GOCACHE", "/home/u/.cache/go-build"}, {"GOOS", "linux"},
             {"HOME", "/home/u"}, {"PATH", "/usr/bin"}, {"TMPDIR", "/tmp"}};
    o.argv = {"go", "build", "-o", o.abs_output, "-trimpath", "."};
  }
  in.main_module = "example.com/hello";
  in.main_dirhash = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  auto st = provenance_statement(in);
  auto& def = st["predicate"]["buildDefinition"];
  CHECK(def.dump().find("/home/u") == std::string::npos);
  CHECK(def.dump().find("/tmp") == std::string::npos);
  CHECK(def["internalParameters"]["builds"][0].dump() ==
        R"({"target":"hello","platform":"linux/amd64","output":"bin/hello","env":{"CGO_ENABLED":"0","GOOS":"linux"},)"
        R"("argv":["go","build","-o","bin/hello","-trimpath","."]})");
  CHECK(def["resolvedDependencies"][0].dump() ==
        R"({"uri":"pkg:golang/example.com/hello","digest":{"dirHash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},)"
        R"x("annotations":{"main":true,"h1":"h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","h1_names":"example.com/hello@(devel)"}})x");
  auto& host = st["predicate"]["runDetails"]["byproducts"][0];
  CHECK(host["name"] == "host");
  CHECK(host["annotations"]["module_dir"] == "/home/u/app");
  CHECK(host["annotations"]["config"] == "/home/u/app/gobuild.yaml");
  CHECK(host["annotations"]["builds"][0].dump() ==
        R"({"target":"hello","platform":"linux/amd64","output":"/home/u/app/bin/hello","env":)"
        R"({"GOCACHE":"/home/u/.cache/go-build","HOME":"/home/u","PATH":"/usr/bin","TMPDIR":"/tmp"}})");
}

TEST_CASE("module_files: the files Go's module zip holds") {
  TempDir t;
  t.write("go.mod", "module example.com/m\n");
  t.write("main.go", "package main\n");
  t.write("vendor/modules.txt", "# x\n");          // a file directly in vendor/: kept
  t.write("vendor/example.com/x/x.go", "package x\n"); // a vendored package: left out
  // Go's offset bug: under a nested vendor/ even a file next to modules.txt is left out.
  t.write("a/vendor/modules.txt", "# x\n");
  t.write("a/a.go", "package c\n");
  t.write("a/a.go", "package a\n");
  t.write(".git/HEAD", "ref: refs/heads/main\n");
  t.write("sub/.hg/x", "x");
  t.write("sub/ok.go", "package sub\n");
  t.write("nested/go.mod", "module example.com/m/nested\n"); // a module of its own
  t.write("nested/n.go", "package n\n");
  t.write("bin/app", "ELF");
  REQUIRE(::symlink("main.go", (t.path + "/link.go").c_str()) == 0); // not a regular file
  CHECK(module_files(t.path) == std::vector<std::string>{"a/a.go", "bin/app", "go.mod", "main.go",
                                                         "sub/ok.go", "vendor/modules.txt"});
  CHECK(module_files(t.path, {"bin/app", "vendor"}) ==
        std::vector<std::string>{"a/a.go", "go.mod", "main.go", "sub/ok.go"});
  CHECK(module_files(t.path, {"bin"}) == std::vector<std::string>{"a/a.go", "go.mod", "main.go",
                                                                 "sub/ok.go", "vendor/modules.txt"});
}

TEST_CASE("dirhash_h1 is Go's Hash1, and go_mod_module_path reads the module line") {
  TempDir t;
  t.write("go.mod", "// the module\nmodule example.com/m // here\n");
  t.write("main.go", "package main\n");
  t.write("vendor/modules.txt", "# x\n");
  t.write("go.mod", "module example.com/m\n");
  // sha256 of "SHA256(file)  NAME\n" lines, sorted; computed with Python's hashlib and base64.
  CHECK(dirhash_h1(t.path, {"vendor/modules.txt", "main.go", "go.mod"}) ==
        "h1:+ReNyJ94oCmshSAKDW5J5Xtj6UHVp7+UaPC4JiPxNLg=");
  CHECK(dirhash_h1(t.path, {"vendor/modules.txt", "main.go", "go.mod"}, "example.com/m@v1.2.3") ==
        "h1:MraNdxSVN9IVIZn7yOVkl5ganF7fdDzakoc/Bs3rw2A=");
  CHECK(go_mod_module_path(t.path) == "example.com/m");
  t.write("go.mod", "// the module\nmodule \"example.com/q\" // quoted\n");
  CHECK(go_mod_module_path(t.path) == "example.com/q");
  CHECK(go_mod_module_path(t.path + "/none") == "");
  CHECK(is_host_variable("HOME"));
  CHECK_FALSE(is_host_variable("GOFLAGS"));
}

TEST_CASE("source_date_epoch: an integer or a usage error") {
  CHECK_FALSE(source_date_epoch(nullptr).has_value());
  CHECK_FALSE(source_date_epoch("").has_value());
  CHECK(source_date_epoch("0") == 0);
  CHECK(source_date_epoch("1700000000") == 1700000000);
  for (const char* bad : {"-1", "1.5", "yesterday", " 17", "99999999999999999999"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(source_date_epoch(bad), UsageError);
  }
  try {
    source_date_epoch("now");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()) == "SOURCE_DATE_EPOCH='now' is not an integer number of seconds since the epoch "
                                   "(see reproducible-builds.org/specs/source-date-epoch)");
  }
}

TEST_CASE("provenance_statement records the stamps used, only when there are some") {
  ProvenanceInput in = sample();
  auto st = provenance_statement(in);
  CHECK_FALSE(st["predicate"]["buildDefinition"]["externalParameters"].contains("stamps"));
  in.stamps = {{"version", "v1.2.3"}, {"date", "2024-01-02T03:04:05Z"}};
  st = provenance_statement(in);
  CHECK(st["predicate"]["buildDefinition"]["externalParameters"]["stamps"].dump() ==
        R"({"version":"v1.2.3","date":"2024-01-02T03:04:05Z"})");
}

TEST_CASE("checksum_lines is what sha256sum -c reads") {
  ProvenanceInput in = sample();
  CHECK(checksum_lines(in.outputs) == std::string(64, 'a') + "  bin/hello\n" + std::string(64, 'a') + "  bin/hello-arm64\n");
  in.outputs[0].path = "a\\b";
  CHECK(checksum_lines({in.outputs[0]}) == "\\" + std::string(64, 'a') + "  a\\\\b\n");
}

TEST_CASE("go_sum_h1 finds a module's tree sum, not its go.mod sum") {
  const std::string sum = "example.com/dep v1.0.0/go.mod h1:AAAAQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
                          "example.com/dep v1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
                          "example.com/dep v1.1.0 h1:BBBBQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
  CHECK(go_sum_h1(sum, "example.com/dep", "v1.0.0") == "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  CHECK(go_sum_h1(sum, "example.com/dep", "v1.1.0") == "h1:BBBBQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  CHECK(go_sum_h1(sum, "example.com/dep", "v2.0.0") == "");
  CHECK(go_sum_h1(sum, "example.com/de", "v1.0.0") == "");
  CHECK(go_sum_h1("", "example.com/dep", "v1.0.0") == "");
}

TEST_CASE("provenance: a module without a sum in the build info (vendor/) gets go.sum's") {
  ProvenanceInput in = sample();
  for (auto& o : in.outputs) o.go->deps[0].mod.sum.clear();
  auto without = provenance_statement(in);
  CHECK(without["predicate"]["buildDefinition"]["resolvedDependencies"][0].dump() ==
        R"({"uri":"pkg:golang/example.com/dep@v1.0.0"})");
  in.go_sum = "example.com/dep v1.0.0/go.mod h1:AAAAQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
              "example.com/dep v1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
  auto with = provenance_statement(in);
  CHECK(with["predicate"]["buildDefinition"]["resolvedDependencies"][0].dump() ==
        R"({"uri":"pkg:golang/example.com/dep@v1.0.0","digest":{"dirHash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}})");
}

TEST_CASE("provenance: the go: pin and the toolchain version are recorded") {
  ProvenanceInput in = sample();
  in.go_pin = "1.26";
  auto st = provenance_statement(in);
  CHECK(st["predicate"]["buildDefinition"]["internalParameters"]["go_pin"] == "1.26");
  CHECK(st["predicate"]["buildDefinition"]["internalParameters"]["go_version"] == "go1.26.8");
  CHECK(st["predicate"]["runDetails"]["builder"]["version"]["go"] == "go1.26.8");
  CHECK_FALSE(provenance_statement(sample())["predicate"]["buildDefinition"]["internalParameters"].contains("go_pin"));
}

TEST_CASE("provenance: the build step's sandbox is recorded when given") {
  ProvenanceInput in = sample();
  in.sandbox = "userns+netns";
  auto st = provenance_statement(in);
  CHECK(st["predicate"]["runDetails"]["byproducts"][0]["annotations"]["sandbox"] == "userns+netns");
  CHECK_FALSE(provenance_statement(sample())["predicate"]["runDetails"]["byproducts"][0]["annotations"].contains("sandbox"));
}

TEST_CASE("read_go_sum: the module's go.sum, or nothing") {
  TempDir d;
  CHECK(read_go_sum(d.path) == "");
  d.write("go.sum", "example.com/dep v1.0.0 h1:x=\n");
  CHECK(read_go_sum(d.path) == "example.com/dep v1.0.0 h1:x=\n");
}

TEST_CASE("path_from: checksum paths relative to where gobuild ran") {
  CHECK(path_from("/w", "/w", "bin/app") == "bin/app");
  CHECK(path_from("/w", "/w/sub", "bin/app") == "sub/bin/app");
  CHECK(path_from("/w/x", "/w/sub", "bin/app") == "../sub/bin/app");
  CHECK(path_from("/w/", "/w/sub/", "./bin/../out/app") == "sub/out/app");
  CHECK(path_from("/w", "/w/sub", "/abs/bin/app") == "/abs/bin/app");
}

TEST_CASE("provenance: --cache-prog is recorded in runDetails, never in buildDefinition") {
  ProvenanceInput in = sample();
  auto without = provenance_statement(in);
  CHECK_FALSE(without["predicate"]["runDetails"]["builder"].contains("builderDependencies"));
  in.cache_prog = "go-cacher --cache-server=http://127.0.0.1:31364";
  auto with = provenance_statement(in);
  CHECK(with["predicate"]["runDetails"]["builder"]["builderDependencies"].dump() ==
        R"([{"name":"GOCACHEPROG","annotations":{"command":"go-cacher --cache-server=http://127.0.0.1:31364"}}])");
  CHECK(with["predicate"]["buildDefinition"] == without["predicate"]["buildDefinition"]);
}
