#include "adapters/llm/retry_policy.hpp"

#include <algorithm>
#include <cmath>

#include "core/retry/backoff.hpp"
#include "net/retry_after.hpp"

namespace contentgen::llm {

using std::chrono::milliseconds;

bool status_is_retryable(int status) noexcept {
  return status == 408 || status == 409 || status == 429 || (status >= 500 && status <= 599);
}

bool status_never_retried(int status) noexcept {
  return status == 400 || status == 401 || status == 403 || status == 404 || status == 422;
}

milliseconds backoff_delay(const RetryOptions& options, int retry, double random01) noexcept {
  return internal::backoff_delay(options.initial_backoff, retry, options.max_backoff, random01);
}

RetryVerdict decide_http_retry(const RetryOptions& options, const net::HttpResponse& response,
                               std::string_view provider_code, int retries_done, double random01,
                               std::chrono::system_clock::time_point now) {
  RetryVerdict verdict;
  verdict.server_retry_after = net::parse_retry_after(response, now);
  bool retryable = status_is_retryable(response.status);
  if (const auto* should = response.header("x-should-retry")) {
    if (*should == "true") retryable = true;
    if (*should == "false") retryable = false;
  }
  if (status_never_retried(response.status) || provider_code == "insufficient_quota") retryable = false;
  if (!retryable || retries_done >= options.max_retries) return verdict;
  if (verdict.server_retry_after) {
    if (*verdict.server_retry_after > options.max_retry_after) return verdict;  // refuse to wait that long
    verdict.delay = *verdict.server_retry_after;
  } else {
    verdict.delay = backoff_delay(options, retries_done, random01);
  }
  verdict.retry = true;
  return verdict;
}

}  // namespace contentgen::llm
