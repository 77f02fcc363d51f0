// ContentGenerator::generate: the happy path, continuations, idempotency, failures and budgets.
#include <boost/json.hpp>

#include <future>
#include <limits>
#include <thread>

#include "contentgen/error.hpp"
#include "unit/generator_fixture.hpp"

namespace contentgen::testsupport {
namespace {

using fakes::MemoryArticleRepository;
namespace json = boost::json;

constexpr const char* article_text =
    "# Cách viết bài chuẩn SEO\n\nXin chào thế giới.\n\n## Kết luận\n\nHãy thử ngay hôm nay!\n";

TEST_F(GeneratorTest, GenerateSavesAFullyRenderedArticle) {
  llm->reply(reply(article_text, 1000, 500));
  const Article article = generator().generate(plan());

  EXPECT_EQ(article.title, "Cách viết bài chuẩn SEO");
  EXPECT_EQ(article.slug, "cach-viet-bai-chuan-seo");
  EXPECT_EQ(article.word_count, 5 + 4 + 2 + 5);  // H1 | Xin chào thế giới | Kết luận | Hãy thử ngay hôm nay
  EXPECT_NE(article.content_html.find("<h1>Cách viết bài chuẩn SEO</h1>"), std::string::npos);
  EXPECT_EQ(article.content, article_text);
  EXPECT_EQ(article.cost.to_string(), "0.000450000");  // 1000 x 150 + 500 x 600 nano-USD
  EXPECT_EQ(article.usage, (TokenUsage{1000, 0, 0, 500, 0, false}));
  EXPECT_EQ(article.status, ArticleStatus::draft);
  EXPECT_EQ(article.version, 1);
  EXPECT_EQ(article.llm_calls, 1);
  EXPECT_EQ(article.provider, "scripted");
  EXPECT_EQ(article.model, "gpt-4o-mini");
  EXPECT_EQ(article.plan_id, "plan-1");
  EXPECT_EQ(article.created_at, now);
  EXPECT_TRUE(is_uuid(article.id));

  const auto stored = repo->get("acme", article.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, article);
  EXPECT_EQ(repo->spend_total("acme", std::nullopt), article.cost);
  const auto spend = repo->spend_records("acme");
  ASSERT_EQ(spend.size(), 1u);
  EXPECT_EQ(spend[0].article_id, article.id);
  EXPECT_TRUE(spend[0].succeeded);
}

TEST_F(GeneratorTest, ArticleGeneratedEventCarriesTheDocumentedData) {
  llm->reply(reply(article_text, 1000, 500));
  const Article article = generator().generate(plan());
  const auto events = repo->outbox_events();
  ASSERT_EQ(events.size(), 1u);
  const Event& event = events[0];
  EXPECT_EQ(event.type, EventType::article_generated);
  EXPECT_EQ(event.subject, article.id);
  EXPECT_EQ(event.workspace_id, "acme");
  EXPECT_EQ(event.time, now);
  const auto data = json::parse(event.data_json).as_object();
  EXPECT_EQ(data.at("article_id").as_string(), article.id);
  EXPECT_EQ(data.at("workspace_id").as_string(), "acme");
  EXPECT_EQ(data.at("plan_id").as_string(), "plan-1");
  EXPECT_EQ(data.at("title").as_string(), "Cách viết bài chuẩn SEO");
  EXPECT_EQ(data.at("word_count").as_int64(), article.word_count);
  EXPECT_EQ(data.at("cost_usd").as_string(), "0.000450000");  // a string: exact, never a float
  EXPECT_EQ(data.at("model").as_string(), "gpt-4o-mini");
}

TEST_F(GeneratorTest, TitleFallsBackToThePlanTitleWithoutAnH1) {
  llm->reply("## Only sections\n\nBody text here.");
  EXPECT_EQ(generator().generate(plan()).title, "Cách viết bài chuẩn SEO");
}

TEST_F(GeneratorTest, DefaultPromptAndRequestParameters) {
  llm->reply(article_text);
  GenerateOptions options;
  options.model = "gpt-4.1-mini";
  options.temperature = 0.2;
  options.max_tokens = 4000;
  generator().generate(plan(), options);
  const auto request = llm->requests().at(0);
  EXPECT_EQ(request.model, "gpt-4.1-mini");
  EXPECT_EQ(request.temperature, 0.2);
  EXPECT_EQ(request.max_tokens, 4000);
  ASSERT_EQ(request.messages.size(), 2u);
  EXPECT_NE(request.messages[1].content.find("Cách viết bài chuẩn SEO"), std::string::npos);
  EXPECT_NE(request.messages[1].content.find("call to action"), std::string::npos);
  EXPECT_NE(request.messages[0].content.find("Vietnamese"), std::string::npos);
}

TEST_F(GeneratorTest, DerivedMaxTokensAndGeneratorDefaults) {
  llm->reply(article_text);
  ContentPlan p = plan();
  p.estimated_word_count = 3000;
  generator().generate(p);
  const auto request = llm->requests().at(0);
  EXPECT_EQ(request.model, "gpt-4o-mini");
  EXPECT_EQ(request.temperature, 0.7);
  EXPECT_EQ(request.max_tokens, 6000);  // ~2 tokens per word
}

TEST_F(GeneratorTest, ContinuesOnLengthAndSumsEveryCall) {
  llm->reply(reply("# Cách viết bài chuẩn SEO\n\nPhần một ", 1000, 100, FinishReason::length))
      .reply(reply("phần hai ", 2000, 100, FinishReason::length))
      .reply(reply("phần ba.\n", 3000, 50));
  const Article article = generator().generate(plan());

  EXPECT_EQ(article.content, "# Cách viết bài chuẩn SEO\n\nPhần một phần hai phần ba.\n");
  EXPECT_EQ(article.llm_calls, 3);
  EXPECT_EQ(article.finish_reason, FinishReason::stop);
  EXPECT_EQ(article.usage, (TokenUsage{6000, 0, 0, 250, 0, false}));
  // (1000 + 2000 + 3000) x 150 + (100 + 100 + 50) x 600 = 900,000 + 150,000
  EXPECT_EQ(article.cost.to_string(), "0.001050000");
  EXPECT_EQ(repo->spend_records("acme").size(), 3u);
  EXPECT_EQ(repo->spend_total("acme", std::nullopt), article.cost);

  const auto requests = llm->requests();
  ASSERT_EQ(requests.size(), 3u);
  ASSERT_EQ(requests[2].messages.size(), 4u);
  EXPECT_EQ(requests[2].messages[2].role, ChatMessage::Role::assistant);
  EXPECT_EQ(requests[2].messages[2].content, "# Cách viết bài chuẩn SEO\n\nPhần một phần hai ");
  EXPECT_NE(requests[2].messages[3].content.find("Continue the article"), std::string::npos);
}

TEST_F(GeneratorTest, ContinuationsAreBounded) {
  GeneratorOptions o = options();
  o.max_continuations = 2;
  auto gen = make(o);
  for (int i = 0; i < 5; ++i) llm->reply("word ", FinishReason::length);
  const Article article = gen->generate(plan());
  EXPECT_EQ(llm->call_count(), 3u);
  EXPECT_EQ(article.llm_calls, 3);
  EXPECT_EQ(article.finish_reason, FinishReason::length) << "a truncated article says so";
  EXPECT_EQ(llm->remaining(), 2u);
}

TEST_F(GeneratorTest, SameIdempotencyKeyReturnsTheFirstArticleWithoutPayingAgain) {
  llm->reply(reply(article_text, 1000, 500)).reply(reply("# Other", 1, 1));
  const Article first = generator().generate(plan("plan-7"));  // default key "plan:plan-7"
  const Article again = generator().generate(plan("plan-7"));
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(llm->call_count(), 1u);
  EXPECT_EQ(repo->article_count(), 1u);
  EXPECT_EQ(repo->spend_total("acme", std::nullopt), first.cost);
  EXPECT_EQ(repo->find_by_idempotency_key("acme", "plan:plan-7"), first.id);
}

TEST_F(GeneratorTest, APlanIdIsTheKeyWhateverExplicitKeyComesWithIt) {
  llm->reply(article_text).reply(article_text).reply(article_text);
  GenerateOptions keyed;
  keyed.idempotency_key = "request-123";
  const Article a = generator().generate(plan("p"), keyed);
  const Article b = generator().generate(plan("p"));  // the key is "plan:p" both times
  EXPECT_EQ(a.id, b.id);
  ContentPlan anonymous = plan();
  anonymous.id.reset();
  const Article c = generator().generate(anonymous, keyed);  // no plan id: the explicit key
  EXPECT_NE(c.id, a.id);
  EXPECT_EQ(c.plan_id, "");
  EXPECT_EQ(generator().generate(anonymous, keyed).id, c.id);
  EXPECT_EQ(llm->call_count(), 2u);
}

TEST_F(GeneratorTest, AKeyIsClaimedBeforeTheCallAndReleasedWhenItFails) {
  // The first generation holds its key while the model writes: a second one with the same key is
  // a conflict to retry later (no second paid call); with another request it is a mismatch.
  std::promise<void> entered;
  std::promise<void> proceed;
  auto gate = proceed.get_future().share();
  int calls = 0;
  llm->set_responder([&](const ChatRequest&) -> Result<ChatResponse> {
    if (++calls == 1) {
      entered.set_value();
      gate.wait();
    }
    if (calls == 2) return Error(ErrorCode::unavailable, "down");
    ChatResponse response;
    response.text = article_text;
    response.usage = TokenUsage{10, 0, 0, 10, 0, false};
    return response;
  });
  GenerateOptions keyed;
  keyed.idempotency_key = "k1";
  ContentPlan anonymous = plan();
  anonymous.id.reset();
  std::thread first([&] { generator().generate(anonymous, keyed); });
  entered.get_future().wait();
  const Error busy =
      expect_error([&] { generator().generate(anonymous, keyed); }, ErrorCode::conflict, "idempotency_key");
  EXPECT_TRUE(busy.details().retry_after.has_value());
  ContentPlan other = anonymous;
  other.title = "A different request";
  const Error reused = expect_error([&] { generator().generate(other, keyed); }, ErrorCode::conflict, "idempotency_key");
  EXPECT_FALSE(reused.details().retry_after.has_value());
  EXPECT_NE(std::string(reused.what()).find("k1"), std::string::npos);
  proceed.set_value();
  first.join();
  EXPECT_EQ(calls, 1);

  keyed.idempotency_key = "k2";
  expect_error([&] { generator().generate(anonymous, keyed); }, ErrorCode::unavailable);  // call 2 fails
  EXPECT_NO_THROW(generator().generate(anonymous, keyed)) << "a failed generation released its key";
  EXPECT_EQ(calls, 3);
}

TEST_F(GeneratorTest, IdempotencyIsPerWorkspace) {
  llm->reply(article_text).reply(article_text);
  const Article a = generator().generate(plan("shared"));
  ContentPlan other = plan("shared");
  other.workspace_id = "globex";
  const Article b = generator().generate(other);
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(b.workspace_id, "globex");
}

TEST_F(GeneratorTest, ProviderFailureSavesNothingButRecordsBilledSpend) {
  ErrorDetails details;
  details.http_status = 500;
  details.request_id = "req-9";
  details.billed_usage = TokenUsage{1000, 0, 0, 200, 0, false};
  llm->fail(Error(ErrorCode::upstream, "server error", details));
  const Error error = expect_error([&] { generator().generate(plan()); }, ErrorCode::upstream);
  EXPECT_EQ(error.details().request_id, "req-9");
  EXPECT_EQ(repo->article_count(), 0u);
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
  // 1000 x 150 + 200 x 600 = 270,000
  EXPECT_EQ(repo->spend_total("acme", std::nullopt).to_string(), "0.000270000");
  const auto spend = repo->spend_records("acme");
  ASSERT_EQ(spend.size(), 1u);
  EXPECT_FALSE(spend[0].succeeded);
  EXPECT_EQ(spend[0].article_id, "");
}

TEST_F(GeneratorTest, UnbilledProviderFailureRecordsNothing) {
  llm->fail(Error(ErrorCode::rate_limited, "slow down"));
  expect_error([&] { generator().generate(plan()); }, ErrorCode::rate_limited);
  EXPECT_TRUE(repo->spend_records("acme").empty());
  EXPECT_EQ(repo->article_count(), 0u);
}

TEST_F(GeneratorTest, FailureDuringContinuationStillRecordsEarlierCalls) {
  llm->reply(reply("# Title\n\nstart ", 1000, 100, FinishReason::length)).fail(Error(ErrorCode::timeout, "too slow"));
  expect_error([&] { generator().generate(plan()); }, ErrorCode::timeout);
  EXPECT_EQ(repo->article_count(), 0u);
  EXPECT_EQ(repo->spend_total("acme", std::nullopt).to_string(), "0.000210000");  // 150,000 + 60,000
}

TEST_F(GeneratorTest, ContentFilteredReplyIsAnUpstreamErrorAndItsSpendIsRecorded) {
  llm->reply(reply("I can't", 500, 5, FinishReason::content_filter));
  const Error error = expect_error([&] { generator().generate(plan()); }, ErrorCode::upstream);
  EXPECT_EQ(error.details().provider_code, "content_filter");
  ASSERT_TRUE(error.details().billed_usage.has_value());
  EXPECT_EQ(error.details().billed_usage->completion_tokens, 5);
  EXPECT_EQ(repo->article_count(), 0u);
  EXPECT_EQ(repo->spend_total("acme", std::nullopt).nanos(), 500 * 150 + 5 * 600);
}

TEST_F(GeneratorTest, EmptyReplyIsAnUpstreamError) {
  llm->reply(reply("  \n", 10, 1));
  expect_error([&] { generator().generate(plan()); }, ErrorCode::upstream);
  EXPECT_EQ(repo->article_count(), 0u);
  EXPECT_EQ(repo->spend_records("acme").size(), 1u);
}

TEST_F(GeneratorTest, UnknownModelFailsBeforeAnythingIsSpent) {
  GenerateOptions options;
  options.model = "gpt-9-ultra";
  expect_error([&] { generator().generate(plan(), options); }, ErrorCode::unknown_model);
  EXPECT_EQ(llm->call_count(), 0u);
}

TEST_F(GeneratorTest, InvalidInputFailsBeforeCallingTheProvider) {
  ContentPlan bad = plan();
  bad.estimated_word_count = 5;
  expect_error([&] { generator().generate(bad); }, ErrorCode::invalid_argument, "plan.estimated_word_count");
  GenerateOptions options;
  options.metadata_json = "[1, 2]";
  expect_error([&] { generator().generate(plan(), options); }, ErrorCode::invalid_argument, "options.metadata_json");
  options = {};
  options.temperature = 3.5;
  expect_error([&] { generator().generate(plan(), options); }, ErrorCode::invalid_argument, "options.temperature");
  options.temperature = std::numeric_limits<double>::quiet_NaN();
  expect_error([&] { generator().generate(plan(), options); }, ErrorCode::invalid_argument, "options.temperature");
  options = {};
  options.templates = PromptTemplates::defaults();
  options.templates->user = "Write {{nonsense}}";
  expect_error([&] { generator().generate(plan(), options); }, ErrorCode::invalid_argument, "templates.user");
  // An absurd output budget is bad input (its worst-case cost would not even fit in Money).
  options = {};
  options.max_tokens = 1'000'000'000'000'000;
  expect_error([&] { generator().generate(plan(), options); }, ErrorCode::invalid_argument, "options.max_tokens");
  options.max_tokens = 0;
  expect_error([&] { generator().generate(plan(), options); }, ErrorCode::invalid_argument, "options.max_tokens");
  EXPECT_EQ(llm->call_count(), 0u);
  GeneratorOptions o = GeneratorTest::options();
  o.max_tokens = 10'000'001;
  expect_error([&] { make(o); }, ErrorCode::invalid_argument, "options.max_tokens");
  o = GeneratorTest::options();
  o.temperature = std::numeric_limits<double>::quiet_NaN();
  expect_error([&] { make(o); }, ErrorCode::invalid_argument, "options.temperature");
  o = GeneratorTest::options();
  o.max_continuations = 21;
  expect_error([&] { make(o); }, ErrorCode::invalid_argument, "options.max_continuations");
  o = GeneratorTest::options();
  o.max_image_bytes = 0;
  expect_error([&] { make(o); }, ErrorCode::invalid_argument, "options.max_image_bytes");
  o = GeneratorTest::options();
  o.reservation_ttl = std::chrono::seconds(0);
  expect_error([&] { make(o); }, ErrorCode::invalid_argument, "options.reservation_ttl");
  // The generator's own templates are checked when it is built, not at its first generate.
  o = GeneratorTest::options();
  o.templates.user = "Write {{nonsense}}";
  expect_error([&] { make(o); }, ErrorCode::invalid_argument, "templates.user");
}

TEST_F(GeneratorTest, ProviderUsageThatDoesNotAddUpIsUpstreamAndSavesNothing) {
  fakes::ScriptedReply r;
  r.text = article_text;
  r.usage = TokenUsage{100, 200, 0, 10, 0, false};  // 200 cached of a 100-token prompt: cannot be priced
  llm->reply(r);
  try {
    generator().generate(plan());
    FAIL() << "generated with usage that cannot be priced";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::upstream) << error.what();
    EXPECT_EQ(error.details().provider, "scripted");
    EXPECT_EQ(error.details().request_id, "scripted-1");
  }
  EXPECT_EQ(repo->article_count(), 0u);
  EXPECT_TRUE(repo->spend_records("acme").empty());  // nothing that can be priced was billed
}

TEST_F(GeneratorTest, PriceOfADatedSnapshotComesFromItsAliasRule) {
  fakes::ScriptedReply r = reply(article_text, 1000, 500);
  r.model = "gpt-4o-2024-08-06";  // the provider served a snapshot of what we asked for
  llm->reply(r);
  GenerateOptions options;
  options.model = "gpt-4o";
  const Article article = generator().generate(plan(), options);
  EXPECT_EQ(article.model, "gpt-4o-2024-08-06");
  EXPECT_EQ(article.cost.to_string(), "0.007500000");  // 1000 x 2,500 + 500 x 10,000
}

TEST_F(GeneratorTest, RepositoryFailureSavesNothingButRecordsTheSpend) {
  llm->reply(reply(article_text, 1000, 500));
  repo->faults().fail_next(MemoryArticleRepository::Op::create, Error(ErrorCode::storage, "disk full"));
  expect_error([&] { generator().generate(plan()); }, ErrorCode::storage);
  EXPECT_EQ(repo->article_count(), 0u);
  EXPECT_EQ(repo->spend_total("acme", std::nullopt).to_string(), "0.000450000");
}

TEST_F(GeneratorTest, ExportHtmlWritesTheDocumentAndRecordsItsUrl) {
  GeneratorOptions o = options();
  o.export_html = true;
  auto gen = make(o);
  llm->reply(article_text);
  const Article article = gen->generate(plan());
  const std::string key = "workspaces/acme/articles/" + article.id + ".html";
  ASSERT_TRUE(store->contains(key));
  EXPECT_EQ(article.html_url, "memory://images/" + key);
  EXPECT_EQ(store->content_type_of(key), "text/html; charset=utf-8");
  const std::string document(as_chars(store->get(key)));
  EXPECT_NE(document.find("<title>Cách viết bài chuẩn SEO</title>"), std::string::npos);
  EXPECT_NE(document.find(article.content_html), std::string::npos);
}

TEST_F(GeneratorTest, ExportedHtmlIsDeletedWhenTheArticleCannotBeSaved) {
  GeneratorOptions o = options();
  o.export_html = true;
  auto gen = make(o);
  llm->reply(article_text);
  repo->faults().fail_next(MemoryArticleRepository::Op::create, Error(ErrorCode::storage, "disk full"));
  expect_error([&] { gen->generate(plan()); }, ErrorCode::storage);
  EXPECT_EQ(store->size(), 0u);
}

TEST_F(GeneratorTest, BudgetRefusesACallWhoseWorstCaseDoesNotFit) {
  repo->set_budget("acme", Budget{Money::parse("0.001"), Budget::Period::monthly});
  llm->reply(article_text);
  GenerateOptions options;
  options.max_tokens = 2000;  // 2000 x 600 nano-USD = 0.0012 > 0.001 before counting the prompt
  expect_error([&] { generator().generate(plan(), options); }, ErrorCode::budget_exceeded);
  EXPECT_EQ(llm->call_count(), 0u);
  EXPECT_TRUE(repo->live_reservations("acme", now).empty());
}

TEST_F(GeneratorTest, BudgetReservationIsSettledOnSuccessAndReleasedOnFailure) {
  repo->set_budget("acme", Budget{Money::parse("1"), Budget::Period::total});
  Money reserved_during_call;
  llm->set_responder([&](const ChatRequest&) -> Result<ChatResponse> {
    for (const auto& r : repo->live_reservations("acme", now)) reserved_during_call += r.amount;
    return Error(ErrorCode::unavailable, "down");
  });
  expect_error([&] { generator().generate(plan()); }, ErrorCode::unavailable);
  EXPECT_GT(reserved_during_call, Money{});
  EXPECT_TRUE(repo->live_reservations("acme", now).empty()) << "released on failure";

  llm->reply(reply(article_text, 1000, 500));
  generator().generate(plan("p2"));
  EXPECT_TRUE(repo->live_reservations("acme", now).empty()) << "settled by create";
  EXPECT_EQ(repo->spend_total("acme", std::nullopt).to_string(), "0.000450000");
}

TEST_F(GeneratorTest, ReservationCoversACallWhosePromptIsAllCacheWrites) {
  // A model whose cache writes cost more than plain input (Anthropic's do): the worst case must
  // price the prompt at that rate, or the actual cost can pass the reservation.
  PriceTable table;
  ModelPrice price;
  price.model = "writer";
  price.provider = "test";
  price.input_per_million = Money::parse("1.00");
  price.cache_write_per_million = Money::parse("4.00");
  price.output_per_million = Money::parse("1.00");
  price.effective_date = "2025-01-01";
  table.add(price);
  GeneratorOptions o = options();
  o.default_model = "writer";
  o.max_tokens = 100;
  auto gen = std::make_unique<ContentGenerator>(ports(), std::make_shared<const PriceTable>(table), o);
  repo->set_budget("acme", Budget{Money::parse("100"), Budget::Period::total});
  Money reserved;
  TokenUsage billed;
  llm->set_responder([&](const ChatRequest& request) -> Result<ChatResponse> {
    for (const auto& r : repo->live_reservations("acme", now)) reserved += r.amount;
    // The most a provider can bill: every prompt byte (plus per-message overhead) a token, all of
    // them written to the cache, and the whole output budget.
    for (const auto& m : request.messages) billed.prompt_tokens += static_cast<std::int64_t>(m.content.size()) + 16;
    billed.cache_write_tokens = billed.prompt_tokens;
    billed.completion_tokens = *request.max_tokens;
    ChatResponse response;
    response.text = "# Cached\n\nbody";
    response.usage = billed;
    return response;
  });
  const Article article = gen->generate(plan());
  EXPECT_EQ(article.cost, table.cost("writer", billed));
  EXPECT_GE(reserved, article.cost) << "the reservation was smaller than what the call cost";
}

TEST_F(GeneratorTest, ReservationIsSizedAtTheDearestModelOfTheFallbackChain) {
  // gpt-4o-mini is asked for, but a fallback chain may bill gpt-4o (about 16x dearer): the
  // reservation must cover what the dearest model could cost, or a fallback settles above it.
  GeneratorOptions o = options();
  o.max_tokens = 1000;
  Money without_fallback;
  Money with_fallback;
  Money* reserved = &without_fallback;
  llm->set_responder([&](const ChatRequest&) -> Result<ChatResponse> {
    for (const auto& r : repo->live_reservations("acme", now)) *reserved += r.amount;
    ChatResponse response;
    response.text = article_text;
    response.usage = TokenUsage{10, 0, 0, 10, 0, false};
    return response;
  });
  repo->set_budget("acme", Budget{Money::parse("100"), Budget::Period::total});
  make(o)->generate(plan("p1"));
  o.fallback_models = {"gpt-4o"};
  reserved = &with_fallback;
  make(o)->generate(plan("p2"));
  const auto& prices = PriceTable::builtin();
  EXPECT_GT(with_fallback, without_fallback);
  EXPECT_GE(with_fallback, prices.cost("gpt-4o", TokenUsage{0, 0, 0, 1000, 0}));
  o.fallback_models = {"no-such-model"};
  expect_error([&] { make(o); }, ErrorCode::unknown_model, "options.fallback_models[0]");
}

TEST_F(GeneratorTest, ACallIsRecordedBeforeItIsSentAndAProcessThatDiedIsSettledEstimated) {
  // While the model writes, the call is pending in the ledger. Settling it then (as if this process
  // had died and its record lapsed) records an estimated stand-in at the worst case: the ledger may
  // count a call twice -- the stand-in marked estimated -- but never loses one.
  std::size_t pending_during_call = 0;
  llm->set_responder([&](const ChatRequest&) -> Result<ChatResponse> {
    pending_during_call = repo->settle_lapsed_calls("acme", now + std::chrono::hours(24));
    ChatResponse response;
    response.text = article_text;
    response.usage = TokenUsage{10, 0, 0, 10, 0, false};
    return response;
  });
  const Article article = generator().generate(plan("p1"));
  EXPECT_EQ(pending_during_call, 1u);
  const auto settled = repo->spend_records("acme");
  ASSERT_EQ(settled.size(), 2u);  // the settled stand-in, then the generation's real spend
  EXPECT_EQ(settled[1].article_id, article.id);
  EXPECT_FALSE(settled[1].usage.estimated);
  EXPECT_TRUE(settled[0].usage.estimated);
  EXPECT_FALSE(settled[0].succeeded);
  EXPECT_TRUE(settled[0].article_id.empty());
  EXPECT_GT(settled[0].cost, Money{}) << "at the worst case";

  // A generation that ends normally leaves nothing pending.
  llm->set_responder([&](const ChatRequest&) -> Result<ChatResponse> {
    ChatResponse response;
    response.text = article_text;
    response.usage = TokenUsage{10, 0, 0, 10, 0, false};
    return response;
  });
  generator().generate(plan("p2"));
  EXPECT_EQ(repo->settle_lapsed_calls("acme", now + std::chrono::hours(24)), 0u);
}

TEST_F(GeneratorTest, SpendSettlesLapsedCallsAndReportsThemAsEstimated) {
  llm->reply(reply(article_text, 1000, 500));
  const Article article = generator().generate(plan("p1"));
  // A call of a process that died: lapsed a second ago; another that is still running.
  repo->begin_call(PendingCall{"dead-call", "acme", "openai", "gpt-4o-mini", Money::parse("0.25"),
                               now - std::chrono::minutes(20), now - std::chrono::seconds(1)});
  repo->begin_call(PendingCall{"live-call", "acme", "openai", "gpt-4o-mini", Money::parse("0.5"), now,
                               now + std::chrono::minutes(15)});
  const SpendSummary spend = generator().spend("acme");
  EXPECT_EQ(spend, (SpendSummary{article.cost + Money::parse("0.25"), Money::parse("0.25"), 2, 1}));
  EXPECT_EQ(generator().spend("acme", now), (SpendSummary{article.cost, Money{}, 1, 0}))
      << "the settled call counts when it was sent";
  EXPECT_EQ(generator().spend("globex"), SpendSummary{}) << "another workspace";
  expect_error([&] { generator().spend(""); }, ErrorCode::invalid_argument);
}

TEST_F(GeneratorTest, ACallThatCannotBeRecordedAsPendingIsNeverSent) {
  // No record of the call, no call: otherwise a crash could leave a billed call the ledger never saw.
  repo->set_budget("acme", Budget{Money::parse("100"), Budget::Period::total});
  repo->faults().fail_next(MemoryArticleRepository::Op::begin_call, Error(ErrorCode::storage, "disk full"));
  llm->reply(article_text);
  GenerateOptions keyed;
  keyed.idempotency_key = "k-pending";
  ContentPlan anonymous = plan();
  anonymous.id.reset();
  expect_error([&] { generator().generate(anonymous, keyed); }, ErrorCode::storage);
  EXPECT_EQ(llm->call_count(), 0u);
  EXPECT_EQ(repo->article_count(), 0u);
  EXPECT_TRUE(repo->live_reservations("acme", now).empty()) << "the reservation is released";
  EXPECT_EQ(repo->spend_total("acme", std::nullopt), Money{});
  EXPECT_NO_THROW(generator().generate(anonymous, keyed)) << "the key's claim was released";
  EXPECT_EQ(llm->call_count(), 1u);
}

TEST_F(GeneratorTest, ObserverSeesEveryCall) {
  std::vector<LlmCallReport> reports;
  GeneratorOptions o = options();
  o.on_llm_call = [&](const LlmCallReport& r) { reports.push_back(r); };
  auto gen = make(o);
  llm->reply(reply("# T\n\na ", 1000, 100, FinishReason::length)).reply(reply("b", 500, 10));
  gen->generate(plan());
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].workspace_id, "acme");
  EXPECT_EQ(reports[0].provider, "scripted");
  EXPECT_EQ(reports[0].model, "gpt-4o-mini");
  EXPECT_EQ(reports[0].usage.prompt_tokens, 1000);
  EXPECT_EQ(reports[0].cost->nanos(), 1000 * 150 + 100 * 600);
  EXPECT_EQ(reports[1].cost->nanos(), 500 * 150 + 10 * 600);
  EXPECT_EQ(reports[0].attempts, 1);
  EXPECT_FALSE(reports[0].error.has_value());

  llm->fail(Error(ErrorCode::unauthorized, "bad key"));
  EXPECT_THROW(gen->generate(plan("p2")), Error);
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[2].error, ErrorCode::unauthorized);
}

