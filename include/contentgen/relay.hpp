#pragma once
// EventRelay: moves outbox rows to an EventSink. Delivery is at-least-once: a row is marked
// delivered only after the sink accepted it, so a crash between the two re-sends it with the same
// event id. A row the sink refuses on its own is retried with exponential backoff; when the sink
// itself is unreachable (unavailable, timeout) the relay marks the sink down, claims nothing and
// probes it (EventSink::ping) until it answers, and then every row of the outage is due at once
// (docs/events.md#delivery). Thread safety: relay_once() may run concurrently in several threads or
// processes sharing one outbox.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "contentgen/cancellation.hpp"
#include "contentgen/export.hpp"
#include "contentgen/log.hpp"
#include "contentgen/ports/event_sink.hpp"
#include "contentgen/ports/outbox.hpp"
#include "contentgen/time.hpp"

namespace contentgen {

struct RelayOptions {
  std::size_t batch_size = 100;
  std::chrono::seconds lease{60};                 // how long a claimed row is reserved for us
  std::chrono::milliseconds initial_backoff{1000};  // a refused row's first retry; doubles per attempt
  std::chrono::milliseconds max_backoff{300'000};
  // While the sink is down, it is probed every initial_backoff, doubling up to this: the backlog
  // drains within about this long (plus poll_interval) after the sink is back.
  std::chrono::milliseconds max_probe_interval{5000};
  std::chrono::milliseconds poll_interval{500};   // background mode: sleep when the outbox is empty
  LogHandler log{};  // the sink going down and coming back, a contract violation (contentgen/log.hpp)
  Clock clock{};                                  // default: now_utc
};

struct RelayStats {
  std::size_t delivered = 0;
  std::size_t failed = 0;
};

class CONTENTGEN_API EventRelay {
 public:
  EventRelay(std::shared_ptr<Outbox> outbox, std::shared_ptr<EventSink> sink, RelayOptions options = {});
  ~EventRelay();  // stops the background thread, if any
  EventRelay(const EventRelay&) = delete;
  EventRelay& operator=(const EventRelay&) = delete;

  // Claims one batch of due rows, publishes them, marks each delivered or failed. While the sink is
  // down it claims nothing: it probes the sink when a probe is due and returns empty stats unless
  // the probe succeeded.
  RelayStats relay_once();
  // Repeats relay_once() until no due row is left (or `max_batches`).
  RelayStats relay_all(std::size_t max_batches = 1000);
  // The same, but checks `stop` before each batch: once it is cancelled, returns what was relayed
  // so far (a batch in flight is finished, never abandoned half-marked). For Ctrl-C in a host.
  RelayStats relay_all(std::size_t max_batches, const CancellationToken& stop);

  // Background mode: a thread that relays until stop(). Errors are recorded on the rows.
  void start();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace contentgen
