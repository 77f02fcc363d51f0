// llm.provider "openai" (registered in this folder's CMakeLists.txt): the llm section -> OpenAiOptions.
#include "adapters/llm/from_config.hpp"
#include "config/field_names.hpp"
#include "contentgen/adapters/openai.hpp"

namespace contentgen::configdetail {

std::shared_ptr<LlmProvider> open_openai_llm(const LlmConfig& config, const LogHandler& log) {
  OpenAiOptions options;
  if (!config.base_url.empty()) options.base_url = config.base_url;
  options.api_key = config.api_key;
  if (config.auth == "none") {
    options.auth = OpenAiOptions::Auth::none;
  } else if (config.auth == "api-key") {
    options.auth = OpenAiOptions::Auth::header;
    options.auth_header = "api-key";
  } else if (config.auth == "header") {
    options.auth = OpenAiOptions::Auth::header;
    options.auth_header = config.auth_header;
  } else {
    options.auth = OpenAiOptions::Auth::bearer;
  }
  options.extra_headers = config.extra_headers;
  options.query = config.query;
  options.default_model = config.model;
  options.use_max_completion_tokens = config.use_max_completion_tokens;
  options.http = http_options(config, log);
  options.retry.max_retries = config.max_retries;
  options.rate_limit = rate_limit_options(config);
  try {
    return make_openai_provider(std::move(options));
  } catch (Error& e) {
    rename_field(e, "", "llm.");
    throw;
  }
}

}  // namespace contentgen::configdetail
