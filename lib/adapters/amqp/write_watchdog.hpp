#pragma once
// WriteWatchdog: a deadline for rabbitmq-c's writes (internal).
//
// rabbitmq-c 0.11 writes a publish with no deadline (amqp_basic_publish passes
// amqp_time_infinite()): once a broker stops reading -- RabbitMQ does exactly that to publishers
// during a memory or disk alarm -- the socket buffers fill and the call blocks for as long as the
// alarm lasts, holding the sink's mutex. While armed, the watchdog's thread shuts the socket down
// when the deadline passes; the blocked write then fails at once and the connection is given up.
// shutdown(2), not close(2): the descriptor stays valid until its owner closes it, so there is no
// race with a reused descriptor number.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace contentgen::amqp {

class WriteWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  WriteWatchdog() = default;
  ~WriteWatchdog();  // stops the thread
  WriteWatchdog(const WriteWatchdog&) = delete;
  WriteWatchdog& operator=(const WriteWatchdog&) = delete;

  // Watches `socket_fd` until the Armed object is gone (one at a time; the thread starts on first use).
  class Armed {
   public:
    Armed(WriteWatchdog& watchdog, int socket_fd, Clock::time_point deadline);
    ~Armed();
    Armed(const Armed&) = delete;
    Armed& operator=(const Armed&) = delete;
    // Whether the deadline passed and the socket was shut down.
    bool fired() const;

   private:
    WriteWatchdog& watchdog_;
  };

 private:
  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool armed_ = false;
  bool fired_ = false;
  bool stopping_ = false;
  bool waiting_untimed_ = false;  // the thread waits for an arm(), not for a deadline
  int fd_ = -1;
  Clock::time_point deadline_{};
  std::thread thread_;
};

}  // namespace contentgen::amqp
