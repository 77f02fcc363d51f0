#pragma once
// When and how long to wait before retrying an LLM call (see RetryOptions in
// include/contentgen/adapters/llm_options.hpp for the rules).
#include <chrono>
#include <optional>
#include <string_view>

#include "contentgen/adapters/llm_options.hpp"
#include "net/http_client.hpp"

namespace contentgen::llm {

// Statuses worth retrying: 408, 409, 429, 5xx, 529.
bool status_is_retryable(int status) noexcept;
// Statuses that are never retried, whatever x-should-retry says: 400, 401, 403, 404, 422.
bool status_never_retried(int status) noexcept;

// Backoff before retry number `retry` (0 for the first retry): the library's one rule
// (core/retry/backoff.hpp) with the options' initial and maximum backoff.
std::chrono::milliseconds backoff_delay(const RetryOptions& options, int retry, double random01) noexcept;

struct RetryVerdict {
  bool retry = false;
  std::chrono::milliseconds delay{0};
  std::optional<std::chrono::milliseconds> server_retry_after;  // net::parse_retry_after, for ErrorDetails
};

// Verdict for an HTTP error reply. `retries_done` counts retries already made; `provider_code`
// is the error code parsed from the body (insufficient_quota is never retried).
RetryVerdict decide_http_retry(const RetryOptions& options, const net::HttpResponse& response,
                               std::string_view provider_code, int retries_done, double random01,
                               std::chrono::system_clock::time_point now);

}  // namespace contentgen::llm
