#pragma once
// RecordingEventSink: an EventSink that remembers every accepted event (spdlog's test_sink in
// spirit), for host applications' unit tests. Thread-safe; wait_for() lets a test wait for an
// EventRelay running on another thread.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

#include "contentgen/export.hpp"
#include "contentgen/ports/event_sink.hpp"
#include "contentgen/testing/fault_injection.hpp"

namespace contentgen::fakes {

class CONTENTGEN_API RecordingEventSink : public EventSink {
 public:
  enum class Op { publish };

  // Accepts the event (after any planned fault for Op::publish) and records it.
  void publish(const Event& event) override;

  std::vector<Event> events() const;          // in the order they were accepted
  std::vector<Event> events_of(EventType type) const;
  std::size_t size() const;
  void clear();
  // Waits until at least `count` events were accepted; false on timeout.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) const;

  FaultInjector<Op>& faults() noexcept { return faults_; }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<Event> events_;
  FaultInjector<Op> faults_;
};

}  // namespace contentgen::fakes
