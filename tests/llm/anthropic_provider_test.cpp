// The Anthropic provider over real sockets against contentgen-mockllm.
#include <gtest/gtest.h>

#include "contentgen/adapters/anthropic.hpp"
#include "llm_test_support.hpp"
#include "mock_server.hpp"

namespace contentgen {
namespace {

using namespace std::chrono_literals;
using testsupport::body_of;
using testsupport::call;
using testsupport::header_of;
using testsupport::simple_request;
using testsupport::tokens_of;
namespace json = boost::json;

class Anthropic : public testsupport::WithMockLlm<Anthropic> {
 protected:
  static AnthropicOptions options() {
    AnthropicOptions o;
    o.base_url = mock_->url() + "/v1";
    o.api_key = "ant-key-456";
    o.retry.initial_backoff = 10ms;
    o.retry.max_backoff = 40ms;
    return o;
  }
  static std::shared_ptr<LlmProvider> provider(AnthropicOptions o = options()) { return make_anthropic_provider(std::move(o)); }
};

TEST_F(Anthropic, RequestBodyAndHeadersFieldByField) {
  auto o = options();
  o.extra_headers = {{"anthropic-beta", "prompt-caching-2024-07-31"}};
  ChatRequest r;
  r.model = "claude-3-5-haiku";
  r.messages = {{ChatMessage::Role::system, "You write articles."},
                {ChatMessage::Role::system, "Use Markdown."},
                {ChatMessage::Role::user, "Write about tea"},
                {ChatMessage::Role::assistant, "Sure."},
                {ChatMessage::Role::user, "Go on"}};
  r.temperature = 0.5;
  r.max_tokens = 300;
  r.stop = {"END"};
  auto response = call(*provider(o), r).value();

  const auto logged = mock_->last_request();
  EXPECT_EQ(logged.at("target").as_string(), "/v1/messages");
  EXPECT_EQ(header_of(logged, "x-api-key"), "ant-key-456");
  EXPECT_EQ(header_of(logged, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(header_of(logged, "anthropic-beta"), "prompt-caching-2024-07-31");
  EXPECT_EQ(header_of(logged, "content-type"), "application/json");
  EXPECT_EQ(header_of(logged, "authorization"), "<absent>");
  const auto body = body_of(logged);
  EXPECT_EQ(body.size(), 6u) << json::serialize(body);
  EXPECT_EQ(body.at("model"), "claude-3-5-haiku");
  EXPECT_EQ(body.at("max_tokens"), 300);
  EXPECT_EQ(body.at("system"), "You write articles.\n\nUse Markdown.");
  const auto& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 3u) << "system messages go to the top-level field";
  EXPECT_EQ(messages[0], (json::object{{"role", "user"}, {"content", "Write about tea"}}));
  EXPECT_EQ(messages[1], (json::object{{"role", "assistant"}, {"content", "Sure."}}));
  EXPECT_EQ(messages[2], (json::object{{"role", "user"}, {"content", "Go on"}}));
  EXPECT_DOUBLE_EQ(body.at("temperature").as_double(), 0.5);
  EXPECT_EQ(body.at("stop_sequences"), (json::array{"END"}));

  EXPECT_EQ(response.provider, "anthropic");
  EXPECT_EQ(response.model, "claude-3-5-haiku");
  EXPECT_EQ(response.finish_reason, FinishReason::stop);
  EXPECT_EQ(response.request_id, "req_mock_" + std::to_string(logged.at("seq").as_int64()));
  EXPECT_EQ(response.usage.completion_tokens, tokens_of(response.text));
  EXPECT_FALSE(response.usage.estimated);
}

TEST_F(Anthropic, MaxTokensIsAlwaysSent) {
  auto o = options();
  o.default_max_tokens = 777;
  auto r = simple_request("claude");
  r.max_tokens.reset();
  ASSERT_TRUE(call(*provider(o), r).ok());
  const auto body = body_of(mock_->last_request());
  EXPECT_EQ(body.at("max_tokens"), 777);
  EXPECT_FALSE(body.contains("system"));
  EXPECT_FALSE(body.contains("stream"));
}

TEST_F(Anthropic, JsonModeIsAskedForInTheSystemPrompt) {
  auto r = simple_request("claude");
  r.response_format = ResponseFormat::json_object;
  ASSERT_TRUE(call(*provider(), r).ok());
  EXPECT_NE(std::string(body_of(mock_->last_request()).at("system").as_string()).find("JSON"), std::string::npos);
}

TEST_F(Anthropic, UsageIsNormalizedWithCacheReadsAndWrites) {
  mock_->script(R"([{"cached_tokens": 30, "cache_creation_tokens": 20}, {"cached_tokens": 30, "cache_creation_tokens": 20}])");
  for (bool stream : {false, true}) {
    auto r = simple_request("claude");
    if (stream) r.on_delta = [](std::string_view) {};
    auto response = call(*provider(), r).value();
    // The mock reports input_tokens = prompt - 50, cache_read 30, cache_creation 20.
    EXPECT_EQ(response.usage.cached_tokens, 30) << stream;
    EXPECT_EQ(response.usage.cache_write_tokens, 20) << stream;
    EXPECT_EQ(response.usage.uncached_prompt_tokens() + 50, response.usage.prompt_tokens);
    EXPECT_GT(response.usage.uncached_prompt_tokens(), 0);
    EXPECT_EQ(response.usage.completion_tokens, tokens_of(response.text));
    EXPECT_FALSE(response.usage.estimated);
  }
}

TEST_F(Anthropic, StreamingDeltasStopReasonAndUsage) {
  auto r = simple_request("claude");
  r.max_tokens = 300;
  std::string streamed;
  r.on_delta = [&](std::string_view d) { streamed += d; };
  auto response = call(*provider(), r).value();
  EXPECT_EQ(streamed, response.text);
  EXPECT_EQ(response.finish_reason, FinishReason::stop);
  EXPECT_EQ(response.model, "claude");
  EXPECT_EQ(body_of(mock_->last_request()).at("stream"), true);
}

TEST_F(Anthropic, StreamWithoutUsageIsEstimated) {
  mock_->script(R"({"omit_usage": true})");
  auto r = simple_request("claude");
  r.on_delta = [](std::string_view) {};
  EXPECT_TRUE(call(*provider(), r).value().usage.estimated);
}

TEST_F(Anthropic, StopReasonMapping) {
  for (bool stream : {false, true}) {
    mock_->script(R"([{"finish_reason": "length"}, {"finish_reason": "content_filter"}, {"finish_reason": "tool_use"}, {"finish_reason": "stop_sequence"}])");
    auto r = simple_request("claude");
    if (stream) r.on_delta = [](std::string_view) {};
    EXPECT_EQ(call(*provider(), r).value().finish_reason, FinishReason::length);          // max_tokens
    EXPECT_EQ(call(*provider(), r).value().finish_reason, FinishReason::content_filter);  // refusal
    EXPECT_EQ(call(*provider(), r).value().finish_reason, FinishReason::other);           // tool_use
    EXPECT_EQ(call(*provider(), r).value().finish_reason, FinishReason::stop);            // stop_sequence
  }
}

TEST_F(Anthropic, Overloaded529IsRetried) {
  mock_->script(R"({"status": 529})");
  EXPECT_EQ(call(*provider(), simple_request("claude")).value().attempts, 2);
}

TEST_F(Anthropic, PersistentOverloadIsUnavailableWithTheProviderErrorType) {
  mock_->script(R"({"status": 529, "times": 3, "headers": {"request-id": "req_overloaded"}})");
  auto result = call(*provider(), simple_request("claude"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::unavailable);
  EXPECT_EQ(result.error().details().http_status, 529);
  EXPECT_EQ(result.error().details().provider_type, "overloaded_error");
  EXPECT_EQ(mock_->requests().size(), 3u);
}

TEST_F(Anthropic, ErrorJsonIsParsed) {
  mock_->script(R"({"status": 400, "error": {"type": "invalid_request_error", "message": "max_tokens: too large"}})");
  auto result = call(*provider(), simple_request("claude"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(result.error().details().provider_type, "invalid_request_error");
  EXPECT_EQ(result.error().details().provider, "anthropic");
  EXPECT_TRUE(result.error().details().request_id.rfind("req_mock_", 0) == 0) << result.error().details().request_id;
  EXPECT_NE(std::string(result.error().what()).find("max_tokens: too large"), std::string::npos);
}

TEST_F(Anthropic, RateLimitErrorWithRetryAfter) {
  mock_->script(R"({"status": 429, "headers": {"retry-after": "0"}})");
  EXPECT_EQ(call(*provider(), simple_request("claude")).value().attempts, 2);
}

TEST_F(Anthropic, ErrorEventInAStreamBeforeTextIsRetried) {
  mock_->script(R"({"stream_error_after": 0})");
  auto r = simple_request("claude");
  r.on_delta = [](std::string_view) {};
  EXPECT_EQ(call(*provider(), r).value().attempts, 2);
}

TEST_F(Anthropic, ErrorEventAfterTextIsReportedNotRetried) {
  mock_->script(R"({"stream_error_after": 2})");
  auto r = simple_request("claude");
  std::string streamed;
  r.on_delta = [&](std::string_view d) { streamed += d; };
  auto result = call(*provider(), r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::unavailable);
  EXPECT_EQ(result.error().details().provider_type, "overloaded_error");
  EXPECT_FALSE(streamed.empty());
  EXPECT_EQ(mock_->requests().size(), 1u);
}

TEST_F(Anthropic, KeyNeverInErrors) {
  mock_->script(R"({"status": 401, "error": {"type": "authentication_error", "message": "invalid x-api-key ant-key-456"}})");
  auto result = call(*provider(), simple_request("claude"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::unauthorized);
  EXPECT_EQ(std::string(result.error().what()).find("ant-key-456"), std::string::npos) << result.error().what();
}

TEST_F(Anthropic, OnlySystemMessagesIsInvalid) {
  ChatRequest r;
  r.model = "claude";
  r.messages = {{ChatMessage::Role::system, "only"}};
  auto result = call(*provider(), r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(result.error().details().field, "request.messages");
  r.messages = {{ChatMessage::Role::user, "hello"}};
  r.model.clear();  // and no default_model
  result = call(*provider(), r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().details().field, "request.model");
  EXPECT_EQ(mock_->requests().size(), 0u);
}

TEST_F(Anthropic, BadOptionsAreNamedAtConstruction) {
  const auto field_of = [](AnthropicOptions o) {
    try {
      (void)make_anthropic_provider(std::move(o));
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      return e.details().field;
    }
    ADD_FAILURE() << "accepted";
    return std::string();
  };
  auto o = options();
  o.base_url = "not a url";
  EXPECT_EQ(field_of(o), "base_url");
  o = options();
  o.default_max_tokens = 0;
  EXPECT_EQ(field_of(o), "default_max_tokens");
  o = options();
  o.provider_name.clear();
  EXPECT_EQ(field_of(o), "provider_name");
}

}  // namespace
}  // namespace contentgen
