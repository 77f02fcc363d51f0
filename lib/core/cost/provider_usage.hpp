#pragma once
// Normalizing a provider's usage report into TokenUsage (internal; used by the Anthropic adapter
// and by the golden cost tests), so that every token is charged once, at its own rate (see
// usage.hpp and docs/architecture.md#cost). OpenAI's shape needs no conversion: its prompt_tokens
// already include the cached tokens, its completion_tokens the reasoning tokens. The LLM engine
// validates the result (check_usage: upstream when the parts do not add up).
#include <cstdint>

#include "contentgen/usage.hpp"

namespace contentgen::internal {

// Anthropic: usage.input_tokens EXCLUDES cache_read_input_tokens and cache_creation_input_tokens,
// so the normalized prompt is their sum.
TokenUsage usage_from_anthropic(std::int64_t input_tokens, std::int64_t cache_read_input_tokens,
                                std::int64_t cache_creation_input_tokens, std::int64_t output_tokens) noexcept;

}  // namespace contentgen::internal
