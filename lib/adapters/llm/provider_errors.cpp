#include "adapters/llm/provider_errors.hpp"

#include <boost/json.hpp>

namespace contentgen::llm {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxMessage = 600;

std::string scalar_text(const json::value* v) {
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return {};
}

ProviderErrorBody from_error_object(const json::object& object) {
  ProviderErrorBody out;
  out.type = scalar_text(object.if_contains("type"));
  out.code = scalar_text(object.if_contains("code"));
  out.message = scalar_text(object.if_contains("message"));
  return out;
}

ProviderErrorBody parse_tolerant(std::string_view text) {
  json::parse_options options;
  options.max_depth = 64;
  boost::system::error_code ec;
  const auto value = json::parse(text, ec, json::storage_ptr(), options);
  if (ec || !value.is_object()) return {};
  const auto& root = value.get_object();
  if (const auto* error = root.if_contains("error")) {
    if (error->is_object()) return from_error_object(error->get_object());
    if (error->is_string()) return ProviderErrorBody{{}, {}, std::string(error->get_string())};  // some proxies
  }
  return {};
}

bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

ProviderErrorBody parse_error_body(std::string_view body) { return parse_tolerant(body); }

ErrorCode code_for_status(int status) noexcept {
  switch (status) {
    case 400: case 404: case 413: case 422: return ErrorCode::invalid_argument;
    case 401: case 403: return ErrorCode::unauthorized;
    case 408: return ErrorCode::timeout;
    case 429: return ErrorCode::rate_limited;
    case 503: case 529: return ErrorCode::unavailable;
    default: return ErrorCode::upstream;
  }
}

ErrorCode code_for_error_type(std::string_view type) noexcept {
  if (type == "overloaded_error") return ErrorCode::unavailable;
  if (type == "rate_limit_error" || type == "rate_limit_exceeded" || type == "tokens" || type == "requests")
    return ErrorCode::rate_limited;
  if (type == "invalid_request_error" || type == "not_found_error" || type == "request_too_large")
    return ErrorCode::invalid_argument;
  if (type == "authentication_error" || type == "permission_error") return ErrorCode::unauthorized;
  if (type == "timeout_error") return ErrorCode::timeout;
  return ErrorCode::upstream;
}

std::string redact(std::string text, std::string_view secret) {
  if (secret.size() >= 4) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
      text.replace(at, secret.size(), "[redacted]");
  }
  // Anything shaped like a key: "sk-" followed by 8+ key characters.
  for (auto at = text.find("sk-"); at != std::string::npos; at = text.find("sk-", at + 3)) {
    std::size_t end = at + 3;
    while (end < text.size() && key_char(text[end])) ++end;
    if (end - at >= 11) text.replace(at, end - at, "sk-[redacted]");
  }
  return text;
}

std::string request_id_of(const net::HttpResponse& response) {
  if (const auto* id = response.header("x-request-id")) return *id;
  if (const auto* id = response.header("request-id")) return *id;
  return {};
}

namespace {

// The provider's message, redacted BEFORE it is cut (a cut through a key would leave a prefix of
// it that no longer matches), at most kMaxMessage bytes and never ending inside a UTF-8 sequence.
std::string shortened(const std::string& provider_message, std::string_view secret) {
  std::string text = redact(provider_message, secret);
  if (text.size() <= kMaxMessage) return text;
  std::size_t cut = kMaxMessage;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

Error build(std::string_view provider, ErrorCode code, std::string prefix, const ProviderErrorBody& body,
            std::string_view secret, ErrorDetails details) {
  std::string message = std::string(provider) + ": " + prefix;
  const std::string& label = !body.code.empty() ? body.code : body.type;
  if (!label.empty()) message += " " + label;
  if (!body.message.empty()) {
    message += ": ";
    message += shortened(body.message, secret);
  }
  details.provider = std::string(provider);
  details.provider_type = body.type;
  details.provider_code = body.code;
  return Error(code, redact(std::move(message), secret), std::move(details));
}

}  // namespace

Error error_from_reply(std::string_view provider, const net::HttpResponse& response, const ProviderErrorBody& body,
                       std::string_view secret) {
  ErrorDetails details;
  details.http_status = response.status;
  details.request_id = request_id_of(response);
  return build(provider, code_for_status(response.status), "HTTP " + std::to_string(response.status), body, secret,
               std::move(details));
}

Error error_from_event(std::string_view provider, const ProviderErrorBody& body, std::string_view request_id,
                       std::string_view secret) {
  ErrorDetails details;
  details.http_status = 200;
  details.request_id = std::string(request_id);
  const auto code = code_for_error_type(body.type.empty() ? body.code : body.type);
  return build(provider, code, "error event in the stream", body, secret, std::move(details));
}

}  // namespace contentgen::llm
