#pragma once
// How long a server asks a client to wait before sending again (internal to the adapters that
// retry: the LLM providers and the S3 store).
#include <chrono>
#include <optional>

#include "net/http_client.hpp"

namespace contentgen::net {

// retry-after-ms (OpenAI), else Retry-After as seconds (fractions allowed) or an IMF-fixdate HTTP
// date relative to `now`. Negative or unparseable values are ignored (nullopt); absurdly large
// ones are clamped (at about 31 years), never overflow.
std::optional<std::chrono::milliseconds> parse_retry_after(const HttpResponse& response,
                                                           std::chrono::system_clock::time_point now);

}  // namespace contentgen::net
