// The .git reader against hand-made trees and against real repositories that `git` makes in a
// scratch directory (pinned dates and no user or system config, so every id is the same on
// every machine).
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

#include <zlib.h>

#include "gobuild/attest/git.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/gobuild-git-XXXXXX";
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  void write(const std::string& rel, const std::string& data) const {
    std::string full = path + "/" + rel;
    std::system(("mkdir -p \"$(dirname '" + full + "')\"").c_str());
    std::ofstream(full, std::ios::binary) << data;
  }
};

const char* kCommit = "0123456789abcdef0123456789abcdef01234567";

/// Runs a shell line in `dir` with git pinned (no config, fixed dates); its stdout, trimmed.
std::string sh(const std::string& dir, const std::string& line) {
  std::string cmd = "cd '" + dir + "' && env GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME='" + dir +
                    "' GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=c "
                    "GIT_COMMITTER_EMAIL=c@example.com GIT_AUTHOR_DATE='2024-01-02T03:04:05Z' "
                    "GIT_COMMITTER_DATE='2024-01-02T03:04:05Z' sh -c '" + line + "' 2>/dev/null";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  REQUIRE(::pclose(p) == 0);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

/// A repository with two commits: v1.0.0 (annotated) and v1.0.0-rc1 (lightweight) on the
/// first, v1.1.0 (annotated), v1.2.0-beta (lightweight) and "latest" (lightweight) on HEAD.
struct Repo {
  TempDir t;
  std::string first, head;
  Repo() {
    sh(t.path, "git init -q -b main repo && cd repo && echo one > f && git add f && git commit -q -m one && "
               "git tag -a -m release v1.0.0 && git tag v1.0.0-rc1");
    first = sh(t.path + "/repo", "git rev-parse HEAD");
    // The second commit at another time, so that its committer time is its own.
    sh(t.path + "/repo", "echo two > f && GIT_COMMITTER_DATE=2024-02-03T04:05:06Z git commit -q -am two && "
                         "git tag -a -m release v1.1.0 && git tag v1.2.0-beta && git tag latest");
    head = sh(t.path + "/repo", "git rev-parse HEAD");
  }
  std::string dir() const { return t.path + "/repo"; }
};

} // namespace

TEST_CASE("git_head_commit reads .git without running git") {
  TempDir t;
  CHECK_FALSE(git_head_commit(t.path + "/nowhere").has_value());

  SUBCASE("symbolic HEAD, loose ref, from a subdirectory") {
    t.write(".git/HEAD", "ref: refs/heads/main\n");
    t.write(".git/refs/heads/main", std::string(kCommit) + "\n");
    t.write("cmd/app/main.go", "package main\n");
    std::string top;
    CHECK(git_head_commit(t.path + "/cmd/app", &top) == std::string(kCommit));
    CHECK(top == t.path);
  }
  SUBCASE("packed ref") {
    t.write(".git/HEAD", "ref: refs/heads/main\n");
    t.write(".git/packed-refs", std::string("# pack-refs with: peeled\n") + kCommit + " refs/heads/main\n");
    CHECK(git_head_commit(t.path) == std::string(kCommit));
  }
  SUBCASE("detached HEAD") {
    t.write(".git/HEAD", std::string(kCommit) + "\n");
    CHECK(git_head_commit(t.path) == std::string(kCommit));
  }
  SUBCASE("a worktree's .git file with commondir") {
    t.write("main/.git/refs/heads/feature", std::string(kCommit) + "\n");
    t.write("main/.git/worktrees/wt/HEAD", "ref: refs/heads/feature\n");
    t.write("main/.git/worktrees/wt/commondir", "../..\n");
    t.write("wt/.git", "gitdir: " + t.path + "/main/.git/worktrees/wt\n");
    CHECK(git_head_commit(t.path + "/wt") == std::string(kCommit));
  }
  SUBCASE("an unborn branch has no commit") {
    t.write(".git/HEAD", "ref: refs/heads/main\n");
    CHECK_FALSE(git_head_commit(t.path).has_value());
  }
}

