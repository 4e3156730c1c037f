#pragma once
// The verdict on an inspected binary (doc/json.md, linkage): pass/fail and the problems found. Pure:
// no I/O, so that `gobuild build` and `gobuild verify` judge exactly alike.
#include <string>
#include <utility>
#include <vector>

#include "gobuild/binary/info.hpp"

namespace gobuild {

/// The config's `static:` key. `off` reports only; `on` needs static/static-pie ELF output;
/// `strict` also fails a cgo binary without both the netgo and osusergo tags.
enum class StaticMode { off, on, strict };

struct VerifyPolicy {
  StaticMode static_mode = StaticMode::on;
};

enum class Severity { error, warning };

/// What a problem is about, so that a later stage can add to it (a fix hint, a path) without
/// reading its text.
enum class ProblemKind {
  linkage,        ///< not statically linked (dynamic, or a shared object)
  not_executable, ///< ET_REL, ET_CORE
  rpath,          ///< DT_RPATH or DT_RUNPATH present
  nss,            ///< cgo without netgo/osusergo: glibc may load NSS modules
  other
};

/// One finding about a build or a binary. Its severity is a type, never a prefix of its text.
struct Problem {
  Severity severity = Severity::error;
  ProblemKind kind = ProblemKind::other;
  std::string message; ///< one sentence, without "warning: " and without the hint
  std::string hint;    ///< how to fix it ("set cgo: false, ..."), or ""

  static Problem error(std::string message, ProblemKind kind = ProblemKind::other) {
    return Problem{Severity::error, kind, std::move(message), {}};
  }
  static Problem warning(std::string message, ProblemKind kind = ProblemKind::other) {
    return Problem{Severity::warning, kind, std::move(message), {}};
  }
  bool is_error() const { return severity == Severity::error; }
  /// "MESSAGE; HINT", or MESSAGE when there is no hint.
  std::string detail() const { return hint.empty() ? message : message + "; " + hint; }
  /// The text of the JSON `problems` arrays and of the human lines: detail(), after
  /// "warning: " for a warning.
  std::string text() const { return severity == Severity::warning ? "warning: " + detail() : detail(); }
};

/// Each problem's text(), in order.
std::vector<std::string> problem_texts(const std::vector<Problem>& problems);

/// True when some problem is an error.
bool any_error(const std::vector<Problem>& problems);

struct Verdict {
  bool ok = true;
  std::vector<Problem> problems; ///< failures first, then warnings
};

/// Judges linkage (only static and static-pie pass; PE/Mach-O are not judged) and the
/// cgo/NSS rule. An ELF that is not static fails unless the policy is `off`.
Verdict judge(const BinaryInfo& info, const VerifyPolicy& policy);

/// `needs libc.so.6 (interpreter /lib64/ld-linux-x86-64.so.2)`; empty when neither is there.
std::string dependency_detail(const BinaryInfo& info);

/// `dynamic: needs libc.so.6, libpthread.so.0 (interpreter /lib64/ld-linux-x86-64.so.2)`.
std::string describe_linkage(const BinaryInfo& info);

} // namespace gobuild
