#include "gobuild/cli/progress.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "gobuild/util/strings.hpp"

namespace gobuild {

namespace {

constexpr const char* kReset = "\x1b[0m";

const char* sgr(Status s) {
  switch (s) {
  case Status::ok: return "\x1b[32m";      // green
  case Status::warning: return "\x1b[33m"; // yellow
  case Status::fail:
  case Status::error: return "\x1b[31m"; // red
  }
  return "";
}

const char* word(Status s) {
  switch (s) {
  case Status::ok: return "ok";
  case Status::fail: return "FAIL";
  case Status::warning: return "warning";
  case Status::error: return "error";
  }
  return "";
}

struct Cell {
  std::string text;  ///< what is shown, maybe with colour codes
  std::size_t width; ///< its visible width
};

Cell plain(std::string s) {
  std::size_t w = s.size();
  return Cell{std::move(s), w};
}

} // namespace

bool use_color(ColorMode mode, bool is_tty, const char* no_color) {
  switch (mode) {
  case ColorMode::always: return true;
  case ColorMode::never: return false;
  case ColorMode::automatic: return is_tty && !(no_color && *no_color);
  }
  return false;
}

std::string status_word(Status s, bool color) {
  if (!color) return word(s);
  return std::string(sgr(s)) + word(s) + kReset;
}

std::string colorize_message(const std::string& line, bool color) {
  if (!color) return line;
  for (Status s : {Status::error, Status::warning}) {
    std::string tag = std::string("gobuild: ") + word(s) + ": ";
    if (starts_with(line, tag))
      return "gobuild: " + status_word(s, true) + ": " + line.substr(tag.size());
  }
  return line;
}

std::string problem_line(const Problem& p, bool color) {
  return "gobuild: " + status_word(p.is_error() ? Status::error : Status::warning, color) + ": " +
         escape_controls(p.detail());
}

std::string human_size(std::uint64_t n) {
  if (n < 1024) return fmt::format("{} B", n);
  if (n < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(n) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(n) / (1024.0 * 1024.0));
}

std::string human_duration(std::int64_t ms) {
  if (ms < 1000) return fmt::format("{} ms", ms);
  return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000.0);
}

std::string render_table(const std::vector<JobResult>& results, bool color) {
  static const char* const header[] = {"status", "output", "platform", "size",
                                       "linkage", "sha256",  "time"};
  constexpr std::size_t ncols = sizeof header / sizeof header[0];
  constexpr bool right[ncols] = {false, false, false, true, false, false, true};
  std::vector<std::vector<Cell>> rows;
  rows.emplace_back();
  for (const char* h : header) rows.back().push_back(plain(h));
  for (const auto& r : results) {
    std::vector<Cell> row;
    Status s = r.ok ? Status::ok : Status::fail;
    row.push_back(Cell{status_word(s, color), std::string(word(s)).size()});
    row.push_back(plain(escape_controls(r.path)));
    row.push_back(plain(r.platform));
    row.push_back(plain(r.ok && r.size ? human_size(*r.size) : "-"));
    row.push_back(plain(r.linkage.empty() ? "-" : r.linkage));
    row.push_back(plain(r.ok && !r.sha256.empty() ? r.sha256.substr(0, 12) : "-"));
    row.push_back(plain(human_duration(r.duration_ms)));
    rows.push_back(std::move(row));
  }
  std::size_t widths[ncols] = {};
  for (const auto& row : rows)
    for (std::size_t c = 0; c < ncols; ++c) widths[c] = std::max(widths[c], row[c].width);
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < ncols; ++c) {
      std::string pad(widths[c] - row[c].width, ' ');
      if (c > 0) line += "  ";
      line += right[c] ? pad + row[c].text : row[c].text + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

LiveProgress::LiveProgress(Writer writer, Clock clock, std::size_t width, std::size_t height)
    : writer_(std::move(writer)), clock_(std::move(clock)), width_(width < 2 ? 2 : width),
      max_lines_(height < 4 ? 2 : height - 2) {}

void LiveProgress::set_total(std::size_t total) {
  std::lock_guard<std::mutex> lock(mutex_);
  total_ = total;
}

void LiveProgress::started(std::size_t id, const std::string& target, const std::string& platform) {
  std::lock_guard<std::mutex> lock(mutex_);
  running_.push_back(Running{id, escape_controls(target + " " + platform), clock_()});
}

void LiveProgress::finished(std::size_t id, bool ok) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  if (!ok) ++failed_;
  running_.erase(std::remove_if(running_.begin(), running_.end(),
                                [id](const Running& r) { return r.id == id; }),
                 running_.end());
}

void LiveProgress::message(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) {
    writer_(line + "\n");
    return;
  }
  queued_.push_back(line);
}

void LiveProgress::tick(bool force) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  auto now = clock_();
  if (!force && ever_drawn_ && now - last_draw_ < interval) return;
  if (drawn_ == 0 && running_.empty() && queued_.empty()) return;
  draw_locked();
}

void LiveProgress::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  running_.clear();
  if (drawn_ > 0 || !queued_.empty()) draw_locked();
  closed_ = true;
}

void LiveProgress::draw_locked() {
  auto now = clock_();
  std::string out;
  if (drawn_ > 0) out += fmt::format("\x1b[{}A", drawn_); // back to the first live line
  out += "\r\x1b[J";                                       // and clear from there down
  for (const auto& m : queued_) out += m + "\n";
  queued_.clear();
  // The counter line, when there is one, takes one of the live lines.
  const std::size_t room = total_ > 0 && max_lines_ > 2 ? max_lines_ - 1 : max_lines_;
  std::size_t shown = running_.size() <= room ? running_.size() : room - 1;
  for (std::size_t i = 0; i < running_.size(); ++i) {
    std::string line;
    if (i < shown) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - running_[i].since).count();
      line = fmt::format("  {}  {:.1f} s", running_[i].label, static_cast<double>(ms) / 1000.0);
    } else {
      line = fmt::format("  ... and {} more", running_.size() - shown);
    }
    if (line.size() > width_ - 1) line.resize(width_ - 1);
    out += line + "\n";
    if (i >= shown) break;
  }
  drawn_ = running_.size() <= room ? running_.size() : room;
  if (room < max_lines_ && !running_.empty()) {
    std::string line = fmt::format("  [{}/{} done{}]", done_, total_,
                                   failed_ ? fmt::format(", {} failed", failed_) : std::string());
    if (line.size() > width_ - 1) line.resize(width_ - 1);
    out += line + "\n";
    ++drawn_;
  }
  ever_drawn_ = true;
  last_draw_ = now;
  writer_(out);
}

ProgressTicker::ProgressTicker(LiveProgress& progress) : progress_(progress) {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (cv_.wait_for(lock, LiveProgress::interval, [this] { return stop_; })) return;
      lock.unlock();
      progress_.tick();
      lock.lock();
    }
  });
}

ProgressTicker::~ProgressTicker() { stop(); }

void ProgressTicker::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  progress_.close();
}

} // namespace gobuild
