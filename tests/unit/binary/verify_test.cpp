#include <doctest/doctest.h>

#include "gobuild/binary/verify.hpp"

using namespace gobuild;

namespace {

BinaryInfo elf(Linkage l) {
  BinaryInfo i;
  i.format = Format::elf;
  i.bits = 64;
  i.machine = "x86_64";
  i.type = l == Linkage::static_exe ? "exec" : "dyn";
  i.linkage = l;
  return i;
}

GoBuildInfo go_with(std::string cgo, std::string tags) {
  GoBuildInfo g;
  g.version = "go1.26.8";
  g.settings.emplace_back("CGO_ENABLED", std::move(cgo));
  if (!tags.empty()) g.settings.emplace_back("-tags", std::move(tags));
  return g;
}

} // namespace

TEST_CASE("only static and static-pie ELF files pass") {
  CHECK(judge(elf(Linkage::static_exe), {}).ok);
  CHECK(judge(elf(Linkage::static_pie), {}).ok);

  BinaryInfo dyn = elf(Linkage::dynamic);
  dyn.interpreter = "/lib64/ld-linux-x86-64.so.2";
  dyn.needed = {"libc.so.6"};
  Verdict v = judge(dyn, {});
  CHECK_FALSE(v.ok);
  REQUIRE(v.problems.size() == 1);
  CHECK(v.problems[0].text() == "dynamically linked: needs libc.so.6 (interpreter /lib64/ld-linux-x86-64.so.2)");
  CHECK(v.problems[0].severity == Severity::error);
  CHECK(v.problems[0].kind == ProblemKind::linkage);

  Verdict so = judge(elf(Linkage::shared_object), {});
  CHECK_FALSE(so.ok);
  CHECK(so.problems[0].text() == "ET_DYN without DF_1_PIE: a shared object, not a static executable");
  CHECK(so.problems[0].kind == ProblemKind::linkage);

  BinaryInfo rel = elf(Linkage::none);
  rel.type = "rel";
  CHECK(judge(rel, {}).problems[0].text() == "not an executable (type rel)");
  CHECK(judge(rel, {}).problems[0].kind == ProblemKind::not_executable);
}

TEST_CASE("static: false (--allow-dynamic) reports without failing") {
  VerifyPolicy off;
  off.static_mode = StaticMode::off;
  BinaryInfo dyn = elf(Linkage::dynamic);
  dyn.needed = {"libc.so.6"};
  Verdict v = judge(dyn, off);
  CHECK(v.ok);
  CHECK(v.problems.empty());
}

TEST_CASE("RPATH and RUNPATH are reported, not failed") {
  BinaryInfo i = elf(Linkage::static_exe);
  i.rpath = {"/opt/lib"};
  i.runpath = {"$ORIGIN/../lib"};
  Verdict v = judge(i, {});
  CHECK(v.ok);
  CHECK(problem_texts(v.problems) ==
        std::vector<std::string>{"warning: DT_RPATH /opt/lib", "warning: DT_RUNPATH $ORIGIN/../lib"});
  CHECK(v.problems[0].severity == Severity::warning);
  CHECK(v.problems[0].message == "DT_RPATH /opt/lib");
  CHECK_FALSE(any_error(v.problems));
}

TEST_CASE("a static cgo binary without netgo+osusergo warns, and fails under static: strict") {
  BinaryInfo i = elf(Linkage::static_exe);
  i.go = go_with("1", "netgo");
  Verdict v = judge(i, {});
  CHECK(v.ok);
  REQUIRE(v.problems.size() == 1);
  CHECK(v.problems[0].severity == Severity::warning);
  CHECK(v.problems[0].text() == "warning: cgo binary without the netgo and osusergo tags: glibc may load NSS "
                         "modules (libnss_*.so) at run time");

  VerifyPolicy strict;
  strict.static_mode = StaticMode::strict;
  Verdict s = judge(i, strict);
  CHECK_FALSE(s.ok);
  CHECK(s.problems[0].severity == Severity::error);
  CHECK(s.problems[0].kind == ProblemKind::nss);
  CHECK(s.problems[0].text() == "cgo binary without the netgo and osusergo tags: glibc may load NSS "
                         "modules (libnss_*.so) at run time (static: strict)");

  i.go = go_with("1", "osusergo,netgo");
  CHECK(judge(i, strict).ok);
  CHECK(judge(i, strict).problems.empty());
  i.go = go_with("0", "");
  CHECK(judge(i, strict).problems.empty());
}

TEST_CASE("PE and Mach-O linkage is not judged") {
  BinaryInfo pe;
  pe.format = Format::pe;
  pe.linkage = Linkage::not_applicable;
  pe.needed = {"KERNEL32.dll"};
  CHECK(judge(pe, {}).ok);
}

TEST_CASE("describe_linkage") {
  BinaryInfo dyn = elf(Linkage::dynamic);
  dyn.interpreter = "/lib/ld-musl-x86_64.so.1";
  CHECK(describe_linkage(dyn) == "dynamic: interpreter /lib/ld-musl-x86_64.so.1");
  dyn.needed = {"libc.so.6", "libpthread.so.0"};
  CHECK(describe_linkage(dyn) == "dynamic: needs libc.so.6, libpthread.so.0 (interpreter /lib/ld-musl-x86_64.so.1)");
  CHECK(describe_linkage(elf(Linkage::static_pie)) == "static-pie");
}

TEST_CASE("Problem: the severity is a field; text() writes it for the JSON and the human line") {
  Problem e = Problem::error("bin/app: dynamically linked", ProblemKind::linkage);
  e.hint = "set cgo: false";
  CHECK(e.is_error());
  CHECK(e.detail() == "bin/app: dynamically linked; set cgo: false");
  CHECK(e.text() == "bin/app: dynamically linked; set cgo: false");
  Problem w = Problem::warning("warning: is only text here");
  CHECK_FALSE(w.is_error());
  CHECK(w.kind == ProblemKind::other);
  CHECK(w.text() == "warning: warning: is only text here");
  CHECK(any_error({w, e}));
  CHECK_FALSE(any_error({w}));
  CHECK(problem_texts({}).empty());
}
