// AmqpEventSink against a real RabbitMQ (scripts/services/rabbitmq.sh), read back by an
// independent client (tests/events/amqp_peer.py, pika). Each test uses its own exchange and queue.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "adapters/amqp/amqp_url.hpp"
#include "contentgen/adapters/amqp_sink.hpp"
#include "contentgen/relay.hpp"
#include "contentgen/testing/memory_article_repository.hpp"
#include "events/events_support.hpp"
#include "support/services.hpp"

namespace contentgen {
namespace {

using namespace std::chrono_literals;
using eventstest::article_generated;
using eventstest::drain;
using eventstest::peer;
using eventstest::unique_name;

const Timestamp t0 = std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} + std::chrono::hours(9);

AmqpSinkOptions options_for(const std::string& url, const std::string& exchange) {
  AmqpSinkOptions options;
  options.url = url;
  options.exchange = exchange;
  options.source = "contentgen://test/events";
  options.connect_timeout = 5s;
  options.confirm_timeout = 10s;
  return options;
}

void declare_queue(const std::string& url, const std::string& exchange, const std::string& queue,
                   const std::string& extra = "") {
  const auto result = peer("declare --url '" + url + "' --exchange '" + exchange + "' --queue '" + queue + "' " + extra);
  ASSERT_EQ(result.exit_status, 0) << result.out;
}

void delete_exchange(const std::string& url, const std::string& exchange) {
  peer("delete --url '" + url + "' --exchange '" + exchange + "'");
}

// Whether the broker lists a connection whose client properties contain `name`.
bool connection_listed(const std::string& ctl, const std::string& name) {
  const auto listed = eventstest::run_command(ctl + " list_connections client_properties --no-table-headers -q 2>/dev/null");
  return listed.out.find(name) != std::string::npos;
}

Error publish_error(EventSink& sink, const Event& event) {
  try {
    sink.publish(event);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "publish succeeded";
  return Error(ErrorCode::internal, "no error");
}

void put_in_outbox(fakes::MemoryArticleRepository& repo, std::vector<Event> events) {
  NewArticle record;
  record.article.id = new_uuid_v7();
  record.article.workspace_id = events.front().workspace_id;
  record.events = std::move(events);
  repo.create(record);
}

// A loopback port nobody listens on.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// ---------------------------------------------------------------------------------------------
// Without a broker

TEST(AmqpUrl, ParsesBothSchemesAndNeverKeepsThePasswordInTheRedactedForm) {
  const auto plain = amqp::parse_url("amqp://user:s3cr%40t@broker.example:5673/prod%2Fevents");
  EXPECT_EQ(plain.user, "user");
  EXPECT_EQ(plain.password, "s3cr@t");
  EXPECT_EQ(plain.host, "broker.example");
  EXPECT_EQ(plain.port, 5673);
  EXPECT_EQ(plain.vhost, "prod/events");
  EXPECT_FALSE(plain.tls);
  EXPECT_EQ(plain.redacted, "amqp://user@broker.example:5673/prod%2Fevents");

  const auto secure = amqp::parse_url("amqps://guest:guest@localhost");
  EXPECT_TRUE(secure.tls);
  EXPECT_EQ(secure.port, 5671);
  EXPECT_EQ(secure.vhost, "/");
  EXPECT_EQ(secure.redacted, "amqps://guest@localhost:5671");
}

TEST(AmqpUrl, RejectsBadUrlsWithoutEchoingThem) {
  using namespace std::string_literals;
  // Port 0 and a NUL (rabbitmq-c would read up to it and ignore the rest) were found by the fuzzer
  // (tests/fuzz/corpus/amqp_url/).
  for (const std::string& url : {"http://user:hunter2@host"s, "amqp://user:hunter2@"s, "amqp://user:hunter2@host:99999999"s,
                                "amqp://user:hunter2@host:5672/"s, "amqp://user:hunter2@host:0"s,
                                "amqp://user:hunter2@host:5672\0/other"s}) {
    try {
      amqp::parse_url(url);
      ADD_FAILURE() << "accepted " << url;
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::invalid_argument) << url;
      EXPECT_EQ(error.details().field, "url");
      EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos) << error.what();
    }
  }
}

