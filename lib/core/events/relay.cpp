// EventRelay: outbox -> sink, at-least-once. Uses only the two ports, so it works unchanged over
// the memory, SQLite and PostgreSQL outboxes and every sink.
//
// One pass: claim a batch (leased to us), publish it with one publish_batch (the AMQP sink
// pipelines the batch and waits for the confirms together), then mark each row by its own
// outcome. A row is marked delivered only after the sink accepted it; a crash in between re-sends
// it later with the same id.
//
// Failures are tracked per sink as well as per event. A row the sink refused on its own (nack,
// unroutable, a body it cannot take: anything but unavailable / timeout) gets attempts + 1 and a
// retry time with exponential backoff (initial_backoff * 2^(attempts-1), capped at max_backoff, no
// jitter). A row that failed because the sink was unreachable (unavailable, timeout) is not held
// back at all -- it is marked failed and due at once -- and the sink is marked down instead: while
// it is down this relay claims nothing and only probes it (EventSink::ping) with its own capped
// backoff (initial_backoff doubling up to max_probe_interval). The first successful probe or
// confirmed publish ends the outage, and every row of it is due, so the backlog drains within
// about one probe interval of the sink coming back, however long the outage lasted.
#include "contentgen/relay.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "contentgen/error.hpp"
#include "core/retry/backoff.hpp"
#include "core/domain/current_error.hpp"

namespace contentgen {

namespace {

// The library's backoff rule without jitter (a row's retry time is already spread by its own
// failure time). `attempts` counts this failure too (>= 1).
std::chrono::milliseconds backoff_for(std::int32_t attempts, const RelayOptions& options) {
  return internal::backoff_delay(options.initial_backoff, attempts - 1, options.max_backoff, 0.0);
}

// The sink as a whole could not take the event (broker down, connection lost, no confirm in
// time), as opposed to refusing this one event.
bool is_sink_outage(const Error& error) {
  return error.code() == ErrorCode::unavailable || error.code() == ErrorCode::timeout;
}

// What the outbox row records: the code first (greppable), then the message and provider code.
std::string describe(const Error& error) {
  std::string text(to_string(error.code()));
  text += ": ";
  text += error.what();
  if (!error.details().provider_code.empty()) text += " [" + error.details().provider_code + "]";
  return text;
}

}  // namespace

struct EventRelay::Impl {
  std::shared_ptr<Outbox> outbox;
  std::shared_ptr<EventSink> sink;
  RelayOptions options;

  // The sink's state, shared by concurrent relay_once() calls; guarded by sink_mutex.
  std::mutex sink_mutex;
  bool sink_down = false;
  bool probing = false;            // one relay_once() probes, the others skip
  std::int32_t outage_strikes = 0; // failed probes and outage batches since the last confirmed publish
  Timestamp next_probe_at{};

  std::mutex thread_mutex;  // guards worker, stopping
  std::condition_variable wake;
  std::thread worker;
  bool stopping = false;

  Timestamp now() const { return options.clock ? options.clock() : now_utc(); }

  // Caller holds sink_mutex. The sink failed (a batch or a probe): next probe after a capped backoff.
  // True when this is what marked it down (the caller logs that, once it has released the mutex:
  // the host's log handler never runs under our lock).
  bool schedule_probe() {
    const bool went_down = !sink_down;
    sink_down = true;
    const auto initial = std::min(options.initial_backoff, options.max_probe_interval);
    next_probe_at = now() + std::chrono::floor<std::chrono::microseconds>(
                                internal::backoff_delay(initial, outage_strikes, options.max_probe_interval, 0.0));
    if (outage_strikes < 64) ++outage_strikes;
    return went_down;
  }

  // True when rows may be claimed: the sink is up, or it was down and a probe due now succeeded.
  bool sink_ready() {
    {
      std::lock_guard lock(sink_mutex);
      if (!sink_down) return true;
      if (probing || now() < next_probe_at) return false;
      probing = true;
    }
    bool up = true;
    try {
      sink->ping();
    } catch (...) {
      up = false;  // still down; whatever it threw, the next probe will tell
    }
    {
      std::lock_guard lock(sink_mutex);
      probing = false;
      if (up) {
        sink_down = false;  // outage_strikes stays until a publish is confirmed (a sink may ping but not publish)
      } else {
        schedule_probe();  // it was down already: nothing new to log
      }
    }
    if (up) emit_log(options.log, LogLevel::info, "relay", "the event sink is back: the outbox drains");
    return up;
  }

