// RestApi without a transport: requests in, responses out, over the public fakes.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <future>

#include "contentgen/testing/memory_article_repository.hpp"
#include "contentgen/testing/memory_image_store.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"
#include "server/rest_api.hpp"

namespace contentgen::server {
namespace {

const std::string kAlpha = "alpha-key-0123456789";
const std::string kBeta = "beta-key-0123456789x";

class RestApiTest : public ::testing::Test {
 protected:
  RestApiTest() {
    llm_->set_responder([](const ChatRequest&) -> Result<ChatResponse> {
      ChatResponse r;
      r.text = "# Tea\n\nA short article about tea with enough words to count.";
      r.provider = "scripted";
      r.model = "gpt-4o-mini";
      r.usage.prompt_tokens = 100;
      r.usage.completion_tokens = 50;
      return r;
    });
    Ports ports{llm_, std::make_shared<fakes::MemoryArticleRepository>(), std::make_shared<fakes::MemoryImageStore>(),
                nullptr};
    GeneratorOptions options;
    options.on_llm_call = [this](const LlmCallReport& report) { metrics_->on_llm_call(report); };
    generator_ = std::make_shared<ContentGenerator>(ports, std::make_shared<const PriceTable>(PriceTable::builtin()),
                                                    options);
    api_ = std::make_unique<RestApi>(RestApi::Dependencies{generator_, [](std::function<void()> task) { task(); },
                                                            metrics_, config(), 1024, {}});
  }

  static ServerConfig config() {
    ServerConfig config;
    config.api_keys = {{kAlpha, "alpha"}, {kBeta, "beta"}};
    config.access_log = false;
    config.max_body_bytes = 2048;
    config.max_generations_in_flight = 4;
    return config;
  }

  static HttpRequest request(std::string method, std::string target, const std::string& key = kAlpha,
                             std::string body = {}, std::string content_type = "application/json") {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    if (!key.empty()) r.headers.emplace_back("authorization", "Bearer " + key);
    if (!content_type.empty()) r.headers.emplace_back("content-type", std::move(content_type));
    r.content_length = body.size();
    r.body = std::move(body);
    return r;
  }

  // check_head, then handle: what a client would get.
  HttpResponse send(HttpRequest r) {
    std::size_t limit = 0;
    if (auto early = api_->check_head(r, limit)) return *early;
    if (r.body.size() > limit) return api_->body_too_large(r);
    std::promise<HttpResponse> promise;
    api_->handle(std::move(r), [&](HttpResponse response) { promise.set_value(std::move(response)); });
    return promise.get_future().get();
  }

  static boost::json::object json_of(const HttpResponse& r) { return boost::json::parse(r.body).as_object(); }

