#include <gtest/gtest.h>

#include "cli/progress.hpp"

namespace contentgen::cli {
namespace {

ProgressSnapshot snapshot(std::size_t total, std::size_t ok, std::size_t failed, std::int64_t nanos, double seconds) {
  ProgressSnapshot s;
  s.total = total;
  s.succeeded = ok;
  s.failed = failed;
  s.cost_nanos = nanos;
  s.elapsed = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
  return s;
}

TEST(Progress, BarShowsDoneFailedCostRateAndEta) {
  EXPECT_EQ(render_bar(snapshot(100, 35, 2, 12'345'678, 10), 10),
            "[###-------] 37/100 ok 35 failed 2 $0.012345678 3.7/s ETA 0:17");
  EXPECT_EQ(render_bar(snapshot(4, 4, 0, 0, 2), 4), "[####] 4/4 ok 4 failed 0 $0.000000000 2.0/s");
  EXPECT_EQ(render_bar(snapshot(4, 0, 0, 0, 0), 4), "[----] 0/4 ok 0 failed 0 $0.000000000 0.0/s ETA --:--");
}

TEST(Progress, PlainLineForLogs) {
  EXPECT_EQ(render_line(snapshot(10, 3, 1, 1'000'000'000, 4)),
            "progress: 4/10 done (3 ok, 1 failed), cost $1.000000000, 1.0/s ETA 0:06");
}

TEST(Progress, Durations) {
  EXPECT_EQ(format_duration(std::chrono::seconds(0)), "0:00");
  EXPECT_EQ(format_duration(std::chrono::seconds(61)), "1:01");
  EXPECT_EQ(format_duration(std::chrono::seconds(3725)), "1:02:05");
}

TEST(Progress, CountsFromSeveralThreads) {
  Progress progress(1000, false, std::chrono::milliseconds(3'600'000));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) {
        progress.succeeded();
        progress.add_cost(Money::from_nanos(3));
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto s = progress.snapshot();
  EXPECT_EQ(s.done(), 1000u);
  EXPECT_EQ(s.cost_nanos, 3000);
}

}  // namespace
}  // namespace contentgen::cli
