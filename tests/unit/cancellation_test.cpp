// CancellationSource / CancellationToken / CancellationRegistration: callbacks run once, on the
// cancelling thread; dropping a registration unregisters it and waits for a running callback.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>

#include "contentgen/cancellation.hpp"

namespace contentgen {
namespace {

using namespace std::chrono_literals;

TEST(Cancellation, DefaultTokenIsNeverCancelled) {
  CancellationToken token;
  EXPECT_FALSE(token.can_be_cancelled());
  EXPECT_FALSE(token.cancelled());
  bool ran = false;
  auto registration = token.on_cancel([&] { ran = true; });
  EXPECT_FALSE(ran);
}

TEST(Cancellation, CallbacksRunOnceAndCancelIsIdempotent) {
  CancellationSource source;
  const auto token = source.token();
  int runs = 0;
  auto registration = token.on_cancel([&] { ++runs; });
  EXPECT_FALSE(token.cancelled());
  source.cancel();
  source.cancel();
  EXPECT_TRUE(token.cancelled());
  EXPECT_TRUE(source.cancelled());
  EXPECT_EQ(runs, 1);
}

TEST(Cancellation, RegisteringAfterCancelRunsTheCallbackAtOnce) {
  CancellationSource source;
  source.cancel();
  bool ran = false;
  auto registration = source.token().on_cancel([&] { ran = true; });
  EXPECT_TRUE(ran);
}

TEST(Cancellation, DroppedRegistrationIsNotCalled) {
  CancellationSource source;
  bool ran = false;
  source.token().on_cancel([&] { ran = true; }).reset();
  {
    auto scoped = source.token().on_cancel([&] { ran = true; });
  }
  source.cancel();
  EXPECT_FALSE(ran);
}

TEST(Cancellation, AThrowingCallbackDoesNotStopTheOthers) {
  CancellationSource source;
  bool second = false;
  auto first = source.token().on_cancel([] { throw std::runtime_error("bad callback"); });
  auto other = source.token().on_cancel([&] { second = true; });
  source.cancel();
  EXPECT_TRUE(second);
}

TEST(Cancellation, ResetWaitsForTheCallbackRunningOnAnotherThread) {
  CancellationSource source;
  std::atomic<bool> entered{false}, finished{false};
  auto registration = source.token().on_cancel([&] {
    entered = true;
    std::this_thread::sleep_for(100ms);
    finished = true;
  });
  std::thread canceller([&] { source.cancel(); });
  while (!entered) std::this_thread::yield();
  registration.reset();  // must not return while the callback still runs
  EXPECT_TRUE(finished);
  canceller.join();
}

// A callback may hold the last reference to an object that owns another registration on the same
// token (an adapter's call object, say). Destroying the callback must not deadlock on the token.
TEST(Cancellation, CallbackOwningARegistrationOnTheSameTokenIsReleasedWithoutDeadlock) {
  struct Holder {
    CancellationRegistration registration;
  };
  auto source = std::make_shared<CancellationSource>();
  auto holder = std::make_shared<Holder>();
  holder->registration = source->token().on_cancel([] {});
  auto first = source->token().on_cancel([holder] {});
  auto second = source->token().on_cancel([holder] {});
  holder.reset();  // the two callbacks now own the holder: the second one's destruction frees it

  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  std::thread([source, done] {
    source->cancel();
    done->set_value();
  }).detach();
  ASSERT_EQ(finished.wait_for(10s), std::future_status::ready) << "cancel() deadlocked";
  EXPECT_TRUE(source->cancelled());
}

}  // namespace
}  // namespace contentgen