  RelayStats relay_once() {
    if (!sink_ready()) return {};
    auto entries = outbox->claim_outbox(options.batch_size, now(), options.lease);
    if (entries.empty()) return {};
    std::vector<Event> events;  // moved out of the entries: publish_batch wants a span of events
    events.reserve(entries.size());
    for (auto& entry : entries) events.push_back(std::move(entry.event));

    std::vector<std::optional<Error>> outcomes;
    try {
      outcomes = sink->publish_batch(events);
    } catch (...) {
      // A sink should report per event, but one that throws has accepted nothing we know of.
      outcomes.assign(events.size(), internal::current_error("event sink threw"));
    }
    if (outcomes.size() != events.size()) {
      outcomes.assign(events.size(), Error(ErrorCode::internal, "event sink reported a wrong number of outcomes"));
    }

    RelayStats stats;
    std::vector<std::string> delivered;
    delivered.reserve(entries.size());
    bool outage = false;
    for (const auto& outcome : outcomes) outage = outage || (outcome && is_sink_outage(*outcome));
    bool went_down = false;
    if (outage) {
      std::lock_guard lock(sink_mutex);
      went_down = schedule_probe();  // before the marks below make the outage's rows due again
    }
    if (went_down) {
      emit_log(options.log, LogLevel::warning, "relay",
               "the event sink is not accepting events: they stay in the outbox, and the sink is probed until it is back");
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (!outcomes[i]) {
        delivered.push_back(events[i].id);
      } else {
        // An outage's row is due at once: the sink probe, not the row, paces the next try.
        const auto retry_at = is_sink_outage(*outcomes[i]) ? now() : now() + backoff_for(entries[i].attempts + 1, options);
        outbox->mark_failed(events[i].id, describe(*outcomes[i]),
                            std::chrono::floor<std::chrono::microseconds>(retry_at));
        ++stats.failed;
      }
    }
    // Only after the sink accepted them; one call so the repository can commit the batch at once.
    outbox->mark_delivered_many(delivered, now());
    stats.delivered = delivered.size();
    if (!outage && !delivered.empty()) {
      std::lock_guard lock(sink_mutex);
      sink_down = false;  // a confirmed publish: the sink takes events again
      outage_strikes = 0;
    }
    return stats;
  }

  void run() {
    std::unique_lock lock(thread_mutex);
    while (!stopping) {
      lock.unlock();
      bool idle = true;
      try {
        // Something delivered: more may be due, go on at once (an outbox may hand out fewer rows
        // than asked -- the SOCI one caps a claim -- so a short batch proves nothing). Nothing
        // claimed, or only failures (the backoff now holds them back): wait for the next poll.
        idle = relay_once().delivered == 0;
      } catch (...) {
        // The outbox itself failed (database down) -- or a host's port threw something odd: the
        // claimed rows stay leased and come back after the lease. Nothing to record them on, so
        // just wait and try again; the thread must not die (std::terminate).
      }
      lock.lock();
      if (idle && !stopping) wake.wait_for(lock, options.poll_interval, [this] { return stopping; });
    }
  }
};

EventRelay::EventRelay(std::shared_ptr<Outbox> outbox, std::shared_ptr<EventSink> sink, RelayOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (!outbox) throw Error::invalid_argument("outbox", "an EventRelay needs an outbox");
  if (!sink) throw Error::invalid_argument("sink", "an EventRelay needs an event sink");
  if (options.batch_size == 0) throw Error::invalid_argument("batch_size", "must be at least 1");
  if (options.lease <= std::chrono::seconds(0)) throw Error::invalid_argument("lease", "must be positive");
  if (options.max_backoff < options.initial_backoff) {
    throw Error::invalid_argument("max_backoff", "must not be smaller than initial_backoff");
  }
  if (options.max_probe_interval <= std::chrono::milliseconds(0)) {
    throw Error::invalid_argument("max_probe_interval", "must be positive");
  }
  impl_->outbox = std::move(outbox);
  impl_->sink = std::move(sink);
  impl_->options = std::move(options);
}

EventRelay::~EventRelay() { stop(); }

RelayStats EventRelay::relay_once() { return impl_->relay_once(); }

RelayStats EventRelay::relay_all(std::size_t max_batches) { return relay_all(max_batches, CancellationToken{}); }

RelayStats EventRelay::relay_all(std::size_t max_batches, const CancellationToken& stop) {
  RelayStats total;
  for (std::size_t batch = 0; batch < max_batches && !stop.cancelled(); ++batch) {
    const auto stats = impl_->relay_once();
    total.delivered += stats.delivered;
    total.failed += stats.failed;
    if (stats.delivered + stats.failed == 0) break;  // nothing due any more
  }
  return total;
}

void EventRelay::start() {
  std::lock_guard lock(impl_->thread_mutex);
  if (impl_->worker.joinable()) return;
  impl_->stopping = false;
  impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
}

void EventRelay::stop() {
  std::thread worker;
  {
    std::lock_guard lock(impl_->thread_mutex);
    if (!impl_->worker.joinable()) return;
    impl_->stopping = true;
    worker = std::move(impl_->worker);
  }
  impl_->wake.notify_all();
  if (worker.get_id() == std::this_thread::get_id()) {
    // Stopped from inside its own sink callback: joining would deadlock, and returning into the
    // batch would touch the outbox its owner is destroying. A contract violation (docs/threading.md).
    emit_log(impl_->options.log, LogLevel::error, "relay",
             "fatal: an EventRelay was stopped or destroyed from its own thread "
             "(a generator closed inside its event sink's callback)");
    std::abort();
  }
  worker.join();  // a batch in flight finishes first (bounded by the sink's own timeouts)
}

}  // namespace contentgen
