// EventRelay against fakes: the memory outbox (leases, ordering) and small sink/outbox doubles
// that script per-event outcomes and record exactly what the relay marked.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "contentgen/relay.hpp"
#include "contentgen/testing/memory_article_repository.hpp"
#include "contentgen/testing/recording_event_sink.hpp"
#include "events/events_support.hpp"

namespace contentgen {
namespace {

using namespace std::chrono_literals;
using eventstest::article_generated;

const Timestamp t0 = std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} + 9h;

// A clock the test moves by hand.
struct ManualClock {
  std::shared_ptr<std::atomic<Timestamp>> now = std::make_shared<std::atomic<Timestamp>>(t0);
  Clock clock() const {
    return [now = now] { return now->load(); };
  }
  void advance(std::chrono::microseconds by) { now->store(now->load() + by); }
};

// Puts `events` into the memory outbox the way the generator does: with an article, atomically.
void add_to_outbox(fakes::MemoryArticleRepository& repo, std::vector<Event> events) {
  NewArticle record;
  record.article.id = new_uuid_v7();
  record.article.workspace_id = events.empty() ? "ws" : events.front().workspace_id;
  record.article.created_at = t0;
  record.article.updated_at = t0;
  record.events = std::move(events);
  repo.create(record);
}

// A sink whose verdict per event comes from a set of ids to refuse; counts batches. While `down`,
// every event and every ping fails with unavailable (an unreachable broker); pings are recorded
// with the time of `clock`.
class ScriptedSink : public EventSink {
 public:
  void publish(const Event& event) override {
    auto outcome = publish_batch(std::span<const Event>(&event, 1));
    if (outcome.front()) throw *outcome.front();
  }
  std::vector<std::optional<Error>> publish_batch(std::span<const Event> events) override {
    std::lock_guard lock(mutex);
    ++batches;
    if (throw_everything) throw Error(ErrorCode::unavailable, "sink down");
    std::vector<std::optional<Error>> outcomes;
    for (const auto& event : events) {
      if (down) {
        outcomes.emplace_back(Error(ErrorCode::unavailable, "broker unreachable"));
      } else if (refuse.contains(event.id)) {
        ErrorDetails details;
        details.provider = "amqp";
        details.provider_code = "NO_ROUTE";
        outcomes.emplace_back(Error(ErrorCode::upstream, "returned as unroutable", details));
      } else {
        accepted.push_back(event.id);
        outcomes.emplace_back(std::nullopt);
      }
    }
    return outcomes;
  }
  void ping() override {
    std::lock_guard lock(mutex);
    pings.push_back(clock ? clock() : now_utc());
    if (down) throw Error(ErrorCode::unavailable, "broker unreachable");
  }
  std::mutex mutex;
  std::set<std::string> refuse;
  bool throw_everything = false;
  bool down = false;
  Clock clock;
  std::vector<Timestamp> pings;
  std::vector<std::string> accepted;
  int batches = 0;
};

// An outbox that hands out scripted entries once and records the marks.
class RecordingOutbox : public Outbox {
 public:
  std::vector<OutboxEntry> claim_outbox(std::size_t limit, Timestamp now, std::chrono::seconds lease) override {
    claims.push_back({limit, now, lease});
    auto out = std::move(entries);
    entries.clear();
    return out;
  }
  void mark_delivered(std::string_view id, Timestamp) override { delivered.emplace_back(id); }
  void mark_failed(std::string_view id, std::string_view error, Timestamp next) override {
    failed.push_back({std::string(id), std::string(error), next});
  }
  std::size_t pending_outbox_count() override { return entries.size(); }