TEST_CASE("a real repository: loose refs and loose objects") {
  Repo r;
  auto repo = find_git_repo(r.dir());
  REQUIRE(repo.has_value());
  CHECK(git_resolve_ref(*repo, "HEAD") == r.head);
  CHECK(git_tags_at(*repo, r.head) == std::vector<std::string>{"latest", "v1.1.0", "v1.2.0-beta"});
  CHECK(git_tags_at(*repo, r.first) == std::vector<std::string>{"v1.0.0", "v1.0.0-rc1"});
  CHECK(git_commit_time(*repo, r.head) == 1706933106); // 2024-02-03T04:05:06Z
  CHECK(git_commit_time(*repo, r.first) == 1704164645); // 2024-01-02T03:04:05Z
  auto tag = git_read_object(*repo, sh(r.dir(), "git rev-parse v1.1.0"));
  REQUIRE(tag.has_value());
  CHECK(tag->type == "tag");
  CHECK(tag->data.rfind("object " + r.head + "\ntype commit\ntag v1.1.0\n", 0) == 0);
  CHECK_FALSE(git_read_object(*repo, std::string(40, 'f')).has_value());
}

TEST_CASE("a real repository after git pack-refs --all: peeled lines") {
  Repo r;
  sh(r.dir(), "git pack-refs --all");
  auto repo = find_git_repo(r.dir());
  REQUIRE(repo.has_value());
  CHECK(sh(r.dir(), "ls .git/refs/tags | wc -l") == "0");
  CHECK(git_resolve_ref(*repo, "HEAD") == r.head);
  CHECK(git_tags_at(*repo, r.head) == std::vector<std::string>{"latest", "v1.1.0", "v1.2.0-beta"});
  CHECK(git_tags_at(*repo, r.first) == std::vector<std::string>{"v1.0.0", "v1.0.0-rc1"});

  SUBCASE("a loose ref wins over the packed one of the same name") {
    sh(r.dir(), "git tag -f latest " + r.first);
    CHECK(git_tags_at(*repo, r.head) == std::vector<std::string>{"v1.1.0", "v1.2.0-beta"});
  }
  SUBCASE("without peeled lines the tag objects are read") {
    sh(r.dir(), "grep -v \"^\\^\" .git/packed-refs | sed \"s/ peeled fully-peeled//\" > p && mv p .git/packed-refs");
    CHECK(git_tags_at(*repo, r.head) == std::vector<std::string>{"latest", "v1.1.0", "v1.2.0-beta"});
  }
}

TEST_CASE("a real repository after git gc: every object in a pack") {
  Repo r;
  sh(r.dir(), "git gc -q --prune=now");
  auto repo = find_git_repo(r.dir());
  REQUIRE(repo.has_value());
  CHECK(sh(r.dir(), "find .git/objects -type f ! -path \"*/pack/*\" ! -path \"*/info/*\" | wc -l") == "0");
  CHECK(git_resolve_ref(*repo, "HEAD") == r.head);
  CHECK(git_commit_time(*repo, r.head) == 1706933106);
  CHECK(git_commit_time(*repo, r.first) == 1704164645);
  CHECK(git_tags_at(*repo, r.head) == std::vector<std::string>{"latest", "v1.1.0", "v1.2.0-beta"});
  auto blob = git_read_object(*repo, sh(r.dir(), "git rev-parse HEAD:f"));
  REQUIRE(blob.has_value());
  CHECK(blob->type == "blob");
  CHECK(blob->data == "two\n");
}

TEST_CASE("deltified objects in a pack: OFS_DELTA and REF_DELTA") {
  Repo r;
  // Blobs alike enough that git stores one as a delta of the other.
  std::string text;
  for (int i = 0; i < 200; ++i) text += "line " + std::to_string(i) + " of a file that changes little\n";
  std::ofstream(r.dir() + "/big") << text;
  sh(r.dir(), "git add big && git commit -q -m big && echo tail >> big && git commit -q -am big2");
  const std::string v1 = sh(r.dir(), "git rev-parse HEAD~1:big"), v2 = sh(r.dir(), "git rev-parse HEAD:big");
  SUBCASE("OFS_DELTA") {
    sh(r.dir(), "git repack -a -d -q -f --window=10 --depth=10");
  }
  SUBCASE("REF_DELTA") {
    sh(r.dir(), "git -c repack.useDeltaBaseOffset=false -c pack.useDeltaBaseOffset=false repack -a -d -q -f --window=10 --depth=10");
  }
  CHECK(sh(r.dir(), "git verify-pack -v .git/objects/pack/*.idx | grep -c \"^[0-9a-f]* blob .* 1 \" || true") != "0");
  auto repo = find_git_repo(r.dir());
  REQUIRE(repo.has_value());
  auto a = git_read_object(*repo, v1), b = git_read_object(*repo, v2);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(a->data == text);
  CHECK(b->data == text + "tail\n");
}

