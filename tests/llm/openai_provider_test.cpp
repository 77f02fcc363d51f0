// The OpenAI-compatible provider over real sockets against contentgen-mockllm.
#include <gtest/gtest.h>

#include <ctime>
#include <limits>
#include <thread>

#include "contentgen/adapters/openai.hpp"
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

class OpenAi : public testsupport::WithMockLlm<OpenAi> {
 protected:
  static OpenAiOptions options() {
    OpenAiOptions o;
    o.base_url = mock_->url() + "/v1";
    o.api_key = "test-key-123";
    o.retry.initial_backoff = 10ms;
    o.retry.max_backoff = 40ms;
    o.http.first_byte_timeout = 2s;
    return o;
  }
  static std::shared_ptr<LlmProvider> provider(OpenAiOptions o = options()) { return make_openai_provider(std::move(o)); }
  static std::size_t logged() { return mock_->requests().size(); }
};

TEST_F(OpenAi, RequestBodyAndHeadersFieldByField) {
  auto o = options();
  o.extra_headers = {{"X-Title", "contentgen tests"}};
  auto p = provider(o);
  ChatRequest r;
  r.model = "gpt-4o-mini";
  r.messages = {{ChatMessage::Role::system, "You write articles."},
                {ChatMessage::Role::user, "Write about tea"},
                {ChatMessage::Role::assistant, "Sure."},
                {ChatMessage::Role::user, "Go on"}};
  r.temperature = 0.25;
  r.max_tokens = 200;
  r.stop = {"\n\nEND", "STOP"};
  r.response_format = ResponseFormat::json_object;
  auto response = call(*p, r).value();

  const auto logged_request = mock_->last_request();
  EXPECT_EQ(logged_request.at("method").as_string(), "POST");
  EXPECT_EQ(logged_request.at("target").as_string(), "/v1/chat/completions");
  EXPECT_EQ(header_of(logged_request, "authorization"), "Bearer test-key-123");
  EXPECT_EQ(header_of(logged_request, "content-type"), "application/json");
  EXPECT_EQ(header_of(logged_request, "accept"), "application/json");
  EXPECT_EQ(header_of(logged_request, "x-title"), "contentgen tests");
  EXPECT_EQ(header_of(logged_request, "user-agent"), "libcontentgen");

  const auto body = body_of(logged_request);
  EXPECT_EQ(body.size(), 6u) << json::serialize(body);
  EXPECT_EQ(body.at("model"), "gpt-4o-mini");
  const auto& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  const char* roles[] = {"system", "user", "assistant", "user"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(messages[i].as_object().size(), 2u);
    EXPECT_EQ(messages[i].at("role"), roles[i]);
    EXPECT_EQ(std::string(messages[i].at("content").as_string()), r.messages[i].content);
  }
  EXPECT_DOUBLE_EQ(body.at("temperature").as_double(), 0.25);
  EXPECT_EQ(body.at("max_tokens"), 200);
  EXPECT_EQ(body.at("stop"), (json::array{"\n\nEND", "STOP"}));
  EXPECT_EQ(body.at("response_format"), (json::object{{"type", "json_object"}}));

  EXPECT_EQ(response.provider, "openai");
  EXPECT_EQ(response.model, "gpt-4o-mini");
  EXPECT_EQ(response.finish_reason, FinishReason::stop);
  EXPECT_EQ(response.attempts, 1);
  EXPECT_EQ(response.request_id, "req_mock_" + std::to_string(logged_request.at("seq").as_int64()));
  EXPECT_EQ(response.text.rfind("# ", 0), 0u) << response.text;
  EXPECT_NE(response.text.find("\n## "), std::string::npos);
  EXPECT_FALSE(response.usage.estimated);
  EXPECT_EQ(response.usage.completion_tokens, tokens_of(response.text));
  EXPECT_GT(response.usage.prompt_tokens, 0);
  EXPECT_LE(response.usage.completion_tokens, 200);
}

TEST_F(OpenAi, UnsetFieldsAreOmitted) {
  auto p = provider();
  ChatRequest r;
  r.model = "m";
  r.messages = {{ChatMessage::Role::user, "hi"}};
  ASSERT_TRUE(call(*p, r).ok());
  const auto body = body_of(mock_->last_request());
  EXPECT_EQ(body.size(), 2u) << json::serialize(body);
  EXPECT_TRUE(body.contains("model"));
  EXPECT_TRUE(body.contains("messages"));
}

