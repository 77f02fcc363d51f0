#include "adapters/llm/rate_limit.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "contentgen/time.hpp"

namespace contentgen::llm {

using std::chrono::milliseconds;

std::optional<milliseconds> parse_go_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return milliseconds(0);
  double total_ms = 0;
  while (!text.empty()) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || value < 0 || !std::isfinite(value)) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    double unit_ms = 0;
    if (text.starts_with("ms")) {
      unit_ms = 1, text.remove_prefix(2);
    } else if (text.starts_with("us") || text.starts_with("\xC2\xB5s")) {
      unit_ms = 0.001, text.remove_prefix(text.starts_with("us") ? 2 : 3);
    } else if (text.starts_with("ns")) {
      unit_ms = 1e-6, text.remove_prefix(2);
    } else if (text.starts_with("h")) {
      unit_ms = 3'600'000, text.remove_prefix(1);
    } else if (text.starts_with("m")) {
      unit_ms = 60'000, text.remove_prefix(1);
    } else if (text.starts_with("s")) {
      unit_ms = 1000, text.remove_prefix(1);
    } else {
      return std::nullopt;
    }
    total_ms += value * unit_ms;
  }
  return milliseconds(static_cast<std::int64_t>(std::ceil(std::min(total_ms, 1e12))));
}

namespace {

std::optional<std::int64_t> header_int(const net::HttpResponse& r, std::string_view name) {
  const auto* v = r.header(name);
  if (v == nullptr) return std::nullopt;
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc{} || end != v->data() + v->size() || out < 0) return std::nullopt;
  return out;
}

std::optional<milliseconds> header_reset(const net::HttpResponse& r, std::string_view name,
                                         std::chrono::system_clock::time_point now) {
  const auto* v = r.header(name);
  if (v == nullptr) return std::nullopt;
  if (auto d = parse_go_duration(*v)) return d;
  if (auto when = parse_rfc3339(*v)) {
    return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(*when - now));
  }
  return std::nullopt;
}

}  // namespace

RateLimitInfo parse_rate_limit_headers(const net::HttpResponse& r, std::chrono::system_clock::time_point now) {
  RateLimitInfo info;
  info.remaining_requests = header_int(r, "x-ratelimit-remaining-requests");
  info.remaining_tokens = header_int(r, "x-ratelimit-remaining-tokens");
  info.requests_reset = header_reset(r, "x-ratelimit-reset-requests", now);
  info.tokens_reset = header_reset(r, "x-ratelimit-reset-tokens", now);
  if (!info.remaining_requests) info.remaining_requests = header_int(r, "anthropic-ratelimit-requests-remaining");
  if (!info.remaining_tokens) info.remaining_tokens = header_int(r, "anthropic-ratelimit-tokens-remaining");
  if (!info.requests_reset) info.requests_reset = header_reset(r, "anthropic-ratelimit-requests-reset", now);
  if (!info.tokens_reset) info.tokens_reset = header_reset(r, "anthropic-ratelimit-tokens-reset", now);
  return info;
}

RateLimiter::RateLimiter(RateLimitOptions options, milliseconds max_pause) : options_(options), max_pause_(max_pause) {
  // A burst of at most one second's worth (at least one request / one request's tokens) keeps a
  // batch spread evenly instead of spending the minute's budget in its first second.
  if (options_.requests_per_minute > 0) {
    requests_.per_second = static_cast<double>(options_.requests_per_minute) / 60.0;
    requests_.capacity = std::max(1.0, requests_.per_second);
    requests_.level = requests_.capacity;
  }
  if (options_.tokens_per_minute > 0) {
    tokens_.per_second = static_cast<double>(options_.tokens_per_minute) / 60.0;
    tokens_.capacity = std::max(1.0, tokens_.per_second);
    tokens_.level = tokens_.capacity;
  }
}

double RateLimiter::take(Bucket& bucket, double amount, double elapsed_seconds) {
  if (bucket.per_second <= 0) return 0;
  bucket.level = std::min(bucket.capacity, bucket.level + elapsed_seconds * bucket.per_second);
  bucket.level -= amount;
  return bucket.level >= 0 ? 0 : -bucket.level / bucket.per_second;
}

milliseconds RateLimiter::reserve(std::int64_t tokens, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const double elapsed = last_ == Clock::time_point{} ? 0 : std::chrono::duration<double>(now - last_).count();
  last_ = now;
  double wait = std::max(take(requests_, 1, elapsed), take(tokens_, static_cast<double>(tokens), elapsed));
  if (blocked_until_ > now) wait = std::max(wait, std::chrono::duration<double>(blocked_until_ - now).count());
  // Clamped (about 31 years) before the conversion: a request of absurd size must not overflow it.
  return milliseconds(static_cast<std::int64_t>(std::ceil(std::min(wait * 1000.0, 1e12))));
}

void RateLimiter::observe(const RateLimitInfo& info, std::int64_t next_request_tokens, Clock::time_point now) {
  if (!options_.respect_server_headers) return;
  std::lock_guard lock(mutex_);
  const auto pause_until = [&](milliseconds reset) {
    if (reset <= max_pause_) blocked_until_ = std::max(blocked_until_, now + reset);
  };
  if (info.remaining_requests && *info.remaining_requests == 0 && info.requests_reset) pause_until(*info.requests_reset);
  if (info.remaining_tokens && *info.remaining_tokens < next_request_tokens && info.tokens_reset)
    pause_until(*info.tokens_reset);
}

}  // namespace contentgen::llm
