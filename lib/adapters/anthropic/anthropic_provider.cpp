// Public factories of the Anthropic provider.
#include <cstdlib>

#include "adapters/anthropic/anthropic_dialect.hpp"
#include "net/url.hpp"

namespace contentgen {

std::shared_ptr<LlmProvider> make_anthropic_provider(AnthropicOptions options) {
  try {
    (void)net::parse_url(options.base_url);
  } catch (const Error&) {
    throw Error::invalid_argument("base_url", "must be an absolute http:// or https:// URL");
  }
  if (options.default_max_tokens <= 0) throw Error::invalid_argument("default_max_tokens", "must be positive");
  if (options.provider_name.empty()) throw Error::invalid_argument("provider_name", "must not be empty");
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
