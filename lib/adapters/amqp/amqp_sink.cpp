// AmqpEventSink: one mutex-guarded connection per sink (rabbitmq-c state is not thread-safe), and
// a heartbeat thread that, while nobody publishes, takes the mutex for an instant every third of
// the heartbeat interval to answer/send heartbeats and notice a connection the broker closed.
// Before every publish the same check runs, so a dead connection is replaced, never written into.
#include "contentgen/adapters/amqp_sink.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "adapters/amqp/amqp_connection.hpp"
#include "adapters/amqp/amqp_url.hpp"
#include "core/events/cloudevent.hpp"

namespace contentgen {

namespace {

void validate(const AmqpSinkOptions& options) {
  if (options.exchange.empty() || options.exchange.size() > 255) {
    throw Error::invalid_argument("exchange", "must be 1-255 characters (the default exchange cannot route by type)");
  }
  if (options.heartbeat.count() < 0 || options.heartbeat.count() > 65535) {
    throw Error::invalid_argument("heartbeat", "must be 0-65535 seconds");
  }
  if (options.connect_timeout.count() <= 0) throw Error::invalid_argument("connect_timeout", "must be positive");
  if (options.confirm_timeout.count() <= 0) throw Error::invalid_argument("confirm_timeout", "must be positive");
  if (options.client_cert_file.empty() != options.client_key_file.empty()) {
    throw Error::invalid_argument("client_key_file", "client certificate and key go together");
  }
}

}  // namespace

struct AmqpEventSink::Impl {
  AmqpSinkOptions options;
  amqp::ConnectSettings settings;
  std::string source;

  std::mutex mutex;  // guards connection and counters
  amqp::WriteWatchdog watchdog;  // bounds the writes of a publish (destroyed after `connection`)
  std::unique_ptr<amqp::Connection> connection;
  amqp::ConfirmCounters counters;
  std::uint64_t connections_opened = 0;
  std::uint64_t connections_lost = 0;

  std::mutex heartbeat_mutex;  // guards stopping
  std::condition_variable heartbeat_wake;
  bool stopping = false;
  std::thread heartbeat_thread;

  // Caller holds `mutex`. Drops the connection (counted as lost) when `dead` says so.
  template <class Predicate>
  void drop_if(Predicate dead) {
    if (connection && dead(*connection)) {
      connection.reset();
      ++connections_lost;
    }
  }

  // Caller holds `mutex`. Drops a dead connection, opens one if there is none.
  amqp::Connection& connected() {
    drop_if([](amqp::Connection& c) { return !c.check_alive(); });
    if (!connection) {
      connection = std::make_unique<amqp::Connection>(settings);
      ++connections_opened;
    }
    return *connection;
  }

  // Caller holds `mutex`.
  void forget_if_broken() {
    drop_if([](amqp::Connection& c) { return c.broken(); });
  }

  void keep_alive_loop() {
    const auto period = std::max<std::chrono::milliseconds>(
        std::chrono::duration_cast<std::chrono::milliseconds>(options.heartbeat) / 3, std::chrono::milliseconds(100));
    std::unique_lock wait_lock(heartbeat_mutex);
    while (!heartbeat_wake.wait_for(wait_lock, period, [this] { return stopping; })) {
      wait_lock.unlock();
      {
        std::lock_guard lock(mutex);
        drop_if([](amqp::Connection& c) { return !c.check_alive(); });
      }
      wait_lock.lock();
    }
  }

  std::vector<std::optional<Error>> publish(std::span<const Event> events) {
    std::vector<std::optional<Error>> outcomes(events.size());
    // Envelopes first, outside the lock.
    std::vector<std::string> bodies(events.size());
    std::vector<amqp::Outgoing> messages;
    std::vector<std::size_t> index_of;  // messages[k] is events[index_of[k]]
    messages.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      try {
        bodies[i] = to_cloudevent_json(events[i], source);
      } catch (const Error& error) {
        outcomes[i] = error;
        continue;
      }
      const auto type = to_string(events[i].type);
      const auto seconds = std::chrono::floor<std::chrono::seconds>(events[i].time).time_since_epoch().count();
      messages.push_back({events[i].id, type, type, bodies[i], static_cast<std::uint64_t>(std::max<long long>(seconds, 0))});
      index_of.push_back(i);
    }
    if (messages.empty()) return outcomes;

    std::vector<std::optional<Error>> results;
    {
      std::lock_guard lock(mutex);
      try {
        results = connected().publish_confirmed(messages, options.confirm_timeout, counters, watchdog);
      } catch (const Error& error) {
        results.assign(messages.size(), error);
      }
      forget_if_broken();
    }
    for (std::size_t k = 0; k < messages.size(); ++k) outcomes[index_of[k]] = std::move(results[k]);
    return outcomes;
  }
};

AmqpEventSink::AmqpEventSink(AmqpSinkOptions options) : impl_(std::make_unique<Impl>()) {
  validate(options);
  impl_->settings.endpoint = amqp::parse_url(options.url);
  impl_->settings.exchange = options.exchange;
  impl_->settings.declare_exchange = options.declare_exchange;
  impl_->settings.ca_file = options.ca_file;
  impl_->settings.client_cert_file = options.client_cert_file;
  impl_->settings.client_key_file = options.client_key_file;
  impl_->settings.heartbeat = options.heartbeat;
  impl_->settings.connect_timeout = options.connect_timeout;
  impl_->settings.connection_name = options.connection_name;
  impl_->source = cloudevent::resolve_source(options.source);
  impl_->options = std::move(options);
  if (impl_->options.heartbeat_thread && impl_->options.heartbeat.count() > 0) {
    impl_->heartbeat_thread = std::thread([impl = impl_.get()] { impl->keep_alive_loop(); });
  }
}

AmqpEventSink::~AmqpEventSink() {
  if (impl_->heartbeat_thread.joinable()) {
    {
      std::lock_guard lock(impl_->heartbeat_mutex);
      impl_->stopping = true;
    }
    impl_->heartbeat_wake.notify_all();
    impl_->heartbeat_thread.join();
  }
  std::lock_guard lock(impl_->mutex);
  impl_->connection.reset();
}

void AmqpEventSink::publish(const Event& event) {
  auto outcomes = impl_->publish(std::span<const Event>(&event, 1));
  if (outcomes.front()) throw std::move(*outcomes.front());
}

std::vector<std::optional<Error>> AmqpEventSink::publish_batch(std::span<const Event> events) {
  return impl_->publish(events);
}

void AmqpEventSink::ping() {
  std::lock_guard lock(impl_->mutex);
  impl_->connected();
}

AmqpSinkStats AmqpEventSink::stats() const {
  std::lock_guard lock(impl_->mutex);
  AmqpSinkStats stats;
  stats.connections_opened = impl_->connections_opened;
  stats.connections_lost = impl_->connections_lost;
  stats.published = impl_->counters.published;
  stats.confirmed = impl_->counters.confirmed;
  stats.returned = impl_->counters.returned;
  stats.nacked = impl_->counters.nacked;
  return stats;
}

const std::string& AmqpEventSink::endpoint() const noexcept { return impl_->settings.endpoint.redacted; }

std::unique_ptr<AmqpEventSink> make_amqp_event_sink(AmqpSinkOptions options) {
  return std::make_unique<AmqpEventSink>(std::move(options));
}

}  // namespace contentgen
