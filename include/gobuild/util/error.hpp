#pragma once
// Errors and exit codes shared by every stage.
//
// Low-level readers throw ParseError with a message that does not name the file; the layer that
// knows the path prefixes it ("bin/app: truncated program header table"). Everything the user
// should see as `gobuild: error: ...` with exit 2 is a UsageError; ConfigError carries the
// position so that the message reads `gobuild.yaml:LINE:COL: error: ...`.
#include <stdexcept>
#include <string>
#include <utility>

namespace gobuild {

/// The exit codes of doc/exit-codes.md.
enum class Exit : int {
  ok = 0,           ///< success
  failed = 1,       ///< a build, a verification or a reproducibility check failed
  usage = 2,        ///< usage, config or input error: nothing was built
  environment = 3,  ///< the environment failed before anything was built: retrying may help
  interrupted = 130 ///< SIGINT/SIGTERM: children stopped, temporaries removed
};

/// A binary could not be parsed. The message names the reason only, never the path.
struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A user-facing error that maps to exit 2 (usage or input).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A config mistake with its position (1-based line and column; 0 when unknown).
struct ConfigError : std::runtime_error {
  ConfigError(std::string file_name, int line_no, int column_no, const std::string& message)
      : std::runtime_error(message), file(std::move(file_name)), line(line_no), column(column_no) {}
  std::string file;
  int line;
  int column;
  /// `FILE:LINE:COL: error: MESSAGE`, the format doc/exit-codes.md promises.
  std::string formatted() const {
    std::string out = file;
    if (line > 0) {
      out += ':' + std::to_string(line);
      if (column > 0) out += ':' + std::to_string(column);
    }
    return out + ": error: " + what();
  }
};

/// A failed step (build, verification, reproducibility): exit 1.
struct BuildFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The environment failed before anything was built (the module proxy or the network while
/// vendoring, a toolchain that cannot be fetched, a full disk): exit 3, retrying may help.
struct EnvironmentFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

} // namespace gobuild
