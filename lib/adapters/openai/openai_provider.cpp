// Public factories of the OpenAI-compatible provider.
#include <cstdlib>

#include "adapters/openai/openai_dialect.hpp"
#include "adapters/llm/http_provider.hpp"

namespace contentgen {

std::shared_ptr<LlmProvider> make_openai_provider(OpenAiOptions options) {
  llm::check_provider_options(options.base_url, options.provider_name);
  llm::EngineOptions engine{options.http, options.retry, options.rate_limit, options.transport};
  return llm::make_http_provider(openai::make_dialect(options), std::move(engine));
}

OpenAiOptions openai_options_from_env() {
  OpenAiOptions options;
  if (const char* key = std::getenv("OPENAI_API_KEY"); key != nullptr) options.api_key = key;
  if (const char* url = std::getenv("OPENAI_BASE_URL"); url != nullptr && *url != '\0') options.base_url = url;
  return options;
}

OpenAiOptions azure_openai_options(std::string endpoint, std::string deployment, std::string api_version,
                                   std::string api_key) {
  OpenAiOptions options;
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  options.base_url = endpoint + "/openai/deployments/" + deployment;
  options.query.emplace_back("api-version", std::move(api_version));
  options.auth = OpenAiOptions::Auth::header;
  options.auth_header = "api-key";
  options.api_key = std::move(api_key);
  options.provider_name = "azure-openai";
  options.default_model = std::move(deployment);  // Azure routes by deployment; the body's model is informative
  return options;
}

}  // namespace contentgen
