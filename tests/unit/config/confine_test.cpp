#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include <boost/filesystem.hpp>

#include "gobuild/config/confine.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;
namespace fs = boost::filesystem;

namespace {

std::string why(const std::optional<std::string>& p) { return p.value_or("(ok)"); }

const std::string kOnly =
    "gobuild replaces only a regular file holding an executable (ELF, PE or Mach-O)";

std::string parse_error(const std::string& yaml) {
  try {
    parse_config(yaml, "gobuild.yaml", "/src/app", LoadOptions{});
  } catch (const ConfigError& e) {
    return e.formatted();
  }
  return "(no error)";
}

/// A scratch tree, removed at the end of the test.
struct Tree {
  fs::path root;
  Tree() {
    std::string t = (fs::temp_directory_path() / "gobuild-confine-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    root = t;
  }
  ~Tree() {
    boost::system::error_code ec;
    fs::remove_all(root, ec);
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel, std::ios::binary) << text;
  }
  std::string load_error(const std::string& yaml, const std::string& out_dir = "") const {
    write("gobuild.yaml", yaml);
    LoadOptions o;
    o.out_dir = out_dir;
    try {
      load_config((root / "gobuild.yaml").string(), o);
    } catch (const ConfigError& e) {
      return e.formatted().substr(e.formatted().find(':') + 1);
    }
    return "(no error)";
  }
};

} // namespace

TEST_CASE("check_output_path: the text rules") {
  CHECK(why(check_output_path("bin/app")) == "(ok)");
  CHECK(why(check_output_path("./out//app")) == "(ok)");
  CHECK(why(check_output_path("/usr/local/bin/app")) ==
        "is an absolute path; outputs are relative to the config's directory (the operator may "
        "move them all with --out-dir)");
  CHECK(why(check_output_path("$HOME/x")) ==
        "holds ~ or $, which gobuild does not expand; give a path relative to the config's "
        "directory");
  CHECK(why(check_output_path("~/x")) == why(check_output_path("$HOME/x")));
  CHECK(why(check_output_path("../x")) == "has a '..' component; outputs stay below the config's directory");
  CHECK(why(check_output_path("app/../../x")) == why(check_output_path("../x")));
  CHECK(why(check_output_path(".git/hooks/pre-commit")) ==
        "lies in .git/, where git keeps its configuration and hooks");
  CHECK(why(check_output_path("sub/.GIT/config")) == why(check_output_path(".git/config")));
  CHECK(why(check_output_path(".git./config")) == why(check_output_path(".git/config")));
  CHECK(why(check_output_path("vendor/modules.txt")) == "lies in vendor/, which gobuild vendors and checks");
  CHECK(why(check_output_path("Vendor/x")) == why(check_output_path("vendor/x")));
  CHECK(why(check_output_path("bin/a\nb")) == "holds a control character");
  CHECK(why(check_output_path(std::string(235, 'a'))) == "(ok)");
  CHECK(why(check_output_path("bin/" + std::string(236, 'a'))) ==
        "has a file name of 236 bytes; with the affixes of its temporary file it may have at most 235");
  CHECK(why(check_output_path(std::string(256, 'd') + "/x")) ==
        "has a name of 256 bytes; a file name may have at most 255");
}

TEST_CASE("check_outputs: at the output's position, or the name's for a default output") {
  CHECK(parse_error("version: 1\ntargets:\n  - name: a\n    output: '{name}/../../x'\n") ==
        "gobuild.yaml:4:13: error: output: 'a/../../x' has a '..' component; outputs stay below "
        "the config's directory");
  CHECK(parse_error("version: 1\ntargets:\n  - name: a\n    output: /tmp/x\n").find(
            "gobuild.yaml:4:13: error: output: '/tmp/x' is an absolute path") == 0);
  const std::string long_name(240, 'n');
  CHECK(parse_error("version: 1\ntargets:\n  - name: " + long_name + "\n") ==
        "gobuild.yaml:3:11: error: output: 'bin/" + long_name + "' has a file name of 240 bytes; "
        "with the affixes of its temporary file it may have at most 235");
  CHECK(parse_error("version: 1\ntargets:\n  - {name: x, output: bin/x}\n  - {name: y, output: bin/x/y}\n") ==
        "gobuild.yaml:4:23: error: output: 'bin/x/y' lies inside 'bin/x', the output of target 'x'");
  CHECK(parse_error("version: 1\ntargets:\n  - {name: y, output: bin/x/y}\n  - {name: x, output: Bin/X}\n") ==
        "gobuild.yaml:4:23: error: output: 'Bin/X' would be a directory of 'bin/x/y', the output "
        "of target 'y'");
  CHECK(parse_error("version: 1\ntargets:\n  - {name: a, output: out/a}\n  - {name: b, output: out/b}\n") ==
        "(no error)");
}

