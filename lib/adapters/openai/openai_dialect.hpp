#pragma once
// The OpenAI chat-completions wire format (internal; exposed for the tests).
#include <memory>

#include "adapters/llm/http_provider.hpp"
#include "contentgen/adapters/openai.hpp"

namespace contentgen::openai {

std::unique_ptr<llm::Dialect> make_dialect(const OpenAiOptions& options);

}  // namespace contentgen::openai
