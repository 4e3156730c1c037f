#include "gobuild/driver/diagnostics.hpp"

#include <algorithm>

#include "gobuild/util/strings.hpp"

namespace gobuild {

namespace {

void add_once(std::vector<std::string>& v, std::string s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

// glibc's own libraries: all in libc6-dev's static archives.
bool is_libc_part(const std::string& lib) {
  static const char* const parts[] = {"c", "pthread", "dl", "m", "rt", "resolv", "util",
                                      "anl", "crypt", "nsl"};
  for (const char* p : parts)
    if (lib == p) return true;
  return false;
}

} // namespace

LinkFindings scan_link_output(std::string_view output) {
  LinkFindings f;
  static constexpr std::string_view kUsing = "Using '";
  static constexpr std::string_view kStatic = "' in statically linked applications requires";
  static constexpr std::string_view kCannotFind = "cannot find -l";
  static constexpr std::string_view kCompiler = "C compiler \"";
  for (const auto& line : split(output, '\n')) {
    std::string_view l = line;
    size_t u = l.find(kUsing);
    if (u != std::string_view::npos) {
      size_t name_start = u + kUsing.size();
      size_t q = l.find(kStatic, name_start);
      if (q != std::string_view::npos) add_once(f.nss_functions, line.substr(name_start, q - name_start));
    }
    size_t c = l.find(kCannotFind);
    if (c != std::string_view::npos) {
      size_t s = c + kCannotFind.size();
      size_t e = s;
      while (e < l.size() && l[e] != ':' && l[e] != ' ' && l[e] != '\r') ++e;
      add_once(f.missing_libs, line.substr(s, e - s));
    }
    size_t k = l.find(kCompiler);
    if (k != std::string_view::npos && l.find("not found", k) != std::string_view::npos) {
      size_t s = k + kCompiler.size();
      size_t e = l.find('"', s);
      if (e != std::string_view::npos) f.missing_cc = line.substr(s, e - s);
    }
  }
  return f;
}

std::string nss_warning(const std::string& target, const std::string& function) {
  return target + ": " + function +
         ": glibc loads NSS modules at run time even in a static binary; add tags [netgo, "
         "osusergo] to use Go's own resolver and user lookup, or link against musl";
}

std::vector<std::string> missing_tool_errors(const std::string& target, const LinkFindings& f) {
  std::vector<std::string> out;
  for (const auto& lib : f.missing_libs) {
    if (is_libc_part(lib))
      out.push_back(target + ": the linker cannot find lib" + lib +
                    ".a, the static C library: install libc6-dev (Debian/Ubuntu: apt-get install "
                    "libc6-dev), or link with musl-gcc from musl-tools");
    else
      out.push_back(target + ": the linker cannot find lib" + lib +
                    ".a: install the package that ships its static archive (on Debian the "
                    "lib" + lib + "-dev package, as a rule)");
  }
  if (!f.missing_cc.empty()) {
    if (f.missing_cc.find("musl") != std::string::npos)
      out.push_back(target + ": C compiler " + f.missing_cc +
                    " not found: install musl-tools (apt-get install musl-tools)");
    else
      out.push_back(target + ": C compiler " + f.missing_cc +
                    " not found: install gcc (apt-get install gcc libc6-dev), or set cgo: false");
  }
  return out;
}

GoFailure classify_go_failure(std::string_view output) {
  auto has = [&output](std::string_view what) { return output.find(what) != std::string_view::npos; };
  // The module's own mistakes first: a retry elsewhere fails the same way.
  static constexpr std::string_view kInput[] = {
      "replacement directory",   // replace example.com/x => ../x, and ../x is not there
      "missing go.sum entry",    // go.sum lacks a line the build needs
      "errors parsing go.mod",
  };
  for (auto w : kInput)
    if (has(w)) return GoFailure::input;
  static constexpr std::string_view kEnvironment[] = {
      "module lookup disabled by GOPROXY=off", // not in the module cache, and no fetching
      ": reading file://",                     // a file:// proxy without the module
      ": reading http://",                     // a proxy's refusal (404, 410, 403, 5xx)
      ": reading https://",
      "dial tcp",                              // the network: refused, no route, no DNS
      "no such host",
      "i/o timeout",
      "TLS handshake timeout",
      "connection reset by peer",
      "network is unreachable",
      "toolchain not available",              // GOTOOLCHAIN could not download it
      "no space left on device",
      "disk quota exceeded",
  };
  for (auto w : kEnvironment)
    if (has(w)) return GoFailure::environment;
  return GoFailure::other;
}

int exit_code_of(GoFailure f) {
  switch (f) {
    case GoFailure::input: return 2;
    case GoFailure::environment: return 3;
    case GoFailure::other: break;
  }
  return 1;
}

} // namespace gobuild