TEST(AmqpEventSink, ValidatesOptionsWithoutConnecting) {
  auto options = options_for("amqp://guest:guest@127.0.0.1:1", "");
  try {
    AmqpEventSink sink(options);
    FAIL() << "accepted an empty exchange";
  } catch (const Error& error) {
    EXPECT_EQ(error.details().field, "exchange");
  }
  options.exchange = "x";
  AmqpEventSink lazy(options);  // port 1: nothing listens, but construction does not connect
  EXPECT_EQ(lazy.stats().connections_opened, 0u);
  EXPECT_EQ(lazy.endpoint(), "amqp://guest@127.0.0.1:1");
}

TEST(AmqpEventSink, UnreachableBrokerIsUnavailableAndThePasswordStaysSecret) {
  AmqpEventSink sink(options_for("amqp://guest:hunter2@127.0.0.1:" + std::to_string(closed_port()), "x"));
  const auto error = publish_error(sink, article_generated("ws", t0));
  EXPECT_EQ(error.code(), ErrorCode::unavailable) << error.what();
  EXPECT_EQ(error.details().provider, "amqp");
  EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos) << error.what();
  EXPECT_THROW(sink.ping(), Error);
}

// ---------------------------------------------------------------------------------------------
// Against the broker

class AmqpBroker : public ::testing::Test {
 protected:
  std::string exchange = unique_name("contentgen.test");
  std::string queue = unique_name("contentgen.test.q");
};

TEST_F(AmqpBroker, EventsAreReadBackByAnIndependentClientAsDocumentedCloudEvents) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  declare_queue(url, exchange, queue);
  AmqpEventSink sink(options_for(url, exchange));
  std::vector<Event> sent;
  sent.push_back(article_generated("ws-1", t0 + 123456us, "Grüße aus Köln"));
  for (const auto type : {EventType::article_updated, EventType::article_deleted, EventType::image_uploaded,
                          EventType::image_deleted}) {
    sent.push_back(eventstest::event_of_type(type, "ws-2", t0 + 1s));
  }
  for (const auto& event : sent) sink.publish(event);

  const auto drained = drain(url, queue, sent.size(), 15, exchange);
  EXPECT_TRUE(drained.errors.empty()) << drained.errors.front();
  ASSERT_EQ(drained.messages.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    const auto& message = drained.messages[i];
    const auto& body = message.at("body").as_object();
    EXPECT_EQ(message.at("message_id").as_string(), sent[i].id);
    EXPECT_EQ(message.at("routing_key").as_string(), to_string(sent[i].type));
    EXPECT_EQ(message.at("exchange").as_string(), exchange);
    EXPECT_EQ(message.at("timestamp").as_int64(),
              std::chrono::floor<std::chrono::seconds>(sent[i].time).time_since_epoch().count());
    EXPECT_EQ(body.at("source").as_string(), "contentgen://test/events");
    EXPECT_EQ(body.at("time").as_string(), format_rfc3339(sent[i].time));
    EXPECT_EQ(body.at("subject").as_string(), sent[i].subject);
    EXPECT_EQ(body.at("workspaceid").as_string(), sent[i].workspace_id);
    EXPECT_EQ(body.at("data"), boost::json::parse(sent[i].data_json));
  }
  EXPECT_EQ(sink.stats().confirmed, sent.size());
  EXPECT_EQ(sink.stats().connections_opened, 1u);
}

TEST_F(AmqpBroker, ThePeerNoticesAnEventThatBreaksTheDocumentedContract) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  declare_queue(url, exchange, queue);
  AmqpEventSink sink(options_for(url, exchange));
  auto event = article_generated("ws", t0);
  event.data_json = R"({"article_id":")" + event.subject + R"(","workspace_id":"ws","title":"no cost"})";
  sink.publish(event);
  const auto drained = drain(url, queue, 1, 15, exchange);
  ASSERT_EQ(drained.messages.size(), 1u);
  ASSERT_FALSE(drained.errors.empty()) << "the validation must be able to fail";
  EXPECT_NE(drained.errors.front().find("data."), std::string::npos) << drained.errors.front();
}

TEST_F(AmqpBroker, BatchIsConfirmedTogetherAndKeepsItsOrder) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  declare_queue(url, exchange, queue);
  AmqpEventSink sink(options_for(url, exchange));
  std::vector<Event> batch;
  for (int i = 0; i < 300; ++i) batch.push_back(article_generated("ws", t0 + std::chrono::milliseconds(i)));
  const auto outcomes = sink.publish_batch(batch);
  ASSERT_EQ(outcomes.size(), batch.size());
  for (const auto& outcome : outcomes) EXPECT_FALSE(outcome) << outcome->what();
  EXPECT_EQ(sink.stats().confirmed, 300u);

  const auto drained = drain(url, queue, batch.size(), 30, exchange);
  EXPECT_TRUE(drained.errors.empty());
  ASSERT_EQ(drained.messages.size(), batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) EXPECT_EQ(drained.messages[i].at("message_id").as_string(), batch[i].id);
}

