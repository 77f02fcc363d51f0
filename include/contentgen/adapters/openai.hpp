#pragma once
// OpenAI-compatible chat completions provider: OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp
// server, OpenRouter and anything else speaking POST {base_url}/chat/completions. What differs
// between them is configuration (URL, auth header, extra headers/query), never code.
// See docs/adapters/llm.md for one example per server.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "contentgen/adapters/http_options.hpp"
#include "contentgen/adapters/llm_options.hpp"
#include "contentgen/export.hpp"
#include "contentgen/ports/llm_provider.hpp"

namespace contentgen {

struct OpenAiOptions {
  std::string base_url = "https://api.openai.com/v1";  // the path /chat/completions is appended
  std::string api_key;                                  // never logged nor put in errors
  enum class Auth {
    bearer,      // Authorization: Bearer <key>     (OpenAI, OpenRouter, vLLM, llama.cpp, Ollama)
    header,      // <auth_header>: <key>            (Azure: "api-key")
    none,        // no credentials                  (local servers)
  };
  Auth auth = Auth::bearer;
  std::string auth_header = "api-key";
  std::vector<std::pair<std::string, std::string>> extra_headers;  // e.g. OpenRouter's HTTP-Referer
  std::vector<std::pair<std::string, std::string>> query;          // e.g. Azure's api-version
  std::string provider_name = "openai";     // reported in ChatResponse::provider and errors
  std::string default_model;                // used when ChatRequest::model is empty
  // Newer OpenAI reasoning models refuse max_tokens and want max_completion_tokens.
  bool use_max_completion_tokens = false;
  HttpOptions http;
  RetryOptions retry;
  RateLimitOptions rate_limit;
  std::shared_ptr<HttpTransport> transport;  // share one pool/thread; null: own transport from `http`
};

// Throws Error{invalid_argument} for an unusable configuration (bad base_url, ...).
CONTENTGEN_API std::shared_ptr<LlmProvider> make_openai_provider(OpenAiOptions options);

// Defaults from the environment: OPENAI_API_KEY and OPENAI_BASE_URL (when set).
CONTENTGEN_API OpenAiOptions openai_options_from_env();

// Azure OpenAI: {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...
// with the key in the `api-key` header. `endpoint` like "https://NAME.openai.azure.com".
CONTENTGEN_API OpenAiOptions azure_openai_options(std::string endpoint, std::string deployment,
                                                  std::string api_version, std::string api_key);

}  // namespace contentgen
