#pragma once
// One error taxonomy for the whole library. Synchronous calls throw contentgen::Error; asynchronous
// calls deliver it inside a Result<T> (result.hpp). Each ErrorCode maps to exactly one C error code
// (CONTENTGEN_E_*), and to one Python exception class. See docs/errors.md.
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "contentgen/export.hpp"
#include "contentgen/usage.hpp"

namespace contentgen {

enum class ErrorCode : int {
  invalid_argument = 1,  // bad input; ErrorDetails::field names the offending field
  not_found = 2,         // missing id -- or another workspace's id, which behaves identically
  conflict = 3,          // stale expected version, duplicate id or idempotency key
  unauthorized = 4,      // credentials refused (401/403 from a provider or store)
  rate_limited = 5,      // 429 and friends; retry_after when the server said so
  upstream = 6,          // provider/server failure or malformed reply
  timeout = 7,           // a deadline passed (connect, first byte, idle, total)
  budget_exceeded = 8,   // the workspace's spending limit would be exceeded; nothing was spent
  unknown_model = 9,     // no price for the model: we never guess $0
  storage = 10,          // database or object store failed
  unavailable = 11,      // a dependency is down or unreachable; retry later
  cancelled = 12,        // the caller cancelled
  internal = 13,         // a bug in libcontentgen
};

// Stable lower-case name: "invalid_argument", "not_found", ...
CONTENTGEN_API std::string_view to_string(ErrorCode code) noexcept;
// Whether retrying the same call later can succeed (rate_limited, upstream, timeout, unavailable).
CONTENTGEN_API bool is_retryable(ErrorCode code) noexcept;

// What a caller needs in order to act on an error. Every field is optional (empty / 0 / nullopt).
struct ErrorDetails {
  std::string field;             // invalid_argument: dotted path of the bad field, e.g. "plan.title"
  int http_status = 0;           // status of the upstream reply, when there was one
  std::string provider;          // "openai", "anthropic", "s3", "postgresql", "amqp", ...
  std::string provider_type;     // provider's error type, e.g. "invalid_request_error"
  std::string provider_code;     // provider's error code, e.g. "insufficient_quota", "NoSuchKey"
  std::string request_id;        // x-request-id / request-id / x-amz-request-id
  std::optional<std::chrono::milliseconds> retry_after;
  std::optional<TokenUsage> billed_usage;  // usage the provider billed for the failed call
};

class CONTENTGEN_API Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, ErrorDetails details = {});

  ErrorCode code() const noexcept { return code_; }
  const ErrorDetails& details() const noexcept { return details_; }
  ErrorDetails& details() noexcept { return details_; }

  // Shorthands for the common cases.
  static Error invalid_argument(std::string field, const std::string& message);
  static Error not_found(const std::string& what);

 private:
  ErrorCode code_;
  ErrorDetails details_;
};

}  // namespace contentgen