TEST_F(GeneratorTest, StreamingDeltasReachTheCaller) {
  llm->set_stream_chunk_bytes(7);
  llm->reply(article_text);
  std::string streamed;
  int deltas = 0;
  GenerateOptions options;
  options.on_delta = [&](std::string_view delta) {
    streamed += delta;
    ++deltas;
  };
  const Article article = generator().generate(plan(), options);
  EXPECT_EQ(streamed, article.content);
  EXPECT_GT(deltas, 5);
}

TEST_F(GeneratorTest, AnExceptionFromTheStreamObserverEndsTheGenerationNotTheProvider) {
  // The observer runs on the provider's thread; what it throws must come back from generate and
  // must not unwind through the provider (a background thread here: it would terminate).
  use_provider(Delivery::background_thread);
  llm->set_stream_chunk_bytes(4);
  llm->reply(reply(article_text, 1000, 100));
  int deltas = 0;
  GenerateOptions options;
  options.on_delta = [&](std::string_view) {
    ++deltas;
    throw Error(ErrorCode::cancelled, "the client went away");
  };
  expect_error([&] { generator().generate(plan(), options); }, ErrorCode::cancelled);
  EXPECT_EQ(deltas, 1) << "no delta after the observer failed";
  EXPECT_EQ(repo->article_count(), 0u);
  EXPECT_EQ(repo->spend_total("acme", std::nullopt).nanos(), 1000 * 150 + 100 * 600) << "the call was paid";

  llm->reply(article_text);
  options.on_delta = [](std::string_view) { throw std::runtime_error("observer bug"); };
  expect_error([&] { generator().generate(plan("p2"), options); }, ErrorCode::internal);
}