TEST_F(OpenAi, MaxCompletionTokensWhenConfigured) {
  auto o = options();
  o.use_max_completion_tokens = true;
  auto p = provider(o);
  ASSERT_TRUE(call(*p, simple_request()).ok());
  const auto body = body_of(mock_->last_request());
  EXPECT_EQ(body.at("max_completion_tokens"), 120);
  EXPECT_FALSE(body.contains("max_tokens"));
}

TEST_F(OpenAi, StreamingDeliversDeltasInOrderAndUsageFromTheLastChunk) {
  auto p = provider();
  auto r = simple_request();
  r.max_tokens = 400;
  std::string streamed;
  int deltas = 0;
  r.on_delta = [&](std::string_view d) {
    streamed += d;
    ++deltas;
  };
  auto response = call(*p, r).value();
  EXPECT_EQ(streamed, response.text);
  EXPECT_GT(deltas, 10);
  EXPECT_FALSE(response.usage.estimated);
  EXPECT_EQ(response.usage.completion_tokens, tokens_of(response.text));
  EXPECT_EQ(response.finish_reason, FinishReason::stop);
  const auto logged_request = mock_->last_request();
  const auto body = body_of(logged_request);
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("stream_options"), (json::object{{"include_usage", true}}));
  EXPECT_EQ(header_of(logged_request, "accept"), "text/event-stream");
}

TEST_F(OpenAi, StreamWithoutUsageIsMarkedEstimated) {
  mock_->script(R"({"omit_usage": true})");
  auto p = provider();
  auto r = simple_request();
  r.on_delta = [](std::string_view) {};
  auto response = call(*p, r).value();
  EXPECT_TRUE(response.usage.estimated);
  EXPECT_EQ(response.usage.completion_tokens, tokens_of(response.text));
  EXPECT_GT(response.usage.prompt_tokens, 0);
}

TEST_F(OpenAi, NonStreamingReplyWithoutUsageIsEstimatedToo) {
  mock_->script(R"({"omit_usage": true})");
  auto response = call(*provider(), simple_request()).value();
  EXPECT_TRUE(response.usage.estimated);
  EXPECT_GT(response.usage.prompt_tokens, 0);
}

TEST_F(OpenAi, CachedAndReasoningTokens) {
  mock_->script(R"([{"cached_tokens": 64, "reasoning_tokens": 30}, {"cached_tokens": 64, "reasoning_tokens": 30}])");
  auto p = provider();
  for (bool stream : {false, true}) {
    auto r = simple_request();
    if (stream) r.on_delta = [](std::string_view) {};
    auto response = call(*p, r).value();
    EXPECT_EQ(response.usage.cached_tokens, 64);
    EXPECT_EQ(response.usage.reasoning_tokens, 30);
    EXPECT_EQ(response.usage.completion_tokens, tokens_of(response.text) + 30);
    EXPECT_GE(response.usage.prompt_tokens, 64);
  }
}

TEST_F(OpenAi, FinishReasonsLengthAndContentFilter) {
  auto p = provider();
  for (bool stream : {false, true}) {
    mock_->script(R"([{"finish_reason": "length"}, {"finish_reason": "content_filter"}, {"finish_reason": "tool_calls"}])");
    auto r = simple_request();
    if (stream) r.on_delta = [](std::string_view) {};
    EXPECT_EQ(call(*p, r).value().finish_reason, FinishReason::length);
    EXPECT_EQ(call(*p, r).value().finish_reason, FinishReason::content_filter);
    EXPECT_EQ(call(*p, r).value().finish_reason, FinishReason::other);
  }
}

TEST_F(OpenAi, RetriesA429HonouringRetryAfterMs) {
  mock_->script(R"({"status": 429, "headers": {"retry-after-ms": "300"}, "error": {"code": "rate_limit_exceeded"}})");
  const auto start = std::chrono::steady_clock::now();
  auto response = call(*provider(), simple_request()).value();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(logged(), 2u);
}

