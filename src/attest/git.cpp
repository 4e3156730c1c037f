// Reading a git repository without git: refs, loose objects, packs. Every size and offset read
// from a file is checked before it is used; an object is at most kMaxObject bytes.
#include "gobuild/attest/git.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "gobuild/util/error.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

constexpr std::size_t kMaxObject = 64u << 20;    // commits and tags are tiny; a cap on hostile input
constexpr std::size_t kMaxRefFile = 64u << 20;   // packed-refs of a very large repository
constexpr int kMaxDeltaDepth = 64;               // git's own default is 50

/// An open file descriptor, closed when it goes.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

/// Opens a regular file without blocking (a FIFO in .git must not hang a build).
int open_regular(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return -1;
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool read_file(const std::string& path, std::string& out, std::size_t limit = kMaxRefFile) {
  Fd f(open_regular(path));
  if (f.fd < 0) return false;
  out.clear();
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(f.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > limit) return false;
  }
}

bool pread_all(int fd, void* buf, std::size_t len, std::uint64_t off) {
  auto* p = static_cast<unsigned char*>(buf);
  while (len) {
    ssize_t n = ::pread(fd, p, len, static_cast<off_t>(off));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= static_cast<std::size_t>(n);
    off += static_cast<std::uint64_t>(n);
  }
  return true;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

bool is_object_id(const std::string& s) {
  if (s.size() != 40 && s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_dir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string parent(const std::string& p) {
  auto pos = p.find_last_of('/');
  if (pos == std::string::npos || pos == 0) return "/";
  return p.substr(0, pos);
}

std::string to_hex(const unsigned char* b, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[b[i] >> 4];
    out += digits[b[i] & 15];
  }
  return out;
}

std::string from_hex(const std::string& hex) {
  auto v = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>((v(hex[i]) << 4) | v(hex[i + 1]));
  return out;
}

/// Inflates one zlib stream read through `next` (which fills a buffer and returns its length,
/// 0 at the end of the input). The result must be exactly `expected` bytes when that is given.
template <typename Next>
std::string inflate_stream(Next next, std::optional<std::size_t> expected) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) throw ParseError("zlib: cannot initialise");
  std::string out;
  unsigned char in[16384];
  unsigned char buf[65536];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (zs.avail_in == 0) {
      std::size_t n = next(in, sizeof in);
      if (n == 0) break;
      zs.next_in = in;
      zs.avail_in = static_cast<uInt>(n);
    }
    zs.next_out = buf;
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw ParseError(std::string("zlib: ") + (zs.msg ? zs.msg : "corrupt data"));
    }
    out.append(reinterpret_cast<char*>(buf), sizeof buf - zs.avail_out);
    if (out.size() > kMaxObject || (expected && out.size() > *expected)) {
      inflateEnd(&zs);
      throw ParseError("object larger than it says or than " + std::to_string(kMaxObject >> 20) +
                       " MiB");
    }
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) throw ParseError("zlib: truncated data");
  if (expected && out.size() != *expected) throw ParseError("object shorter than it says");
  return out;
}

std::optional<GitObject> read_loose(const GitRepo& repo, const std::string& id) {
  const std::string path = repo.commondir + "/objects/" + id.substr(0, 2) + "/" + id.substr(2);
  std::string raw;
  if (!read_file(path, raw, kMaxObject)) return std::nullopt;
  std::size_t pos = 0;
  std::string text = inflate_stream(
      [&](unsigned char* buf, std::size_t len) {
        std::size_t n = std::min(len, raw.size() - pos);
        std::memcpy(buf, raw.data() + pos, n);
        pos += n;
        return n;
      },
      std::nullopt);
  // "TYPE SIZE\0DATA"
  std::size_t nul = text.find('\0');
  std::size_t sp = text.find(' ');
  if (nul == std::string::npos || sp == std::string::npos || sp > nul)
    throw ParseError("loose object " + id + ": no header");
  GitObject o;
  o.type = text.substr(0, sp);
  o.data = text.substr(nul + 1);
  if (text.substr(sp + 1, nul - sp - 1) != std::to_string(o.data.size()))
    throw ParseError("loose object " + id + ": size does not match its header");
  return o;
}

