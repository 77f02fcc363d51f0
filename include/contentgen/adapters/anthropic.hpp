#pragma once
// Anthropic Messages API provider (POST {base_url}/messages, x-api-key, anthropic-version).
// System messages become the top-level `system` field; max_tokens is required by the API, so
// default_max_tokens applies when the request has none. See docs/adapters/llm.md#anthropic.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "contentgen/adapters/http_options.hpp"
#include "contentgen/adapters/llm_options.hpp"
#include "contentgen/export.hpp"
#include "contentgen/ports/llm_provider.hpp"

namespace contentgen {

struct AnthropicOptions {
  std::string base_url = "https://api.anthropic.com/v1";  // /messages is appended
  std::string api_key;                                     // never logged nor put in errors
  std::string version = "2023-06-01";                      // anthropic-version header
  std::vector<std::pair<std::string, std::string>> extra_headers;  // e.g. anthropic-beta
  std::string provider_name = "anthropic";
  std::string default_model;
  std::int64_t default_max_tokens = 4096;
  HttpOptions http;
  RetryOptions retry;
  RateLimitOptions rate_limit;
  std::shared_ptr<HttpTransport> transport;
};

CONTENTGEN_API std::shared_ptr<LlmProvider> make_anthropic_provider(AnthropicOptions options);

// ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL (when set).
CONTENTGEN_API AnthropicOptions anthropic_options_from_env();

}  // namespace contentgen
