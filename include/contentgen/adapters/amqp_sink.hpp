#pragma once
// AmqpEventSink: publishes events to RabbitMQ (AMQP 0-9-1, rabbitmq-c) as CloudEvents in structured
// JSON mode, and returns only once the broker confirmed them (publisher confirms).
//
// What a publish does: to a durable topic exchange (declared on connect), routing key = event type
// ("article.generated"), persistent (delivery_mode 2), mandatory, message_id = event id,
// timestamp = event time, content_type "application/cloudevents+json". A message the broker
// returns as unroutable (312 NO_ROUTE) or nacks is a FAILURE even though an ack may follow.
//
// Connection: ONE connection and channel per sink, guarded by a mutex (rabbitmq-c connections are
// not thread-safe); concurrent publishers are serialised. It is opened lazily on the first publish
// (or ping) and re-opened after any failure. Before each publish the sink drains what the broker
// sent meanwhile and checks the socket and the heartbeat deadline, so a dead connection is
// detected and replaced, never written into. While idle, a small thread keeps heartbeats flowing
// (so a host busy for minutes in LLM calls keeps its connection). See docs/adapters/amqp.md.
//
// Errors (contentgen::Error, details.provider "amqp"): invalid_argument (bad URL/options, field
// names the option), unavailable (broker unreachable, connection lost, TLS verification failed),
// unauthorized (credentials or vhost refused), timeout (not written and confirmed within
// confirm_timeout: the bound covers writes to a broker that stopped reading, too),
// upstream (provider_code "NO_ROUTE", "nack", or the broker's reply such as "NOT_FOUND").
// Messages and errors never contain the URL's password.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "contentgen/export.hpp"
#include "contentgen/ports/event_sink.hpp"

namespace contentgen {

struct AmqpSinkOptions {
  // amqp://user:password@host:port/vhost or amqps://... (TLS, always verified: peer certificate
  // chain and host name). Percent-encode special characters; "/" as vhost is "%2f", and no path
  // at all means vhost "/".
  std::string url{};
  std::string exchange = "contentgen.events";  // durable topic exchange
  bool declare_exchange = true;                // false: it must exist (passive use)
  // CloudEvents "source" attribute; empty: "contentgen://<hostname>/contentgen".
  std::string source{};
  // amqps: PEM file of the CA(s) to trust; empty: OpenSSL's default file (SSL_CERT_FILE or the
  // system bundle). Optional client certificate for brokers that require one.
  std::string ca_file{};
  std::string client_cert_file{};
  std::string client_key_file{};
  std::chrono::seconds heartbeat{30};           // 0 disables heartbeats (not recommended)
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds confirm_timeout{10000};  // bounds a whole publish: writes and confirms
  // Keep an idle connection alive with a heartbeat thread. false: an idle connection may be
  // dropped by the broker and is then re-opened before the next publish.
  bool heartbeat_thread = true;
  std::string connection_name = "contentgen";   // shown by rabbitmqctl list_connections
};

// Counters for health pages and tests (monotonic since construction).
struct AmqpSinkStats {
  std::uint64_t connections_opened = 0;
  std::uint64_t connections_lost = 0;   // found dead (closed by the broker, heartbeat missed, I/O error)
  std::uint64_t published = 0;          // messages written to the socket
  std::uint64_t confirmed = 0;          // acked and not returned
  std::uint64_t returned = 0;           // basic.return (unroutable)
  std::uint64_t nacked = 0;
};

class CONTENTGEN_API AmqpEventSink final : public EventSink {
 public:
  // Validates the options (throws invalid_argument); does not connect yet.
  explicit AmqpEventSink(AmqpSinkOptions options);
  ~AmqpEventSink() override;  // closes the connection politely, stops the heartbeat thread

  void publish(const Event& event) override;
  // Publishes all, then waits for the confirms together (acks with multiple=true cover several).
  std::vector<std::optional<Error>> publish_batch(std::span<const Event> events) override;
  // Opens the connection if needed (declaring the exchange) and checks it is alive.
  void ping() override;

  AmqpSinkStats stats() const;
  // "amqp://user@host:port/vhost" -- the URL without its password, for logs.
  const std::string& endpoint() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

CONTENTGEN_API std::unique_ptr<AmqpEventSink> make_amqp_event_sink(AmqpSinkOptions options);

}  // namespace contentgen