TEST_CASE("a detached HEAD and a git worktree add tree") {
  Repo r;
  sh(r.dir(), "git checkout -q --detach " + r.first);
  auto repo = find_git_repo(r.dir());
  REQUIRE(repo.has_value());
  CHECK(git_resolve_ref(*repo, "HEAD") == r.first);
  CHECK(git_tags_at(*repo, r.first) == std::vector<std::string>{"v1.0.0", "v1.0.0-rc1"});

  sh(r.dir(), "git checkout -q main && git worktree add -q --detach ../wt " + r.first);
  auto wt = find_git_repo(r.t.path + "/wt");
  REQUIRE(wt.has_value());
  CHECK(wt->top == r.t.path + "/wt");
  CHECK(wt->commondir.find("/repo/.git") != std::string::npos);
  CHECK(git_resolve_ref(*wt, "HEAD") == r.first);
  CHECK(git_resolve_ref(*repo, "HEAD") == r.head);
  CHECK(git_tags_at(*wt, r.first) == std::vector<std::string>{"v1.0.0", "v1.0.0-rc1"});
  CHECK(git_commit_time(*wt, r.first) == 1704164645);
}

TEST_CASE("commit_committer_time reads the header only") {
  CHECK(commit_committer_time("tree x\nauthor A <a@b> 1 +0000\ncommitter C <c@d> 1704164645 +0100\n\nmsg\n") ==
        1704164645);
  CHECK_FALSE(commit_committer_time("tree x\n\ncommitter C <c@d> 5 +0000\n").has_value());
  CHECK_FALSE(commit_committer_time("committer C <c@d> soon +0000\n").has_value());
}

TEST_CASE("git_apply_delta follows git's delta format") {
  const std::string base = "hello, world";
  // base size 12, result size 12: copy 7 bytes from 0, insert "there".
  std::string delta = std::string("\x0c\x0c") + "\x90\x07" + "\x05there";
  CHECK(git_apply_delta(base, delta) == "hello, there");
  CHECK_THROWS_AS(git_apply_delta("short", delta), ParseError);
  std::string outside = std::string("\x0c\x20") + "\x91\x08\x10";
  CHECK_THROWS_WITH_AS(git_apply_delta(base, outside), "delta: copy outside the base", ParseError);
  CHECK_THROWS_WITH_AS(git_apply_delta(base, std::string("\x0c\x01\x00", 3)), "delta: reserved opcode 0", ParseError);
}

TEST_CASE("a tag whose object is missing is left out; a corrupt one is an error") {
  Repo r;
  auto repo = find_git_repo(r.dir());
  REQUIRE(repo.has_value());
  sh(r.dir(), "echo " + std::string(40, 'e') + " > .git/refs/tags/gone");
  CHECK(git_tags_at(*repo, r.head) == std::vector<std::string>{"latest", "v1.1.0", "v1.2.0-beta"});
  const std::string tag = sh(r.dir(), "git rev-parse v1.1.0");
  sh(r.dir(), "chmod u+w .git/objects/" + tag.substr(0, 2) + "/" + tag.substr(2) + " && echo junk > .git/objects/" +
                  tag.substr(0, 2) + "/" + tag.substr(2));
  CHECK_THROWS_AS(git_tags_at(*repo, r.head), ParseError);
}

TEST_CASE("a corrupt loose object is an error, not a crash") {
  TempDir t;
  t.write(".git/HEAD", std::string(kCommit) + "\n");
  t.write(std::string(".git/objects/01/") + (kCommit + 2), "not zlib at all");
  auto repo = find_git_repo(t.path);
  REQUIRE(repo.has_value());
  CHECK_THROWS_AS(git_commit_time(*repo, kCommit), ParseError);
}
