#include "core/cost/provider_usage.hpp"

namespace contentgen::internal {

TokenUsage usage_from_anthropic(std::int64_t input_tokens, std::int64_t cache_read_input_tokens,
                                std::int64_t cache_creation_input_tokens, std::int64_t output_tokens) noexcept {
  TokenUsage usage;
  usage.prompt_tokens = input_tokens + cache_read_input_tokens + cache_creation_input_tokens;
  usage.cached_tokens = cache_read_input_tokens;
  usage.cache_write_tokens = cache_creation_input_tokens;
  usage.completion_tokens = output_tokens;
  return usage;
}

}  // namespace contentgen::internal
