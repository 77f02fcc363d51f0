#include "core/provider_usage.hpp"

#include "contentgen/error.hpp"

namespace contentgen::internal {
namespace {

TokenUsage checked(const TokenUsage& usage, const char* provider) {
  try {
    validate_usage(usage);
  } catch (const Error& error) {
    ErrorDetails details;
    details.provider = provider;
    throw Error(ErrorCode::upstream, std::string(provider) + " reported inconsistent usage (" + error.what() + ")",
                std::move(details));
  }
  return usage;
}

}  // namespace

TokenUsage usage_from_openai(std::int64_t prompt_tokens, std::int64_t cached_tokens, std::int64_t completion_tokens,
                             std::int64_t reasoning_tokens) {
  TokenUsage usage;
  usage.prompt_tokens = prompt_tokens;
  usage.cached_tokens = cached_tokens;
  usage.completion_tokens = completion_tokens;
  usage.reasoning_tokens = reasoning_tokens;
  return checked(usage, "openai");
}

TokenUsage usage_from_anthropic(std::int64_t input_tokens, std::int64_t cache_read_input_tokens,
                                std::int64_t cache_creation_input_tokens, std::int64_t output_tokens) {
  TokenUsage usage;
  if (input_tokens < 0 || cache_read_input_tokens < 0 || cache_creation_input_tokens < 0)
    return checked(TokenUsage{-1, 0, 0, 0, 0, false}, "anthropic");
  usage.prompt_tokens = input_tokens + cache_read_input_tokens + cache_creation_input_tokens;
  usage.cached_tokens = cache_read_input_tokens;
  usage.cache_write_tokens = cache_creation_input_tokens;
  usage.completion_tokens = output_tokens;
  return checked(usage, "anthropic");
}

}  // namespace contentgen::internal
