#include <gtest/gtest.h>

#include "contentgen/adapters/anthropic.hpp"
#include "contentgen/adapters/fallback.hpp"
#include "contentgen/adapters/openai.hpp"
#include "llm_test_support.hpp"
#include "mock_server.hpp"

namespace contentgen {
namespace {

using namespace std::chrono_literals;
using testsupport::call;
using testsupport::simple_request;

class Fallback : public testsupport::WithMockLlm<Fallback> {
 protected:
  // "primary" talks to /primary/..., "secondary" (Anthropic) to /secondary/...: scripts can target one.
  static std::shared_ptr<LlmProvider> chain() {
    OpenAiOptions a;
    a.base_url = mock_->url() + "/primary";
    a.provider_name = "primary";
    a.retry.initial_backoff = 5ms;
    a.retry.max_retries = 1;
    AnthropicOptions b;
    b.base_url = mock_->url() + "/secondary";
    b.provider_name = "secondary";
    b.retry.initial_backoff = 5ms;
    return make_fallback_provider({make_openai_provider(a), make_anthropic_provider(b)});
  }
};

TEST_F(Fallback, FirstProviderServesWhenHealthy) {
  auto response = call(*chain(), simple_request()).value();
  EXPECT_EQ(response.provider, "primary");
  EXPECT_EQ(response.attempts, 1);
}

TEST_F(Fallback, RetryableFailureAfterItsOwnRetriesMovesToTheNext) {
  mock_->script(R"({"match": "/primary/", "status": 503, "times": 2})");
  auto r = simple_request("shared-model");
  auto response = call(*chain(), r).value();
  EXPECT_EQ(response.provider, "secondary");
  EXPECT_EQ(response.model, "shared-model");
  EXPECT_EQ(response.attempts, 2) << "one for the failed provider + the serving one's";
  EXPECT_EQ(mock_->requests().size(), 3u) << "2 attempts on primary, 1 on secondary";
}

TEST_F(Fallback, QuotaExhaustionMovesToTheNext) {
  mock_->script(R"({"match": "/primary/", "status": 429, "error": {"code": "insufficient_quota"}})");
  EXPECT_EQ(call(*chain(), simple_request()).value().provider, "secondary");
}

TEST_F(Fallback, NonRetryableFailureStops) {
  mock_->script(R"({"match": "/primary/", "status": 401})");
  auto result = call(*chain(), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::unauthorized);
  EXPECT_EQ(result.error().details().provider, "primary");
  EXPECT_EQ(mock_->requests().size(), 1u);
}

TEST_F(Fallback, AllFailingReportsTheLastError) {
  mock_->script(R"([{"match": "/primary/", "status": 500, "times": 2}, {"match": "/secondary/", "status": 529, "times": 3}])");
  auto result = call(*chain(), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().details().provider, "secondary");
  EXPECT_EQ(result.error().details().http_status, 529);
}

TEST_F(Fallback, NoFallbackOnceTextWasStreamed) {
  mock_->script(R"({"match": "/primary/", "stream_error_after": 2})");
  auto r = simple_request();
  std::string streamed;
  r.on_delta = [&](std::string_view d) { streamed += d; };
  auto result = call(*chain(), r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().details().provider, "primary");
  EXPECT_FALSE(streamed.empty());
}

TEST_F(Fallback, RejectsAnEmptyList) {
  EXPECT_THROW(make_fallback_provider({}), Error);
  EXPECT_THROW(make_fallback_provider({nullptr}), Error);
}

}  // namespace
}  // namespace contentgen
