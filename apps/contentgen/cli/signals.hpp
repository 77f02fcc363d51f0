#pragma once
// Turns SIGINT/SIGTERM into a callback on a dedicated thread (sigwait), so that Ctrl-C can cancel
// in-flight work cleanly instead of killing the process. Construct it BEFORE starting any other
// thread: it blocks the signals in the calling thread, and threads started later inherit that.
#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace contentgen::cli {

class SignalWatcher {
 public:
  // `on_signal` runs on the watcher's thread, once per signal received (it gets the number).
  explicit SignalWatcher(std::function<void(int)> on_signal);
  // Stops the watcher thread and restores the previous signal mask.
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  int last_signal() const noexcept { return last_.load(); }

 private:
  std::function<void(int)> on_signal_;
  std::atomic<int> last_{0};
  std::atomic<bool> stopping_{false};  // a SIGUSR2 from anyone but our destructor is ignored
  sigset_t previous_mask_{};
  std::thread thread_;
};

}  // namespace contentgen::cli
