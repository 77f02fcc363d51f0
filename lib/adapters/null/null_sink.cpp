// The null sink: accepts and forgets (the relay still marks rows delivered).
#include "contentgen/adapters/null_sink.hpp"

namespace contentgen {

NullEventSink::~NullEventSink() = default;

void NullEventSink::publish(const Event&) { discarded_.fetch_add(1); }

std::vector<std::optional<Error>> NullEventSink::publish_batch(std::span<const Event> events) {
  discarded_.fetch_add(events.size());
  return std::vector<std::optional<Error>>(events.size());
}

std::unique_ptr<NullEventSink> make_null_event_sink() { return std::make_unique<NullEventSink>(); }

}  // namespace contentgen
