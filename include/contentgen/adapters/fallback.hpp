#pragma once
// A provider composed of several: the first serves; when it fails with a retryable error (after
// its own retries: upstream, unavailable, timeout, rate_limited -- insufficient_quota included),
// the next one is tried, and so on. Not after streamed text reached the caller, never on
// cancellation or invalid requests. ChatResponse::provider/model name the one that served;
// attempts add up over all of them.
#include <memory>
#include <vector>

#include "contentgen/export.hpp"
#include "contentgen/ports/llm_provider.hpp"

namespace contentgen {

// Throws Error{invalid_argument, field "providers"} when the list is empty or holds a null.
CONTENTGEN_API std::shared_ptr<LlmProvider> make_fallback_provider(std::vector<std::shared_ptr<LlmProvider>> providers);

}  // namespace contentgen
