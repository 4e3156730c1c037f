#pragma once
// The git work tree that holds a module, read from .git directly, without running git: the
// commit HEAD names, the tags that point at it and a commit's committer time. It reads what a
// build needs and no more: HEAD (symbolic or detached), loose refs, packed-refs (with their
// peeled `^` lines), loose objects (zlib) and packed objects (.idx v2 and .pack, deltas too).
// Both object formats: SHA-1 (40 hex digits) and SHA-256 (64).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gobuild {

/// Where a work tree's git data lives. For a `git worktree add` tree, `gitdir` is its own
/// directory under the main repository's .git/worktrees/ and `commondir` the main .git.
struct GitRepo {
  std::string top;       ///< the work tree's top directory (holds .git)
  std::string gitdir;    ///< HEAD and the per-worktree refs
  std::string commondir; ///< objects, refs, packed-refs
};

/// The work tree holding `dir` (it or its nearest parent with a .git directory or a
/// `gitdir: PATH` file); nullopt outside a work tree.
std::optional<GitRepo> find_git_repo(const std::string& dir);

/// The object id a ref names (`HEAD`, `refs/heads/main`), following symbolic refs; nullopt
/// when it names nothing (an unborn branch).
std::optional<std::string> git_resolve_ref(const GitRepo& repo, const std::string& ref);

/// A tag and the commit it points at (an annotated tag peeled to its commit).
struct GitTag {
  std::string name;   ///< without refs/tags/: "v1.2.0"
  std::string commit;
};

/// Every tag of the repository, loose and packed (a loose ref wins over a packed one of the
/// same name), sorted by name. An annotated tag is peeled through packed-refs' `^` line when
/// there is one, else by reading the tag object. A tag whose object is not in the repository
/// (a shallow clone) is left out; ParseError for an object that is there but cannot be read.
std::vector<GitTag> git_tags(const GitRepo& repo);

/// The names of the tags that point at `commit`, sorted by name.
std::vector<std::string> git_tags_at(const GitRepo& repo, const std::string& commit);

/// One git object: its type ("commit", "tag", "tree", "blob") and its contents.
struct GitObject {
  std::string type;
  std::string data;
};

/// Reads the object `id` (hex) from the loose objects or the packs. nullopt when no loose
/// object or pack index has it; ParseError when it is there but cannot be read (corrupt, a
/// delta chain too deep or broken).
std::optional<GitObject> git_read_object(const GitRepo& repo, const std::string& id);

/// The committer time (Unix seconds) of commit `id`. ParseError when the commit cannot be read
/// or has no committer line.
std::int64_t git_commit_time(const GitRepo& repo, const std::string& id);

/// The `committer NAME <EMAIL> SECONDS TZ` time of a commit object's text; nullopt when there is
/// no well-formed committer line in its header.
std::optional<std::int64_t> commit_committer_time(const std::string& commit_text);

/// The commit HEAD names in the work tree that holds `dir`; nullopt outside a work tree or
/// with an unborn HEAD. `top` receives the work tree's top directory.
std::optional<std::string> git_head_commit(const std::string& dir, std::string* top = nullptr);

/// Git's delta format: applies `delta` to `base`. ParseError when it does not fit.
std::string git_apply_delta(const std::string& base, const std::string& delta);

} // namespace gobuild
