#pragma once
// One AMQP connection with one channel in confirm mode (rabbitmq-c). NOT thread-safe: the sink
// owns it under its mutex. Once broken() it is never used again; the sink opens a new one.
#include <amqp.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/amqp/amqp_url.hpp"
#include "adapters/amqp/write_watchdog.hpp"
#include "contentgen/error.hpp"

namespace contentgen::amqp {

struct ConnectSettings {
  Endpoint endpoint;
  std::string exchange;
  bool declare_exchange = true;
  std::string ca_file;
  std::string client_cert_file;
  std::string client_key_file;
  std::chrono::seconds heartbeat{30};
  std::chrono::milliseconds connect_timeout{5000};
  std::string connection_name;
};

// One message to publish; the views must outlive publish_confirmed().
struct Outgoing {
  std::string_view message_id;
  std::string_view routing_key;
  std::string_view type;
  std::string_view body;
  std::uint64_t timestamp = 0;  // seconds since the epoch
};

struct ConfirmCounters {
  std::uint64_t published = 0;
  std::uint64_t confirmed = 0;
  std::uint64_t returned = 0;
  std::uint64_t nacked = 0;
};

class Connection {
 public:
  // Connects (TCP or verified TLS), logs in, opens channel 1, declares the exchange, selects
  // confirm mode. Throws Error.
  explicit Connection(const ConnectSettings& settings);
  ~Connection();  // closes politely when healthy, else just drops the socket
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Handles whatever the broker sent while we were idle (heartbeats are answered, a
  // connection.close is acknowledged) without blocking. false when the connection is dead.
  bool check_alive();

  // Publishes every message (mandatory, persistent), then reads frames until each one is acked,
  // nacked or returned. The whole call -- writes included, through `watchdog` -- takes at most
  // `confirm_timeout`. result[i] is nullopt when message i was confirmed and not returned. On I/O
  // failure or timeout the connection becomes broken().
  std::vector<std::optional<Error>> publish_confirmed(std::span<const Outgoing> messages,
                                                      std::chrono::milliseconds confirm_timeout,
                                                      ConfirmCounters& counters, WriteWatchdog& watchdog);

  bool broken() const noexcept { return broken_; }

 private:
  void open_socket(const ConnectSettings& settings);
  void login(const ConnectSettings& settings);
  void check_rpc(std::string_view doing);
  // After basic.return: reads the content header and body, returns the message_id.
  std::string read_returned_message_id(std::chrono::steady_clock::time_point deadline);
  // The broker closed channel or connection (frame on `channel`): acknowledge it, mark broken.
  Error acknowledge_close(const amqp_frame_t& frame, std::string_view doing);

  amqp_connection_state_t state_ = nullptr;
  std::string endpoint_;
  std::string exchange_;
  std::uint64_t next_delivery_tag_ = 1;
  bool broken_ = false;
};

}  // namespace contentgen::amqp
