#pragma once
// Rate-limit headers of OpenAI (x-ratelimit-remaining-requests, x-ratelimit-reset-tokens: "6m0s",
// Go-style durations) and Anthropic (anthropic-ratelimit-requests-remaining,
// anthropic-ratelimit-tokens-reset: RFC 3339), and a client-side limiter (token buckets for
// requests/min and tokens/min) that also pauses when the server says a budget is exhausted.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>

#include "contentgen/adapters/llm_options.hpp"
#include "net/http_client.hpp"

namespace contentgen::llm {

// "6m0s", "1h2m3.5s", "12ms", "250us", "1.5s", "0s". nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_go_duration(std::string_view text);

struct RateLimitInfo {
  std::optional<std::int64_t> remaining_requests;
  std::optional<std::int64_t> remaining_tokens;
  std::optional<std::chrono::milliseconds> requests_reset;  // from now
  std::optional<std::chrono::milliseconds> tokens_reset;
};

RateLimitInfo parse_rate_limit_headers(const net::HttpResponse& response, std::chrono::system_clock::time_point now);

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // `max_pause`: a server reset further away than this (a daily budget: hours) does not hold calls
  // back -- they go out and the server's own 429 tells the caller, instead of a silent wait.
  explicit RateLimiter(RateLimitOptions options, std::chrono::milliseconds max_pause = std::chrono::minutes(1));

  // Takes room for one request of about `tokens` tokens; returns how long to wait before sending.
  std::chrono::milliseconds reserve(std::int64_t tokens, Clock::time_point now);
  // Learns from the server's headers (only when respect_server_headers).
  void observe(const RateLimitInfo& info, std::int64_t next_request_tokens, Clock::time_point now);

 private:
  struct Bucket {
    double per_second = 0;   // 0: unlimited
    double capacity = 0;
    double level = 0;        // may go negative: the debt is the wait of later callers
  };
  static double take(Bucket& bucket, double amount, double elapsed_seconds);

  RateLimitOptions options_;
  std::chrono::milliseconds max_pause_;
  std::mutex mutex_;
  Bucket requests_;
  Bucket tokens_;
  Clock::time_point last_{};
  Clock::time_point blocked_until_{};
};

}  // namespace contentgen::llm
