#include "adapters/amqp/write_watchdog.hpp"

#include <sys/socket.h>

namespace contentgen::amqp {

WriteWatchdog::~WriteWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

// Arming and disarming wake the thread only when it must learn something: a thread in a timed
// wait wakes at that earlier deadline anyway and then looks at the current one (deadlines of one
// sink only grow), so a sink publishing steadily costs no context switch per publish.
WriteWatchdog::Armed::Armed(WriteWatchdog& watchdog, int socket_fd, Clock::time_point deadline)
    : watchdog_(watchdog) {
  bool wake = false;
  {
    std::lock_guard lock(watchdog_.mutex_);
    watchdog_.armed_ = true;
    watchdog_.fired_ = false;
    watchdog_.fd_ = socket_fd;
    watchdog_.deadline_ = deadline;
    if (!watchdog_.thread_.joinable()) watchdog_.thread_ = std::thread([w = &watchdog_] { w->run(); });
    wake = watchdog_.waiting_untimed_;
  }
  if (wake) watchdog_.wake_.notify_all();
}

WriteWatchdog::Armed::~Armed() {
  std::lock_guard lock(watchdog_.mutex_);
  watchdog_.armed_ = false;
  watchdog_.fd_ = -1;
}

bool WriteWatchdog::Armed::fired() const {
  std::lock_guard lock(watchdog_.mutex_);
  return watchdog_.fired_;
}

void WriteWatchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!armed_ || fired_) {
      waiting_untimed_ = true;
      wake_.wait(lock);
      waiting_untimed_ = false;
      continue;
    }
    const auto deadline = deadline_;
    if (Clock::now() < deadline) {
      wake_.wait_until(lock, deadline);  // re-checks everything: disarmed, re-armed or stopping meanwhile
      continue;
    }
    // Still armed past the deadline: the owner is stuck in a write. Its descriptor is open (the
    // owner disarms before it closes it), and we hold the mutex it needs to disarm.
    ::shutdown(fd_, SHUT_RDWR);
    fired_ = true;
  }
}

}  // namespace contentgen::amqp
