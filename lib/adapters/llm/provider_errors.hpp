#pragma once
// Provider error replies -> contentgen::Error. Both OpenAI ({"error":{"message","type","code"}})
// and Anthropic ({"type":"error","error":{"type","message"}}) shapes are understood; anything
// else still yields a useful Error from the HTTP status alone. Secrets are scrubbed from every
// message we build (see redact()).
#include <string>
#include <string_view>

#include "contentgen/error.hpp"
#include "net/http_client.hpp"

namespace contentgen::llm {

struct ProviderErrorBody {
  std::string type;
  std::string code;
  std::string message;
};

// Tolerant: a body (or an SSE error event's data) that is not the expected JSON gives empty
// fields (never throws).
ProviderErrorBody parse_error_body(std::string_view body);

// HTTP status (+ provider code) -> taxonomy. 400/404/413/422 -> invalid_argument,
// 401/403 -> unauthorized, 408 -> timeout, 429 -> rate_limited, 503/529 -> unavailable,
// other 5xx and 409 -> upstream, anything else -> upstream.
ErrorCode code_for_status(int status) noexcept;
// Provider error type of an in-stream error event -> taxonomy ("overloaded_error" -> unavailable, ...).
ErrorCode code_for_error_type(std::string_view type) noexcept;

// Removes `secret` wherever it occurs, and masks anything shaped like an API key (sk-..., sk-ant-...).
std::string redact(std::string text, std::string_view secret);

// The Error for a non-2xx reply: message "<provider>: HTTP <status> <type/code>: <message>",
// details filled (http_status, provider, provider_type, provider_code, request_id).
Error error_from_reply(std::string_view provider, const net::HttpResponse& response, const ProviderErrorBody& body,
                       std::string_view secret);
// The Error for an error event inside a 200 stream.
Error error_from_event(std::string_view provider, const ProviderErrorBody& body, std::string_view request_id,
                       std::string_view secret);

// x-request-id (OpenAI) or request-id (Anthropic), or "".
std::string request_id_of(const net::HttpResponse& response);

}  // namespace contentgen::llm
