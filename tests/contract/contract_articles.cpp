// Contract: create / get / update / remove / idempotency, workspace scoping and atomicity.
#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "contract/article_repository_contract.hpp"
#include "contract/contract_support.hpp"

namespace contentgen::contract {
namespace {

TEST_P(ArticleRepositoryContract, CreateThenGetRoundTripsEveryField) {
  const Article article = make_article(ws_a, base_time());
  repo->create(new_article(article));
  const auto stored = repo->get(ws_a, article.id);
  ASSERT_TRUE(stored.has_value());
  expect_same_article(article, *stored);
}

TEST_P(ArticleRepositoryContract, RoundTripsEmptyOptionalFieldsAndLargeContent) {
  Article article = make_article(ws_a, base_time(), ArticleStatus::archived);
  article.plan_id.clear();
  article.html_url.clear();
  article.metadata_json = "{}";
  article.usage = TokenUsage{};
  article.cost = Money{};
  article.finish_reason = FinishReason::content_filter;
  article.content = std::string(200 * 1024, 'x') + "\n\nkết thúc";
  repo->create(new_article(article));
  const auto stored = repo->get(ws_a, article.id);
  ASSERT_TRUE(stored.has_value());
  expect_same_article(article, *stored);
}

TEST_P(ArticleRepositoryContract, TimestampsKeepMicrosecondsBeforeAndAfterTheEpochSecond) {
  for (const char* text : {"2026-01-01T00:00:00.000001Z", "2026-12-31T23:59:59.999999Z", "1999-06-15T08:30:00.500000Z"}) {
    const auto at = *parse_rfc3339(text);
    Article article = make_article(ws_a, at);
    article.updated_at = at;
    repo->create(new_article(article));
    const auto stored = repo->get(ws_a, article.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(format_rfc3339(stored->created_at), text);
    EXPECT_EQ(format_rfc3339(stored->updated_at), text);
  }
}

TEST_P(ArticleRepositoryContract, CreateIgnoresImagesOfTheNewArticle) {
  Article article = make_article(ws_a, base_time());
  article.images.push_back(make_image(article, base_time()));
  repo->create(new_article(article));
  EXPECT_TRUE(repo->get(ws_a, article.id)->images.empty());
}

TEST_P(ArticleRepositoryContract, GetOfMissingIdIsNullopt) {
  EXPECT_FALSE(repo->get(ws_a, new_uuid_v7()).has_value());
}

TEST_P(ArticleRepositoryContract, DuplicateIdIsConflictEvenInAnotherWorkspace) {
  const Article article = make_article(ws_a, base_time());
  repo->create(new_article(article));
  CONTRACT_EXPECT_ERROR(repo->create(new_article(article)), ErrorCode::conflict, "");
  Article elsewhere = article;
  elsewhere.workspace_id = ws_b;
  CONTRACT_EXPECT_ERROR(repo->create(new_article(elsewhere)), ErrorCode::conflict, "");
  EXPECT_FALSE(repo->get(ws_b, article.id).has_value());
  EXPECT_EQ(repo->pending_outbox_count(), 1u);
}

TEST_P(ArticleRepositoryContract, DuplicateIdempotencyKeyInTheSameWorkspaceIsConflict) {
  NewArticle first = new_article(make_article(ws_a, base_time()));
  first.idempotency_key = "plan:42";
  repo->create(first);
  NewArticle second = new_article(make_article(ws_a, seconds_after_base(1)));
  second.idempotency_key = "plan:42";
  second.spend.push_back(make_spend(ws_a, Money::parse("0.5"), seconds_after_base(1), second.article.id));
  CONTRACT_EXPECT_ERROR(repo->create(second), ErrorCode::conflict, "");
  // Nothing of the failed create is visible.
  EXPECT_FALSE(repo->get(ws_a, second.article.id).has_value());
  EXPECT_EQ(repo->pending_outbox_count(), 1u);
  EXPECT_EQ(repo->spend_total(ws_a, std::nullopt), Money{});
  EXPECT_EQ(repo->find_by_idempotency_key(ws_a, "plan:42"), first.article.id);
}

TEST_P(ArticleRepositoryContract, SameIdempotencyKeyInAnotherWorkspaceIsIndependent) {
  NewArticle a = new_article(make_article(ws_a, base_time()));
  a.idempotency_key = "plan:42";
  NewArticle b = new_article(make_article(ws_b, base_time()));
  b.idempotency_key = "plan:42";
  repo->create(a);
  repo->create(b);
  EXPECT_EQ(repo->find_by_idempotency_key(ws_a, "plan:42"), a.article.id);
  EXPECT_EQ(repo->find_by_idempotency_key(ws_b, "plan:42"), b.article.id);
  EXPECT_FALSE(repo->find_by_idempotency_key("ws-gamma", "plan:42").has_value());
  EXPECT_FALSE(repo->find_by_idempotency_key(ws_a, "plan:43").has_value());
}

TEST_P(ArticleRepositoryContract, CreateWithoutIdempotencyKeyRegistersNone) {
  repo->create(new_article(make_article(ws_a, base_time())));
  repo->create(new_article(make_article(ws_a, seconds_after_base(1))));  // two empty keys: no conflict
  EXPECT_FALSE(repo->find_by_idempotency_key(ws_a, "").has_value());
}

TEST_P(ArticleRepositoryContract, DuplicateEventIdMakesTheWholeCreateFail) {
  const NewArticle first = new_article(make_article(ws_a, base_time()));
  repo->create(first);
  NewArticle second = new_article(make_article(ws_a, seconds_after_base(1)));
  second.idempotency_key = "k";
  second.events.push_back(first.events.front());
  CONTRACT_EXPECT_ERROR(repo->create(second), ErrorCode::conflict, "");
  EXPECT_FALSE(repo->get(ws_a, second.article.id).has_value());
  EXPECT_FALSE(repo->find_by_idempotency_key(ws_a, "k").has_value());
  EXPECT_EQ(repo->pending_outbox_count(), 1u);
}

TEST_P(ArticleRepositoryContract, DuplicateSpendIdMakesTheWholeCreateFail) {
  const SpendRecord spend = make_spend(ws_a, Money::parse("0.25"), base_time());
  repo->record_spend(spend, "");
  NewArticle record = new_article(make_article(ws_a, base_time()));
  record.spend.push_back(spend);
  CONTRACT_EXPECT_ERROR(repo->create(record), ErrorCode::conflict, "");
  EXPECT_FALSE(repo->get(ws_a, record.article.id).has_value());
  EXPECT_EQ(repo->spend_total(ws_a, std::nullopt), Money::parse("0.25"));
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
}

TEST_P(ArticleRepositoryContract, CreateStoresEventsAndSpendTogether) {
  NewArticle record = new_article(make_article(ws_a, base_time()));
  record.spend.push_back(make_spend(ws_a, Money::parse("0.001"), base_time(), record.article.id));
  record.spend.push_back(make_spend(ws_a, Money::parse("0.000000002"), base_time(), record.article.id));
  repo->create(record);
  EXPECT_EQ(repo->spend_total(ws_a, std::nullopt), Money::parse("0.001000002"));
  EXPECT_EQ(repo->pending_outbox_count(), 1u);
}

TEST_P(ArticleRepositoryContract, UpdateReplacesFieldsAndIncrementsTheVersion) {
  Article article = make_article(ws_a, base_time());
  repo->create(new_article(article));
  const ArticleImage image = make_image(article, seconds_after_base(1));
  repo->add_image(image, {});

  Article changed = article;
  changed.title = "New title";
  changed.slug = "new-title";
  changed.content = "# New title\n\nShorter.";
  changed.content_html = "<h1>New title</h1>\n<p>Shorter.</p>\n";
  changed.status = ArticleStatus::published;
  changed.word_count = 3;
  changed.metadata_json = R"({"edited": true})";
  changed.updated_at = seconds_after_base(60);
  changed.created_at = seconds_after_base(999);  // must be ignored
  changed.version = 77;                          // must be ignored
  repo->update(changed, 1, {});

  Article expected = changed;
  expected.created_at = article.created_at;
  expected.version = 2;
  expected.images = {image};
  expect_same_article(expected, *repo->get(ws_a, article.id));

  changed.title = "Third";
  repo->update(changed, 2, {});
  EXPECT_EQ(repo->get(ws_a, article.id)->version, 3);
  EXPECT_EQ(repo->get(ws_a, article.id)->title, "Third");
}

TEST_P(ArticleRepositoryContract, UpdateWithStaleVersionIsConflictAndWritesNothing) {
  const Article article = make_article(ws_a, base_time());
  repo->create(new_article(article));
  Article changed = article;
  changed.title = "first edit";
  repo->update(changed, 1, {});
  const std::size_t pending = repo->pending_outbox_count();

  changed.title = "lost edit";
  const Event event = make_event(ws_a, article.id, EventType::article_updated, seconds_after_base(5));
  CONTRACT_EXPECT_ERROR(repo->update(changed, 1, std::span(&event, 1)), ErrorCode::conflict, "");
  CONTRACT_EXPECT_ERROR(repo->update(changed, 3, std::span(&event, 1)), ErrorCode::conflict, "");
  EXPECT_EQ(repo->get(ws_a, article.id)->title, "first edit");
  EXPECT_EQ(repo->get(ws_a, article.id)->version, 2);
  EXPECT_EQ(repo->pending_outbox_count(), pending);
}

TEST_P(ArticleRepositoryContract, UpdateOfMissingArticleIsNotFound) {
  const Article ghost = make_article(ws_a, base_time());
  CONTRACT_EXPECT_ERROR(repo->update(ghost, 1, {}), ErrorCode::not_found, "");
}

TEST_P(ArticleRepositoryContract, UpdateWritesItsEvents) {
  const Article article = make_article(ws_a, base_time());
  repo->create(new_article(article));
  const Event event = make_event(ws_a, article.id, EventType::article_updated, seconds_after_base(5));
  repo->update(article, 1, std::span(&event, 1));
  EXPECT_EQ(repo->pending_outbox_count(), 2u);
}

TEST_P(ArticleRepositoryContract, RemoveDeletesTheArticleAndReportsWhetherItExisted) {
  const Article article = make_article(ws_a, base_time());
  repo->create(new_article(article));
  const Event event = make_event(ws_a, article.id, EventType::article_deleted, seconds_after_base(5));
  EXPECT_TRUE(repo->remove(ws_a, article.id, std::span(&event, 1)));
  EXPECT_FALSE(repo->get(ws_a, article.id).has_value());
  EXPECT_EQ(repo->pending_outbox_count(), 2u);
  const Event again = make_event(ws_a, article.id, EventType::article_deleted, seconds_after_base(6));
  EXPECT_FALSE(repo->remove(ws_a, article.id, std::span(&again, 1)));
  EXPECT_EQ(repo->pending_outbox_count(), 2u);  // the second call's event was not written
}

TEST_P(ArticleRepositoryContract, RemoveFreesTheIdempotencyKey) {
  NewArticle first = new_article(make_article(ws_a, base_time()));
  first.idempotency_key = "plan:7";
  repo->create(first);
  ASSERT_TRUE(repo->remove(ws_a, first.article.id, {}));
  EXPECT_FALSE(repo->find_by_idempotency_key(ws_a, "plan:7").has_value());
  NewArticle second = new_article(make_article(ws_a, seconds_after_base(1)));
  second.idempotency_key = "plan:7";
  repo->create(second);
  EXPECT_EQ(repo->find_by_idempotency_key(ws_a, "plan:7"), second.article.id);
}

TEST_P(ArticleRepositoryContract, AnotherWorkspacesArticleBehavesExactlyLikeAMissingOne) {
  NewArticle record = new_article(make_article(ws_a, base_time()));
  record.idempotency_key = "plan:1";
  repo->create(record);
  const Article& article = record.article;
  const ArticleImage image = make_image(article, seconds_after_base(1));
  repo->add_image(image, {});
  const std::size_t pending = repo->pending_outbox_count();
  const Event event = make_event(ws_b, article.id, EventType::article_updated, seconds_after_base(2));
  const auto one_event = std::span(&event, 1);

  // get
  EXPECT_FALSE(repo->get(ws_b, article.id).has_value());
  // list
  EXPECT_TRUE(repo->list(ws_b, {}).items.empty());
  // update
  Article foreign = article;
  foreign.workspace_id = ws_b;
  foreign.title = "hijacked";
  CONTRACT_EXPECT_ERROR(repo->update(foreign, 1, one_event), ErrorCode::not_found, "");
  // add_image
  ArticleImage foreign_image = make_image(article, seconds_after_base(3));
  foreign_image.workspace_id = ws_b;
  CONTRACT_EXPECT_ERROR(repo->add_image(foreign_image, one_event), ErrorCode::not_found, "");
  // remove_image
  EXPECT_FALSE(repo->remove_image(ws_b, article.id, image.id, one_event));
  // idempotency
  EXPECT_FALSE(repo->find_by_idempotency_key(ws_b, "plan:1").has_value());
  // remove
  EXPECT_FALSE(repo->remove(ws_b, article.id, one_event));

  // Nothing changed in the owner's workspace and no event was written.
  const auto stored = repo->get(ws_a, article.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->title, article.title);
  EXPECT_EQ(stored->version, 1);
  ASSERT_EQ(stored->images.size(), 1u);
  EXPECT_EQ(repo->pending_outbox_count(), pending);
}

}  // namespace
}  // namespace contentgen::contract
