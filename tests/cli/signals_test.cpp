#include "cli/signals.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

namespace contentgen::cli {
namespace {

using namespace std::chrono_literals;

TEST(SignalWatcher, ForeignSigusr2IsIgnoredAndTheMaskIsRestored) {
  sigset_t before;
  pthread_sigmask(SIG_SETMASK, nullptr, &before);
  std::promise<int> received;
  {
    SignalWatcher watcher([&](int signal_number) { received.set_value(signal_number); });
    ::kill(::getpid(), SIGUSR2);  // not from the destructor: must not stop the watcher
    std::this_thread::sleep_for(100ms);
    ::kill(::getpid(), SIGTERM);
    auto got = received.get_future();
    ASSERT_EQ(got.wait_for(5s), std::future_status::ready) << "SIGTERM was not handled after a stray SIGUSR2";
    EXPECT_EQ(got.get(), SIGTERM);
    EXPECT_EQ(watcher.last_signal(), SIGTERM);
  }
  sigset_t after;
  pthread_sigmask(SIG_SETMASK, nullptr, &after);
  for (const int signal_number : {SIGINT, SIGTERM, SIGUSR2}) {
    EXPECT_EQ(sigismember(&after, signal_number), sigismember(&before, signal_number)) << signal_number;
  }
}

}  // namespace
}  // namespace contentgen::cli