TEST_F(GeneratorTest, CancelledGenerationCallsNobody) {
  CancellationSource source;
  source.cancel();
  GenerateOptions options;
  options.cancel = source.token();
  llm->reply(article_text);
  expect_error([&] { generator().generate(plan(), options); }, ErrorCode::cancelled);
  EXPECT_EQ(llm->call_count(), 0u);
}

TEST_F(GeneratorTest, ConstructorRequiresTheEssentialPorts) {
  expect_error([&] { ContentGenerator(Ports{nullptr, repo, store, sink}, nullptr); }, ErrorCode::invalid_argument,
               "ports.llm");
  expect_error([&] { ContentGenerator(Ports{llm, nullptr, store, sink}, nullptr); }, ErrorCode::invalid_argument,
               "ports.repository");
  GeneratorOptions o;
  o.export_html = true;
  expect_error([&] { ContentGenerator(Ports{llm, repo, nullptr, sink}, nullptr, o); }, ErrorCode::invalid_argument,
               "ports.images");
  o = {};
  o.default_model = "no-such-model";
  expect_error([&] { ContentGenerator(ports(), nullptr, o); }, ErrorCode::unknown_model);
  ContentGenerator with_builtin_prices(Ports{llm, repo, nullptr, nullptr}, nullptr);
  EXPECT_NE(with_builtin_prices.prices().find("gpt-4o"), nullptr);
}

}  // namespace
}  // namespace contentgen::testsupport
