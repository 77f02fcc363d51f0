// Publisher confirms with rabbitmq-c 0.11, which has no helper for them: after confirm.select
// the channel numbers our publishes 1, 2, 3, ... (delivery tags) and the broker answers each with
// basic.ack or basic.nack, possibly covering several at once (multiple=true). With `mandatory`,
// a message no queue took first comes back as basic.return + content header + body, and is THEN
// acked -- so a return must be remembered and turn that ack into a failure.
//
// We read the frames ourselves with amqp_simple_wait_frame_noblock and a deadline (instead of
// amqp_read_message, which waits without a timeout for the returned message's content), and give
// up on the connection on any surprise: a connection in an unknown state is never reused.
#include "adapters/amqp/amqp_connection.hpp"

#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include <openssl/x509.h>
#include <sys/time.h>

#include <algorithm>
#include <cstdlib>

#include "adapters/amqp/amqp_errors.hpp"

namespace contentgen::amqp {

namespace {

using SteadyClock = std::chrono::steady_clock;

timeval to_timeval(std::chrono::microseconds duration) {
  if (duration.count() < 0) duration = std::chrono::microseconds(0);
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1'000'000);
  tv.tv_usec = static_cast<suseconds_t>(duration.count() % 1'000'000);
  return tv;
}

timeval until(SteadyClock::time_point deadline) {
  return to_timeval(std::chrono::duration_cast<std::chrono::microseconds>(deadline - SteadyClock::now()));
}

amqp_bytes_t bytes_of(std::string_view text) {
  amqp_bytes_t bytes;
  bytes.len = text.size();
  bytes.bytes = const_cast<char*>(text.data());  // rabbitmq-c only reads through it
  return bytes;
}

// The CA bundle to trust when the caller named none: what OpenSSL itself would use.
std::string default_ca_file() {
  if (const char* env = std::getenv(X509_get_default_cert_file_env()); env != nullptr && *env != '\0') return env;
  return X509_get_default_cert_file();
}

}  // namespace

Connection::Connection(const ConnectSettings& settings)
    : endpoint_(settings.endpoint.redacted), exchange_(settings.exchange) {
  state_ = amqp_new_connection();
  if (state_ == nullptr) throw Error(ErrorCode::internal, "amqp_new_connection failed");
  try {
    open_socket(settings);
    login(settings);
    amqp_channel_open(state_, 1);
    check_rpc("opening a channel on");
    amqp_exchange_declare(state_, 1, bytes_of(settings.exchange), amqp_cstring_bytes("topic"),
                          settings.declare_exchange ? 0 : 1 /* passive: only check it exists */, 1 /* durable */,
                          0 /* auto_delete */, 0 /* internal */, amqp_empty_table);
    check_rpc("declaring exchange '" + settings.exchange + "' on");
    amqp_confirm_select(state_, 1);
    check_rpc("enabling publisher confirms on");
  } catch (...) {
    amqp_destroy_connection(state_);
    state_ = nullptr;
    throw;
  }
}