  struct Claim {
    std::size_t limit;
    Timestamp now;
    std::chrono::seconds lease;
  };
  struct Failure {
    std::string id, error;
    Timestamp next_attempt_at;
  };
  std::vector<OutboxEntry> entries;
  std::vector<Claim> claims;
  std::vector<std::string> delivered;
  std::vector<Failure> failed;
};

TEST(EventRelay, DeliversDueRowsOldestFirstAndMarksThemDelivered) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<fakes::RecordingEventSink>();
  ManualClock clock;
  // Inserted newest first: the relay must still publish by event time.
  std::vector<Event> events;
  for (int i = 4; i >= 0; --i) events.push_back(article_generated("ws", t0 - std::chrono::minutes(i)));
  add_to_outbox(*repo, events);
  EventRelay relay(repo, sink, RelayOptions{.batch_size = 2, .clock = clock.clock()});

  const auto stats = relay.relay_all();
  EXPECT_EQ(stats.delivered, 5u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
  const auto published = sink->events();
  ASSERT_EQ(published.size(), 5u);
  for (std::size_t i = 1; i < published.size(); ++i) EXPECT_LT(published[i - 1].time, published[i].time);
  EXPECT_EQ(relay.relay_all().delivered, 0u) << "a delivered row is never sent again";
}

TEST(EventRelay, BatchPartialFailureMarksEachRowByItsOwnOutcome) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<ScriptedSink>();
  ManualClock clock;
  std::vector<Event> events;
  for (int i = 0; i < 5; ++i) events.push_back(article_generated("ws", t0 + std::chrono::seconds(i)));
  sink->refuse = {events[1].id, events[3].id};
  add_to_outbox(*repo, events);
  EventRelay relay(repo, sink, RelayOptions{.initial_backoff = 1000ms, .clock = clock.clock()});

  const auto stats = relay.relay_once();
  EXPECT_EQ(stats.delivered, 3u);
  EXPECT_EQ(stats.failed, 2u);
  EXPECT_EQ(sink->batches, 1) << "one batch, one publish_batch call";
  EXPECT_EQ(repo->pending_outbox_count(), 2u);

  // Not due before the backoff has passed...
  clock.advance(999ms);
  EXPECT_TRUE(repo->claim_outbox(10, clock.now->load(), 1s).empty());
  // ...then due, with the attempt and the error recorded.
  clock.advance(1ms);
  const auto due = repo->claim_outbox(10, clock.now->load(), 1s);
  ASSERT_EQ(due.size(), 2u);
  for (const auto& entry : due) {
    EXPECT_TRUE(entry.event.id == events[1].id || entry.event.id == events[3].id);
    EXPECT_EQ(entry.attempts, 1);
    EXPECT_NE(entry.last_error.find("upstream"), std::string::npos) << entry.last_error;
    EXPECT_NE(entry.last_error.find("NO_ROUTE"), std::string::npos) << entry.last_error;
  }
}

TEST(EventRelay, BackoffDoublesPerAttemptAndIsCapped) {
  auto outbox = std::make_shared<RecordingOutbox>();
  auto sink = std::make_shared<ScriptedSink>();
  ManualClock clock;
  for (const int attempts : {0, 1, 2, 3, 30}) {
    auto event = article_generated("ws", t0);
    sink->refuse.insert(event.id);
    outbox->entries.push_back(OutboxEntry{event, attempts, ""});
  }
  EventRelay relay(outbox, sink,
                   RelayOptions{.initial_backoff = 500ms, .max_backoff = 3000ms, .clock = clock.clock()});
  EXPECT_EQ(relay.relay_once().failed, 5u);
  ASSERT_EQ(outbox->failed.size(), 5u);
  const std::vector<std::chrono::milliseconds> expected{500ms, 1000ms, 2000ms, 3000ms, 3000ms};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(outbox->failed[i].next_attempt_at - t0, expected[i]) << "attempt " << i + 1;
  }
  EXPECT_TRUE(outbox->delivered.empty());
}

