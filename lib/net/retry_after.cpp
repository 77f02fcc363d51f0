#include "net/retry_after.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>
#include <string_view>

namespace contentgen::net {
namespace {

using std::chrono::milliseconds;

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT"), the only HTTP date form servers still send. As
// time_t: system_clock's nanoseconds only reach the years 1678-2262, and a server may name any year.
std::optional<std::time_t> parse_http_date(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const std::time_t t = timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return t;
}

milliseconds clamp_ms(double ms) { return milliseconds(static_cast<std::int64_t>(std::min(ms, 1e12))); }

}  // namespace

std::optional<milliseconds> parse_retry_after(const HttpResponse& response, std::chrono::system_clock::time_point now) {
  if (const auto* ms = response.header("retry-after-ms")) {
    if (const auto value = parse_number(*ms); value && *value >= 0) return clamp_ms(*value);
  }
  if (const auto* after = response.header("retry-after")) {
    if (const auto seconds = parse_number(*after); seconds && *seconds >= 0) return clamp_ms(*seconds * 1000.0);
    if (const auto when = parse_http_date(*after)) {
      // In double milliseconds, then clamped: no duration arithmetic that could overflow.
      const auto now_ms = std::chrono::duration_cast<milliseconds>(now.time_since_epoch()).count();
      return clamp_ms(std::max(0.0, static_cast<double>(*when) * 1000.0 - static_cast<double>(now_ms)));
    }
  }
  return std::nullopt;
}

}  // namespace contentgen::net
