#include "contentgen/testing/recording_event_sink.hpp"

namespace contentgen::fakes {

void RecordingEventSink::publish(const Event& event) {
  faults_.on_call(Op::publish);
  {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
  }
  changed_.notify_all();
}

std::vector<Event> RecordingEventSink::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::vector<Event> RecordingEventSink::events_of(EventType type) const {
  std::lock_guard lock(mutex_);
  std::vector<Event> out;
  for (const auto& event : events_)
    if (event.type == type) out.push_back(event);
  return out;
}

std::size_t RecordingEventSink::size() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

void RecordingEventSink::clear() {
  std::lock_guard lock(mutex_);
  events_.clear();
}

bool RecordingEventSink::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return events_.size() >= count; });
}

}  // namespace contentgen::fakes