TEST(EventRelay, AfterASinkOutageOfAnyLengthTheBacklogIsDueWithinOneProbeInterval) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  ManualClock clock;
  auto sink = std::make_shared<ScriptedSink>();
  sink->clock = clock.clock();
  std::vector<Event> events;
  for (int i = 0; i < 30; ++i) events.push_back(article_generated("ws", t0 + std::chrono::seconds(i)));
  add_to_outbox(*repo, events);
  std::vector<std::pair<LogLevel, std::string>> logged;
  EventRelay relay(repo, sink,
                   RelayOptions{.batch_size = 10, .initial_backoff = 1000ms, .max_backoff = 300'000ms,
                                .max_probe_interval = 5000ms,
                                .log = [&](LogLevel level, std::string_view component, std::string_view message) {
                                  EXPECT_EQ(component, "relay");
                                  logged.emplace_back(level, std::string(message));
                                },
                                .clock = clock.clock()});
  sink->down = true;
  EXPECT_EQ(relay.relay_once().failed, 10u);
  EXPECT_EQ(relay.relay_once().failed, 0u) << "the sink is down: nothing is claimed";

  // An outage of one hour, with the relay polling every second as the background thread does.
  for (int second = 0; second < 3600; ++second) {
    clock.advance(1s);
    const auto stats = relay.relay_once();
    ASSERT_EQ(stats.delivered + stats.failed, 0u) << "at " << second << " s";
  }
  EXPECT_EQ(sink->batches, 1) << "while the sink is down only probes run";
  EXPECT_LE(sink->pings.size(), 3600u / 5 + 5) << "probes are capped at max_probe_interval, not every poll";
  EXPECT_EQ(repo->pending_outbox_count(), 30u);

  // The broker is back: within one probe interval everything is delivered -- the 10 rows that failed
  // included, whatever per-row backoff an hour of failures would have given them.
  sink->down = false;
  const auto back = clock.now->load();
  while (repo->pending_outbox_count() > 0 && clock.now->load() - back <= 10s) {
    clock.advance(1s);
    relay.relay_all();
  }
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
  EXPECT_LE(clock.now->load() - back, 5s) << "drained within max_probe_interval of the sink coming back";
  EXPECT_EQ(std::set<std::string>(sink->accepted.begin(), sink->accepted.end()).size(), 30u);
  // The host hears of the outage once when it starts and once when it ends, not once per probe.
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].first, LogLevel::warning);
  EXPECT_NE(logged[0].second.find("not accepting events"), std::string::npos) << logged[0].second;
  EXPECT_EQ(logged[1].first, LogLevel::info);
  EXPECT_NE(logged[1].second.find("is back"), std::string::npos) << logged[1].second;
}

TEST(EventRelay, WhileTheSinkIsDownItIsProbedWithADoublingCappedBackoff) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  ManualClock clock;
  auto sink = std::make_shared<ScriptedSink>();
  sink->clock = clock.clock();
  add_to_outbox(*repo, {article_generated("ws", t0)});
  EventRelay relay(repo, sink,
                   RelayOptions{.initial_backoff = 1000ms, .max_probe_interval = 5000ms, .clock = clock.clock()});
  sink->down = true;
  EXPECT_EQ(relay.relay_once().failed, 1u);
  for (int step = 0; step < 40 * 10; ++step) {  // 40 s in 100 ms steps
    clock.advance(100ms);
    relay.relay_once();
  }
  ASSERT_GE(sink->pings.size(), 6u);
  std::vector<std::chrono::microseconds> gaps{sink->pings[0] - t0};
  for (std::size_t i = 1; i < 6; ++i) gaps.push_back(sink->pings[i] - sink->pings[i - 1]);
  const std::vector<std::chrono::microseconds> expected{1s, 2s, 4s, 5s, 5s, 5s};
  EXPECT_EQ(gaps, expected);
  EXPECT_EQ(sink->batches, 1);

  // A failed row of the outage is due again at once: its own backoff does not hold it back.
  const auto due = repo->claim_outbox(10, clock.now->load(), 1s);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 1);
  EXPECT_NE(due[0].last_error.find("unavailable: broker unreachable"), std::string::npos) << due[0].last_error;
}

