// Event delivery throughput (figures, not assertions):
//   - AMQP sink into RabbitMQ on loopback, with publisher confirms: one confirm per message
//     (publish) vs. one wait for a whole batch (publish_batch), and the full relay path from an
//     outbox. Needs CONTENTGEN_TEST_AMQP_URL (benchmarks/events/run.sh starts a broker).
//   - JSONL sink appends per second, fsync'd (and without fsync, for scale).
// Messages go to a queue capped with x-max-length + drop-head so the broker's memory stays flat.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "contentgen/adapters/amqp_sink.hpp"
#include "contentgen/adapters/jsonl_sink.hpp"
#include "contentgen/adapters/soci_repository.hpp"
#include "contentgen/ids.hpp"
#include "contentgen/relay.hpp"
#include "contentgen/testing/memory_article_repository.hpp"

namespace {

using namespace contentgen;

Event sample_event() {
  Event event;
  event.id = new_uuid_v7();
  event.type = EventType::article_generated;
  event.time = now_utc();
  event.workspace_id = "ws-bench";
  event.subject = new_uuid_v7();
  event.data_json = R"({"article_id":")" + event.subject +
                    R"(","workspace_id":"ws-bench","plan_id":"plan-1","title":"How to benchmark an outbox relay",)"
                    R"("word_count":1500,"cost_usd":"0.001234567","model":"gpt-4o-mini"})";
  return event;
}

std::string amqp_url() {
  const char* url = std::getenv("CONTENTGEN_TEST_AMQP_URL");
  return url == nullptr ? std::string() : std::string(url);
}

// One exchange + capped queue for the whole run.
struct Broker {
  std::string url = amqp_url();
  std::string exchange = "contentgen.bench." + new_uuid_v7();
  std::string queue = exchange + ".q";
  bool ready = false;

  Broker() {
    if (url.empty()) return;
    const auto command = std::string("/usr/bin/python3 ") + CONTENTGEN_EVENTS_PEER + " declare --url '" + url +
                         "' --exchange '" + exchange + "' --queue '" + queue +
                         "' --max-length 10000 --overflow drop-head";
    ready = std::system(command.c_str()) == 0;
  }
  ~Broker() {
    if (!ready) return;
    const auto command = std::string("/usr/bin/python3 ") + CONTENTGEN_EVENTS_PEER + " delete --url '" + url +
                         "' --exchange '" + exchange + "' --queue '" + queue + "'";
    [[maybe_unused]] const int status = std::system(command.c_str());
  }
  std::unique_ptr<AmqpEventSink> sink() const {
    AmqpSinkOptions options;
    options.url = url;
    options.exchange = exchange;
    options.source = "contentgen://bench/events";
    return make_amqp_event_sink(options);
  }
};

Broker& broker() {
  static Broker instance;
  return instance;
}

void BM_AmqpConfirmEachMessage(benchmark::State& state) {
  if (!broker().ready) return state.SkipWithError("CONTENTGEN_TEST_AMQP_URL not set or broker not usable");
  auto sink = broker().sink();
  sink->ping();
  const auto event = sample_event();
  for (auto _ : state) sink->publish(event);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AmqpConfirmEachMessage)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_AmqpConfirmPerBatch(benchmark::State& state) {
  if (!broker().ready) return state.SkipWithError("CONTENTGEN_TEST_AMQP_URL not set or broker not usable");
  auto sink = broker().sink();
  sink->ping();
  std::vector<Event> batch(static_cast<std::size_t>(state.range(0)), sample_event());
  for (auto _ : state) {
    const auto outcomes = sink->publish_batch(batch);
    for (const auto& outcome : outcomes) {
      if (outcome) return state.SkipWithError(outcome->what());
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AmqpConfirmPerBatch)->Arg(10)->Arg(100)->Arg(500)->Unit(benchmark::kMillisecond)->UseRealTime();

// The whole path: claim from an outbox, publish_batch with confirms, mark delivered. The outbox is
// in memory, or a SQLite file (synchronous=FULL, the default: every commit is an fsync), where
// marking a batch delivered in one transaction matters.
std::shared_ptr<ArticleRepository> outbox_for(const benchmark::State& state, const std::filesystem::path& dir) {
  if (state.range(1) == 0) return std::make_shared<fakes::MemoryArticleRepository>();
  SociRepositoryOptions options;
  options.url = "sqlite:" + (dir / "outbox.db").string();
  return open_soci_repository(options);
}

void BM_RelayOutboxToAmqp(benchmark::State& state) {
  if (!broker().ready) return state.SkipWithError("CONTENTGEN_TEST_AMQP_URL not set or broker not usable");
  std::shared_ptr<EventSink> sink = broker().sink();
  const auto batch_size = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t kEventsPerIteration = 1000;
  const auto dir = std::filesystem::temp_directory_path() / ("contentgen-relay-bench-" + new_uuid_v7());
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto repo = outbox_for(state, dir);
    NewArticle record;
    record.article.id = new_uuid_v7();
    record.article.workspace_id = "ws-bench";
    record.article.title = "Relay benchmark";
    record.article.created_at = record.article.updated_at = now_utc();
    for (std::size_t i = 0; i < kEventsPerIteration; ++i) record.events.push_back(sample_event());
    repo->create(record);
    RelayOptions options;
    options.batch_size = batch_size;
    EventRelay relay(repo, sink, options);
    state.ResumeTiming();
    const auto stats = relay.relay_all(100000);
    if (stats.delivered != kEventsPerIteration) return state.SkipWithError("not every event was delivered");
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kEventsPerIteration));
}
BENCHMARK(BM_RelayOutboxToAmqp)
    ->ArgNames({"batch", "sqlite"})
    ->Args({1, 0})->Args({100, 0})->Args({100, 1})
    ->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_JsonlAppend(benchmark::State& state) {
  const bool fsync = state.range(0) != 0;
  const auto path = std::filesystem::temp_directory_path() / ("contentgen-bench-" + new_uuid_v7() + ".jsonl");
  {
    JsonlSinkOptions options;
    options.path = path;
    options.fsync = fsync;
    JsonlEventSink sink(options);
    const auto event = sample_event();
    for (auto _ : state) sink.publish(event);
    state.SetItemsProcessed(state.iterations());
  }
  std::filesystem::remove(path);
}
BENCHMARK(BM_JsonlAppend)->ArgName("fsync")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_JsonlAppendBatch100(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / ("contentgen-bench-" + new_uuid_v7() + ".jsonl");
  {
    JsonlSinkOptions options;
    options.path = path;
    JsonlEventSink sink(options);
    std::vector<Event> batch(100, sample_event());
    for (auto _ : state) sink.publish_batch(batch);
    state.SetItemsProcessed(state.iterations() * 100);
  }
  std::filesystem::remove(path);
}
BENCHMARK(BM_JsonlAppendBatch100)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