  std::shared_ptr<fakes::ScriptedLlmProvider> llm_ = std::make_shared<fakes::ScriptedLlmProvider>();
  std::shared_ptr<Metrics> metrics_ = std::make_shared<Metrics>();
  std::shared_ptr<ContentGenerator> generator_;
  std::unique_ptr<RestApi> api_;
};

TEST_F(RestApiTest, StatusForEveryErrorCode) {
  const std::pair<ErrorCode, int> expected[] = {
      {ErrorCode::invalid_argument, 422}, {ErrorCode::not_found, 404},       {ErrorCode::conflict, 409},
      {ErrorCode::unauthorized, 502},     {ErrorCode::rate_limited, 429},    {ErrorCode::upstream, 502},
      {ErrorCode::timeout, 504},          {ErrorCode::budget_exceeded, 429}, {ErrorCode::unknown_model, 422},
      {ErrorCode::storage, 503},          {ErrorCode::unavailable, 503},     {ErrorCode::cancelled, 503},
      {ErrorCode::internal, 500}};
  for (const auto& [code, status] : expected) EXPECT_EQ(status_for(Error(code, "x")), status) << to_string(code);
  ErrorDetails details;
  details.retry_after = std::chrono::milliseconds(1200);
  const auto response = error_response(Error(ErrorCode::rate_limited, "slow down", details));
  EXPECT_EQ(response.headers.at(0), (std::pair<std::string, std::string>{"Retry-After", "2"}));
  const auto body = json_of(error_response(Error::invalid_argument("plan.title", "empty")));
  EXPECT_EQ(body.at("error").at("code"), "invalid_argument");
  EXPECT_EQ(body.at("error").at("field"), "plan.title");
}

TEST_F(RestApiTest, AuthIsCheckedOnTheHeadAndScopesToTheKeysWorkspace) {
  EXPECT_EQ(send(request("GET", "/api/v1/articles", "")).status, 401);
  EXPECT_EQ(send(request("GET", "/api/v1/articles", "alpha-key-0123456789-and-more")).status, 401);
  EXPECT_EQ(send(request("GET", "/api/v1/articles", "alpha-key-012345678")).status, 401);  // a prefix
  EXPECT_EQ(send(request("GET", "/healthz", "")).status, 200);
  auto r = request("GET", "/api/v1/articles");
  r.headers[0].second = "bEaReR  " + kAlpha + " ";
  EXPECT_EQ(api_->workspace_for(r), "alpha");

  const auto created = send(request("POST", "/api/v1/articles/generate", kAlpha, R"({"title": "Tea at home"})"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(json_of(created).at("id").as_string());
  EXPECT_EQ(send(request("GET", "/api/v1/articles/" + id)).status, 200);
  const auto other = send(request("GET", "/api/v1/articles/" + id, kBeta));
  const auto missing = send(request("GET", "/api/v1/articles/01a00000-0000-7000-8000-000000000000", kBeta));
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(json_of(other).at("error").at("code"), json_of(missing).at("error").at("code"));
}

TEST_F(RestApiTest, HeadChecksContentTypeAndSize) {
  EXPECT_EQ(send(request("POST", "/api/v1/articles/generate", kAlpha, "{}", "text/plain")).status, 415);
  EXPECT_EQ(send(request("POST", "/api/v1/articles/x/images", kAlpha, "{}", "application/json")).status, 415);
  auto big = request("POST", "/api/v1/articles/generate", kAlpha, std::string(3000, ' '));
  std::size_t limit = 0;
  const auto early = api_->check_head(big, limit);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 413);
  EXPECT_TRUE(early->close_connection);
  big.content_length.reset();  // chunked: only the transport can notice, while reading
  EXPECT_FALSE(api_->check_head(big, limit));
  EXPECT_EQ(limit, 2048u);
  auto upload = request("POST", "/api/v1/articles/x/images", kAlpha, "", "multipart/form-data; boundary=b");
  EXPECT_FALSE(api_->check_head(upload, limit));
  EXPECT_EQ(limit, 1024u + 64u * 1024u);  // max image + multipart overhead
}

TEST_F(RestApiTest, ValidationNamesTheField) {
  const auto r = send(request("POST", "/api/v1/articles/generate", kAlpha, R"({"title": "x", "estimated_word_count": 3})"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json_of(r).at("error").at("field"), "plan.estimated_word_count");
  EXPECT_EQ(llm_->call_count(), 0u);  // nothing was spent on an invalid plan
}

TEST_F(RestApiTest, UploadBodiesAreParsedOnTheWorkerPoolNotTheIoThread) {
  std::vector<std::function<void()>> queued;  // a worker pool that runs nothing until told to
  RestApi api(RestApi::Dependencies{generator_, [&](std::function<void()> task) { queued.push_back(std::move(task)); },
                                    metrics_, config(), 1024, {}});
  std::optional<HttpResponse> answer;
  api.handle(request("POST", "/api/v1/articles/x/images", kAlpha, "no delimiter anywhere", "multipart/form-data; boundary=b"),
             [&](HttpResponse response) { answer = std::move(response); });
  EXPECT_FALSE(answer) << "the body was parsed on the calling (I/O) thread";
  ASSERT_EQ(queued.size(), 1u);
  queued.front()();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
  EXPECT_EQ(json_of(*answer).at("error").at("field"), "multipart");
}

TEST_F(RestApiTest, GenerationsBeyondTheLimitAre429WithRetryAfter) {
  std::vector<std::function<void()>> queued;  // generations stay in flight until the pool runs them
  RestApi api(RestApi::Dependencies{generator_, [&](std::function<void()> task) { queued.push_back(std::move(task)); },
                                    metrics_, config(), 1024, {}});
  std::vector<HttpResponse> answers;
  const auto generate = [&](int i) {
    api.handle(request("POST", "/api/v1/articles/generate", kAlpha, R"({"title": "Tea number )" + std::to_string(i) + "\"}"),
               [&](HttpResponse response) { answers.push_back(std::move(response)); });
  };
  for (int i = 0; i < 4; ++i) generate(i);  // config(): max_generations_in_flight = 4
  EXPECT_TRUE(answers.empty());
  EXPECT_EQ(metrics_->generations_in_flight.load(), 4);
  generate(4);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status, 429);
  EXPECT_EQ(json_of(answers[0]).at("error").at("code"), "rate_limited");
  const auto retry_after = std::find_if(answers[0].headers.begin(), answers[0].headers.end(),
                                        [](const auto& header) { return header.first == "Retry-After"; });
  ASSERT_NE(retry_after, answers[0].headers.end());
  EXPECT_EQ(retry_after->second, "1");
  EXPECT_EQ(metrics_->generations_in_flight.load(), 4) << "a refused request holds no slot";
  for (auto& task : queued) task();
  ASSERT_EQ(answers.size(), 5u);
  for (std::size_t i = 1; i < answers.size(); ++i) EXPECT_EQ(answers[i].status, 201) << answers[i].body;
  EXPECT_EQ(metrics_->generations_in_flight.load(), 0);
}

TEST_F(RestApiTest, ConcurrentHealthChecksShareOneWorker) {
  std::vector<std::function<void()>> queued;
  RestApi api(RestApi::Dependencies{generator_, [&](std::function<void()> task) { queued.push_back(std::move(task)); },
                                    metrics_, config(), 1024, {}});
  std::vector<HttpResponse> answers;
  const auto healthz = [&] {
    api.handle(request("GET", "/healthz", "", "", ""), [&](HttpResponse response) { answers.push_back(std::move(response)); });
  };
  for (int i = 0; i < 5; ++i) healthz();
  ASSERT_EQ(queued.size(), 1u) << "each unauthenticated /healthz took a worker of its own";
  queued.front()();
  ASSERT_EQ(answers.size(), 5u);
  for (const auto& answer : answers) {
    EXPECT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(json_of(answer).at("checks").at("database"), "ok");
  }
  healthz();  // the next one checks again
  EXPECT_EQ(queued.size(), 2u);
  queued.back()();
  EXPECT_EQ(answers.size(), 6u);
}

TEST_F(RestApiTest, HealthShowsAnonymousCallersNoConnectionDetails) {
  // A database that is down: its error names host, port, user and database.
  class DownRepository : public fakes::MemoryArticleRepository {
   public:
    void ping() override {
      throw Error(ErrorCode::unavailable, "cannot connect: host=10.1.2.3 port=5432 dbname=prod user=admin");
    }
  };
  Ports ports{llm_, std::make_shared<DownRepository>(), std::make_shared<fakes::MemoryImageStore>(), nullptr};
  auto generator = std::make_shared<ContentGenerator>(ports, std::make_shared<const PriceTable>(PriceTable::builtin()));
  RestApi api(RestApi::Dependencies{generator, [](std::function<void()> task) { task(); }, metrics_, config(), 1024, {}});
  HttpResponse answer;
  api.handle(request("GET", "/healthz", "", "", ""), [&](HttpResponse response) { answer = std::move(response); });
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(json_of(answer).at("checks").at("database"), "unavailable");
  EXPECT_EQ(answer.body.find("10.1.2.3"), std::string::npos) << answer.body;
  EXPECT_EQ(answer.body.find("admin"), std::string::npos) << answer.body;
}

TEST_F(RestApiTest, EarlyAnswersCarryTheRequestIdAndUnknownPathsAre404WithoutAKey) {
  HttpRequest r = request("GET", "/api/v1/nothing-here", "");
  r.id = "0190c4b2-0000-7000-8000-000000000001";
  std::size_t limit = 0;
  auto early = api_->check_head(r, limit);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 404);
  const auto has_id = [&](const HttpResponse& response) {
    for (const auto& [name, value] : response.headers)
      if (name == "X-Request-Id" && value == r.id) return true;
    return false;
  };
  EXPECT_TRUE(has_id(*early));
  r.target = "/api/v1/articles";
  early = api_->check_head(r, limit);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 401);
  EXPECT_TRUE(has_id(*early));
  const HttpResponse refused = api_->transport_error(r, 431, "request_header_fields_too_large", "too large");
  EXPECT_EQ(refused.status, 431);
  EXPECT_TRUE(refused.close_connection);
  EXPECT_TRUE(has_id(refused));
}

TEST_F(RestApiTest, HeadIsRoutedLikeGet) {
  EXPECT_EQ(send(request("HEAD", "/healthz", "")).status, 200);
  EXPECT_EQ(send(request("HEAD", "/api/v1/articles")).status, 200);
}

TEST_F(RestApiTest, MetricsSeeGenerationsAndRequests) {
  ASSERT_EQ(send(request("POST", "/api/v1/articles/generate", kAlpha, R"({"title": "Tea at home"})")).status, 201);
  const std::string text = metrics_->render();
  EXPECT_NE(text.find("contentgen_generations_total{outcome=\"success\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("contentgen_llm_tokens_total{provider=\"scripted\",model=\"gpt-4o-mini\",kind=\"prompt\"} 100\n"),
            std::string::npos);
  EXPECT_NE(text.find("route=\"/api/v1/articles/generate\",status=\"201\"} 1\n"), std::string::npos);
  EXPECT_EQ(metrics_->http_in_flight.load(), 0);
  EXPECT_EQ(metrics_->generations_in_flight.load(), 0);
}

}  // namespace
}  // namespace contentgen::server