const char* const kTypeNames[] = {"", "commit", "tree", "blob", "tag", "", "ofs-delta", "ref-delta"};

/// One pack and its version-2 index.
class Pack {
public:
  Pack(const GitRepo& repo, const std::string& base) : repo_(repo), base_(base) {}

  /// The offset of `id` in the pack, when the index has it.
  std::optional<std::uint64_t> find(const std::string& id) {
    if (!load_index()) return std::nullopt;
    const std::string want = from_hex(id);
    if (want.size() != hash_len_) return std::nullopt;
    const unsigned first = static_cast<unsigned char>(want[0]);
    std::uint32_t lo = first == 0 ? 0 : fanout_[first - 1], hi = fanout_[first];
    while (lo < hi) {
      std::uint32_t mid = lo + (hi - lo) / 2;
      int c = std::memcmp(idx_.data() + names_ + std::size_t(mid) * hash_len_, want.data(), hash_len_);
      if (c == 0) return offset_of(mid);
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return std::nullopt;
  }

  /// The object at `offset`, deltas applied.
  GitObject read_at(std::uint64_t offset, int depth = 0) {
    if (depth > kMaxDeltaDepth) throw ParseError(base_ + ".pack: delta chain deeper than " + std::to_string(kMaxDeltaDepth));
    Fd f(open_regular(base_ + ".pack"));
    if (f.fd < 0) throw ParseError(base_ + ".pack: " + std::strerror(errno));
    struct stat st;
    ::fstat(f.fd, &st);
    const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
    unsigned char hdr[32];
    const std::size_t avail = offset < size ? static_cast<std::size_t>(std::min<std::uint64_t>(sizeof hdr, size - offset)) : 0;
    if (avail < 2 || !pread_all(f.fd, hdr, avail, offset)) throw ParseError(base_ + ".pack: entry past the end");
    // Type in bits 4-6 of the first byte, size in its low 4 bits and 7 bits of each next byte.
    std::size_t i = 0;
    unsigned type = (hdr[0] >> 4) & 7;
    std::uint64_t obj_size = hdr[0] & 15;
    int shift = 4;
    while (hdr[i] & 0x80) {
      if (++i >= avail || shift > 56) throw ParseError(base_ + ".pack: bad entry header");
      obj_size |= std::uint64_t(hdr[i] & 0x7f) << shift;
      shift += 7;
    }
    ++i;
    if (obj_size > kMaxObject) throw ParseError(base_ + ".pack: object too large");
    std::optional<std::uint64_t> base_offset;
    std::string base_id;
    if (type == 6) { // OFS_DELTA: a negative offset, big-endian 7-bit groups with +1 per group
      if (i >= avail) throw ParseError(base_ + ".pack: bad delta offset");
      std::uint64_t back = hdr[i] & 0x7f;
      while (hdr[i] & 0x80) {
        if (++i >= avail || back > (std::uint64_t(1) << 56)) throw ParseError(base_ + ".pack: bad delta offset");
        back = ((back + 1) << 7) | (hdr[i] & 0x7f);
      }
      ++i;
      if (back == 0 || back > offset) throw ParseError(base_ + ".pack: delta base outside the pack");
      base_offset = offset - back;
    } else if (type == 7) { // REF_DELTA: the base's object id
      unsigned char id[32];
      if (!pread_all(f.fd, id, hash_len_, offset + i)) throw ParseError(base_ + ".pack: bad delta base");
      base_id = to_hex(id, hash_len_);
      i += hash_len_;
    } else if (type < 1 || type > 4) {
      throw ParseError(base_ + ".pack: unknown object type " + std::to_string(type));
    }
    std::uint64_t pos = offset + i;
    std::string data = inflate_stream(
        [&](unsigned char* buf, std::size_t len) -> std::size_t {
          if (pos >= size) return 0;
          std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(len, size - pos));
          if (!pread_all(f.fd, buf, n, pos)) return 0;
          pos += n;
          return n;
        },
        static_cast<std::size_t>(obj_size));
    if (type <= 4) return GitObject{kTypeNames[type], std::move(data)};
    GitObject base;
    if (base_offset) {
      base = read_at(*base_offset, depth + 1);
    } else {
      auto b = git_read_object(repo_, base_id);
      if (!b) throw ParseError(base_ + ".pack: delta base " + base_id + " is not in the repository");
      base = std::move(*b);
    }
    return GitObject{base.type, git_apply_delta(base.data, data)};
  }

private:
  bool load_index() {
    if (loaded_) return ok_;
    loaded_ = true;
    if (!read_file(base_ + ".idx", idx_, std::size_t(1) << 30)) return false;
    // "\377tOc", version 2, 256 fan-out counts, the names, CRCs, 4-byte offsets, 8-byte offsets.
    if (idx_.size() < 8 + 1024 || std::memcmp(idx_.data(), "\377tOc", 4) != 0 || be32(4) != 2)
      throw ParseError(base_ + ".idx: not a version 2 pack index");
    for (unsigned k = 0; k < 256; ++k) fanout_[k] = be32(8 + 4 * k);
    const std::uint64_t n = fanout_[255];
    // The hash length follows from the file size: 20 (SHA-1) or 32 (SHA-256).
    for (std::size_t len : {std::size_t(20), std::size_t(32)}) {
      const std::uint64_t need = 8 + 1024 + n * (len + 8) + 2 * len;
      if (idx_.size() >= need && (idx_.size() - need) % 8 == 0 &&
          (idx_.size() - need) / 8 <= n) {
        hash_len_ = len;
        break;
      }
    }
    if (hash_len_ == 0) throw ParseError(base_ + ".idx: size does not fit its object count");
    names_ = 8 + 1024;
    offsets_ = names_ + n * hash_len_ + n * 4;
    large_ = offsets_ + n * 4;
    ok_ = true;
    return true;
  }