TEST_F(AmqpBroker, UnroutableEventIsAFailureEvenThoughTheBrokerAcksIt) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  AmqpEventSink sink(options_for(url, exchange));  // declares the exchange; no queue is bound
  const auto error = publish_error(sink, article_generated("ws", t0));
  EXPECT_EQ(error.code(), ErrorCode::upstream) << error.what();
  EXPECT_EQ(error.details().provider_code, "NO_ROUTE");
  EXPECT_EQ(sink.stats().returned, 1u);
  EXPECT_EQ(sink.stats().confirmed, 0u);
  // The connection stays healthy after a return.
  EXPECT_EQ(publish_error(sink, article_generated("ws", t0)).details().provider_code, "NO_ROUTE");
  EXPECT_EQ(sink.stats().connections_opened, 1u);
  delete_exchange(url, exchange);
}

TEST_F(AmqpBroker, BatchWithOneUnroutableEventFailsOnlyThatEvent) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  declare_queue(url, exchange, queue, "--binding 'article.#'");
  AmqpEventSink sink(options_for(url, exchange));
  const std::vector<Event> batch{article_generated("ws", t0),
                                 eventstest::event_of_type(EventType::image_uploaded, "ws", t0 + 1s),
                                 eventstest::event_of_type(EventType::article_deleted, "ws", t0 + 2s)};
  const auto outcomes = sink.publish_batch(batch);
  EXPECT_FALSE(outcomes[0]);
  ASSERT_TRUE(outcomes[1]);
  EXPECT_EQ(outcomes[1]->details().provider_code, "NO_ROUTE");
  EXPECT_FALSE(outcomes[2]);
  const auto drained = drain(url, queue, 2, 15, exchange);
  ASSERT_EQ(drained.messages.size(), 2u);
  EXPECT_EQ(drained.messages[0].at("message_id").as_string(), batch[0].id);
  EXPECT_EQ(drained.messages[1].at("message_id").as_string(), batch[2].id);
}

TEST_F(AmqpBroker, RelayLeavesAnUnroutableRowPendingWithItsError) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  put_in_outbox(*repo, {article_generated("ws", t0)});
  auto sink = std::make_shared<AmqpEventSink>(options_for(url, exchange));
  Timestamp now = t0;
  EventRelay relay(repo, sink, RelayOptions{.initial_backoff = 1000ms, .clock = [&] { return now; }});
  const auto stats = relay.relay_once();
  EXPECT_EQ(stats.delivered, 0u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(repo->pending_outbox_count(), 1u);
  now += 1s;
  const auto due = repo->claim_outbox(10, now, 1s);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 1);
  EXPECT_NE(due[0].last_error.find("NO_ROUTE"), std::string::npos) << due[0].last_error;
  delete_exchange(url, exchange);
}

TEST_F(AmqpBroker, NackedEventsStayPendingWithTheirError) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  // A queue that holds one message and makes the broker nack whatever does not fit.
  declare_queue(url, exchange, queue, "--max-length 1");
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  std::vector<Event> events;
  for (int i = 0; i < 3; ++i) events.push_back(article_generated("ws", t0 + std::chrono::seconds(i)));
  put_in_outbox(*repo, events);
  auto sink = std::make_shared<AmqpEventSink>(options_for(url, exchange));
  Timestamp now = t0;
  EventRelay relay(repo, sink, RelayOptions{.clock = [&] { return now; }});
  const auto stats = relay.relay_once();
  EXPECT_EQ(stats.delivered, 1u);
  EXPECT_EQ(stats.failed, 2u);
  EXPECT_EQ(sink->stats().nacked, 2u);
  now += 10s;
  const auto due = repo->claim_outbox(10, now, 1s);
  ASSERT_EQ(due.size(), 2u);
  for (const auto& entry : due) {
    EXPECT_NE(entry.event.id, events[0].id) << "the first one fit and was delivered";
    EXPECT_NE(entry.last_error.find("[nack]"), std::string::npos) << entry.last_error;
  }
  const auto drained = drain(url, queue, 1, 15, exchange);
  ASSERT_EQ(drained.messages.size(), 1u);
  EXPECT_EQ(drained.messages[0].at("message_id").as_string(), events[0].id);
}

