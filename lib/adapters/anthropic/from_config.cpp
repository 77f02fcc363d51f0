// llm.provider "anthropic" (registered in this folder's CMakeLists.txt): the llm section -> AnthropicOptions.
#include "adapters/llm/from_config.hpp"
#include "config/field_names.hpp"
#include "contentgen/adapters/anthropic.hpp"

namespace contentgen::configdetail {

std::shared_ptr<LlmProvider> open_anthropic_llm(const LlmConfig& config, const LogHandler& log) {
  AnthropicOptions options;
  if (!config.base_url.empty()) options.base_url = config.base_url;
  options.api_key = config.api_key;
  if (!config.anthropic_version.empty()) options.version = config.anthropic_version;
  options.extra_headers = config.extra_headers;
  options.default_model = config.model;
  if (config.max_tokens) options.default_max_tokens = *config.max_tokens;
  options.http = http_options(config, log);
  options.retry.max_retries = config.max_retries;
  options.rate_limit = rate_limit_options(config);
  try {
    return make_anthropic_provider(std::move(options));
  } catch (Error& e) {
    rename_field(e, "", "llm.");
    throw;
  }
}

}  // namespace contentgen::configdetail
