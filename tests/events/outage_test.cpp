// The broker goes away in the middle of 200 generations and comes back: after the relay has caught
// up, every article.generated event is in the consumer's queue -- none lost, and any duplicate
// (a crash or timeout between the broker's confirm and our mark) carries the identical id and body.
//
// ContentGenerator with the scripted LLM writes article + event in one transaction into a durable
// outbox (SQLite through SOCI when that adapter is built, else the memory repository); a background
// EventRelay moves the rows to RabbitMQ while `rabbitmqctl stop_app` / `start_app` take the broker
// down and up again.
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

TEST(EventsOutage, BrokerStoppedDuringGenerationsLosesNoEvent) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  CONTENTGEN_REQUIRE_SERVICE(ctl, "CONTENTGEN_TEST_RABBITMQCTL");
  const auto exchange = eventstest::unique_name("contentgen.outage");
  const auto queue = exchange + ".q";
  const auto declared = eventstest::peer("declare --url '" + url + "' --exchange '" + exchange + "' --queue '" + queue + "'");
  ASSERT_EQ(declared.exit_status, 0) << declared.out;

  const auto dir = std::filesystem::temp_directory_path() / ("contentgen-outage-" + new_uuid_v7());
  std::filesystem::create_directories(dir);
  auto repository = durable_outbox(dir);
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
  ports.repository = repository;
  ports.images = std::make_shared<fakes::MemoryImageStore>();
  ContentGenerator generator(ports, std::make_shared<const PriceTable>(PriceTable::builtin()));

  AmqpSinkOptions sink_options;
  sink_options.url = url;
  sink_options.exchange = exchange;
  sink_options.heartbeat = 2s;
  sink_options.connect_timeout = 2s;
  sink_options.confirm_timeout = 5s;
  auto sink = std::make_shared<AmqpEventSink>(sink_options);
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
    ContentPlan plan;
    plan.id = "plan-" + std::to_string(i);
    plan.workspace_id = i % 2 == 0 ? "ws-even" : "ws-odd";
    plan.title = "Outbox article " + std::to_string(i);
    plan.estimated_word_count = 300;
    article_ids.insert(generator.generate(plan).id);
    if (broker.down()) std::this_thread::sleep_for(5ms);  // let the relay try (and fail) meanwhile
  }
  ASSERT_EQ(article_ids.size(), static_cast<std::size_t>(kGenerations));
  EXPECT_GE(pending_during_outage, 100u) << "events generated while the broker was down must wait in the outbox";

  // The relay catches up on its own once the broker is back.
  const auto deadline = std::chrono::steady_clock::now() + 90s;
  while (repository->pending_outbox_count() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  relay.stop();
  EXPECT_EQ(repository->pending_outbox_count(), 0u);
  const auto stats = sink->stats();
  EXPECT_GE(stats.connections_opened, 2u) << "the outage did not reach the relay";

  const auto drained = eventstest::drain(url, queue, kGenerations, 30, exchange);
  EXPECT_TRUE(drained.errors.empty()) << drained.errors.front();
  std::map<std::string, std::string> body_by_id;
  std::set<std::string> delivered_articles;
  std::size_t duplicates = 0;
  for (const auto& message : drained.messages) {
    const std::string id(message.at("message_id").as_string());
    const auto body = boost::json::serialize(message.at("body"));
    const auto [it, inserted] = body_by_id.emplace(id, body);
    if (!inserted) {
      ++duplicates;
      EXPECT_EQ(it->second, body) << "a duplicate of " << id << " differs";
    }
    if (message.at("routing_key").as_string() == "article.generated") {
      delivered_articles.insert(std::string(message.at("body").as_object().at("subject").as_string()));
    }
  }
  std::size_t lost = 0;
  for (const auto& id : article_ids) lost += delivered_articles.contains(id) ? 0 : 1;
  EXPECT_EQ(lost, 0u) << "article.generated events lost";
  std::printf("outage: %zu pending before restart; %zu messages for %d generations, %zu duplicates, %llu connections opened\n",
              pending_during_outage, drained.messages.size(), kGenerations, duplicates,
              static_cast<unsigned long long>(stats.connections_opened));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace contentgen