TEST(EventRelay, ARowTheSinkRefusesKeepsItsOwnBackoffWhileTheSinkIsUp) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<ScriptedSink>();
  ManualClock clock;
  const auto poison = article_generated("ws", t0);
  sink->refuse = {poison.id};
  add_to_outbox(*repo, {poison, article_generated("ws", t0 + 1s)});
  EventRelay relay(repo, sink, RelayOptions{.initial_backoff = 1000ms, .clock = clock.clock()});
  const auto stats = relay.relay_once();
  EXPECT_EQ(stats.delivered, 1u);
  EXPECT_EQ(stats.failed, 1u);
  clock.advance(999ms);
  EXPECT_EQ(relay.relay_all().failed, 0u) << "a refused row waits for its backoff; no outage, no probe";
  clock.advance(1ms);
  EXPECT_EQ(relay.relay_all(1).failed, 1u);
}

TEST(EventRelay, ClaimsWithTheConfiguredBatchSizeAndLease) {
  auto outbox = std::make_shared<RecordingOutbox>();
  ManualClock clock;
  EventRelay relay(outbox, std::make_shared<ScriptedSink>(),
                   RelayOptions{.batch_size = 7, .lease = 42s, .clock = clock.clock()});
  relay.relay_once();
  ASSERT_EQ(outbox->claims.size(), 1u);
  EXPECT_EQ(outbox->claims[0].limit, 7u);
  EXPECT_EQ(outbox->claims[0].lease, 42s);
  EXPECT_EQ(outbox->claims[0].now, t0);
}

TEST(EventRelay, SinkThatThrowsMarksTheWholeBatchFailedNeverDelivered) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<ScriptedSink>();
  sink->throw_everything = true;
  ManualClock clock;
  add_to_outbox(*repo, {article_generated("ws", t0), article_generated("ws", t0 + 1s)});
  EventRelay relay(repo, sink, RelayOptions{.clock = clock.clock()});
  const auto stats = relay.relay_once();
  EXPECT_EQ(stats.delivered, 0u);
  EXPECT_EQ(stats.failed, 2u);
  EXPECT_EQ(repo->pending_outbox_count(), 2u);
  clock.advance(1s);
  for (const auto& entry : repo->claim_outbox(10, clock.now->load(), 1s)) {
    EXPECT_NE(entry.last_error.find("unavailable: sink down"), std::string::npos) << entry.last_error;
  }
}

TEST(EventRelay, LeasedRowsAreSkippedUntilTheLeaseExpires) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<fakes::RecordingEventSink>();
  ManualClock clock;
  add_to_outbox(*repo, {article_generated("ws", t0), article_generated("ws", t0 + 1s)});
  // Another relay claimed both rows and then died without marking them.
  ASSERT_EQ(repo->claim_outbox(10, t0, 60s).size(), 2u);

  EventRelay relay(repo, sink, RelayOptions{.clock = clock.clock()});
  clock.advance(59s);
  EXPECT_EQ(relay.relay_all().delivered, 0u) << "rows leased to someone else are not ours";
  EXPECT_EQ(sink->size(), 0u);
  clock.advance(1s);
  EXPECT_EQ(relay.relay_all().delivered, 2u) << "an expired lease makes the rows due again";
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
}

TEST(EventRelay, TwoRelaysOnOneOutboxNeverPublishARowTwice) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<ScriptedSink>();
  for (int batch = 0; batch < 20; ++batch) {
    std::vector<Event> events;
    for (int i = 0; i < 10; ++i) events.push_back(article_generated("ws", t0 + std::chrono::seconds(batch * 10 + i)));
    add_to_outbox(*repo, events);
  }
  EventRelay a(repo, sink, RelayOptions{.batch_size = 3, .clock = {}});
  EventRelay b(repo, sink, RelayOptions{.batch_size = 3, .clock = {}});
  std::thread ta([&] { a.relay_all(); });
  std::thread tb([&] { b.relay_all(); });
  ta.join();
  tb.join();
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
  EXPECT_EQ(sink->accepted.size(), 200u);
  EXPECT_EQ(std::set<std::string>(sink->accepted.begin(), sink->accepted.end()).size(), 200u);
}

