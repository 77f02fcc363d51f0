#include "adapters/llm/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

namespace contentgen::llm {

using std::chrono::milliseconds;

bool status_is_retryable(int status) noexcept {
  return status == 408 || status == 409 || status == 429 || (status >= 500 && status <= 599);
}

bool status_never_retried(int status) noexcept {
  return status == 400 || status == 401 || status == 403 || status == 404 || status == 422;
}

namespace {

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT"), the only HTTP date form servers still send.
std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const std::time_t t = timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(t);
}

milliseconds clamp_ms(double ms) {
  return milliseconds(static_cast<std::int64_t>(std::min(ms, 1e12)));
}

}  // namespace

std::optional<milliseconds> parse_retry_after(const net::HttpResponse& response, std::chrono::system_clock::time_point now) {
  if (const auto* ms = response.header("retry-after-ms")) {
    if (const auto value = parse_number(*ms); value && *value >= 0) return clamp_ms(*value);
  }
  if (const auto* after = response.header("retry-after")) {
    if (const auto seconds = parse_number(*after); seconds && *seconds >= 0) return clamp_ms(*seconds * 1000.0);
    if (const auto when = parse_http_date(*after)) {
      return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(*when - now));
    }
  }
  return std::nullopt;
}

milliseconds backoff_delay(const RetryOptions& options, int retry, double random01) noexcept {
  const double base = static_cast<double>(options.initial_backoff.count()) * std::pow(2.0, std::min(retry, 30));
  const double capped = std::min(base, static_cast<double>(options.max_backoff.count()));
  const double jitter = 1.0 - 0.25 * std::clamp(random01, 0.0, 1.0);
  return milliseconds(static_cast<std::int64_t>(capped * jitter));
}

RetryVerdict decide_http_retry(const RetryOptions& options, const net::HttpResponse& response,
                               std::string_view provider_code, int retries_done, double random01,
                               std::chrono::system_clock::time_point now) {
  RetryVerdict verdict;
  verdict.server_retry_after = parse_retry_after(response, now);
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
