#pragma once
// TokenUsage: what one LLM call (or the sum of several) consumed, normalized across providers so
// that every token is charged exactly once at its own rate (see docs/architecture.md#cost):
//
//   prompt_tokens      = every input token, INCLUDING cached reads and cache writes
//                        (OpenAI's prompt_tokens as-is; Anthropic's input_tokens + cache_read +
//                        cache_creation)
//   cached_tokens      = the part of prompt_tokens read from the provider's prompt cache
//   cache_write_tokens = the part of prompt_tokens written to the cache (Anthropic)
//   completion_tokens  = every output token, INCLUDING reasoning tokens
//   reasoning_tokens   = the part of completion_tokens spent on hidden reasoning
#include <cstdint>

#include "contentgen/export.hpp"

namespace contentgen {

struct TokenUsage {
  std::int64_t prompt_tokens = 0;
  std::int64_t cached_tokens = 0;
  std::int64_t cache_write_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t reasoning_tokens = 0;
  // false: billed figures reported by the provider; true: estimated by us (e.g. a stream that
  // ended without a usage chunk). A sum is estimated if any part was.
  bool estimated = false;

  std::int64_t total_tokens() const noexcept { return prompt_tokens + completion_tokens; }
  // Uncached, unwritten input tokens: charged at the plain input rate.
  std::int64_t uncached_prompt_tokens() const noexcept {
    return prompt_tokens - cached_tokens - cache_write_tokens;
  }

  TokenUsage& operator+=(const TokenUsage& other) noexcept {
    prompt_tokens += other.prompt_tokens;
    cached_tokens += other.cached_tokens;
    cache_write_tokens += other.cache_write_tokens;
    completion_tokens += other.completion_tokens;
    reasoning_tokens += other.reasoning_tokens;
    estimated = estimated || other.estimated;
    return *this;
  }
  friend bool operator==(const TokenUsage&, const TokenUsage&) = default;
};

// Throws Error{invalid_argument, field "usage.*"} when a count is negative or the parts do not
// add up (cached + cache_write > prompt, reasoning > completion).
CONTENTGEN_API void validate_usage(const TokenUsage& usage);

}  // namespace contentgen
