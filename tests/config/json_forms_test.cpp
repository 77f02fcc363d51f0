#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "contentgen/error.hpp"
#include "contentgen/json.hpp"

namespace contentgen {
namespace {

std::string field_of(auto&& call) {
  try {
    call();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    return e.details().field;
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

TEST(JsonForms, PlanRoundTrip) {
  const ContentPlan plan = plan_from_json(R"({"id": "p1", "workspace_id": "w1", "title": "Grüße",
      "target_keywords": ["a", "b"], "estimated_word_count": 800, "language": "de", "tone": "warm",
      "notes": "n", "outline": ["Intro", "End"]})");
  EXPECT_EQ(plan.id, "p1");
  EXPECT_EQ(plan.workspace_id, "w1");
  EXPECT_EQ(plan.title, "Grüße");
  EXPECT_EQ(plan.target_keywords, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(plan.estimated_word_count, 800);
  EXPECT_EQ(plan.language, "de");
  EXPECT_EQ(plan.outline.size(), 2u);
  const ContentPlan again = plan_from_json(plan_to_json(plan));
  EXPECT_EQ(again.id, plan.id);
  EXPECT_EQ(again.title, plan.title);
  EXPECT_EQ(again.target_keywords, plan.target_keywords);
  EXPECT_EQ(again.outline, plan.outline);
}

TEST(JsonForms, PlanDefaultsAndErrors) {
  const ContentPlan plan = plan_from_json(R"({"workspace_id": "w", "title": "t"})");
  EXPECT_FALSE(plan.id.has_value());
  EXPECT_EQ(plan.estimated_word_count, 1500);
  EXPECT_EQ(plan.language, "en");
  EXPECT_EQ(field_of([] { plan_from_json(R"({"workspace_id": "w", "titel": "t"})"); }), "plan.titel");
  EXPECT_EQ(field_of([] { plan_from_json(R"({"target_keywords": ["a", 3]})"); }), "plan.target_keywords[1]");
  EXPECT_EQ(field_of([] { plan_from_json(R"({"estimated_word_count": "many"})"); }), "plan.estimated_word_count");
  EXPECT_EQ(field_of([] { plan_from_json("not json"); }), "plan");
  EXPECT_EQ(field_of([] { plan_from_json("[]"); }), "plan");
}

TEST(JsonForms, UpdateParsesEveryField) {
  const ArticleUpdate update =
      article_update_from_json(R"({"title": "T", "content": "# C", "status": "published", "metadata": {"k": 1}})");
  EXPECT_EQ(update.title, "T");
  EXPECT_EQ(update.content, "# C");
  EXPECT_EQ(update.status, ArticleStatus::published);
  EXPECT_EQ(update.metadata_json, R"({"k":1})");
  const ArticleUpdate empty = article_update_from_json("{}");
  EXPECT_FALSE(empty.title || empty.content || empty.status || empty.metadata_json);
  EXPECT_EQ(field_of([] { article_update_from_json(R"({"status": "gone"})"); }), "update.status");
  EXPECT_EQ(field_of([] { article_update_from_json(R"({"metadata": [1]})"); }), "update.metadata");
  EXPECT_EQ(field_of([] { article_update_from_json(R"({"version": 2})"); }), "update.version");
}

TEST(JsonForms, ArticleCarriesExactCostAndEmbeddedMetadata) {
  Article article;
  article.id = "a1";
  article.workspace_id = "w1";
  article.title = "T";
  article.cost = Money::from_nanos(4'225'000);
  article.usage.prompt_tokens = 100;
  article.usage.cached_tokens = 20;
  article.usage.completion_tokens = 50;
  article.metadata_json = R"({"source":"test"})";
  article.status = ArticleStatus::archived;
  ArticleImage image;
  image.id = "i1";
  image.width = 3;
  article.images.push_back(image);
  const auto value = boost::json::parse(article_to_json(article));
  const auto& object = value.as_object();
  EXPECT_EQ(object.at("cost_usd").as_string(), "0.004225000");
  EXPECT_EQ(object.at("cost_nanousd").as_int64(), 4'225'000);
  EXPECT_EQ(object.at("status").as_string(), "archived");
  EXPECT_EQ(object.at("metadata").at("source").as_string(), "test");
  EXPECT_EQ(object.at("usage").at("total_tokens").as_int64(), 150);
  EXPECT_EQ(object.at("images").as_array().size(), 1u);
  EXPECT_EQ(object.at("images").at(0).at("width").as_int64(), 3);
  EXPECT_EQ(object.at("created_at").as_string(), "1970-01-01T00:00:00.000000Z");

  ArticlePage page;
  page.items.push_back(article);
  page.next_cursor = "c";
  const auto page_value = boost::json::parse(article_page_to_json(page));
  EXPECT_EQ(page_value.at("next_cursor").as_string(), "c");
  EXPECT_EQ(page_value.at("items").as_array().size(), 1u);
}

TEST(JsonForms, UsageRoundTrip) {
  TokenUsage usage;
  usage.prompt_tokens = 10;
  usage.cached_tokens = 4;
  usage.cache_write_tokens = 1;
  usage.completion_tokens = 7;
  usage.reasoning_tokens = 2;
  usage.estimated = true;
  EXPECT_EQ(usage_from_json(usage_to_json(usage)), usage);
  EXPECT_EQ(field_of([] { usage_from_json(R"({"prompt": 1})"); }), "usage.prompt");
}

}  // namespace
}  // namespace contentgen
