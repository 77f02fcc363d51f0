#include "contentgen/usage.hpp"

#include "contentgen/error.hpp"

namespace contentgen {

void validate_usage(const TokenUsage& u) {
  auto non_negative = [](std::int64_t value, const char* field) {
    if (value < 0) throw Error::invalid_argument(field, "token counts cannot be negative");
  };
  non_negative(u.prompt_tokens, "usage.prompt_tokens");
  non_negative(u.cached_tokens, "usage.cached_tokens");
  non_negative(u.cache_write_tokens, "usage.cache_write_tokens");
  non_negative(u.completion_tokens, "usage.completion_tokens");
  non_negative(u.reasoning_tokens, "usage.reasoning_tokens");
  if (u.cached_tokens > u.prompt_tokens - u.cache_write_tokens)
    throw Error::invalid_argument("usage.cached_tokens",
                                  "cached + cache-write tokens exceed the prompt tokens they are part of");
  if (u.reasoning_tokens > u.completion_tokens)
    throw Error::invalid_argument("usage.reasoning_tokens",
                                  "reasoning tokens exceed the completion tokens they are part of");
}

}  // namespace contentgen
