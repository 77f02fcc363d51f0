// The broker goes away in the middle of 200 generations and comes back: after the relay has caught
// up, every article.generated event is in the consumer's queue -- none lost, and any duplicate
// (a crash or timeout between the broker's confirm and our mark) carries the identical id and body.
//
// ContentGenerator with the scripted LLM writes article + event in one transaction into a durable
// outbox (SQLite through SOCI when that adapter is built, else the memory repository); a background
// EventRelay moves the rows to RabbitMQ while `rabbitmqctl stop_app` / `start_app` take the broker
// down and up again. A second test keeps the broker down long enough for per-event backoff to grow
// past ten seconds and measures how fast the backlog drains once it is back.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "contentgen/adapters/amqp_sink.hpp"
#include "contentgen/generator.hpp"
#include "contentgen/relay.hpp"
#include "contentgen/testing/memory_article_repository.hpp"
#include "contentgen/testing/memory_image_store.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"
#include "events/events_support.hpp"
#include "support/services.hpp"
#ifdef CONTENTGEN_EVENTS_HAVE_SOCI
#include "contentgen/adapters/soci_repository.hpp"
#endif

namespace contentgen {
namespace {

using namespace std::chrono_literals;

constexpr int kGenerations = 200;

std::shared_ptr<ArticleRepository> durable_outbox(const std::filesystem::path& dir) {
#ifdef CONTENTGEN_EVENTS_HAVE_SOCI
  SociRepositoryOptions options;
  options.url = "sqlite:" + (dir / "outbox.db").string();
  return open_soci_repository(options);
#else
  (void)dir;
  return std::make_shared<fakes::MemoryArticleRepository>();
#endif
}

// Stops and starts the broker's application; whatever happens to the test, the broker is running
// again when this goes out of scope (later suites need it).
class BrokerSwitch {
 public:
  explicit BrokerSwitch(std::string ctl) : ctl_(std::move(ctl)) {}
  ~BrokerSwitch() {
    if (down_) run("start_app");
  }
  void stop() {
    ASSERT_EQ(run("stop_app"), 0) << "rabbitmqctl stop_app";
    down_ = true;
  }
  void start() {
    ASSERT_EQ(run("start_app"), 0) << "rabbitmqctl start_app";
    down_ = false;
  }
  bool down() const { return down_; }

