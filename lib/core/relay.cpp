// EventRelay: outbox -> sink, at-least-once. Uses only the two ports, so it works unchanged over
// the memory, SQLite and PostgreSQL outboxes and every sink.
//
// One pass: claim a batch (leased to us), publish it with one publish_batch (the AMQP sink
// pipelines the batch and waits for the confirms together), then mark each row by its own
// outcome. A row is marked delivered only after the sink accepted it; a crash in between re-sends
// it later with the same id. Failed rows get attempts + 1 and a retry time with exponential backoff
// (initial_backoff * 2^(attempts-1), capped at max_backoff, no jitter: the rows of one outage fail
// together in few batches, so there is no herd to spread).
#include "contentgen/relay.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "contentgen/error.hpp"
#include "core/current_error.hpp"

namespace contentgen {

namespace {

std::chrono::milliseconds backoff_for(std::int32_t attempts, const RelayOptions& options) {
  // attempts counts this failure too (>= 1). Double without overflowing: stop once past the cap.
  auto delay = std::max(options.initial_backoff, std::chrono::milliseconds(0));
  for (std::int32_t i = 1; i < attempts && delay < options.max_backoff; ++i) delay *= 2;
  return std::min(delay, options.max_backoff);
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

  std::mutex thread_mutex;  // guards worker, stopping
  std::condition_variable wake;
  std::thread worker;
  bool stopping = false;

  Timestamp now() const { return options.clock ? options.clock() : now_utc(); }

  RelayStats relay_once() {
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
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (!outcomes[i]) {
        delivered.push_back(events[i].id);
      } else {
        const auto retry_at = now() + backoff_for(entries[i].attempts + 1, options);
        outbox->mark_failed(events[i].id, describe(*outcomes[i]),
                            std::chrono::floor<std::chrono::microseconds>(retry_at));
        ++stats.failed;
      }
    }
    // Only after the sink accepted them; one call so the repository can commit the batch at once.
    outbox->mark_delivered_many(delivered, now());
    stats.delivered = delivered.size();
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
    std::fputs("contentgen: fatal: an EventRelay was stopped or destroyed from its own thread "
               "(a generator closed inside its event sink's callback)\n", stderr);
    std::abort();
  }
  worker.join();  // a batch in flight finishes first (bounded by the sink's own timeouts)
}

}  // namespace contentgen
