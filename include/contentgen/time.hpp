#pragma once
// Timestamps are UTC with microsecond precision: what PostgreSQL and our SQLite schema store, so a
// value survives a round trip through any repository unchanged.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "contentgen/export.hpp"

namespace contentgen {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;
using Clock = std::function<Timestamp()>;

// The system clock truncated to microseconds.
CONTENTGEN_API Timestamp now_utc();
// RFC 3339 / ISO 8601 in UTC with microseconds: "2026-11-25T12:59:33.123456Z".
CONTENTGEN_API std::string format_rfc3339(Timestamp t);
// Parses RFC 3339 with an optional fraction (up to 9 digits, truncated to microseconds) and a
// "Z" or +hh:mm offset. nullopt when malformed.
CONTENTGEN_API std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace contentgen
