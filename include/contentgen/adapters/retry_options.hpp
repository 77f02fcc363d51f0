#pragma once
// The one retry policy of the library's network adapters (the LLM providers and the S3 store):
// how many retries, and the backoff between them -- initial_backoff * 2^retry, capped at
// max_backoff, minus up to 25 % random jitter (so that many clients spread out). A server's
// Retry-After (or retry-after-ms) is honoured when it asks for more than the backoff, and when it
// asks for more than max_retry_after the call is not retried at all: the error carries the wait.
// Which replies are retryable is each adapter's (docs/adapters/llm.md#retries, docs/adapters/images.md).
#include <chrono>

namespace contentgen {

struct RetryOptions {
  // Retries after the first attempt: at most max_retries + 1 requests reach the server per call. A
  // request is re-sent uncounted only if not one byte of it was written (a dead pooled connection
  // found before the write).
  int max_retries = 2;
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{8'000};
  std::chrono::milliseconds max_retry_after{60'000};
};

}  // namespace contentgen