TEST_F(OpenAi, RetryAfterAsAnHttpDate) {
  char date[64];
  const std::time_t soon = std::time(nullptr) + 1;
  std::tm tm{};
  gmtime_r(&soon, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  mock_->script(std::string(R"({"status": 503, "headers": {"retry-after": ")") + date + "\"}}");
  auto response = call(*provider(), simple_request()).value();
  EXPECT_EQ(response.attempts, 2);
}

TEST_F(OpenAi, ServerErrorsRetriedUpToMaxRetriesThenReported) {
  mock_->script(R"({"status": 500, "times": 3, "headers": {"x-request-id": "req_fail"}, "error": {"type": "server_error", "message": "boom"}})");
  auto result = call(*provider(), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::upstream);
  EXPECT_EQ(result.error().details().http_status, 500);
  EXPECT_EQ(result.error().details().provider, "openai");
  EXPECT_EQ(result.error().details().provider_type, "server_error");
  EXPECT_NE(std::string(result.error().what()).find("boom"), std::string::npos);
  EXPECT_EQ(logged(), 3u) << "1 + max_retries (2)";
}

TEST_F(OpenAi, MaxRetriesIsConfigurable) {
  mock_->script(R"({"status": 502, "times": 10})");
  auto o = options();
  o.retry.max_retries = 5;
  EXPECT_FALSE(call(*provider(o), simple_request()).ok());
  EXPECT_EQ(logged(), 6u);
}

TEST_F(OpenAi, InsufficientQuotaIsNeverRetried) {
  mock_->script(R"({"status": 429, "error": {"type": "insufficient_quota", "code": "insufficient_quota", "message": "You exceeded your current quota"}})");
  auto result = call(*provider(), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::rate_limited);
  EXPECT_EQ(result.error().details().provider_code, "insufficient_quota");
  EXPECT_EQ(result.error().details().http_status, 429);
  EXPECT_EQ(logged(), 1u);
}

TEST_F(OpenAi, ClientErrorsAreNeverRetried) {
  const std::pair<int, ErrorCode> cases[] = {{400, ErrorCode::invalid_argument}, {401, ErrorCode::unauthorized},
                                             {403, ErrorCode::unauthorized},     {404, ErrorCode::invalid_argument},
                                             {422, ErrorCode::invalid_argument}};
  auto p = provider();
  for (const auto& [status, code] : cases) {
    mock_->reset();
    mock_->script("{\"status\": " + std::to_string(status) + ", \"headers\": {\"x-should-retry\": \"true\"}}");
    auto result = call(*p, simple_request());
    ASSERT_FALSE(result.ok()) << status;
    EXPECT_EQ(result.error().code(), code) << status;
    EXPECT_EQ(result.error().details().http_status, status);
    EXPECT_FALSE(result.error().details().request_id.empty());
    EXPECT_EQ(logged(), 1u) << status;
  }
}

TEST_F(OpenAi, XShouldRetryFalseIsHonoured) {
  mock_->script(R"({"status": 503, "headers": {"x-should-retry": "false"}})");
  auto result = call(*provider(), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::unavailable);
  EXPECT_EQ(logged(), 1u);
}

TEST_F(OpenAi, RetryAfterBeyondTheCapIsNotWaitedFor) {
  mock_->script(R"({"status": 429, "headers": {"retry-after": "120"}})");
  const auto start = std::chrono::steady_clock::now();
  auto result = call(*provider(), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(result.error().details().retry_after, std::chrono::milliseconds(120'000));
  EXPECT_EQ(logged(), 1u);
}

TEST_F(OpenAi, HangingServerTimesOutAndTheRetrySucceeds) {
  mock_->script(R"({"fault": "hang"})");
  auto o = options();
  o.http.first_byte_timeout = 300ms;
  auto response = call(*provider(o), simple_request()).value();
  EXPECT_EQ(response.attempts, 2);
}

TEST_F(OpenAi, HangingEveryTimeEndsInATimeout) {
  mock_->script(R"({"fault": "hang", "times": 3})");
  auto o = options();
  o.http.first_byte_timeout = 200ms;
  auto result = call(*provider(o), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::timeout);
  EXPECT_EQ(result.error().details().provider, "openai");
  EXPECT_EQ(logged(), 3u);
}

TEST_F(OpenAi, AttemptTimeoutBoundsEachAttempt) {
  mock_->script(R"({"fault": "hang"})");
  auto o = options();
  o.http.first_byte_timeout = 10s;
  o.http.attempt_timeout = 200ms;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(call(*provider(o), simple_request()).value().attempts, 2);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(OpenAi, ConnectionCutMidBodyIsRetried) {
  mock_->script(R"({"fault": "cut", "cut_after_bytes": 40})");
  EXPECT_EQ(call(*provider(), simple_request()).value().attempts, 2);
}

TEST_F(OpenAi, ConnectionClosedWithoutReplyIsRetried) {
  mock_->script(R"({"fault": "close"})");
  EXPECT_EQ(call(*provider(), simple_request()).value().attempts, 2);
}

TEST_F(OpenAi, ConnectionRefusedIsUnavailableAfterRetries) {
  auto o = options();
  o.base_url = "http://127.0.0.1:1/v1";
  auto result = call(*provider(o), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::unavailable);
  EXPECT_EQ(result.error().details().provider, "openai");
}

TEST_F(OpenAi, MalformedJsonIsUpstreamAndNotRetried) {
  mock_->script(R"({"fault": "malformed_json"})");
  auto result = call(*provider(), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::upstream);
  EXPECT_EQ(result.error().details().http_status, 200);
  EXPECT_EQ(logged(), 1u);
}

TEST_F(OpenAi, ReplyOverTheBodyLimitIsUpstreamAndNotRetried) {
  auto o = options();
  o.http.max_response_bytes = 1000;
  mock_->script(R"({"text": ")" + std::string(2000, 'a') + R"("})");
  auto result = call(*provider(o), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::upstream);
  EXPECT_EQ(result.error().details().provider_code, "response_too_large") << result.error().what();
  EXPECT_EQ(logged(), 1u) << "the same over-long (and billed) reply is not asked for again";
}

TEST_F(OpenAi, AbsurdMaxTokensNeitherOverflowsNorFloodsTheMock) {
  auto r = simple_request();
  r.max_tokens = std::int64_t{1} << 50;  // would be petabytes of generated text
  const auto response = call(*provider(), r).value();
  EXPECT_GT(response.text.size(), 100'000u);
  EXPECT_LE(response.text.size(), 800'000u);
  // The largest value a caller can pass: the limiter's estimate (prompt + max_tokens) must not
  // overflow (UBSan) and a rate-limited provider just waits its turn.
  auto limited = options();
  limited.rate_limit.tokens_per_minute = 60;
  r.max_tokens = std::numeric_limits<std::int64_t>::max();
  r.deadline = std::chrono::steady_clock::now() + 2s;
  const auto result = call(*provider(limited), r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::timeout) << "the limiter cannot fit INT64_MAX tokens before the deadline";
  EXPECT_TRUE(call(*provider(), r).ok());
}

TEST_F(OpenAi, MissingChoicesIsUpstream) {
  mock_->script(R"({"body": "{\"id\":\"x\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}"})");
  auto result = call(*provider(), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::upstream);
  EXPECT_NE(std::string(result.error().what()).find("choices"), std::string::npos) << result.error().what();
}

TEST_F(OpenAi, InconsistentUsageIsUpstream) {
  mock_->script(R"({"body": "{\"choices\":[{\"message\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"prompt_tokens_details\":{\"cached_tokens\":5}}}"})");
  auto result = call(*provider(), simple_request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::upstream);
}

TEST_F(OpenAi, StreamErrorEventBeforeAnyTextIsRetried) {
  mock_->script(R"({"stream_error_after": 0})");
  auto r = simple_request();
  std::string streamed;
  r.on_delta = [&](std::string_view d) { streamed += d; };
  auto response = call(*provider(), r).value();
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(streamed, response.text);
}

TEST_F(OpenAi, StreamErrorEventAfterTextIsNotRetried) {
  mock_->script(R"({"stream_error_after": 3, "error": {"type": "server_error", "message": "model crashed"}})");
  auto r = simple_request();
  std::string streamed;
  r.on_delta = [&](std::string_view d) { streamed += d; };
  auto result = call(*provider(), r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::upstream);
  EXPECT_EQ(result.error().details().provider_type, "server_error");
  EXPECT_NE(std::string(result.error().what()).find("model crashed"), std::string::npos);
  EXPECT_FALSE(streamed.empty());
  EXPECT_EQ(logged(), 1u);
}

TEST_F(OpenAi, StreamCutAfterTextIsNotRetried) {
  mock_->script(R"({"fault": "cut", "cut_after_bytes": 900})");
  auto r = simple_request();
  r.max_tokens = 400;
  std::string streamed;
  r.on_delta = [&](std::string_view d) { streamed += d; };
  auto result = call(*provider(), r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::upstream);
  EXPECT_FALSE(streamed.empty());
  EXPECT_EQ(logged(), 1u);
}

TEST_F(OpenAi, StreamIdleTimeout) {
  mock_->script(R"({"chunk_delay_ms": 500, "times": 3})");
  auto o = options();
  o.http.idle_timeout = 150ms;
  o.retry.max_retries = 0;
  auto r = simple_request();
  r.on_delta = [](std::string_view) {};
  auto result = call(*provider(o), r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::timeout);
}

TEST_F(OpenAi, SlowStreamWithinTheIdleTimeoutSucceeds) {
  mock_->script(R"({"chunk_delay_ms": 20})");
  auto r = simple_request();
  r.max_tokens = 60;
  int deltas = 0;
  r.on_delta = [&](std::string_view) { ++deltas; };
  EXPECT_TRUE(call(*provider(), r).ok());
  EXPECT_GT(deltas, 3);
}

TEST_F(OpenAi, CancellationDuringBackoffIsPrompt) {
  mock_->script(R"({"status": 429, "headers": {"retry-after-ms": "5000"}})");
  CancellationSource source;
  auto r = simple_request();
  r.cancel = source.token();
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    source.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  auto result = call(*provider(), r);
  canceller.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::cancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(OpenAi, CancellationOfAnInFlightRequest) {
  mock_->script(R"({"fault": "hang"})");
  CancellationSource source;
  auto r = simple_request();
  r.cancel = source.token();
  std::thread canceller([&] {
    std::this_thread::sleep_for(150ms);
    source.cancel();
  });
  auto result = call(*provider(), r);
  canceller.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::cancelled);
  EXPECT_EQ(logged(), 1u);
}

TEST_F(OpenAi, DeadlineCoversRetries) {
  mock_->script(R"({"fault": "hang", "times": 10})");
  auto r = simple_request();
  r.deadline = std::chrono::steady_clock::now() + 400ms;
  const auto start = std::chrono::steady_clock::now();
  auto result = call(*provider(), r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(OpenAi, ApiKeyNeverAppearsInErrors) {
  mock_->script(R"({"status": 401, "error": {"type": "invalid_request_error", "code": "invalid_api_key", "message": "Incorrect API key provided: test-key-123. Also sk-live0123456789abcdef."}})");
  auto result = call(*provider(), simple_request());
  ASSERT_FALSE(result.ok());
  const std::string message = result.error().what();
  EXPECT_EQ(message.find("test-key-123"), std::string::npos) << message;
  EXPECT_EQ(message.find("sk-live0123456789abcdef"), std::string::npos) << message;
  EXPECT_EQ(result.error().code(), ErrorCode::unauthorized);
  EXPECT_EQ(result.error().details().provider_code, "invalid_api_key");
}

TEST_F(OpenAi, AzureIsConfigurationOnly) {
  auto o = azure_openai_options(mock_->url(), "my-deploy", "2024-10-21", "azure-key-1");
  o.retry = options().retry;
  auto p = make_openai_provider(o);
  ChatRequest r = simple_request("");
  auto response = call(*p, r).value();
  EXPECT_EQ(response.provider, "azure-openai");
  const auto logged_request = mock_->last_request();
  EXPECT_EQ(logged_request.at("target").as_string(), "/openai/deployments/my-deploy/chat/completions?api-version=2024-10-21");
  EXPECT_EQ(header_of(logged_request, "api-key"), "azure-key-1");
  EXPECT_EQ(header_of(logged_request, "authorization"), "<absent>");
  EXPECT_EQ(body_of(logged_request).at("model"), "my-deploy");
}

TEST_F(OpenAi, LocalServersWithoutCredentials) {
  auto o = options();
  o.auth = OpenAiOptions::Auth::none;
  o.provider_name = "ollama";
  auto response = call(*provider(o), simple_request("llama3.1")).value();
  EXPECT_EQ(response.provider, "ollama");
  EXPECT_EQ(header_of(mock_->last_request(), "authorization"), "<absent>");
}

TEST_F(OpenAi, MissingModelIsInvalidArgument) {
  auto result = call(*provider(), simple_request(""));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(result.error().details().field, "request.model");
  EXPECT_EQ(logged(), 0u);
}

TEST_F(OpenAi, BadBaseUrlIsRejectedAtConstruction) {
  auto o = options();
  o.base_url = "api.openai.com/v1";
  try {
    (void)make_openai_provider(o);
    FAIL() << "accepted a base URL without a scheme";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.details().field, "base_url");
  }
}

TEST_F(OpenAi, RequestsTheEngineCannotSendAreInvalidAndNeverSent) {
  const auto field_of = [](ChatRequest r) {
    auto result = call(*provider(), std::move(r));
    EXPECT_FALSE(result.ok());
    if (result.ok()) return std::string();
    EXPECT_EQ(result.error().code(), ErrorCode::invalid_argument) << result.error().what();
    return result.error().details().field;
  };
  auto r = simple_request();
  r.messages.clear();
  EXPECT_EQ(field_of(r), "request.messages");
  r = simple_request();
  r.temperature = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(field_of(r), "request.temperature");
  r.temperature = -0.5;
  EXPECT_EQ(field_of(r), "request.temperature");
  r = simple_request();
  r.max_tokens = 0;
  EXPECT_EQ(field_of(r), "request.max_tokens");
  EXPECT_EQ(logged(), 0u);
}

TEST_F(OpenAi, ClientSideLimiterPacesABatch) {
  auto o = options();
  o.rate_limit.requests_per_minute = 600;  // 10 per second, burst 10
  auto p = provider(o);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::future<void>> calls;
  for (int i = 0; i < 15; ++i) calls.push_back(std::async(std::launch::async, [&] { EXPECT_TRUE(call(*p, simple_request()).ok()); }));
  for (auto& c : calls) c.get();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 400ms) << "15 calls at 10/s with a burst of 10";
}

TEST_F(OpenAi, ServerRateLimitHeadersPauseTheNextCall) {
  mock_->script(R"({"headers": {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "400ms"}})");
  auto p = provider();
  ASSERT_TRUE(call(*p, simple_request()).ok());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(call(*p, simple_request()).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
}

TEST_F(OpenAi, ConcurrentCallsNeverOpenMoreConnectionsThanThePool) {
  mock_->script(R"({"latency_ms": 20, "times": 100})");
  auto o = options();
  o.http.max_connections_per_host = 4;
  auto p = provider(o);
  std::atomic<int> ok{0};
  std::atomic<int> remaining{100};
  std::promise<void> done;
  for (int i = 0; i < 100; ++i)
    p->complete_async(simple_request(), [&](Result<ChatResponse> r) {
      if (r.ok()) ok.fetch_add(1);
      if (remaining.fetch_sub(1) == 1) done.set_value();
    });
  done.get_future().wait();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_LE(mock_->stats().at("connections_peak").as_int64(), 5) << "4 + the control connection";
  EXPECT_GE(mock_->stats().at("in_flight_peak").as_int64(), 2);
  EXPECT_LE(mock_->stats().at("in_flight_peak").as_int64(), 4);
}

TEST_F(OpenAi, SharedTransportAcrossProviders) {
  auto transport = std::make_shared<HttpTransport>();
  auto o = options();
  o.transport = transport;
  auto a = provider(o);
  auto b = provider(o);
  ASSERT_TRUE(call(*a, simple_request()).ok());
  ASSERT_TRUE(call(*b, simple_request()).ok());
  EXPECT_EQ(transport->stats().connections_opened, 1u);
  EXPECT_EQ(transport->stats().requests_sent, 2u);
}

TEST_F(OpenAi, BlockingCompleteConvenience) {
  auto response = provider()->complete(simple_request());
  EXPECT_FALSE(response.text.empty());
  mock_->script(R"({"status": 401})");
  EXPECT_THROW(provider()->complete(simple_request()), Error);
}

TEST_F(OpenAi, DestroyingTheProviderCancelsCallsInFlight) {
  mock_->script(R"({"fault": "hang"})");
  std::promise<Result<ChatResponse>> done;
  {
    auto p = provider();
    p->complete_async(simple_request(), [&](Result<ChatResponse> r) { done.set_value(std::move(r)); });
    std::this_thread::sleep_for(100ms);
  }
  auto result = done.get_future().get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::cancelled);
}

// The last reference dropped inside a completion handler (on the transport's own I/O thread): a
// call sleeping in backoff wakes at shutdown and must end cancelled without touching the
// destroyed transport (ASan).
TEST_F(OpenAi, ProviderDestroyedFromItsOwnHandlerWhileAnotherCallBacksOff) {
  mock_->script(R"({"match": "/v1/", "status": 500, "times": 1})");
  auto o = options();
  o.retry.initial_backoff = 10s;
  o.retry.max_backoff = 10s;
  auto p = provider(o);
  std::promise<Result<ChatResponse>> backing_off;
  p->complete_async(simple_request(), [&](Result<ChatResponse> r) { backing_off.set_value(std::move(r)); });
  for (int i = 0; i < 200 && logged() < 1; ++i) std::this_thread::sleep_for(10ms);  // first attempt answered
  std::this_thread::sleep_for(50ms);
  std::promise<void> destroyed;
  auto holder = std::make_shared<std::shared_ptr<LlmProvider>>(std::move(p));  // the only reference
  (*holder)->complete_async(simple_request(), [&, holder](Result<ChatResponse> r) {
    EXPECT_TRUE(r.ok());
    holder->reset();  // the provider and its transport go, here on the I/O thread
    destroyed.set_value();
  });
  holder.reset();
  destroyed.get_future().get();
  auto future = backing_off.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready) << "the call in backoff was not woken";
  auto result = future.get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::cancelled) << result.error().what();
}

TEST_F(OpenAi, EnvironmentDefaults) {
  ::setenv("OPENAI_API_KEY", "env-key", 1);
  ::setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1", 1);
  auto o = openai_options_from_env();
  EXPECT_EQ(o.api_key, "env-key");
  EXPECT_EQ(o.base_url, "http://127.0.0.1:9/v1");
  ::unsetenv("OPENAI_BASE_URL");
  EXPECT_EQ(openai_options_from_env().base_url, "https://api.openai.com/v1");
  ::unsetenv("OPENAI_API_KEY");
}

// The mock writes its article from the prompt: the working title is the H1 (UTF-8 intact, also when
// a `length` reply is cut), and a continuation (an assistant turn exists) starts no second H1.
TEST_F(OpenAi, MockArticleFollowsTheWorkingTitleAndNeverSplitsUtf8) {
  auto p = provider();
  const std::string title = "Cách viết bài chuẩn SEO cho người mới";
  const std::string prompt = "Write an article.\nWorking title: " + title + "\nMain keyword: viết bài chuẩn seo\n";
  const std::string h1 = "# " + title + "\n";
  for (std::int64_t max_tokens = 1; max_tokens < 60; ++max_tokens) {  // cuts at every 4th byte
    mock_->script(R"({"finish_reason": "length"})");
    auto r = simple_request("gpt-4o-mini", prompt);
    r.max_tokens = max_tokens;
    const auto reply = call(*p, r).value();  // invalid UTF-8 would be an upstream error
    EXPECT_EQ(reply.finish_reason, FinishReason::length);
    EXPECT_TRUE(reply.text.starts_with(h1) || h1.starts_with(reply.text)) << reply.text;
  }
  ChatRequest continuation = simple_request("gpt-4o-mini", prompt);
  continuation.messages.push_back({ChatMessage::Role::assistant, "# " + title + "\n\nThe first part."});
  continuation.messages.push_back({ChatMessage::Role::user, "Continue the article."});
  const auto more = call(*p, continuation).value();
  EXPECT_EQ(more.text.rfind("## ", 0), 0u) << more.text;            // a section, not a new H1
  EXPECT_EQ(more.text.find("\n# "), std::string::npos) << more.text;
  EXPECT_NE(more.text.find("viết bài chuẩn seo"), std::string::npos);
}

}  // namespace
}  // namespace contentgen