 private:
  int run(const std::string& command) const {
    return eventstest::run_command(ctl_ + " " + command + " >/dev/null 2>&1").exit_status;
  }
  std::string ctl_;
  bool down_ = false;
};

// A generator over `repository` whose LLM is scripted: every generate writes one article and its
// article.generated event into the outbox, at once.
std::unique_ptr<ContentGenerator> scripted_generator(std::shared_ptr<ArticleRepository> repository) {
  auto llm = std::make_shared<fakes::ScriptedLlmProvider>();
  llm->set_responder([](const ChatRequest&) {
    ChatResponse response;
    response.text = "# An article about outboxes\n\nEvery event survives a broker outage.\n";
    response.finish_reason = FinishReason::stop;
    response.provider = "scripted";
    response.model = "gpt-4o-mini";
    response.usage.prompt_tokens = 120;
    response.usage.completion_tokens = 40;
    return Result<ChatResponse>(response);
  });
  Ports ports;
  ports.llm = llm;
  ports.repository = std::move(repository);
  ports.images = std::make_shared<fakes::MemoryImageStore>();
  return std::make_unique<ContentGenerator>(ports, std::make_shared<const PriceTable>(PriceTable::builtin()));
}

ContentPlan plan_number(int i) {
  ContentPlan plan;
  plan.id = "plan-" + std::to_string(i);
  plan.workspace_id = i % 2 == 0 ? "ws-even" : "ws-odd";
  plan.title = "Outbox article " + std::to_string(i);
  plan.estimated_word_count = 300;
  return plan;
}

std::shared_ptr<AmqpEventSink> outage_sink(const std::string& url, const std::string& exchange) {
  AmqpSinkOptions sink_options;
  sink_options.url = url;
  sink_options.exchange = exchange;
  sink_options.heartbeat = 2s;
  sink_options.connect_timeout = 2s;
  sink_options.confirm_timeout = 5s;
  return std::make_shared<AmqpEventSink>(sink_options);
}

// One test's own exchange and queue (declared by the peer), durable outbox, generator and sink.
struct Rig {
  std::string exchange;
  std::string queue;
  std::filesystem::path dir;
  std::shared_ptr<ArticleRepository> repository;
  std::unique_ptr<ContentGenerator> generator;
  std::shared_ptr<AmqpEventSink> sink;
};

void make_rig(const std::string& url, const std::string& name, Rig& rig) {
  rig.exchange = eventstest::unique_name("contentgen." + name);
  rig.queue = rig.exchange + ".q";
  const auto declared =
      eventstest::peer("declare --url '" + url + "' --exchange '" + rig.exchange + "' --queue '" + rig.queue + "'");
  ASSERT_EQ(declared.exit_status, 0) << declared.out;
  rig.dir = std::filesystem::temp_directory_path() / ("contentgen-" + name + "-" + new_uuid_v7());
  std::filesystem::create_directories(rig.dir);
  rig.repository = durable_outbox(rig.dir);
  rig.generator = scripted_generator(rig.repository);
  rig.sink = outage_sink(url, rig.exchange);
}

// The subjects (article ids) of the article.generated messages read back.
std::set<std::string> delivered_articles(const eventstest::Drained& drained) {
  std::set<std::string> ids;
  for (const auto& message : drained.messages) {
    if (message.at("routing_key").as_string() == "article.generated") {
      ids.insert(std::string(message.at("body").as_object().at("subject").as_string()));
    }
  }
  return ids;
}

bool wait_until_drained(ArticleRepository& repository, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (repository.pending_outbox_count() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  return repository.pending_outbox_count() == 0;
}

TEST(EventsOutage, BrokerStoppedDuringGenerationsLosesNoEvent) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  CONTENTGEN_REQUIRE_SERVICE(ctl, "CONTENTGEN_TEST_RABBITMQCTL");
  Rig rig;
  ASSERT_NO_FATAL_FAILURE(make_rig(url, "outage", rig));
  const auto& [exchange, queue, dir, repository, generator, sink] = rig;
  RelayOptions relay_options;
  relay_options.batch_size = 20;
  relay_options.initial_backoff = 50ms;
  relay_options.max_backoff = 400ms;
  relay_options.poll_interval = 20ms;
  EventRelay relay(repository, sink, relay_options);
  relay.start();

  std::set<std::string> article_ids;
  BrokerSwitch broker(ctl);
  std::size_t pending_during_outage = 0;
  for (int i = 0; i < kGenerations; ++i) {
    if (i == 50) {
      ASSERT_NO_FATAL_FAILURE(broker.stop());
    }
    if (i == 150) {
      pending_during_outage = repository->pending_outbox_count();
      ASSERT_NO_FATAL_FAILURE(broker.start());
    }
    article_ids.insert(generator->generate(plan_number(i)).id);
    if (broker.down()) std::this_thread::sleep_for(5ms);  // let the relay try (and fail) meanwhile
  }
  ASSERT_EQ(article_ids.size(), static_cast<std::size_t>(kGenerations));
  EXPECT_GE(pending_during_outage, 100u) << "events generated while the broker was down must wait in the outbox";

  // The relay catches up on its own once the broker is back.
  wait_until_drained(*repository, 90s);
  relay.stop();
  EXPECT_EQ(repository->pending_outbox_count(), 0u);
  const auto stats = sink->stats();
  EXPECT_GE(stats.connections_opened, 2u) << "the outage did not reach the relay";

  const auto drained = eventstest::drain(url, queue, kGenerations, 30, exchange);
  EXPECT_TRUE(drained.errors.empty()) << drained.errors.front();
  std::map<std::string, std::string> body_by_id;
  std::size_t duplicates = 0;
  for (const auto& message : drained.messages) {
    const std::string id(message.at("message_id").as_string());
    const auto body = boost::json::serialize(message.at("body"));
    const auto [it, inserted] = body_by_id.emplace(id, body);
    if (!inserted) {
      ++duplicates;
      EXPECT_EQ(it->second, body) << "a duplicate of " << id << " differs";
    }
  }
  const auto delivered = delivered_articles(drained);
  std::size_t lost = 0;
  for (const auto& id : article_ids) lost += delivered.contains(id) ? 0 : 1;
  EXPECT_EQ(lost, 0u) << "article.generated events lost";
  std::printf("outage: %zu pending before restart; %zu messages for %d generations, %zu duplicates, %llu connections opened\n",
              pending_during_outage, drained.messages.size(), kGenerations, duplicates,
              static_cast<unsigned long long>(stats.connections_opened));
  std::filesystem::remove_all(dir);
}

// The issue this pins down: after a long outage every event had backed off on its own (up to
// max_backoff, 5 minutes), so the backlog took a minute to drain once the broker was back. Now the
// relay marks the sink down, probes it (max_probe_interval) and drains everything at once.
// The per-event backoff keeps the library's defaults (1 s doubling, 5 min cap): after this outage of
// about 16 s a row's next own retry would be about 15 s after the broker is back.
TEST(EventsOutage, BacklogDrainsWithinTenSecondsOfTheBrokerComingBack) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  CONTENTGEN_REQUIRE_SERVICE(ctl, "CONTENTGEN_TEST_RABBITMQCTL");
  constexpr int kBefore = 20;   // delivered while the broker is up
  constexpr int kDuring = 300;  // generated while it is down: the backlog
  constexpr auto kOutage = 16s;
  Rig rig;
  ASSERT_NO_FATAL_FAILURE(make_rig(url, "drain", rig));
  const auto& [exchange, queue, dir, repository, generator, sink] = rig;
  // Per-event backoff at the defaults (1 s doubling, 5 min cap); the sink is probed every 2 s at most.
  EventRelay relay(repository, sink,
                   RelayOptions{.batch_size = 100, .max_probe_interval = 2s, .poll_interval = 100ms, .clock = {}});
  relay.start();

