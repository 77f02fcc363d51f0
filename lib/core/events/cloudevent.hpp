#pragma once
// Internal helpers of the CloudEvents envelope shared by the event sinks (lib/adapters/*).
#include <string>
#include <string_view>

namespace contentgen::cloudevent {

// "contentgen://<hostname>/contentgen": the default CloudEvents `source` of this process.
std::string default_source();
// `configured` when not empty (after checking it is a plausible URI-reference: no spaces or
// control characters), else default_source(). Throws Error{invalid_argument, field "source"}.
std::string resolve_source(std::string_view configured);

inline constexpr std::string_view content_type = "application/cloudevents+json";

}  // namespace contentgen::cloudevent
