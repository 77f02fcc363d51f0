// Workspace isolation on both backends, beyond the contract suite: every attempt from workspace B
// on workspace A's data -- articles, images, idempotency keys, spend, budgets, reservations --
// behaves as "not found" and leaves A's rows untouched (checked with SQL, not only through the API).
#include <gtest/gtest.h>

#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "soci_test_support.hpp"

namespace contentgen::soci_test {
namespace {

const std::string ws_a = "workspace-a";
const std::string ws_b = "workspace-b";

Article article_in(const std::string& workspace) {
  Article article;
  article.id = new_uuid_v7();
  article.workspace_id = workspace;
  article.title = "A's article";
  article.created_at = now_utc();
  article.updated_at = article.created_at;
  return article;
}

ArticleImage image_of(const Article& article) {
  ArticleImage image;
  image.id = new_uuid_v7();
  image.article_id = article.id;
  image.workspace_id = article.workspace_id;
  image.storage_key = "k";
  image.url = "u";
  image.content_type = "image/png";
  image.created_at = now_utc();
  return image;
}

SpendRecord spend_in(const std::string& workspace, Money cost) {
  SpendRecord spend;
  spend.id = new_uuid_v7();
  spend.workspace_id = workspace;
  spend.provider = "openai";
  spend.model = "gpt-4o-mini";
  spend.cost = cost;
  spend.succeeded = false;
  spend.at = now_utc();
  return spend;
}

Event event_in(const std::string& workspace, const std::string& subject) {
  return Event{new_uuid_v7(), EventType::article_updated, now_utc(), workspace, subject, "{}"};
}

long long count(soci::session& sql, const std::string& query_with_no_user_data) {
  long long n = 0;
  sql << query_with_no_user_data, soci::into(n);
  return n;
}

using SociIsolation = SociBackendTest;

TEST_P(SociIsolation, WorkspaceBCannotSeeOrTouchWorkspaceA) {
  auto repo = open();
  const Article article = article_in(ws_a);
  NewArticle record{article, {}, {}, "key-1", "", ""};
  repo->create(record);
  const ArticleImage image = image_of(article);
  repo->add_image(image, {});
  repo->set_budget(ws_a, Budget{Money::from_nanos(1'000'000'000), Budget::Period::total});
  const auto reservation = repo->reserve_budget(ws_a, Money::from_nanos(400'000'000), now_utc(), std::chrono::seconds(600));
  ASSERT_TRUE(reservation.has_value());
  repo->record_spend(spend_in(ws_a, Money::from_nanos(250)), "");

  // Reads from B.
  EXPECT_FALSE(repo->get(ws_b, article.id).has_value());
  EXPECT_TRUE(repo->list(ws_b, ListQuery{}).items.empty());
  EXPECT_FALSE(repo->find_by_idempotency_key(ws_b, "key-1").has_value());
  EXPECT_EQ(repo->spend_total(ws_b, std::nullopt), Money{});
  EXPECT_FALSE(repo->get_budget(ws_b).has_value());
  EXPECT_FALSE(repo->reserve_budget(ws_b, Money::from_nanos(1), now_utc(), std::chrono::seconds(60)).has_value());

  // Writes from B.
  Article hijack = article;
  hijack.workspace_id = ws_b;
  hijack.title = "hijacked";
  const Event b_event = event_in(ws_b, article.id);
  try {
    repo->update(hijack, 1, std::span(&b_event, 1));
    FAIL() << "update from another workspace succeeded";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::not_found) << error.what();
  }
  EXPECT_FALSE(repo->remove(ws_b, article.id, std::span(&b_event, 1)));
  ArticleImage foreign_image = image_of(article);
  foreign_image.workspace_id = ws_b;
  try {
    repo->add_image(foreign_image, std::span(&b_event, 1));
    FAIL() << "add_image into another workspace's article succeeded";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::not_found) << error.what();
  }
  EXPECT_FALSE(repo->remove_image(ws_b, article.id, image.id, std::span(&b_event, 1)));
  // B's spend naming A's reservation does not release it.
  repo->record_spend(spend_in(ws_b, Money::from_nanos(7)), reservation->id);
  NewArticle b_article{article_in(ws_b), {}, {}, "key-1", reservation->id, ""};
  repo->create(b_article);  // same idempotency key in B: independent
  repo->set_budget(ws_b, std::nullopt);

  // A is untouched.
  const auto stored = repo->get(ws_a, article.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->title, "A's article");
  EXPECT_EQ(stored->version, 1);
  ASSERT_EQ(stored->images.size(), 1u);
  EXPECT_EQ(repo->find_by_idempotency_key(ws_a, "key-1"), article.id);
  EXPECT_EQ(repo->find_by_idempotency_key(ws_b, "key-1"), b_article.article.id);
  EXPECT_EQ(repo->spend_total(ws_a, std::nullopt), Money::from_nanos(250));
  EXPECT_EQ(repo->spend_total(ws_b, std::nullopt), Money::from_nanos(7));
  ASSERT_TRUE(repo->get_budget(ws_a).has_value());
  // A's reservation is still live: 1.0 - 0.4 reserved - 250 nanos spent leaves less than 0.6.
  EXPECT_THROW(repo->reserve_budget(ws_a, Money::from_nanos(600'000'000), now_utc(), std::chrono::seconds(60)), Error);

  auto sql = admin_session(url);
  EXPECT_EQ(count(*sql, "SELECT COUNT(*) FROM outbox"), 0) << "failed or missing writes must not emit events";
  EXPECT_EQ(count(*sql, "SELECT COUNT(*) FROM article_images"), 1);
  EXPECT_EQ(count(*sql, "SELECT COUNT(*) FROM budget_reservations"), 1);
}

INSTANTIATE_TEST_SUITE_P(Soci, SociIsolation, ::testing::Values(Db::sqlite, Db::postgresql), db_name);

}  // namespace
}  // namespace contentgen::soci_test