TEST_CASE("check_output_file: only a previous executable is replaced, and nothing blocks") {
  Tree t;
  const std::string base = t.root.string();
  CHECK(why(check_output_file(base, "bin/app")) == "(ok)"); // nothing there yet
  t.write("bin/elf", std::string("\x7f" "ELF\x02\x01\x01", 7));
  t.write("bin/pe.exe", "MZ\x90");
  t.write("bin/macho", std::string("\xcf\xfa\xed\xfe", 4));
  for (const char* ok : {"bin/elf", "bin/pe.exe", "bin/macho", "bin/new"}) {
    CAPTURE(std::string(ok));
    CHECK(why(check_output_file(base, ok)) == "(ok)");
  }
  t.write("main.go", "package main\n");
  t.write("empty", "");
  CHECK(why(check_output_file(base, "main.go")) == "exists and holds no executable; " + kOnly);
  CHECK(why(check_output_file(base, "empty")) == "exists and holds no executable; " + kOnly);
  REQUIRE(::mkfifo((t.root / "fifo").c_str(), 0600) == 0);
  CHECK(why(check_output_file(base, "fifo")) == "is a FIFO; " + kOnly);
  fs::create_symlink("/dev/null", t.root / "null");
  CHECK(why(check_output_file(base, "null")) == "is a symlink; " + kOnly);
  fs::create_symlink(t.root / "bin/elf", t.root / "link-to-elf");
  CHECK(why(check_output_file(base, "link-to-elf")) == "is a symlink; " + kOnly);
  CHECK(why(check_output_file(base, "bin")) == "is a directory; " + kOnly);
  CHECK(why(check_output_file(base, "main.go/x")) == "cannot be written: 'main.go' is not a regular file");
  fs::create_symlink("/tmp", t.root / "out");
  CHECK(why(check_output_file(base, "out/app")) ==
        "goes through the symlink 'out', which leads outside the output directory");
  fs::create_symlink("bin", t.root / "bin2");
  CHECK(why(check_output_file(base, "bin2/elf")) == "(ok)"); // a symlink that stays inside
  CHECK(why(check_output_file(base, "bin2/new")) == "(ok)");
  CHECK(why(check_output_file((t.root / "nowhere").string(), "x")) == "(ok)");
}

TEST_CASE("check_confinement: module and main inside, outputs over executables only") {
  Tree t;
  t.write("go.mod", "module example.com/app\n");
  t.write("main.go", "package main\n");
  t.write("cmd/tool/main.go", "package main\n");
  fs::create_directories(t.root / "other");
  std::ofstream(t.root / "other/go.mod") << "module example.com/other\n";
  const std::string head = "version: 1\ntargets:\n  - name: app\n";
  CHECK(t.load_error(head) == "(no error)");
  CHECK(t.load_error(head + "    main: ./cmd/tool\n") == "(no error)");
  CHECK(t.load_error(head + "    main: example.com/app/cmd/tool\n") == "(no error)"); // an import path
  CHECK(t.load_error(head + "    main: ../x\n") == "4:11: error: main: '../x': No such file or directory");
  CHECK(t.load_error(head + "    main: ..\n") == "4:11: error: main: '..' is outside the module");
  CHECK(t.load_error(head + "    main: /etc\n") ==
        "4:11: error: main: '/etc' is an absolute path; give the package's directory relative to "
        "the module, such as ./cmd/app");
  fs::create_symlink("/etc", t.root / "cmd/evil");
  CHECK(t.load_error(head + "    main: ./cmd/evil\n") ==
        "4:11: error: main: './cmd/evil' is outside the module (through a symlink)");
  CHECK(t.load_error(head + "    output: main.go\n") ==
        "4:13: error: output: 'main.go' exists and holds no executable; " + kOnly);
  CHECK(t.load_error(head + "    output: gobuild.yaml\n") ==
        "4:13: error: output: 'gobuild.yaml' exists and holds no executable; " + kOnly);
  CHECK(t.load_error(head + "    output: go.mod\n") ==
        "4:13: error: output: 'go.mod' exists and holds no executable; " + kOnly);
  CHECK(t.load_error(head + "    output: cmd\n") == "4:13: error: output: 'cmd' is a directory; " + kOnly);

  // --out-dir: the same rules, under the operator's directory.
  Tree out;
  out.write("bin/app", "not a binary");
  CHECK(t.load_error(head, out.root.string()) ==
        "3:11: error: output: 'bin/app' exists and holds no executable; " + kOnly);
  CHECK(t.load_error(head + "    output: main.go\n", out.root.string()) == "(no error)");

  // module: outside, directly or through a symlink.
  Tree sub;
  sub.write("gobuild.yaml", "");
  sub.write("mod/go.mod", "module example.com/m\n");
  fs::create_symlink(t.root / "other", sub.root / "linked");
  LoadOptions o;
  auto module_error = [&](const std::string& module) {
    std::ofstream(sub.root / "gobuild.yaml") << "version: 1\nmodule: " << module
                                              << "\ntargets: [{name: a}]\n";
    try {
      load_config((sub.root / "gobuild.yaml").string(), o);
    } catch (const ConfigError& e) {
      return e.formatted().substr(e.formatted().find(':') + 1);
    }
    return std::string("(no error)");
  };
  CHECK(module_error("mod") == "(no error)");
  CHECK(module_error("linked") == "2:9: error: module: 'linked' is outside the config's directory (through a symlink)");
  fs::create_symlink(t.root / "other", sub.root.parent_path() / (sub.root.filename().string() + "-sibling"));
  CHECK(module_error("../" + sub.root.filename().string() + "-sibling") ==
        "2:9: error: module: '../" + sub.root.filename().string() +
            "-sibling' is outside the config's directory");
  fs::remove(sub.root.parent_path() / (sub.root.filename().string() + "-sibling"));
}
