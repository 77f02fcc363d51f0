#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "cli/worker_pool.hpp"

namespace contentgen::cli {
namespace {

TEST(WorkerPool, RunsTasksConcurrently) {
  std::mutex mutex;
  std::condition_variable all_in;
  int inside = 0;
  std::atomic<int> done{0};
  WorkerPool pool(3);  // declared last: destroyed (joined) first, while the tasks' state still lives
  for (int i = 0; i < 3; ++i) {
    pool.post([&] {
      std::unique_lock lock(mutex);
      ++inside;
      all_in.notify_all();
      // Only returns once all three run at the same time: proves three threads.
      ASSERT_TRUE(all_in.wait_for(lock, std::chrono::seconds(10), [&] { return inside == 3; }));
      ++done;
    });
  }
  std::unique_lock lock(mutex);
  ASSERT_TRUE(all_in.wait_for(lock, std::chrono::seconds(10), [&] { return inside == 3; }));
}

TEST(WorkerPool, DestructorRunsEverythingPostedAndSurvivesThrowingTasks) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(2);
    auto execute = pool.executor();
    for (int i = 0; i < 100; ++i) {
      execute([&ran, i] {
        ++ran;
        if (i % 10 == 0) throw std::runtime_error("task failure");
      });
    }
  }
  EXPECT_EQ(ran.load(), 100);
}

}  // namespace
}  // namespace contentgen::cli