  std::set<std::string> article_ids;
  for (int i = 0; i < kBefore; ++i) article_ids.insert(generator->generate(plan_number(i)).id);
  ASSERT_TRUE(wait_until_drained(*repository, 30s)) << "the relay does not deliver while the broker is up";

  BrokerSwitch broker(ctl);
  ASSERT_NO_FATAL_FAILURE(broker.stop());
  const auto down_at = std::chrono::steady_clock::now();
  for (int i = kBefore; i < kBefore + kDuring; ++i) article_ids.insert(generator->generate(plan_number(i)).id);
  std::this_thread::sleep_until(down_at + kOutage);  // the outage itself; the relay fails meanwhile
  const auto pending_at_restart = repository->pending_outbox_count();
  EXPECT_EQ(pending_at_restart, static_cast<std::size_t>(kDuring));
  // Measured from the moment the broker is asked to start (its own start-up time included, the
  // strictest reading of "back") and, for the record, from the moment start_app returned.
  const auto starting_at = std::chrono::steady_clock::now();
  ASSERT_NO_FATAL_FAILURE(broker.start());
  const auto up_at = std::chrono::steady_clock::now();
  const bool drained_in_time = wait_until_drained(*repository, 60s);
  const auto done_at = std::chrono::steady_clock::now();
  relay.stop();
  const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::printf("drain: %zu events pending after a %.1f s outage; all delivered %.2f s after start_app was called "
              "(%.2f s after it returned)\n",
              pending_at_restart, seconds(starting_at - down_at), seconds(done_at - starting_at), seconds(done_at - up_at));
  EXPECT_TRUE(drained_in_time);
  EXPECT_LE(seconds(done_at - starting_at), 10.0) << "the backlog must drain within 10 s of the broker coming back";

  const auto drained = eventstest::drain(url, queue, article_ids.size(), 30, exchange);
  EXPECT_TRUE(drained.errors.empty()) << drained.errors.front();
  const auto delivered = delivered_articles(drained);
  std::size_t lost = 0;
  for (const auto& id : article_ids) lost += delivered.contains(id) ? 0 : 1;
  EXPECT_EQ(lost, 0u) << "article.generated events lost";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace contentgen
