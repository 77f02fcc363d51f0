#pragma once
// What every HTTP provider takes from the configuration's llm section: the transport and the
// client-side rate limits. Used by each provider's own from_config.cpp.
#include "contentgen/adapters/http_options.hpp"
#include "contentgen/adapters/llm_options.hpp"
#include "contentgen/config.hpp"

namespace contentgen::configdetail {

HttpOptions http_options(const LlmConfig& config, const LogHandler& log);
RateLimitOptions rate_limit_options(const LlmConfig& config);

}  // namespace contentgen::configdetail
