// llm section -> LlmProvider, through the providers' public factories when they are built.
#include "config/not_built.hpp"
#include "contentgen/config.hpp"

#if defined(CONTENTGEN_CONFIG_HAVE_OPENAI) || defined(CONTENTGEN_CONFIG_HAVE_ANTHROPIC)
#include "contentgen/adapters/fallback.hpp"
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_OPENAI)
#include "contentgen/adapters/openai.hpp"
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_ANTHROPIC)
#include "contentgen/adapters/anthropic.hpp"
#endif

namespace contentgen {
namespace {

#if defined(CONTENTGEN_CONFIG_HAVE_OPENAI) || defined(CONTENTGEN_CONFIG_HAVE_ANTHROPIC)
HttpOptions http_options(const LlmConfig& config, const LogHandler& log) {
  HttpOptions http;
  http.log = log;
  http.max_connections_per_host = config.max_connections;
  http.ca_file = config.ca_file;
  http.insecure_skip_verify = config.insecure_skip_verify;
  http.connect_timeout = configdetail::millis(config.connect_timeout_s);
  http.idle_timeout = configdetail::millis(config.idle_timeout_s);
  http.attempt_timeout = configdetail::millis(config.timeout_s);
  return http;
}

RateLimitOptions rate_limit_options(const LlmConfig& config) {
  RateLimitOptions limits;
  limits.requests_per_minute = config.requests_per_minute;
  limits.tokens_per_minute = config.tokens_per_minute;
  return limits;
}
#endif

#if defined(CONTENTGEN_CONFIG_HAVE_OPENAI)
std::shared_ptr<LlmProvider> open_openai(const LlmConfig& config, const LogHandler& log) {
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
    configdetail::rename_field(e, "", "llm.");
    throw;
  }
}
#endif

#if defined(CONTENTGEN_CONFIG_HAVE_ANTHROPIC)
std::shared_ptr<LlmProvider> open_anthropic(const LlmConfig& config, const LogHandler& log) {
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
    configdetail::rename_field(e, "", "llm.");
    throw;
  }
}
#endif

// A fallback entry calls its own model, whatever the request named for the first provider.
class ModelPinnedProvider final : public LlmProvider {
 public:
  ModelPinnedProvider(std::shared_ptr<LlmProvider> inner, std::string model)
      : inner_(std::move(inner)), model_(std::move(model)) {}
  std::string_view name() const noexcept override { return inner_->name(); }
  void complete_async(ChatRequest request, ChatHandler on_done) override {
    request.model = model_;
    inner_->complete_async(std::move(request), std::move(on_done));
  }

 private:
  std::shared_ptr<LlmProvider> inner_;
  std::string model_;
};

std::shared_ptr<LlmProvider> open_one(const LlmConfig& config, const LogHandler& log) {
  if (config.provider == "openai") {
#if defined(CONTENTGEN_CONFIG_HAVE_OPENAI)
    return open_openai(config, log);
#else
    configdetail::throw_not_built("llm.provider", "openai", "OpenAI-compatible provider");
#endif
  }
  if (config.provider == "anthropic") {
#if defined(CONTENTGEN_CONFIG_HAVE_ANTHROPIC)
    return open_anthropic(config, log);
#else
    configdetail::throw_not_built("llm.provider", "anthropic", "Anthropic provider");
#endif
  }
  throw Error::invalid_argument("llm.provider", "must be \"openai\" or \"anthropic\"");
}

}  // namespace

std::shared_ptr<LlmProvider> open_llm_provider(const LlmConfig& config, const LogHandler& log) {
  auto first = open_one(config, log);  // throws "not built" when no HTTP provider is
  if (config.fallback.empty()) return first;
#if defined(CONTENTGEN_CONFIG_HAVE_OPENAI) || defined(CONTENTGEN_CONFIG_HAVE_ANTHROPIC)
  std::vector<std::shared_ptr<LlmProvider>> providers{std::move(first)};
  for (std::size_t i = 0; i < config.fallback.size(); ++i) {
    try {
      providers.push_back(std::make_shared<ModelPinnedProvider>(open_one(config.fallback[i], log), config.fallback[i].model));
    } catch (Error& e) {
      configdetail::rename_field(e, "llm.", "llm.fallback[" + std::to_string(i) + "].");
      throw;
    }
  }
  return make_fallback_provider(std::move(providers));
#else
  return first;  // unreachable: open_one() threw
#endif
}

}  // namespace contentgen
