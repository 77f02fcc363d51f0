#include "contentgen/error.hpp"

#include "core/text/utf8.hpp"

namespace contentgen {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::upstream: return "upstream";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::budget_exceeded: return "budget_exceeded";
    case ErrorCode::unknown_model: return "unknown_model";
    case ErrorCode::storage: return "storage";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::cancelled: return "cancelled";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

bool is_retryable(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::rate_limited:
    case ErrorCode::upstream:
    case ErrorCode::timeout:
    case ErrorCode::unavailable:
      return true;
    default:
      return false;
  }
}

// Messages often echo what a caller or a server sent: made printable here, once, so that what()
// is never cut at a NUL and is valid UTF-8 for every JSON body, log line and C caller.
Error::Error(ErrorCode code, const std::string& message, ErrorDetails details)
    : std::runtime_error(internal::printable(message)), code_(code), details_(std::move(details)) {}

Error Error::invalid_argument(std::string field, const std::string& message) {
  // The message is built before `details` is moved into the call: argument evaluation order is
  // unspecified (GCC moves first, which used to leave the field out of the message).
  std::string text = field + ": " + message;
  ErrorDetails details;
  details.field = internal::printable(field);
  return Error(ErrorCode::invalid_argument, text, std::move(details));
}

Error Error::not_found(const std::string& what) { return Error(ErrorCode::not_found, what + " not found"); }

}  // namespace contentgen
