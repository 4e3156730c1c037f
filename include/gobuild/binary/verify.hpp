#pragma once
// The verdict on an inspected binary (doc/json.md, linkage): pass/fail and the problems found. Pure:
// no I/O, so that `gobuild build` and `gobuild verify` judge exactly alike.
#include <string>
#include <vector>

#include "gobuild/binary/info.hpp"

namespace gobuild {

/// The config's `static:` key. `off` reports only; `on` needs static/static-pie ELF output;
/// `strict` also fails a cgo binary without both the netgo and osusergo tags.
enum class StaticMode { off, on, strict };

struct VerifyPolicy {
  StaticMode static_mode = StaticMode::on;
};

struct Verdict {
  bool ok = true;
  /// Human-readable, one sentence each. Failures first; warnings start with "warning: ".
  std::vector<std::string> problems;
};

/// Judges linkage (only static and static-pie pass; PE/Mach-O are not judged) and the
/// cgo/NSS rule. An ELF that is not static fails unless the policy is `off`.
Verdict judge(const BinaryInfo& info, const VerifyPolicy& policy);

/// `needs libc.so.6 (interpreter /lib64/ld-linux-x86-64.so.2)`; empty when neither is there.
std::string dependency_detail(const BinaryInfo& info);

/// `dynamic: needs libc.so.6, libpthread.so.0 (interpreter /lib64/ld-linux-x86-64.so.2)`.
std::string describe_linkage(const BinaryInfo& info);

} // namespace gobuild