  std::uint32_t be32(std::uint64_t at) const {
    if (at + 4 > idx_.size()) throw ParseError(base_ + ".idx: truncated");
    const auto* p = reinterpret_cast<const unsigned char*>(idx_.data()) + at;
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
  }

  std::uint64_t offset_of(std::uint32_t index) const {
    std::uint32_t small = be32(offsets_ + std::uint64_t(index) * 4);
    if (!(small & 0x80000000u)) return small;
    std::uint64_t at = large_ + std::uint64_t(small & 0x7fffffffu) * 8;
    return std::uint64_t(be32(at)) << 32 | be32(at + 4);
  }

  const GitRepo& repo_;
  std::string base_; ///< the path without .idx/.pack
  bool loaded_ = false, ok_ = false;
  std::string idx_;
  std::uint32_t fanout_[256] = {};
  std::size_t hash_len_ = 0;
  std::uint64_t names_ = 0, offsets_ = 0, large_ = 0;
};

std::vector<std::string> pack_bases(const GitRepo& repo) {
  std::vector<std::string> out;
  const std::string dir = repo.commondir + "/objects/pack";
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (ends_with(name, ".idx")) out.push_back(dir + "/" + name.substr(0, name.size() - 4));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

/// The loose refs under DIR/PREFIX (e.g. refs/tags), recursively: name → file contents.
void loose_refs(const std::string& root, const std::string& prefix, std::map<std::string, std::string>& out,
                int depth = 0) {
  if (depth > 16) return;
  DIR* d = ::opendir((root + "/" + prefix).c_str());
  if (!d) return;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  for (const auto& name : names) {
    const std::string ref = prefix + "/" + name;
    const std::string path = root + "/" + ref;
    if (is_dir(path)) {
      loose_refs(root, ref, out, depth + 1);
      continue;
    }
    std::string content;
    if (read_file(path, content, 4096)) out[ref] = trim(content);
  }
}

struct PackedRef {
  std::string id;
  std::string peeled; ///< the `^ID` line after an annotated tag; "" when none
};

std::map<std::string, PackedRef> packed_refs(const GitRepo& repo) {
  std::map<std::string, PackedRef> out;
  std::string text;
  if (!read_file(repo.commondir + "/packed-refs", text)) return out;
  std::string last;
  for (const auto& raw : split(text, '\n')) {
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '^') {
      if (!last.empty() && is_object_id(line.substr(1))) out[last].peeled = line.substr(1);
      continue;
    }
    auto sp = line.find(' ');
    if (sp == std::string::npos || !is_object_id(line.substr(0, sp))) {
      last.clear();
      continue;
    }
    last = line.substr(sp + 1);
    out[last] = PackedRef{line.substr(0, sp), ""};
  }
  return out;
}