Connection::~Connection() {
  if (state_ == nullptr) return;
  if (!broken_) {
    // Polite close, bounded by the RPC timeout set at connect.
    amqp_channel_close(state_, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(state_);
}

void Connection::open_socket(const ConnectSettings& settings) {
  const auto& endpoint = settings.endpoint;
  amqp_socket_t* socket = nullptr;
  if (endpoint.tls) {
    socket = amqp_ssl_socket_new(state_);
    if (socket == nullptr) throw Error(ErrorCode::internal, "cannot create a TLS socket", amqp_details("tls_error"));
    // Verified TLS only: the certificate chain against the CA file and the name against the host.
    amqp_ssl_socket_set_verify_peer(socket, 1);
    amqp_ssl_socket_set_verify_hostname(socket, 1);
    if (amqp_ssl_socket_set_ssl_versions(socket, AMQP_TLSv1_2, AMQP_TLSvLATEST) != AMQP_STATUS_OK) {
      throw Error(ErrorCode::internal, "cannot require TLS 1.2 or newer", amqp_details("tls_error"));
    }
    const auto ca_file = settings.ca_file.empty() ? default_ca_file() : settings.ca_file;
    if (amqp_ssl_socket_set_cacert(socket, ca_file.c_str()) != AMQP_STATUS_OK) {
      throw Error::invalid_argument("ca_file", "cannot load CA certificates from " + ca_file);
    }
    if (!settings.client_cert_file.empty() &&
        amqp_ssl_socket_set_key(socket, settings.client_cert_file.c_str(), settings.client_key_file.c_str()) !=
            AMQP_STATUS_OK) {
      throw Error::invalid_argument("client_cert_file", "cannot load the client certificate or key");
    }
  } else {
    socket = amqp_tcp_socket_new(state_);
    if (socket == nullptr) throw Error(ErrorCode::internal, "cannot create a TCP socket", amqp_details("connection"));
  }
  auto timeout = to_timeval(settings.connect_timeout);
  amqp_set_handshake_timeout(state_, &timeout);
  amqp_set_rpc_timeout(state_, &timeout);
  const int status = amqp_socket_open_noblock(socket, endpoint.host.c_str(), endpoint.port, &timeout);
  if (status != AMQP_STATUS_OK) throw library_error(status, "connecting to", endpoint_);
}

void Connection::login(const ConnectSettings& settings) {
  amqp_table_entry_t entries[2];
  entries[0].key = amqp_cstring_bytes("connection_name");
  entries[0].value.kind = AMQP_FIELD_KIND_UTF8;
  entries[0].value.value.bytes = bytes_of(settings.connection_name);
  entries[1].key = amqp_cstring_bytes("product");
  entries[1].value.kind = AMQP_FIELD_KIND_UTF8;
  entries[1].value.value.bytes = amqp_cstring_bytes("libcontentgen");
  amqp_table_t properties{2, entries};
  const auto& endpoint = settings.endpoint;
  const auto reply = amqp_login_with_properties(
      state_, endpoint.vhost.c_str(), 0, AMQP_DEFAULT_FRAME_SIZE, static_cast<int>(settings.heartbeat.count()),
      &properties, AMQP_SASL_METHOD_PLAIN, endpoint.user.c_str(), endpoint.password.c_str());
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) return;
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_CONNECTION_CLOSED) {
    // Brokers without authentication_failure_close just hang up on bad credentials.
    throw Error(ErrorCode::unauthorized, "broker closed the connection during login to " + endpoint_ +
                                             " (credentials or vhost refused?)",
                amqp_details("login_refused"));
  }
  throw rpc_error(reply, "logging in to", endpoint_);
}

void Connection::check_rpc(std::string_view doing) {
  const auto reply = amqp_get_rpc_reply(state_);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) return;
  throw rpc_error(reply, doing, endpoint_);
}

