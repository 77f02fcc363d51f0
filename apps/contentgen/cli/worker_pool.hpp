#pragma once
// A fixed pool of threads running posted tasks in FIFO order. The CLI's batch mode and the REST
// server hand it to the generator as its blocking_executor, so database and object-store work
// that follows an LLM reply never runs on (and stalls) an I/O thread.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace contentgen::cli {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t threads);
  // Runs every task already posted, then joins the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Thread-safe. A task must not throw (an escaping exception is caught and dropped).
  void post(std::function<void()> task);
  // post() as a std::function, for GeneratorOptions::blocking_executor.
  std::function<void(std::function<void()>)> executor();
  std::size_t size() const noexcept { return threads_.size(); }

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace contentgen::cli
