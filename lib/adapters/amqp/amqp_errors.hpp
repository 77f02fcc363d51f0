#pragma once
// Maps rabbitmq-c statuses and broker replies onto the error taxonomy (docs/adapters/amqp.md).
#include <amqp.h>

#include <string>
#include <string_view>

#include "contentgen/error.hpp"

namespace contentgen::amqp {

// details.provider "amqp" with the given provider code.
ErrorDetails amqp_details(std::string provider_code = {});

// A failure of the library/socket layer (amqp_status_enum), while `doing` ("connecting", ...).
Error library_error(int status, std::string_view doing, const std::string& endpoint);
// A failed RPC (amqp_get_rpc_reply): library failure or the broker's connection/channel close.
Error rpc_error(const amqp_rpc_reply_t& reply, std::string_view doing, const std::string& endpoint);
// The broker closed the connection (channel 0) or the channel with `code` and `text`.
Error server_close_error(int code, std::string_view text, std::string_view doing, const std::string& endpoint);

// "NO_ROUTE" from "NO_ROUTE", "NOT_FOUND" from "NOT_FOUND - no exchange 'x' in vhost '/'".
std::string reply_name(std::string_view text);
inline std::string_view as_view(amqp_bytes_t bytes) {
  return bytes.len == 0 ? std::string_view() : std::string_view(static_cast<const char*>(bytes.bytes), bytes.len);
}

}  // namespace contentgen::amqp