TEST_F(AmqpBroker, CrashBetweenConfirmAndMarkRedeliversWithTheSameIdAndBody) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  declare_queue(url, exchange, queue);
  auto repo = std::make_shared<fakes::MemoryArticleRepository>();
  std::vector<Event> events;
  for (int i = 0; i < 3; ++i) events.push_back(article_generated("ws", t0 + std::chrono::seconds(i)));
  put_in_outbox(*repo, events);
  auto sink = std::make_shared<AmqpEventSink>(options_for(url, exchange));
  Timestamp now = t0;
  EventRelay relay(repo, sink, RelayOptions{.lease = 60s, .clock = [&] { return now; }});
  // The broker confirms the batch, then the database fails before the rows are marked: the relay
  // "crashes" with the rows still leased to it.
  repo->faults().fail_next(fakes::MemoryArticleRepository::Op::mark_delivered, Error(ErrorCode::storage, "db gone"));
  EXPECT_THROW(relay.relay_once(), Error);
  EXPECT_EQ(repo->pending_outbox_count(), 3u);
  now += 61s;  // the lease expires; a relay (this one or another) takes the rows again
  EXPECT_EQ(relay.relay_all().delivered, 3u);
  EXPECT_EQ(repo->pending_outbox_count(), 0u);

  const auto drained = drain(url, queue, 6, 15, exchange);
  ASSERT_EQ(drained.messages.size(), 6u) << "at-least-once: the confirmed batch was sent again";
  std::map<std::string, std::vector<std::string>> bodies;
  for (const auto& m : drained.messages) {
    bodies[std::string(m.at("message_id").as_string())].push_back(boost::json::serialize(m.at("body")));
  }
  ASSERT_EQ(bodies.size(), 3u);
  for (const auto& event : events) {
    const auto& copies = bodies[event.id];
    ASSERT_EQ(copies.size(), 2u) << event.id;
    EXPECT_EQ(copies[0], copies[1]) << "a redelivery must be byte-identical so consumers can de-duplicate";
  }
}

TEST_F(AmqpBroker, IdleConnectionKeptAliveByTheHeartbeatThreadPublishesAfterThreeHeartbeats) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  declare_queue(url, exchange, queue);
  auto options = options_for(url, exchange);
  options.heartbeat = 2s;
  AmqpEventSink sink(options);
  sink.publish(article_generated("ws", t0));
  std::this_thread::sleep_for(6500ms);  // > 3 heartbeat intervals without a publish
  sink.publish(article_generated("ws", t0 + 1s));
  EXPECT_EQ(sink.stats().connections_opened, 1u) << "heartbeats kept the first connection";
  EXPECT_EQ(sink.stats().connections_lost, 0u);
  EXPECT_EQ(drain(url, queue, 2, 15, exchange).messages.size(), 2u);
}

TEST_F(AmqpBroker, IdleConnectionDroppedByTheBrokerIsDetectedAndReopenedBeforeTheNextPublish) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  CONTENTGEN_REQUIRE_SERVICE(ctl, "CONTENTGEN_TEST_RABBITMQCTL");
  declare_queue(url, exchange, queue);
  auto options = options_for(url, exchange);
  options.heartbeat = 2s;
  options.heartbeat_thread = false;  // nobody answers heartbeats: the broker drops us after ~4 s
  options.connection_name = unique_name("contentgen-idle-test");
  AmqpEventSink sink(options);
  sink.publish(article_generated("ws", t0));
  std::this_thread::sleep_for(6500ms);  // > 3 heartbeat intervals
  // Wait until the broker has really given up on us (it may be slow under load), so the next
  // publish meets a connection that is dead on the broker's side.
  for (int i = 0; i < 100 && connection_listed(ctl, options.connection_name); ++i) std::this_thread::sleep_for(200ms);
  ASSERT_FALSE(connection_listed(ctl, options.connection_name)) << "the broker kept the idle connection";
  sink.publish(article_generated("ws", t0 + 1s));  // must not be written into the dead socket
  EXPECT_EQ(sink.stats().connections_lost, 1u);
  EXPECT_EQ(sink.stats().connections_opened, 2u);
  EXPECT_EQ(sink.stats().confirmed, 2u);
  EXPECT_EQ(drain(url, queue, 2, 15, exchange).messages.size(), 2u);
}

