#include "adapters/amqp/amqp_errors.hpp"

namespace contentgen::amqp {

ErrorDetails amqp_details(std::string provider_code) {
  ErrorDetails details;
  details.provider = "amqp";
  details.provider_code = std::move(provider_code);
  return details;
}

std::string reply_name(std::string_view text) {
  const auto end = text.find(" - ");
  return std::string(text.substr(0, end));
}

Error library_error(int status, std::string_view doing, const std::string& endpoint) {
  const std::string reason = amqp_error_string2(status);
  const std::string where = std::string(doing) + " " + endpoint + ": " + reason;
  switch (status) {
    case AMQP_STATUS_TIMEOUT:
      return Error(ErrorCode::timeout, "timed out " + where, amqp_details("timeout"));
    case AMQP_STATUS_HEARTBEAT_TIMEOUT:
      return Error(ErrorCode::unavailable, "connection lost (missed heartbeats) " + where,
                   amqp_details("heartbeat_timeout"));
    case AMQP_STATUS_SSL_PEER_VERIFY_FAILED:
      return Error(ErrorCode::unavailable, "TLS certificate of the broker not trusted " + where,
                   amqp_details("tls_peer_verify_failed"));
    case AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED:
      return Error(ErrorCode::unavailable, "TLS certificate does not match the host name " + where,
                   amqp_details("tls_hostname_verify_failed"));
    case AMQP_STATUS_SSL_CONNECTION_FAILED:
    case AMQP_STATUS_SSL_ERROR:
      return Error(ErrorCode::unavailable, "TLS failure " + where, amqp_details("tls_error"));
    case AMQP_STATUS_NO_MEMORY:
      return Error(ErrorCode::internal, "out of memory " + where, amqp_details());
    case AMQP_STATUS_BAD_AMQP_DATA:
    case AMQP_STATUS_UNKNOWN_CLASS:
    case AMQP_STATUS_UNKNOWN_METHOD:
    case AMQP_STATUS_WRONG_METHOD:
    case AMQP_STATUS_UNEXPECTED_STATE:
    case AMQP_STATUS_INCOMPATIBLE_AMQP_VERSION:
      return Error(ErrorCode::upstream, "protocol error " + where, amqp_details("protocol_error"));
    default:
      // connection refused/closed, socket errors, name resolution: the broker is not reachable.
      return Error(ErrorCode::unavailable, "broker unreachable " + where, amqp_details("connection"));
  }
}

Error server_close_error(int code, std::string_view text, std::string_view doing, const std::string& endpoint) {
  const std::string name = reply_name(text);
  const std::string message =
      "broker refused " + std::string(doing) + " " + endpoint + ": " + std::to_string(code) + " " + std::string(text);
  switch (code) {
    case AMQP_ACCESS_REFUSED:  // 403: bad credentials or no permission
    case AMQP_NOT_ALLOWED:     // 530: e.g. vhost does not exist or not accessible
      return Error(ErrorCode::unauthorized, message, amqp_details(name));
    case AMQP_CONNECTION_FORCED:  // 320: broker shutting down or an operator closed us
      return Error(ErrorCode::unavailable, message, amqp_details(name));
    default:
      return Error(ErrorCode::upstream, message, amqp_details(name));
  }
}

Error rpc_error(const amqp_rpc_reply_t& reply, std::string_view doing, const std::string& endpoint) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return library_error(reply.library_error, doing, endpoint);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        const auto* close = static_cast<const amqp_connection_close_t*>(reply.reply.decoded);
        return server_close_error(close->reply_code, as_view(close->reply_text), doing, endpoint);
      }
      if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        const auto* close = static_cast<const amqp_channel_close_t*>(reply.reply.decoded);
        return server_close_error(close->reply_code, as_view(close->reply_text), doing, endpoint);
      }
      return Error(ErrorCode::upstream, "unexpected broker reply " + std::string(doing) + " " + endpoint,
                   amqp_details("protocol_error"));
    case AMQP_RESPONSE_NONE:
    case AMQP_RESPONSE_NORMAL:
      break;
  }
  return Error(ErrorCode::internal, "no RPC reply " + std::string(doing) + " " + endpoint, amqp_details());
}

}  // namespace contentgen::amqp