/// Follows tag objects to what they point at (a tag may tag a tag). "" when an object is not
/// in the repository at all (a shallow clone's tag of history it does not have).
std::string peel(const GitRepo& repo, std::string id) {
  for (int depth = 0; depth < 8; ++depth) {
    auto o = git_read_object(repo, id);
    if (!o) return "";
    if (o->type != "tag") return id;
    if (!starts_with(o->data, "object ") || o->data.find('\n') == std::string::npos)
      throw ParseError("tag object " + id + " has no object line");
    std::string target = o->data.substr(7, o->data.find('\n') - 7);
    if (!is_object_id(target)) throw ParseError("tag object " + id + " has a bad object line");
    id = target;
  }
  throw ParseError("tag " + id + ": too many tags of tags");
}

} // namespace

std::optional<GitRepo> find_git_repo(const std::string& dir) {
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  for (int depth = 0; depth < 64; ++depth) {
    const std::string dotgit = d + "/.git";
    std::string gitdir;
    if (is_dir(dotgit)) {
      gitdir = dotgit;
    } else {
      std::string content;
      if (read_file(dotgit, content, 4096) && starts_with(content, "gitdir: ")) {
        gitdir = trim(content.substr(8));
        if (!gitdir.empty() && gitdir[0] != '/') gitdir = d + "/" + gitdir;
      }
    }
    if (!gitdir.empty()) {
      GitRepo r;
      r.top = d;
      r.gitdir = gitdir;
      r.commondir = gitdir;
      std::string rel;
      if (read_file(gitdir + "/commondir", rel, 4096)) {
        rel = trim(rel);
        if (!rel.empty()) r.commondir = rel[0] == '/' ? rel : gitdir + "/" + rel;
      }
      return r;
    }
    if (d == "/" || d.empty()) break;
    d = parent(d);
  }
  return std::nullopt;
}

