#pragma once
// Options shared by the HTTP LLM providers (OpenAI-compatible, Anthropic): retries and the
// client-side rate limiter. See docs/adapters/llm.md#retries.
#include <chrono>
#include <cstdint>

// RetryOptions (contentgen/adapters/retry_options.hpp). The providers retry HTTP 408, 409, 429 (not
// insufficient_quota), 5xx, 529, connection failures and timeouts of one attempt; an
// `x-should-retry` header overrides. Never retried: 400/401/403/404/422, or anything once streamed
// text reached the caller.
#include "contentgen/adapters/retry_options.hpp"

namespace contentgen {

// Client-side pacing so that a batch does not storm into 429s. 0 = unlimited. Also obeys the
// server's x-ratelimit-* / anthropic-ratelimit-* headers when they say a budget is exhausted and
// resets within RetryOptions::max_retry_after (a later reset -- a daily budget -- holds nothing
// back: the server's 429 reaches the caller instead of a silent wait).
struct RateLimitOptions {
  std::int64_t requests_per_minute = 0;
  std::int64_t tokens_per_minute = 0;       // estimated: prompt bytes / 4 + max_tokens
  bool respect_server_headers = true;
};

}  // namespace contentgen
