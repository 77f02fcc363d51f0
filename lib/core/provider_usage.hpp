#pragma once
// Normalizing providers' usage reports into TokenUsage (internal; used by the LLM adapters), so
// that every token is charged once, at its own rate (see usage.hpp and docs/architecture.md#cost).
// Both throw Error{upstream} when the provider's figures are negative or do not add up.
#include <cstdint>

#include "contentgen/usage.hpp"

namespace contentgen::internal {

// OpenAI (and compatible): usage.prompt_tokens ALREADY INCLUDES
// prompt_tokens_details.cached_tokens; completion_tokens already includes
// completion_tokens_details.reasoning_tokens. Taken as they are.
TokenUsage usage_from_openai(std::int64_t prompt_tokens, std::int64_t cached_tokens, std::int64_t completion_tokens,
                             std::int64_t reasoning_tokens);

// Anthropic: usage.input_tokens EXCLUDES cache_read_input_tokens and cache_creation_input_tokens,
// so the normalized prompt is their sum.
TokenUsage usage_from_anthropic(std::int64_t input_tokens, std::int64_t cache_read_input_tokens,
                                std::int64_t cache_creation_input_tokens, std::int64_t output_tokens);

}  // namespace contentgen::internal