std::optional<std::string> git_resolve_ref(const GitRepo& repo, const std::string& start) {
  std::string ref = start;
  for (int depth = 0; depth < 5; ++depth) {
    std::string content;
    // HEAD and refs/worktree/ are per work tree; everything else is shared.
    if (read_file(repo.gitdir + "/" + ref, content, 4096) ||
        read_file(repo.commondir + "/" + ref, content, 4096)) {
      content = trim(content);
      if (starts_with(content, "ref: ")) {
        ref = content.substr(5);
        continue;
      }
      return is_object_id(content) ? std::optional<std::string>(content) : std::nullopt;
    }
    auto packed = packed_refs(repo);
    auto it = packed.find(ref);
    if (it != packed.end()) return it->second.id;
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<GitTag> git_tags(const GitRepo& repo) {
  std::map<std::string, std::string> loose;
  loose_refs(repo.commondir, "refs/tags", loose);
  std::vector<GitTag> out;
  auto packed = packed_refs(repo);
  for (const auto& [ref, p] : packed) {
    if (!starts_with(ref, "refs/tags/") || loose.count(ref)) continue;
    std::string commit = p.peeled.empty() ? peel(repo, p.id) : p.peeled;
    if (!commit.empty()) out.push_back(GitTag{ref.substr(10), commit});
  }
  for (const auto& [ref, id] : loose) {
    if (!is_object_id(id)) continue;
    std::string commit = peel(repo, id);
    if (!commit.empty()) out.push_back(GitTag{ref.substr(10), commit});
  }
  std::sort(out.begin(), out.end(), [](const GitTag& a, const GitTag& b) { return a.name < b.name; });
  return out;
}

std::vector<std::string> git_tags_at(const GitRepo& repo, const std::string& commit) {
  std::vector<std::string> out;
  for (const auto& t : git_tags(repo))
    if (t.commit == commit) out.push_back(t.name);
  return out;
}

std::optional<GitObject> git_read_object(const GitRepo& repo, const std::string& id) {
  if (!is_object_id(id)) return std::nullopt;
  if (auto o = read_loose(repo, id)) return o;
  for (const auto& base : pack_bases(repo)) {
    Pack p(repo, base);
    if (auto off = p.find(id)) return p.read_at(*off);
  }
  return std::nullopt;
}

std::optional<std::int64_t> commit_committer_time(const std::string& text) {
  for (const auto& line : split(text, '\n')) {
    if (line.empty()) break; // the end of the header
    if (!starts_with(line, "committer ")) continue;
    // committer NAME <EMAIL> SECONDS TZ: the time follows the last '>'.
    auto gt = line.rfind('>');
    if (gt == std::string::npos) return std::nullopt;
    std::string rest = line.substr(gt + 1);
    std::size_t b = rest.find_first_not_of(' ');
    if (b == std::string::npos) return std::nullopt;
    std::size_t e = rest.find(' ', b);
    std::string secs = rest.substr(b, e == std::string::npos ? std::string::npos : e - b);
    if (secs.empty() || secs.size() > 18 ||
        !std::all_of(secs.begin(), secs.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    return std::stoll(secs);
  }
  return std::nullopt;
}

std::int64_t git_commit_time(const GitRepo& repo, const std::string& id) {
  auto o = git_read_object(repo, id);
  if (!o) throw ParseError("commit " + id + " is not in the repository");
  if (o->type != "commit") throw ParseError("object " + id + " is a " + o->type + ", not a commit");
  auto t = commit_committer_time(o->data);
  if (!t) throw ParseError("commit " + id + " has no committer time");
  return *t;
}

std::optional<std::string> git_head_commit(const std::string& dir, std::string* top) {
  auto repo = find_git_repo(dir);
  if (!repo) return std::nullopt;
  if (top) *top = repo->top;
  return git_resolve_ref(*repo, "HEAD");
}

std::string git_apply_delta(const std::string& base, const std::string& delta) {
  std::size_t i = 0;
  auto varint = [&]() {
    std::uint64_t v = 0;
    int shift = 0;
    for (;;) {
      if (i >= delta.size() || shift > 56) throw ParseError("delta: truncated size");
      unsigned char c = static_cast<unsigned char>(delta[i++]);
      v |= std::uint64_t(c & 0x7f) << shift;
      shift += 7;
      if (!(c & 0x80)) return v;
    }
  };
  if (varint() != base.size()) throw ParseError("delta: base size does not match");
  const std::uint64_t want = varint();
  if (want > kMaxObject) throw ParseError("delta: result too large");
  std::string out;
  while (i < delta.size()) {
    unsigned char op = static_cast<unsigned char>(delta[i++]);
    if (op & 0x80) { // copy from the base: offset bytes by bits 0-3, size bytes by bits 4-6
      std::uint64_t off = 0, len = 0;
      for (int k = 0; k < 4; ++k)
        if (op & (1 << k)) {
          if (i >= delta.size()) throw ParseError("delta: truncated copy");
          off |= std::uint64_t(static_cast<unsigned char>(delta[i++])) << (8 * k);
        }
      for (int k = 0; k < 3; ++k)
        if (op & (0x10 << k)) {
          if (i >= delta.size()) throw ParseError("delta: truncated copy");
          len |= std::uint64_t(static_cast<unsigned char>(delta[i++])) << (8 * k);
        }
      if (len == 0) len = 0x10000;
      if (off > base.size() || len > base.size() - off) throw ParseError("delta: copy outside the base");
      out.append(base, static_cast<std::size_t>(off), static_cast<std::size_t>(len));
    } else if (op) { // insert the next op bytes
      if (op > delta.size() - i) throw ParseError("delta: truncated insert");
      out.append(delta, i, op);
      i += op;
    } else {
      throw ParseError("delta: reserved opcode 0");
    }
    if (out.size() > want) throw ParseError("delta: result larger than it says");
  }
  if (out.size() != want) throw ParseError("delta: result size does not match");
  return out;
}

} // namespace gobuild