TEST_F(AmqpBroker, ConnectionClosedByAnOperatorIsReplaced) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  CONTENTGEN_REQUIRE_SERVICE(ctl, "CONTENTGEN_TEST_RABBITMQCTL");
  declare_queue(url, exchange, queue);
  auto options = options_for(url, exchange);
  options.connection_name = unique_name("contentgen-close-test");
  options.heartbeat_thread = false;  // the pre-publish check alone must notice
  AmqpEventSink sink(options);
  sink.publish(article_generated("ws", t0));
  // Close exactly our connection (found by its connection_name), as an operator would.
  const auto closed = eventstest::run_command(
      ctl + " list_connections pid client_properties --no-table-headers -q | grep -F '" + options.connection_name +
      "' | cut -f1 | xargs -r -I{} " + ctl + " close_connection '{}' 'closed by the events test' 2>&1");
  ASSERT_EQ(closed.exit_status, 0) << closed.out;
  ASSERT_NE(closed.out.find("Closing connection"), std::string::npos) << "our connection was not found: " << closed.out;
  std::this_thread::sleep_for(500ms);
  sink.publish(article_generated("ws", t0 + 1s));
  EXPECT_EQ(sink.stats().connections_lost, 1u);
  EXPECT_EQ(sink.stats().connections_opened, 2u);
  EXPECT_EQ(drain(url, queue, 2, 15, exchange).messages.size(), 2u);
}

TEST_F(AmqpBroker, DeletedExchangeFailsThePublishThenIsDeclaredAgain) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  AmqpEventSink sink(options_for(url, exchange));
  sink.ping();
  delete_exchange(url, exchange);
  const auto error = publish_error(sink, article_generated("ws", t0));
  EXPECT_EQ(error.code(), ErrorCode::upstream) << error.what();
  EXPECT_EQ(error.details().provider_code, "NOT_FOUND");
  // A fresh connection declares the exchange again; with no queue bound the event is unroutable.
  EXPECT_EQ(publish_error(sink, article_generated("ws", t0)).details().provider_code, "NO_ROUTE");
  EXPECT_EQ(sink.stats().connections_opened, 2u);
  delete_exchange(url, exchange);
}

TEST_F(AmqpBroker, PassiveModeRequiresAnExistingExchange) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  auto options = options_for(url, exchange);
  options.declare_exchange = false;
  AmqpEventSink sink(options);
  try {
    sink.ping();
    FAIL() << "a missing exchange passed the passive declare";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::upstream);
    EXPECT_EQ(error.details().provider_code, "NOT_FOUND");
  }
}

TEST_F(AmqpBroker, WrongPasswordIsUnauthorizedAndNotRepeated) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  auto endpoint = amqp::parse_url(url);
  const auto bad = "amqp://" + endpoint.user + ":wrong-hunter2@" + endpoint.host + ":" + std::to_string(endpoint.port);
  AmqpEventSink sink(options_for(bad, exchange));
  const auto error = publish_error(sink, article_generated("ws", t0));
  EXPECT_EQ(error.code(), ErrorCode::unauthorized) << error.what();
  EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos) << error.what();
}

TEST_F(AmqpBroker, ConcurrentPublishersShareOneGuardedConnection) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  declare_queue(url, exchange, queue);
  AmqpEventSink sink(options_for(url, exchange));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        try {
          if (i % 5 == 0) {
            const std::vector<Event> batch{article_generated("ws", t0), article_generated("ws", t0)};
            for (const auto& outcome : sink.publish_batch(batch)) failures += outcome ? 1 : 0;
          } else {
            sink.publish(article_generated("ws-" + std::to_string(t), t0));
          }
        } catch (const Error&) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(sink.stats().connections_opened, 1u);
  const auto drained = drain(url, queue, 120, 30, exchange);
  EXPECT_EQ(drained.messages.size(), 120u);
  std::set<std::string> ids;
  for (const auto& m : drained.messages) ids.insert(std::string(m.at("message_id").as_string()));
  EXPECT_EQ(ids.size(), 120u);
}