TEST(EventRelay, RelayAllStopsAtMaxBatchesWhenRowsKeepFailing) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<ScriptedSink>();
  sink->throw_everything = true;
  add_to_outbox(*repo, {article_generated("ws", t0)});
  // Zero backoff: the row is due again at once, so only max_batches ends the loop.
  EventRelay relay(repo, sink, RelayOptions{.initial_backoff = 0ms, .max_backoff = 0ms, .clock = [] { return t0; }});
  const auto stats = relay.relay_all(5);
  EXPECT_EQ(stats.failed, 5u);
  EXPECT_EQ(sink->batches, 5);
}

TEST(EventRelay, RelayAllStopsBetweenBatchesOnceCancelled) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  std::vector<Event> events;
  for (int i = 0; i < 10; ++i) events.push_back(article_generated("ws", t0 + std::chrono::seconds(i)));
  add_to_outbox(*repo, events);
  CancellationSource stop;
  // Cancelled while the second batch is being published: that batch is finished, no third starts.
  class CancellingSink : public ScriptedSink {
   public:
    explicit CancellingSink(CancellationSource& source) : source_(source) {}
    std::vector<std::optional<Error>> publish_batch(std::span<const Event> batch) override {
      auto outcomes = ScriptedSink::publish_batch(batch);
      if (batches == 2) source_.cancel();
      return outcomes;
    }

   private:
    CancellationSource& source_;
  };
  auto sink = std::make_shared<CancellingSink>(stop);
  EventRelay relay(repo, sink, RelayOptions{.batch_size = 3, .clock = {}});

  const auto stats = relay.relay_all(1000, stop.token());
  EXPECT_EQ(sink->batches, 2);
  EXPECT_EQ(stats.delivered, 6u);
  EXPECT_EQ(repo->pending_outbox_count(), 4u) << "the rest stays in the outbox";
  EXPECT_EQ(relay.relay_all(1000, stop.token()).delivered, 0u) << "an already cancelled token relays nothing";
  EXPECT_EQ(relay.relay_all().delivered, 4u);
}

TEST(EventRelay, OutboxFailurePropagatesFromRelayOnce) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  repo->faults().fail_next(fakes::MemoryArticleRepository::Op::claim_outbox, Error(ErrorCode::storage, "db down"));
  EventRelay relay(repo, std::make_shared<fakes::RecordingEventSink>());
  try {
    relay.relay_once();
    FAIL() << "expected the storage error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::storage);
  }
}

TEST(EventRelay, BackgroundThreadDeliversSurvivesOutboxErrorsAndStops) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<fakes::RecordingEventSink>();
  repo->faults().fail_next(fakes::MemoryArticleRepository::Op::claim_outbox, Error(ErrorCode::storage, "db down"), 2);
  EventRelay relay(repo, sink, RelayOptions{.poll_interval = 10ms, .clock = {}});
  relay.start();
  relay.start();  // idempotent
  add_to_outbox(*repo, {article_generated("ws", t0), article_generated("ws", t0 + 1s)});
  EXPECT_TRUE(sink->wait_for(2, 10s)) << "the thread kept polling after the outbox failed twice";
  relay.stop();
  relay.stop();  // idempotent

  add_to_outbox(*repo, {article_generated("ws", t0 + 2s)});
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(sink->size(), 2u) << "nothing is relayed after stop()";
  relay.start();
  EXPECT_TRUE(sink->wait_for(3, 10s)) << "start() after stop() resumes";
}

