#pragma once
// Progress of a batch: a live bar on a terminal (redrawn in place a few times a second), plain
// periodic lines when stderr is not a terminal (logs, CI), and the final summary.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "contentgen/money.hpp"

namespace contentgen::cli {

struct ProgressSnapshot {
  std::size_t total = 0;
  std::size_t succeeded = 0;
  std::size_t failed = 0;
  std::int64_t cost_nanos = 0;
  std::chrono::steady_clock::duration elapsed{};
  std::size_t done() const { return succeeded + failed; }
};

// "[#####-----] 37/100 ok 35 failed 2 $0.012345678 3.1/s ETA 0:20" (bar) or the plain form.
std::string render_bar(const ProgressSnapshot& s, std::size_t width);
std::string render_line(const ProgressSnapshot& s);
std::string format_duration(std::chrono::seconds d);

class Progress {
 public:
  // `tty`: draw the bar; else print render_line() every `interval`.
  Progress(std::size_t total, bool tty, std::chrono::milliseconds interval);
  ~Progress();  // stops the ticker (without a final line; call finish() for that)
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void succeeded();
  void failed();
  void add_cost(Money cost);
  // Prints one line on stderr without tearing the bar (the bar is redrawn after it).
  void message(const std::string& line);
  // Final redraw; the bar is left on its own line.
  void finish();
  ProgressSnapshot snapshot() const;

 private:
  void tick();
  void draw_locked(bool final_draw);

  const std::size_t total_;
  const bool tty_;
  const std::chrono::milliseconds interval_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::atomic<std::size_t> succeeded_{0};
  std::atomic<std::size_t> failed_{0};
  std::atomic<std::int64_t> cost_nanos_{0};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool bar_drawn_ = false;
  std::thread ticker_;
};

}  // namespace contentgen::cli
