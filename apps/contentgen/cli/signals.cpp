#include "cli/signals.hpp"

#include <pthread.h>

namespace contentgen::cli {
namespace {

// SIGUSR2 is only the watcher's private "stop" knock from the destructor.
sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR2);
  return set;
}

}  // namespace

SignalWatcher::SignalWatcher(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
  const sigset_t set = watched_signals();
  pthread_sigmask(SIG_BLOCK, &set, &previous_mask_);
  thread_ = std::thread([this, set] {
    for (;;) {
      int signal_number = 0;
      if (sigwait(&set, &signal_number) != 0) continue;
      if (signal_number == SIGUSR2) {
        if (stopping_.load()) return;
        continue;  // someone else's SIGUSR2 must not end Ctrl-C handling
      }
      last_.store(signal_number);
      if (on_signal_) on_signal_(signal_number);
    }
  });
}

SignalWatcher::~SignalWatcher() {
  stopping_.store(true);
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace contentgen::cli