TEST(EventRelay, BackgroundThreadGoesOnWhileAnOutboxHandsOutShortBatches) {
  // An outbox may return fewer rows than asked (the SOCI one caps a claim): a short batch must not
  // send the relay to sleep while rows are still due.
  class CappedOutbox : public Outbox {
   public:
    explicit CappedOutbox(std::shared_ptr<Outbox> inner) : inner_(std::move(inner)) {}
    std::vector<OutboxEntry> claim_outbox(std::size_t limit, Timestamp now, std::chrono::seconds lease) override {
      return inner_->claim_outbox(std::min<std::size_t>(limit, 2), now, lease);
    }
    void mark_delivered(std::string_view id, Timestamp now) override { inner_->mark_delivered(id, now); }
    void mark_failed(std::string_view id, std::string_view error, Timestamp next) override {
      inner_->mark_failed(id, error, next);
    }
    std::size_t pending_outbox_count() override { return inner_->pending_outbox_count(); }

   private:
    std::shared_ptr<Outbox> inner_;
  };
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<fakes::RecordingEventSink>();
  std::vector<Event> events;
  for (int i = 0; i < 7; ++i) events.push_back(article_generated("ws", t0 + std::chrono::seconds(i)));
  add_to_outbox(*repo, events);
  EventRelay relay(std::make_shared<CappedOutbox>(repo), sink,
                   RelayOptions{.batch_size = 5, .poll_interval = 24h, .clock = {}});
  relay.start();
  EXPECT_TRUE(sink->wait_for(7, 10s)) << "the relay slept a poll interval after a short batch";
  relay.stop();
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
}

TEST(EventRelay, StopInterruptsALongPollWait) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  EventRelay relay(repo, std::make_shared<fakes::RecordingEventSink>(), RelayOptions{.poll_interval = 24h, .clock = {}});
  relay.start();
  std::this_thread::sleep_for(50ms);  // let it reach the wait
  relay.stop();                       // would hang for a day if the wait were not interruptible
  SUCCEED();
}

TEST(EventRelay, DestructorStopsTheBackgroundThread) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<fakes::RecordingEventSink>();
  {
    EventRelay relay(repo, sink, RelayOptions{.poll_interval = 24h, .clock = {}});
    relay.start();
  }
  add_to_outbox(*repo, {article_generated("ws", t0)});
  EXPECT_EQ(sink->size(), 0u);
}

TEST(EventRelayDeathTest, StoppedFromItsOwnSinkAbortsWithAMessage) {
  // A contract violation (the owner closed inside the sink callback): a clear message to the
  // host's log (here one that writes to stderr), not a deadlock or an anonymous std::terminate.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  class StoppingSink : public EventSink {
   public:
    EventRelay* relay = nullptr;
    void publish(const Event&) override { relay->stop(); }
  };
  EXPECT_DEATH(
      {
        auto repo = std::make_shared<fakes::MemoryArticleRepository>();
        auto sink = std::make_shared<StoppingSink>();
        add_to_outbox(*repo, {article_generated("ws", t0)});
        const LogHandler to_stderr = [](LogLevel, std::string_view, std::string_view message) {
          std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
        };
        EventRelay relay(repo, sink, RelayOptions{.poll_interval = 10ms, .log = to_stderr, .clock = {}});
        sink->relay = &relay;
        relay.start();
        std::this_thread::sleep_for(10s);
      },
      "EventRelay was stopped or destroyed from its own thread");
}

TEST(EventRelay, RejectsBadOptions) {
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  auto sink = std::make_shared<fakes::RecordingEventSink>();
  const auto field_of = [&](RelayOptions options) -> std::string {
    try {
      EventRelay relay(repo, sink, options);
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
      return error.details().field;
    }
    return "accepted";
  };
  EXPECT_EQ(field_of(RelayOptions{.batch_size = 0, .clock = {}}), "batch_size");
  EXPECT_EQ(field_of(RelayOptions{.lease = 0s, .clock = {}}), "lease");
  EXPECT_EQ(field_of(RelayOptions{.initial_backoff = 10s, .max_backoff = 1s, .clock = {}}), "max_backoff");
  EXPECT_EQ(field_of(RelayOptions{.max_probe_interval = 0ms, .clock = {}}), "max_probe_interval");
  EXPECT_THROW(EventRelay(nullptr, sink), Error);
  EXPECT_THROW(EventRelay(repo, nullptr), Error);
}

}  // namespace
}  // namespace contentgen
