#include "cli/progress.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>

namespace contentgen::cli {
namespace {

double seconds_of(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string rate_and_eta(const ProgressSnapshot& s) {
  const double elapsed = seconds_of(s.elapsed);
  const double rate = elapsed > 0 ? static_cast<double>(s.done()) / elapsed : 0.0;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f/s", rate);
  std::string out = buffer;
  if (s.done() >= s.total) return out;
  if (rate <= 0) return out + " ETA --:--";
  const auto eta = std::chrono::seconds(static_cast<std::int64_t>(static_cast<double>(s.total - s.done()) / rate + 0.5));
  return out + " ETA " + format_duration(eta);
}

}  // namespace

std::string format_duration(std::chrono::seconds d) {
  const auto total = d.count();
  char buffer[32];
  if (total >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", static_cast<long long>(total / 3600),
                  static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60));
  } else {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld", static_cast<long long>(total / 60),
                  static_cast<long long>(total % 60));
  }
  return buffer;
}

std::string render_bar(const ProgressSnapshot& s, std::size_t width) {
  const std::size_t filled = s.total == 0 ? width : s.done() * width / s.total;
  std::ostringstream out;
  out << "[" << std::string(filled, '#') << std::string(width - filled, '-') << "] " << s.done() << "/" << s.total
      << " ok " << s.succeeded << " failed " << s.failed << " $" << Money::from_nanos(s.cost_nanos).to_string() << " "
      << rate_and_eta(s);
  return out.str();
}

std::string render_line(const ProgressSnapshot& s) {
  std::ostringstream out;
  out << "progress: " << s.done() << "/" << s.total << " done (" << s.succeeded << " ok, " << s.failed
      << " failed), cost $" << Money::from_nanos(s.cost_nanos).to_string() << ", " << rate_and_eta(s);
  return out.str();
}

Progress::Progress(std::size_t total, bool tty, std::chrono::milliseconds interval)
    : total_(total), tty_(tty), interval_(tty ? std::chrono::milliseconds(200) : interval) {
  ticker_ = std::thread([this] { tick(); });
}

Progress::~Progress() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  ticker_.join();
}

void Progress::succeeded() { succeeded_.fetch_add(1); }
void Progress::failed() { failed_.fetch_add(1); }
void Progress::add_cost(Money cost) { cost_nanos_.fetch_add(cost.nanos()); }

ProgressSnapshot Progress::snapshot() const {
  ProgressSnapshot s;
  s.total = total_;
  s.succeeded = succeeded_.load();
  s.failed = failed_.load();
  s.cost_nanos = cost_nanos_.load();
  s.elapsed = std::chrono::steady_clock::now() - start_;
  return s;
}

void Progress::message(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (tty_ && bar_drawn_) std::cerr << "\r\033[K";
  std::cerr << line << "\n";
  if (tty_) draw_locked(false);
}

void Progress::finish() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;  // the ticker draws no more after the final line
    draw_locked(true);
  }
  wake_.notify_all();
}

void Progress::draw_locked(bool final_draw) {
  const auto s = snapshot();
  if (tty_) {
    std::cerr << "\r\033[K" << render_bar(s, 30) << (final_draw ? "\n" : "") << std::flush;
    bar_drawn_ = !final_draw;
  } else {
    std::cerr << render_line(s) << "\n" << std::flush;
  }
}

void Progress::tick() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [&] { return stopping_; })) draw_locked(false);
}

}  // namespace contentgen::cli
