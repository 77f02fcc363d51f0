// Contract: keyset pagination of list().
#include <algorithm>
#include <set>

#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "contract/article_repository_contract.hpp"
#include "contract/contract_support.hpp"
#include "core/domain/cursor.hpp"

namespace contentgen::contract {
namespace {

// The expected order: (created_at desc, id desc).
std::vector<std::string> expected_order(std::vector<Article> articles) {
  std::sort(articles.begin(), articles.end(), [](const Article& a, const Article& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  return ids_of(articles);
}

std::vector<Article> create_many(ArticleRepository& repo, const std::string& ws, int count, int start_second = 0) {
  std::vector<Article> made;
  for (int i = 0; i < count; ++i) {
    made.push_back(make_article(ws, seconds_after_base(start_second + i)));
    repo.create(new_article(made.back()));
  }
  return made;
}

TEST_P(ArticleRepositoryContract, ListOfAnEmptyWorkspaceIsOneEmptyPage) {
  const auto page = repo->list(ws_a, {});
  EXPECT_TRUE(page.items.empty());
  EXPECT_TRUE(page.next_cursor.empty());
}

TEST_P(ArticleRepositoryContract, ListPagesNewestFirstUntilAnEmptyCursor) {
  const auto made = create_many(*repo, ws_a, 7);
  ListQuery query;
  query.limit = 3;
  const auto first = repo->list(ws_a, query);
  ASSERT_EQ(first.items.size(), 3u);
  ASSERT_FALSE(first.next_cursor.empty());
  query.cursor = first.next_cursor;
  const auto second = repo->list(ws_a, query);
  ASSERT_EQ(second.items.size(), 3u);
  ASSERT_FALSE(second.next_cursor.empty());
  query.cursor = second.next_cursor;
  const auto third = repo->list(ws_a, query);
  ASSERT_EQ(third.items.size(), 1u);
  EXPECT_TRUE(third.next_cursor.empty());

  std::vector<Article> all = first.items;
  all.insert(all.end(), second.items.begin(), second.items.end());
  all.insert(all.end(), third.items.begin(), third.items.end());
  EXPECT_EQ(ids_of(all), expected_order(made));
}

TEST_P(ArticleRepositoryContract, ListItemsCarryEveryFieldButNoImages) {
  const Article article = make_article(ws_a, base_time(), ArticleStatus::published);
  repo->create(new_article(article));
  repo->add_image(make_image(article, seconds_after_base(1)), {});
  const auto page = repo->list(ws_a, {});
  ASSERT_EQ(page.items.size(), 1u);
  expect_same_article(article, page.items.front(), /*with_images=*/false);
  EXPECT_TRUE(page.items.front().images.empty());
}

TEST_P(ArticleRepositoryContract, APageEndingOnTheLastRowHasNoCursor) {
  create_many(*repo, ws_a, 4);
  ListQuery query;
  query.limit = 4;
  const auto page = repo->list(ws_a, query);
  EXPECT_EQ(page.items.size(), 4u);
  EXPECT_TRUE(page.next_cursor.empty());
  query.limit = 2;
  const auto first = repo->list(ws_a, query);
  query.cursor = first.next_cursor;
  const auto second = repo->list(ws_a, query);
  EXPECT_EQ(second.items.size(), 2u);
  EXPECT_TRUE(second.next_cursor.empty());
}

TEST_P(ArticleRepositoryContract, TiesOnCreatedAtAreBrokenByIdDescending) {
  std::vector<Article> made;
  for (int i = 0; i < 5; ++i) {
    made.push_back(make_article(ws_a, base_time()));  // same microsecond, different ids
    repo->create(new_article(made.back()));
  }
  made.push_back(make_article(ws_a, seconds_after_base(1)));
  repo->create(new_article(made.back()));
  made.push_back(make_article(ws_a, seconds_after_base(-1)));
  repo->create(new_article(made.back()));

  ListQuery query;
  query.limit = 2;  // pages end in the middle of the tie group
  EXPECT_EQ(ids_of(list_all(*repo, ws_a, query)), expected_order(made));
  query.limit = 1;
  EXPECT_EQ(ids_of(list_all(*repo, ws_a, query)), expected_order(made));
}

TEST_P(ArticleRepositoryContract, StatusFilterAppliesBeforeTheLimit) {
  std::vector<Article> published;
  for (int i = 0; i < 9; ++i) {
    const auto status = i % 3 == 0 ? ArticleStatus::published : (i % 3 == 1 ? ArticleStatus::draft : ArticleStatus::archived);
    Article article = make_article(ws_a, seconds_after_base(i), status);
    repo->create(new_article(article));
    if (status == ArticleStatus::published) published.push_back(article);
  }
  ListQuery query;
  query.status = ArticleStatus::published;
  query.limit = 2;
  const auto first = repo->list(ws_a, query);
  ASSERT_EQ(first.items.size(), 2u);
  for (const auto& item : first.items) EXPECT_EQ(item.status, ArticleStatus::published);
  query.cursor = first.next_cursor;
  const auto second = repo->list(ws_a, query);
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_TRUE(second.next_cursor.empty());  // no further published row, although older drafts exist
  query.cursor.clear();
  EXPECT_EQ(ids_of(list_all(*repo, ws_a, query)), expected_order(published));

  query.status = ArticleStatus::archived;
  query.limit = 100;
  EXPECT_EQ(repo->list(ws_a, query).items.size(), 3u);
}

TEST_P(ArticleRepositoryContract, CursorStaysStableWhileRowsAreInserted) {
  auto made = create_many(*repo, ws_a, 6, 10);  // seconds 10..15
  ListQuery query;
  query.limit = 2;
  const auto first = repo->list(ws_a, query);  // seconds 15, 14
  ASSERT_EQ(first.items.size(), 2u);

  // Newer rows (not shown on later pages), older rows (shown where they belong), and a tie with
  // the cursor's row on either side of its id.
  const Article newer = make_article(ws_a, seconds_after_base(100));
  const Article older = make_article(ws_a, seconds_after_base(0));
  Article tie = make_article(ws_a, first.items.back().created_at);
  repo->create(new_article(newer));
  repo->create(new_article(older));
  repo->create(new_article(tie));

  query.cursor = first.next_cursor;
  std::vector<Article> rest = list_all(*repo, ws_a, query);
  std::vector<Article> expected_rest;
  for (const auto& a : made)
    if (a.created_at < first.items.back().created_at) expected_rest.push_back(a);
  expected_rest.push_back(older);
  if (tie.id < first.items.back().id) expected_rest.push_back(tie);
  EXPECT_EQ(ids_of(rest), expected_order(expected_rest));

  std::set<std::string> seen;
  for (const auto& a : first.items) seen.insert(a.id);
  for (const auto& a : rest) EXPECT_TRUE(seen.insert(a.id).second) << "row repeated: " << a.id;
}

TEST_P(ArticleRepositoryContract, ListIsScopedToTheWorkspace) {
  const auto mine = create_many(*repo, ws_a, 3);
  create_many(*repo, ws_b, 4);
  ListQuery query;
  query.limit = 2;
  EXPECT_EQ(ids_of(list_all(*repo, ws_a, query)), expected_order(mine));
  EXPECT_EQ(list_all(*repo, ws_b, query).size(), 4u);
  EXPECT_TRUE(repo->list("ws-gamma", query).items.empty());
}

TEST_P(ArticleRepositoryContract, LimitMustBeBetweenOneAndHundred) {
  create_many(*repo, ws_a, 3);
  ListQuery query;
  for (const int bad : {0, -1, 101, 1'000'000}) {
    query.limit = bad;
    CONTRACT_EXPECT_ERROR(repo->list(ws_a, query), ErrorCode::invalid_argument, "limit");
  }
  query.limit = 1;
  EXPECT_EQ(repo->list(ws_a, query).items.size(), 1u);
  query.limit = 100;
  EXPECT_EQ(repo->list(ws_a, query).items.size(), 3u);
}

TEST_P(ArticleRepositoryContract, MalformedCursorIsInvalidArgument) {
  create_many(*repo, ws_a, 3);
  ListQuery query;
  const std::string valid = internal::encode_cursor({base_time(), new_uuid_v7()});
  for (const std::string& bad : {std::string("not a cursor!"), std::string("abc"), valid.substr(0, valid.size() - 1) + "*",
                                std::string("eyJpZCI6MX0"),  // base64url of {"id":1}
                                std::string(300, 'A')}) {
    query.cursor = bad;
    CONTRACT_EXPECT_ERROR(repo->list(ws_a, query), ErrorCode::invalid_argument, "cursor");
  }
  query.cursor = valid;  // well-formed, pointing anywhere: fine
  EXPECT_NO_THROW(repo->list(ws_a, query));
}

}  // namespace
}  // namespace contentgen::contract
