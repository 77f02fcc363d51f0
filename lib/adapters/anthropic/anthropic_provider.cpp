// Public factories of the Anthropic provider.
#include <cstdlib>

#include "adapters/anthropic/anthropic_dialect.hpp"
#include "adapters/llm/http_provider.hpp"

namespace contentgen {

std::shared_ptr<LlmProvider> make_anthropic_provider(AnthropicOptions options) {
  llm::check_provider_options(options.base_url, options.provider_name);
  if (options.default_max_tokens <= 0) throw Error::invalid_argument("default_max_tokens", "must be positive");
  llm::EngineOptions engine{options.http, options.retry, options.rate_limit, options.transport};
  return llm::make_http_provider(anthropic::make_dialect(options), std::move(engine));
}

AnthropicOptions anthropic_options_from_env() {
  AnthropicOptions options;
  if (const char* key = std::getenv("ANTHROPIC_API_KEY"); key != nullptr) options.api_key = key;
  if (const char* url = std::getenv("ANTHROPIC_BASE_URL"); url != nullptr && *url != '\0') options.base_url = url;
  return options;
}

}  // namespace contentgen
