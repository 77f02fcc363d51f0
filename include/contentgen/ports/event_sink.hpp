#pragma once
// Port: where events go. Adapters: AMQP (RabbitMQ, with publisher confirms), JSONL file (embedded
// default), null (lib/adapters/); RecordingEventSink (testing/). The generator never publishes
// directly: events go to the repository's outbox and an EventRelay moves them here.
//
// Ownership: held as std::shared_ptr. Thread safety: implementations must be safe to call from
// several threads (serialising internally if their transport is not).
#include <optional>
#include <span>
#include <vector>

#include "contentgen/error.hpp"
#include "contentgen/event.hpp"
#include "contentgen/export.hpp"

namespace contentgen {

class CONTENTGEN_API EventSink {
 public:
  EventSink() = default;
  EventSink(const EventSink&) = delete;
  EventSink& operator=(const EventSink&) = delete;
  virtual ~EventSink();

  // Returns only once the sink has durably accepted the event (AMQP: the broker's confirm;
  // file: after fsync). Throws Error (unavailable, timeout, upstream, storage) otherwise.
  virtual void publish(const Event& event) = 0;

  // Publishes several events and reports each one's fate: result[i] is nullopt when events[i] was
  // durably accepted, else its error. Never throws for a per-event failure. Adapters override it
  // to batch confirms; the default publishes one by one.
  virtual std::vector<std::optional<Error>> publish_batch(std::span<const Event> events);

  // Optional: checks the sink is reachable (for health checks). Throws on failure.
  virtual void ping() {}
};

}  // namespace contentgen
