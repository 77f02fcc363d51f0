#include <gtest/gtest.h>

#include "adapters/llm/provider_errors.hpp"
#include "adapters/llm/rate_limit.hpp"
#include "adapters/llm/retry_policy.hpp"
#include "net/retry_after.hpp"

namespace contentgen::llm {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using net::parse_retry_after;

net::HttpResponse reply(int status, std::vector<net::Header> headers = {}) {
  net::HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

const auto kNow = std::chrono::system_clock::from_time_t(1'700'000'000);

TEST(RetryPolicy, RetryableStatuses) {
  for (int s : {408, 409, 429, 500, 502, 503, 504, 529}) EXPECT_TRUE(status_is_retryable(s)) << s;
  for (int s : {200, 400, 401, 403, 404, 422}) EXPECT_FALSE(status_is_retryable(s)) << s;
}

TEST(RetryPolicy, BackoffDoublesFromHalfASecondCappedAtEightWithJitter) {
  RetryOptions o;
  EXPECT_EQ(backoff_delay(o, 0, 0.0), 500ms);
  EXPECT_EQ(backoff_delay(o, 1, 0.0), 1000ms);
  EXPECT_EQ(backoff_delay(o, 2, 0.0), 2000ms);
  EXPECT_EQ(backoff_delay(o, 4, 0.0), 8000ms);
  EXPECT_EQ(backoff_delay(o, 10, 0.0), 8000ms);
  EXPECT_EQ(backoff_delay(o, 0, 0.999), milliseconds(375));  // -25 % at most
  EXPECT_GE(backoff_delay(o, 5, 0.5), 6000ms);
}

TEST(RetryPolicy, RetryAfterForms) {
  EXPECT_EQ(parse_retry_after(reply(429, {{"retry-after-ms", "250"}}), kNow), 250ms);
  EXPECT_EQ(parse_retry_after(reply(429, {{"retry-after", "2"}}), kNow), 2000ms);
  EXPECT_EQ(parse_retry_after(reply(429, {{"retry-after", "1.5"}}), kNow), 1500ms);
  EXPECT_EQ(parse_retry_after(reply(429, {{"retry-after-ms", "10"}, {"retry-after", "9"}}), kNow), 10ms);
  // 1'700'000'000 is Tue, 14 Nov 2023 22:13:20 GMT
  EXPECT_EQ(parse_retry_after(reply(503, {{"retry-after", "Tue, 14 Nov 2023 22:13:50 GMT"}}), kNow), 30000ms);
  EXPECT_EQ(parse_retry_after(reply(503, {{"retry-after", "Tue, 14 Nov 2023 22:00:00 GMT"}}), kNow), 0ms);
  EXPECT_FALSE(parse_retry_after(reply(503, {{"retry-after", "soon"}}), kNow));
  EXPECT_FALSE(parse_retry_after(reply(503, {{"retry-after", "-3"}}), kNow));
  EXPECT_FALSE(parse_retry_after(reply(503), kNow));
  // Dates beyond system_clock's range (years 1678-2262 in nanoseconds) are clamped or zero, not
  // overflowed (found by tests/fuzz/retry_after.cpp).
  EXPECT_EQ(parse_retry_after(reply(503, {{"retry-after", "Wed, 21 Oct 2602 07:28:00 GMT"}}), kNow),
            milliseconds(1'000'000'000'000));
  EXPECT_EQ(parse_retry_after(reply(503, {{"retry-after", "Mon, 01 Jan 1600 00:00:00 GMT"}}), kNow), 0ms);
}

TEST(RetryPolicy, Decisions) {
  RetryOptions o;
  auto v = decide_http_retry(o, reply(500), "", 0, 0.0, kNow);
  EXPECT_TRUE(v.retry);
  EXPECT_EQ(v.delay, 500ms);
  EXPECT_FALSE(decide_http_retry(o, reply(500), "", 2, 0.0, kNow).retry) << "max_retries = 2";
  EXPECT_FALSE(decide_http_retry(o, reply(429), "insufficient_quota", 0, 0.0, kNow).retry);
  for (int s : {400, 401, 403, 404, 422}) {
    EXPECT_FALSE(decide_http_retry(o, reply(s), "", 0, 0.0, kNow).retry) << s;
    EXPECT_FALSE(decide_http_retry(o, reply(s, {{"x-should-retry", "true"}}), "", 0, 0.0, kNow).retry) << s;
  }
  EXPECT_FALSE(decide_http_retry(o, reply(503, {{"x-should-retry", "false"}}), "", 0, 0.0, kNow).retry);
  EXPECT_TRUE(decide_http_retry(o, reply(418, {{"x-should-retry", "true"}}), "", 0, 0.0, kNow).retry);
  auto honoured = decide_http_retry(o, reply(429, {{"retry-after", "3"}}), "", 0, 0.0, kNow);
  EXPECT_TRUE(honoured.retry);
  EXPECT_EQ(honoured.delay, 3000ms);
  auto refused = decide_http_retry(o, reply(429, {{"retry-after", "120"}}), "", 0, 0.0, kNow);
  EXPECT_FALSE(refused.retry) << "beyond the 60 s cap";
  EXPECT_EQ(refused.server_retry_after, 120000ms);
  EXPECT_TRUE(decide_http_retry(o, reply(529), "", 1, 0.0, kNow).retry);
}

TEST(RateLimit, GoDurations) {
  EXPECT_EQ(parse_go_duration("6m0s"), 360000ms);
  EXPECT_EQ(parse_go_duration("12ms"), 12ms);
  EXPECT_EQ(parse_go_duration("1h2m3.5s"), milliseconds(3723500));
  EXPECT_EQ(parse_go_duration("1.5s"), 1500ms);
  EXPECT_EQ(parse_go_duration("0s"), 0ms);
  EXPECT_EQ(parse_go_duration("250us"), 1ms) << "rounded up";
  EXPECT_FALSE(parse_go_duration(""));
  EXPECT_FALSE(parse_go_duration("6"));
  EXPECT_FALSE(parse_go_duration("abc"));
  EXPECT_FALSE(parse_go_duration("5x"));
}

TEST(RateLimit, Headers) {
  auto openai = parse_rate_limit_headers(reply(200, {{"x-ratelimit-remaining-requests", "0"},
                                                     {"x-ratelimit-remaining-tokens", "1500"},
                                                     {"x-ratelimit-reset-requests", "1s"},
                                                     {"x-ratelimit-reset-tokens", "6m0s"}}),
                                         kNow);
  EXPECT_EQ(openai.remaining_requests, 0);
  EXPECT_EQ(openai.remaining_tokens, 1500);
  EXPECT_EQ(openai.requests_reset, 1000ms);
  EXPECT_EQ(openai.tokens_reset, 360000ms);
  auto anthropic = parse_rate_limit_headers(reply(200, {{"anthropic-ratelimit-requests-remaining", "7"},
                                                        {"anthropic-ratelimit-requests-reset", "2023-11-14T22:13:30Z"}}),
                                            kNow);
  EXPECT_EQ(anthropic.remaining_requests, 7);
  EXPECT_EQ(anthropic.requests_reset, 10000ms);
  auto junk = parse_rate_limit_headers(reply(200, {{"x-ratelimit-remaining-requests", "-1"}, {"x-ratelimit-reset-tokens", "x"}}), kNow);
  EXPECT_FALSE(junk.remaining_requests);
  EXPECT_FALSE(junk.tokens_reset);
}

TEST(RateLimit, LimiterSpreadsRequestsEvenly) {
  RateLimitOptions o;
  o.requests_per_minute = 600;  // 10/s, burst 10
  RateLimiter limiter(o);
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(limiter.reserve(0, t0), 0ms) << i;
  EXPECT_EQ(limiter.reserve(0, t0), 100ms);
  EXPECT_EQ(limiter.reserve(0, t0), 200ms);
  EXPECT_EQ(limiter.reserve(0, t0 + 1s), 0ms) << "a second later the debt is repaid";
}

TEST(RateLimit, LimiterTokensAndServerHeaders) {
  RateLimitOptions o;
  o.tokens_per_minute = 6000;  // 100/s
  RateLimiter limiter(o);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(limiter.reserve(100, t0), 0ms);
  EXPECT_EQ(limiter.reserve(50, t0), 500ms);
  RateLimiter unlimited(RateLimitOptions{});
  EXPECT_EQ(unlimited.reserve(1'000'000, t0), 0ms);
  RateLimitInfo exhausted;
  exhausted.remaining_requests = 0;
  exhausted.requests_reset = 2000ms;
  unlimited.observe(exhausted, 10, t0);
  EXPECT_EQ(unlimited.reserve(1, t0), 2000ms);
  // A reset beyond the pause cap (a daily budget) holds nothing back: the server answers instead.
  RateLimiter capped(RateLimitOptions{}, 60s);
  RateLimitInfo daily;
  daily.remaining_tokens = 0;
  daily.tokens_reset = 3h;
  capped.observe(daily, 10, t0);
  EXPECT_EQ(capped.reserve(1, t0), 0ms);
  daily.tokens_reset = 30s;
  capped.observe(daily, 10, t0);
  EXPECT_EQ(capped.reserve(1, t0), 30000ms);
  RateLimitOptions ignore;
  ignore.respect_server_headers = false;
  RateLimiter deaf(ignore);
  deaf.observe(exhausted, 10, t0);
  EXPECT_EQ(deaf.reserve(1, t0), 0ms);
}

TEST(ProviderErrors, ParsesBothShapesAndRedactsKeys) {
  auto openai = parse_error_body(R"({"error":{"message":"Incorrect API key provided: sk-abc123456789xyz","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})");
  EXPECT_EQ(openai.type, "invalid_request_error");
  EXPECT_EQ(openai.code, "invalid_api_key");
  auto anthropic = parse_error_body(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  EXPECT_EQ(anthropic.type, "overloaded_error");
  EXPECT_EQ(anthropic.message, "Overloaded");
  EXPECT_TRUE(parse_error_body("<html>bad gateway</html>").type.empty());
  EXPECT_TRUE(parse_error_body(R"({"error":[1,2]})").type.empty());
  auto e = error_from_reply("openai", reply(401, {{"x-request-id", "req_1"}}), openai, "my-secret-key-123");
  EXPECT_EQ(e.code(), ErrorCode::unauthorized);
  EXPECT_EQ(e.details().http_status, 401);
  EXPECT_EQ(e.details().provider_code, "invalid_api_key");
  EXPECT_EQ(e.details().request_id, "req_1");
  EXPECT_EQ(std::string(e.what()).find("sk-abc123456789xyz"), std::string::npos) << e.what();
  EXPECT_EQ(redact("key my-secret-key-123 here", "my-secret-key-123"), "key [redacted] here");
  // A long provider message is cut after redaction (a key straddling the cut must not leave its
  // first bytes behind) and never inside a UTF-8 sequence.
  const std::string azure_key = "0123456789abcdef0123456789abcdef";
  ProviderErrorBody long_body;
  long_body.message = std::string(590, 'x') + azure_key;
  const std::string cut_key = error_from_reply("azure", reply(400, {}), long_body, azure_key).what();
  EXPECT_EQ(cut_key.find("0123456789"), std::string::npos) << cut_key;
  long_body.message = std::string(599, 'x') + "\xC3\xA9" + std::string(10, 'y');
  const std::string cut_char = error_from_reply("openai", reply(400, {}), long_body, "").what();
  EXPECT_NE(cut_char.find(std::string(599, 'x') + "..."), std::string::npos) << cut_char;
  EXPECT_EQ(cut_char.find('\xC3'), std::string::npos);
  EXPECT_EQ(code_for_status(529), ErrorCode::unavailable);
  EXPECT_EQ(code_for_status(429), ErrorCode::rate_limited);
  EXPECT_EQ(code_for_status(422), ErrorCode::invalid_argument);
  EXPECT_EQ(code_for_status(500), ErrorCode::upstream);
  EXPECT_EQ(code_for_error_type("overloaded_error"), ErrorCode::unavailable);
}

}  // namespace
}  // namespace contentgen::llm
