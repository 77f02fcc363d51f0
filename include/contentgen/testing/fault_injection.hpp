#pragma once
// FaultInjector: "fail the next N calls of operation X with error E", for the public fakes
// (RocksDB FaultInjectionTestFS in miniature). Each fake exposes one, keyed by its own Op enum:
//
//   store->faults().fail_next(MemoryImageStore::Op::put, Error(ErrorCode::storage, "disk full"));
//   EXPECT_THROW(generator.upload_image(...), Error);      // the put failed, nothing was stored
//   EXPECT_EQ(store->faults().calls(MemoryImageStore::Op::put), 1);
//
// Thread-safe. Header-only so each fake's Op enum can key it. The namespace is contentgen::fakes
// (not contentgen::testing) so that `using namespace contentgen;` never makes gtest's `testing::`
// ambiguous.
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>

#include "contentgen/error.hpp"

namespace contentgen::fakes {

template <class Op>
class FaultInjector {
 public:
  // The next `times` calls of `op` throw `error` (after any faults already queued for `op`).
  void fail_next(Op op, const Error& error, int times = 1) {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < times; ++i) planned_[op].push_back(error);
  }
  // Every call of `op` from now on throws `error` until clear().
  void fail_always(Op op, const Error& error) {
    std::lock_guard lock(mutex_);
    always_.insert_or_assign(op, error);
  }
  // Forgets every planned fault (call counts are kept).
  void clear() {
    std::lock_guard lock(mutex_);
    planned_.clear();
    always_.clear();
  }
  // How many times `op` was called, failed calls included.
  std::int64_t calls(Op op) const {
    std::lock_guard lock(mutex_);
    const auto it = calls_.find(op);
    return it == calls_.end() ? 0 : it->second;
  }

  // Called by the fake at the start of `op`: counts the call and throws the planned error, if any.
  void on_call(Op op) {
    std::unique_lock lock(mutex_);
    ++calls_[op];
    if (const auto it = always_.find(op); it != always_.end()) throw Error(it->second);
    auto planned = planned_.find(op);
    if (planned == planned_.end() || planned->second.empty()) return;
    Error error = planned->second.front();
    planned->second.pop_front();
    lock.unlock();
    throw error;
  }

 private:
  mutable std::mutex mutex_;
  std::map<Op, std::deque<Error>> planned_;
  std::map<Op, Error> always_;
  std::map<Op, std::int64_t> calls_;
};

}  // namespace contentgen::fakes