Error Connection::acknowledge_close(const amqp_frame_t& frame, std::string_view doing) {
  broken_ = true;
  if (frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD) {
    const auto* close = static_cast<const amqp_connection_close_t*>(frame.payload.method.decoded);
    auto error = server_close_error(close->reply_code, as_view(close->reply_text), doing, endpoint_);
    amqp_connection_close_ok_t ok{};
    amqp_send_method(state_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
    return error;
  }
  const auto* close = static_cast<const amqp_channel_close_t*>(frame.payload.method.decoded);
  auto error = server_close_error(close->reply_code, as_view(close->reply_text), doing, endpoint_);
  amqp_channel_close_ok_t ok{};
  amqp_send_method(state_, frame.channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
  return error;
}

bool Connection::check_alive() {
  if (broken_) return false;
  for (;;) {
    amqp_frame_t frame{};
    timeval immediately{0, 0};
    // Also sends a heartbeat when one is due, and reports a missed one (HEARTBEAT_TIMEOUT).
    const int status = amqp_simple_wait_frame_noblock(state_, &frame, &immediately);
    if (status == AMQP_STATUS_TIMEOUT) break;  // nothing (more) pending: alive
    if (status != AMQP_STATUS_OK) {
      broken_ = true;
      return false;
    }
    if (frame.frame_type == AMQP_FRAME_METHOD && (frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD ||
                                                  frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD)) {
      acknowledge_close(frame, "idle connection to");
      return false;
    }
    // Nothing else is expected while idle (every batch settles all its confirms or breaks the
    // connection); an unexpected frame means we no longer know the state.
    broken_ = true;
    return false;
  }
  amqp_maybe_release_buffers(state_);
  return true;
}

std::string Connection::read_returned_message_id(SteadyClock::time_point deadline) {
  std::string message_id;
  amqp_frame_t frame{};
  auto tv = until(deadline);
  int status = amqp_simple_wait_frame_noblock(state_, &frame, &tv);
  if (status != AMQP_STATUS_OK) throw library_error(status, "reading a returned message from", endpoint_);
  if (frame.frame_type != AMQP_FRAME_HEADER) {
    throw Error(ErrorCode::upstream, "malformed basic.return from " + endpoint_, amqp_details("protocol_error"));
  }
  const auto* properties = static_cast<const amqp_basic_properties_t*>(frame.payload.properties.decoded);
  if (properties != nullptr && (properties->_flags & AMQP_BASIC_MESSAGE_ID_FLAG) != 0) {
    message_id = std::string(as_view(properties->message_id));
  }
  std::uint64_t remaining = frame.payload.properties.body_size;
  while (remaining > 0) {
    tv = until(deadline);
    status = amqp_simple_wait_frame_noblock(state_, &frame, &tv);
    if (status != AMQP_STATUS_OK) throw library_error(status, "reading a returned message from", endpoint_);
    if (frame.frame_type != AMQP_FRAME_BODY) {
      throw Error(ErrorCode::upstream, "malformed returned message from " + endpoint_, amqp_details("protocol_error"));
    }
    remaining -= std::min<std::uint64_t>(remaining, frame.payload.body_fragment.len);
  }
  return message_id;
}

std::vector<std::optional<Error>> Connection::publish_confirmed(std::span<const Outgoing> messages,
                                                                std::chrono::milliseconds confirm_timeout,
                                                                ConfirmCounters& counters, WriteWatchdog& watchdog) {
  std::vector<std::optional<Error>> outcomes(messages.size());
  if (broken_) {
    outcomes.assign(messages.size(), Error(ErrorCode::unavailable, "connection to " + endpoint_ + " is broken",
                                           amqp_details("connection")));
    return outcomes;
  }
  const auto deadline = SteadyClock::now() + confirm_timeout;
  // rabbitmq-c's writes have no deadline of their own (see write_watchdog.hpp).
  const WriteWatchdog::Armed armed(watchdog, amqp_get_sockfd(state_), deadline);
  const auto socket_failure = [&](int status, std::string_view doing) {
    if (!armed.fired()) return library_error(status, doing, endpoint_);
    return Error(ErrorCode::timeout,
                 "the broker at " + endpoint_ + " took nothing more within " + std::to_string(confirm_timeout.count()) +
                     " ms (is it blocking publishers, e.g. in a memory or disk alarm?)",
                 amqp_details("write_stalled"));
  };

  // 1. Publish everything (pipelined); message i gets delivery tag first_tag + i.
  const std::uint64_t first_tag = next_delivery_tag_;
  std::size_t published = 0;
  for (; published < messages.size(); ++published) {
    const auto& message = messages[published];
    amqp_basic_properties_t properties{};
    properties._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG |
                        AMQP_BASIC_TIMESTAMP_FLAG | AMQP_BASIC_TYPE_FLAG;
    properties.content_type = amqp_cstring_bytes("application/cloudevents+json");
    properties.delivery_mode = AMQP_DELIVERY_PERSISTENT;
    properties.message_id = bytes_of(message.message_id);
    properties.timestamp = message.timestamp;
    properties.type = bytes_of(message.type);
    const int status = amqp_basic_publish(state_, 1, bytes_of(exchange_), bytes_of(message.routing_key),
                                          1 /* mandatory */, 0 /* immediate */, &properties, bytes_of(message.body));
    if (status != AMQP_STATUS_OK) {
      broken_ = true;
      const auto error = socket_failure(status, "publishing to");
      for (std::size_t i = published; i < messages.size(); ++i) outcomes[i] = error;
      break;
    }
    ++next_delivery_tag_;
    ++counters.published;
  }

  // 2. Collect the broker's verdicts for the `published` messages.
  std::vector<bool> settled(published, false);
  std::vector<std::optional<Error>> returned(published);
  std::size_t unsettled = published;
  const auto settle = [&](std::uint64_t tag, bool multiple, const std::optional<Error>& failure) {
    if (tag < first_tag || tag - first_tag >= published) return;  // not one of this batch
    const auto last = static_cast<std::size_t>(tag - first_tag);
    for (std::size_t i = multiple ? 0 : last; i <= last; ++i) {
      if (settled[i]) continue;
      settled[i] = true;
      --unsettled;
      if (failure) {
        outcomes[i] = failure;
        ++counters.nacked;
      } else if (returned[i]) {
        outcomes[i] = returned[i];  // acked, but no queue took it
      } else {
        ++counters.confirmed;
      }
    }
  };
  const auto fail_unsettled = [&](const Error& error) {
    broken_ = true;
    for (std::size_t i = 0; i < published; ++i) {
      if (!settled[i]) outcomes[i] = returned[i] ? returned[i] : std::optional<Error>(error);
    }
    unsettled = 0;
  };

  while (unsettled > 0) {
    amqp_frame_t frame{};
    auto tv = until(deadline);
    const int status = amqp_simple_wait_frame_noblock(state_, &frame, &tv);
    if (status == AMQP_STATUS_TIMEOUT) {
      fail_unsettled(Error(ErrorCode::timeout,
                           "no publisher confirm from " + endpoint_ + " within " +
                               std::to_string(confirm_timeout.count()) + " ms",
                           amqp_details("confirm_timeout")));
      break;
    }
    if (status != AMQP_STATUS_OK) {
      fail_unsettled(socket_failure(status, "waiting for publisher confirms from"));
      break;
    }
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;  // stray content: nothing of ours
    switch (frame.payload.method.id) {
      case AMQP_BASIC_ACK_METHOD: {
        const auto* ack = static_cast<const amqp_basic_ack_t*>(frame.payload.method.decoded);
        settle(ack->delivery_tag, ack->multiple != 0, std::nullopt);
        break;
      }
      case AMQP_BASIC_NACK_METHOD: {
        const auto* nack = static_cast<const amqp_basic_nack_t*>(frame.payload.method.decoded);
        settle(nack->delivery_tag, nack->multiple != 0,
               Error(ErrorCode::upstream, "the broker refused the event (basic.nack) on " + endpoint_,
                     amqp_details("nack")));
        break;
      }
      case AMQP_BASIC_RETURN_METHOD: {
        const auto* ret = static_cast<const amqp_basic_return_t*>(frame.payload.method.decoded);
        const int code = ret->reply_code;
        const std::string text(as_view(ret->reply_text));
        const std::string routing_key(as_view(ret->routing_key));
        try {
          const auto message_id = read_returned_message_id(deadline);
          ++counters.returned;
          for (std::size_t i = 0; i < published; ++i) {
            if (!settled[i] && !returned[i] && messages[i].message_id == message_id) {
              returned[i] = Error(ErrorCode::upstream,
                                  "the broker returned the event as unroutable (" + std::to_string(code) + " " + text +
                                      ": no queue bound to exchange '" + exchange_ + "' for routing key '" +
                                      routing_key + "') on " + endpoint_,
                                  amqp_details(reply_name(text)));
              break;
            }
          }
        } catch (const Error& error) {
          fail_unsettled(error);
        }
        break;
      }
      case AMQP_CHANNEL_CLOSE_METHOD:
      case AMQP_CONNECTION_CLOSE_METHOD:
        fail_unsettled(acknowledge_close(frame, "publishing to"));
        break;
      default:
        break;  // nothing else concerns a publisher
    }
  }
  if (armed.fired()) broken_ = true;  // shut down under us, whatever the outcomes say
  amqp_maybe_release_buffers(state_);
  return outcomes;
}

}  // namespace contentgen::amqp