TEST_F(AmqpBroker, BrokerThatStopsReadingCannotHoldAPublishPastTheConfirmTimeout) {
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  CONTENTGEN_REQUIRE_SERVICE(ctl, "CONTENTGEN_TEST_RABBITMQCTL");
  declare_queue(url, exchange, queue);
  auto options = options_for(url, exchange);
  options.confirm_timeout = 2s;
  AmqpEventSink sink(options);
  sink.ping();
  // A memory alarm: RabbitMQ stops reading from publishing connections (the TCP window closes).
  const auto alarm = [&](const char* watermark) {
    return eventstest::run_command(ctl + " set_vm_memory_high_watermark " + watermark + " 2>&1");
  };
  struct Restore {
    std::function<void()> run;
    ~Restore() { run(); }
  } restore{[&] { alarm("0.4"); }};
  ASSERT_EQ(alarm("0").exit_status, 0);
  std::this_thread::sleep_for(1s);

  // Far more than the socket buffers hold: the writes themselves stall, not just the confirms.
  std::vector<Event> batch;
  for (int i = 0; i < 4000; ++i) batch.push_back(article_generated("ws", t0, std::string(2000, 'x')));
  const auto started = std::chrono::steady_clock::now();
  auto publishing = std::async(std::launch::async, [&] { return sink.publish_batch(batch); });
  const bool returned = publishing.wait_for(30s) == std::future_status::ready;
  const auto took = std::chrono::steady_clock::now() - started;
  alarm("0.4");  // lets a stalled publish finish, so the test ends either way
  const auto outcomes = publishing.get();
  ASSERT_TRUE(returned) << "publish_batch was still blocked 30 s after a 2 s confirm timeout";
  EXPECT_LT(took, 10s);
  ASSERT_EQ(outcomes.size(), batch.size());
  for (const auto& outcome : outcomes) {
    ASSERT_TRUE(outcome) << "an event the broker never confirmed counted as delivered";
    EXPECT_EQ(outcome->code(), ErrorCode::timeout) << outcome->what();
  }
  // The stalled connection was given up; the next publish opens a fresh one.
  sink.publish(article_generated("ws", t0 + 1s));
  EXPECT_EQ(sink.stats().connections_opened, 2u);
  peer("delete --url '" + url + "' --queue '" + queue + "' --exchange '" + exchange + "'");
}

// ---------------------------------------------------------------------------------------------
// TLS (the broker's TLS listener has a certificate for "localhost" signed by a throwaway CA)

TEST_F(AmqpBroker, TlsWithTheRightCaPublishes) {
  CONTENTGEN_REQUIRE_SERVICE(tls_url, "CONTENTGEN_TEST_AMQPS_URL");
  CONTENTGEN_REQUIRE_SERVICE(ca_file, "CONTENTGEN_TEST_AMQP_CA_FILE");
  CONTENTGEN_REQUIRE_SERVICE(url, "CONTENTGEN_TEST_AMQP_URL");
  declare_queue(url, exchange, queue);
  auto options = options_for(tls_url, exchange);
  options.ca_file = ca_file;
  AmqpEventSink sink(options);
  const auto event = article_generated("ws", t0);
  sink.publish(event);
  const auto drained = drain(url, queue, 1, 15, exchange);
  ASSERT_EQ(drained.messages.size(), 1u);
  EXPECT_EQ(drained.messages[0].at("message_id").as_string(), event.id);
}

TEST_F(AmqpBroker, TlsRefusesAnUntrustedCertificate) {
  CONTENTGEN_REQUIRE_SERVICE(tls_url, "CONTENTGEN_TEST_AMQPS_URL");
  AmqpEventSink sink(options_for(tls_url, exchange));  // system CAs do not know the test CA
  const auto error = publish_error(sink, article_generated("ws", t0));
  EXPECT_EQ(error.code(), ErrorCode::unavailable) << error.what();
  EXPECT_EQ(error.details().provider_code, "tls_peer_verify_failed") << error.what();
}

TEST_F(AmqpBroker, TlsRefusesACertificateForAnotherHostName) {
  CONTENTGEN_REQUIRE_SERVICE(tls_url, "CONTENTGEN_TEST_AMQPS_URL");
  CONTENTGEN_REQUIRE_SERVICE(ca_file, "CONTENTGEN_TEST_AMQP_CA_FILE");
  auto endpoint = amqp::parse_url(tls_url);  // the certificate names "localhost" only
  auto options = options_for("amqps://" + endpoint.user + ":" + endpoint.password + "@127.0.0.1:" +
                                 std::to_string(endpoint.port),
                             exchange);
  options.ca_file = ca_file;
  AmqpEventSink sink(options);
  const auto error = publish_error(sink, article_generated("ws", t0));
  EXPECT_EQ(error.code(), ErrorCode::unavailable) << error.what();
  EXPECT_EQ(error.details().provider_code, "tls_hostname_verify_failed") << error.what();
}

}  // namespace
}  // namespace contentgen
