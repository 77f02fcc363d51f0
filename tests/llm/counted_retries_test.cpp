// `max_retries` N means at most N + 1 requests reach the server for one call, whatever the state of
// the pooled connection (docs/adapters/llm.md#retries). The OpenAI-compatible provider against the
// byte-scripted loopback server of tests/net, which can close a kept-alive connection right after
// it has read a whole request -- something contentgen-mockllm never does.
#include <gtest/gtest.h>

#include "contentgen/adapters/openai.hpp"
#include "llm_test_support.hpp"
#include "net/test_server.hpp"

namespace contentgen {
namespace {

using namespace std::chrono_literals;
using testsupport::call;
using testsupport::http_reply;
using testsupport::ServerLog;
using testsupport::simple_request;
using testsupport::TestConnection;
using testsupport::TestServer;

constexpr const char* kReply =
    R"({"id":"chatcmpl-1","object":"chat.completion","model":"gpt-test","choices":[{"index":0,)"
    R"("message":{"role":"assistant","content":"Bread."},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}})";

std::string ok_reply() { return http_reply(200, kReply, "Content-Type: application/json\r\n"); }

std::shared_ptr<LlmProvider> provider_for(const TestServer& server, int max_retries) {
  OpenAiOptions o;
  o.base_url = server.url("/v1");
  o.api_key = "test-key";
  o.retry.max_retries = max_retries;
  o.retry.initial_backoff = 1ms;
  o.retry.max_backoff = 5ms;
  o.http.first_byte_timeout = 5s;
  return make_openai_provider(std::move(o));
}

// Answers the very first request (keep-alive); every later request, on any connection, is read in
// full and answered by closing the connection without a byte.
class DropsAfterTheFirstReply : public ::testing::TestWithParam<int> {
 protected:
  ServerLog seen_;
  TestServer server_{[this](TestConnection& c) {
    while (c.read_request()) {
      seen_.request();
      if (seen_.requests() > 1) break;
      c.write(ok_reply());
    }
    c.close_now();
    seen_.closed();
  }};
};

TEST_P(DropsAfterTheFirstReply, AtMostMaxRetriesPlusOneRequestsReachTheServer) {
  const int max_retries = GetParam();
  auto provider = provider_for(server_, max_retries);
  ASSERT_EQ(call(*provider, simple_request()).value().text, "Bread.");
  ASSERT_EQ(seen_.requests(), 1);

  // Sent on the kept-alive connection, which the server closes after reading it.
  const auto result = call(*provider, simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::unavailable) << result.error().what();
  EXPECT_EQ(seen_.requests() - 1, max_retries + 1)
      << "requests the server saw for the second call with max_retries " << max_retries;
}

INSTANTIATE_TEST_SUITE_P(MaxRetries, DropsAfterTheFirstReply, ::testing::Values(0, 2));

TEST(CountedRetries, PooledConnectionClosedBeforeTheRequestIsReplacedWithoutCounting) {
  // One reply per connection, then the server closes it (no "Connection: close" header): the pooled
  // connection is dead before the next request is written, so that request goes, once, on a fresh
  // connection -- not an attempt of its own, even with max_retries 0.
  ServerLog seen;
  TestServer server([&](TestConnection& c) {
    if (c.read_request()) {
      seen.request();
      c.write(ok_reply());
    }
    c.close_now();
    seen.closed();
  });
  auto provider = provider_for(server, 0);
  for (int i = 1; i <= 3; ++i) {
    const auto response = call(*provider, simple_request()).value();
    EXPECT_EQ(response.text, "Bread.");
    EXPECT_EQ(response.attempts, 1);
    ASSERT_TRUE(seen.wait_closed(i));
  }
  EXPECT_EQ(seen.requests(), 3);
  EXPECT_EQ(server.accepted(), 3);
}

}  // namespace
}  // namespace contentgen
