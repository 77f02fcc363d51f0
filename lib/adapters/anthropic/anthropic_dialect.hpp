#pragma once
// The Anthropic Messages wire format (internal; exposed for the tests).
#include <memory>

#include "adapters/llm/http_provider.hpp"
#include "contentgen/adapters/anthropic.hpp"

namespace contentgen::anthropic {

std::unique_ptr<llm::Dialect> make_dialect(const AnthropicOptions& options);

}  // namespace contentgen::anthropic
