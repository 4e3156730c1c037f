#pragma once
// What `gobuild build` shows while it works and when it is done (--color, -q; doc/commands.md). On a
// terminal: a live line per running build, redrawn in place, and a closing table. On a pipe:
// plain lines, no escape codes. The table is a pure function and the live display takes its
// writer and its clock, so that both are tested without a terminal.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gobuild/driver/pipeline.hpp"
#include "gobuild/cli/commands.hpp"

namespace gobuild {

/// Colour for one stream: `always` and `never` as said; `auto` only on a terminal and only
/// when NO_COLOR is unset or empty (https://no-color.org).
bool use_color(ColorMode mode, bool is_tty, const char* no_color);

enum class Status { ok, fail, warning, error };

/// "ok", "FAIL", "warning" or "error", in green, red, yellow, red when `color`.
std::string status_word(Status s, bool color);

/// A message line with its status word coloured: "gobuild: error: x" gets "error" in red,
/// "gobuild: warning: x" "warning" in yellow. Other lines, or !color: the line as it is.
std::string colorize_message(const std::string& line, bool color);

/// "gobuild: error: DETAIL" or "gobuild: warning: DETAIL", the status word coloured when
/// `color`, control characters in DETAIL escaped (it quotes paths and build settings).
std::string problem_line(const Problem& p, bool color);

/// `512 B`, `3.4 KiB`, `2.1 MiB`.
std::string human_size(std::uint64_t n);

/// `840 ms` under a second, then `12.3 s`.
std::string human_duration(std::int64_t ms);

/// The closing table: a header, then one row per result in order:
/// status, output, platform, size, linkage, sha256 (first 12 hex digits), time. Columns are
/// two spaces apart, padded to their widest cell (colour codes do not count); size and time
/// are right-aligned. A failed build has "-" where there is nothing to show.
std::string render_table(const std::vector<JobResult>& results, bool color);

/// The live lines of the running builds. Thread-safe: workers call started/finished/message,
/// one thread calls tick, and only tick and close write (through the writer, once per draw).
/// Each draw moves the cursor up over the lines it drew last time, clears to the end of the
/// screen, writes the queued messages (they scroll up, above the live lines), then one line
/// per running build: `  TARGET PLATFORM  ELAPSED`.
class LiveProgress {
public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Writer = std::function<void(const std::string&)>;
  /// Draws at most once per `interval` (5 a second).
  static constexpr std::chrono::milliseconds interval{200};

  /// `width`: the terminal's columns; longer live lines are cut so that none wraps (a wrapped
  /// line would throw the cursor-up count off). `height`: its rows; at most height - 2 live
  /// lines are drawn (cursor-up cannot go above the top of the screen), the last one saying
  /// how many more are running.
  LiveProgress(Writer writer, Clock clock, std::size_t width = 80, std::size_t height = 24);

  /// With more jobs than run at once (500 on 8 threads), a last live line says how far the
  /// build is: `  [37/500 done, 1 failed]`. 0 (the default): no such line.
  void set_total(std::size_t total);
  void started(std::size_t id, const std::string& target, const std::string& platform);
  void finished(std::size_t id, bool ok = true);
  /// Queued, and written above the live lines at the next draw.
  void message(const std::string& line);
  /// Draws when `interval` has passed since the last draw (or always, when `force`) and there
  /// is something to draw or to clear.
  void tick(bool force = false);
  /// Clears the live lines and writes the queued messages; draws nothing more after.
  void close();

private:
  struct Running {
    std::size_t id;
    std::string label;
    std::chrono::steady_clock::time_point since;
  };
  void draw_locked();

  Writer writer_;
  Clock clock_;
  std::size_t width_;
  std::size_t max_lines_;
  std::mutex mutex_;
  std::vector<Running> running_;
  std::vector<std::string> queued_;
  std::size_t drawn_ = 0; ///< live lines on the screen now
  std::size_t total_ = 0, done_ = 0, failed_ = 0;
  bool ever_drawn_ = false;
  bool closed_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

/// Calls progress.tick() every LiveProgress::interval on its own thread until stop() (or
/// destruction), which also calls close().
class ProgressTicker {
public:
  explicit ProgressTicker(LiveProgress& progress);
  ~ProgressTicker();
  ProgressTicker(const ProgressTicker&) = delete;
  ProgressTicker& operator=(const ProgressTicker&) = delete;
  void stop();

private:
  LiveProgress& progress_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

} // namespace gobuild
