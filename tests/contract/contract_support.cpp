#include "contract/contract_support.hpp"

#include <boost/json.hpp>

#include "contentgen/ids.hpp"
#include "contract/article_repository_contract.hpp"

namespace contentgen::contract {

std::string factory_name(const ::testing::TestParamInfo<RepositoryFactory>& info) { return info.param.name; }

void ArticleRepositoryContract::SetUp() {
  repo = GetParam().make();
  if (IsSkipped()) return;  // the factory skipped the test (e.g. its database service is not configured)
  ASSERT_NE(repo, nullptr) << "the factory returned no repository";
}

Timestamp base_time() { return *parse_rfc3339("2026-03-14T15:09:26.535897Z"); }

Article make_article(const std::string& workspace_id, Timestamp created_at, ArticleStatus status) {
  Article a;
  a.id = new_uuid_v7(created_at);
  a.workspace_id = workspace_id;
  a.plan_id = "plan-" + a.id.substr(24);
  a.title = "Cách viết bài chuẩn SEO — 東京 🚀";
  a.slug = "cach-viet-bai-chuan-seo";
  a.content = "# Cách viết bài chuẩn SEO\n\nĐoạn mở đầu với \"quotes\", 'apostrophes' and \\backslashes\\.\n";
  a.content_html = "<h1>Cách viết bài chuẩn SEO</h1>\n<p>Đoạn mở đầu</p>\n";
  a.status = status;
  a.provider = "openai";
  a.model = "gpt-4o-mini-2024-07-18";
  a.finish_reason = FinishReason::length;
  a.llm_calls = 3;
  a.usage = TokenUsage{9'876'543'210, 1'234'567, 89'012, 3'456'789'012, 45'678, true};
  a.cost = Money::from_nanos(123'456'789'012);
  a.word_count = 2'987;
  a.metadata_json = R"({"campaign":"spring","tags":["seo","vi"],"nested":{"n":1.5,"ok":true,"none":null},"text":"Grüße"})";
  a.html_url = "memory://images/workspaces/" + workspace_id + "/articles/" + a.id + ".html";
  a.version = 1;
  a.created_at = created_at;
  a.updated_at = created_at + std::chrono::microseconds(1);
  return a;
}

Event make_event(const std::string& workspace_id, const std::string& subject, EventType type, Timestamp time) {
  return Event{new_uuid_v7(time), type, time, workspace_id, subject,
               R"({"article_id":")" + subject + R"(","cost_usd":"0.004225000","n":[1,2,3]})"};
}

ArticleImage make_image(const Article& article, Timestamp created_at) {
  ArticleImage image;
  image.id = new_uuid_v7(created_at);
  image.article_id = article.id;
  image.workspace_id = article.workspace_id;
  image.storage_key = "workspaces/" + article.workspace_id + "/articles/" + article.id + "/images/" + image.id + ".png";
  image.url = "memory://images/" + image.storage_key;
  image.content_type = "image/png";
  image.size_bytes = 10'485'760;
  image.width = 1920;
  image.height = 1080;
  image.sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  image.original_filename = "ảnh bìa (1).PNG";
  image.alt_text = "Bìa bài viết";
  image.created_at = created_at;
  return image;
}

SpendRecord make_spend(const std::string& workspace_id, Money cost, Timestamp at, const std::string& article_id) {
  SpendRecord s;
  s.id = new_uuid_v7(at);
  s.workspace_id = workspace_id;
  s.article_id = article_id;
  s.provider = "openai";
  s.model = "gpt-4o-mini";
  s.usage = TokenUsage{1000, 200, 0, 500, 0, false};
  s.cost = cost;
  s.succeeded = article_id.empty() ? false : true;
  s.at = at;
  return s;
}

NewArticle new_article(const Article& article) {
  NewArticle record;
  record.article = article;
  record.events.push_back(make_event(article.workspace_id, article.id, EventType::article_generated, article.created_at));
  return record;
}

void expect_error(const std::function<void()>& action, ErrorCode code, std::string_view field) {
  try {
    action();
    ADD_FAILURE() << "expected Error{" << to_string(code) << "}, nothing was thrown";
  } catch (const Error& error) {
    EXPECT_EQ(to_string(error.code()), to_string(code)) << error.what();
    if (!field.empty()) {
      EXPECT_EQ(error.details().field, field) << error.what();
    }
  }
}

bool same_json(const std::string& a, const std::string& b) {
  try {
    return boost::json::parse(a) == boost::json::parse(b);
  } catch (const std::exception&) {
    return false;
  }
}

void expect_same_article(const Article& e, const Article& a, bool with_images) {
  EXPECT_EQ(a.id, e.id);
  EXPECT_EQ(a.workspace_id, e.workspace_id);
  EXPECT_EQ(a.plan_id, e.plan_id);
  EXPECT_EQ(a.title, e.title);
  EXPECT_EQ(a.slug, e.slug);
  EXPECT_EQ(a.content, e.content);
  EXPECT_EQ(a.content_html, e.content_html);
  EXPECT_EQ(a.status, e.status);
  EXPECT_EQ(a.provider, e.provider);
  EXPECT_EQ(a.model, e.model);
  EXPECT_EQ(a.finish_reason, e.finish_reason);
  EXPECT_EQ(a.llm_calls, e.llm_calls);
  EXPECT_EQ(a.usage, e.usage);
  EXPECT_EQ(a.cost, e.cost) << a.cost.to_string() << " vs " << e.cost.to_string();
  EXPECT_EQ(a.word_count, e.word_count);
  EXPECT_TRUE(same_json(a.metadata_json, e.metadata_json)) << a.metadata_json << " vs " << e.metadata_json;
  EXPECT_EQ(a.html_url, e.html_url);
  EXPECT_EQ(a.version, e.version);
  EXPECT_EQ(format_rfc3339(a.created_at), format_rfc3339(e.created_at));
  EXPECT_EQ(format_rfc3339(a.updated_at), format_rfc3339(e.updated_at));
  if (!with_images) return;
  ASSERT_EQ(a.images.size(), e.images.size());
  for (std::size_t i = 0; i < e.images.size(); ++i) {
    EXPECT_EQ(a.images[i], e.images[i]) << "image " << i << " (" << e.images[i].id << ")";
    EXPECT_EQ(format_rfc3339(a.images[i].created_at), format_rfc3339(e.images[i].created_at));
  }
}

void expect_same_event(const Event& e, const Event& a) {
  EXPECT_EQ(a.id, e.id);
  EXPECT_EQ(a.type, e.type);
  EXPECT_EQ(format_rfc3339(a.time), format_rfc3339(e.time));
  EXPECT_EQ(a.workspace_id, e.workspace_id);
  EXPECT_EQ(a.subject, e.subject);
  EXPECT_TRUE(same_json(a.data_json, e.data_json)) << a.data_json << " vs " << e.data_json;
}

std::vector<std::string> ids_of(const std::vector<Article>& articles) {
  std::vector<std::string> ids;
  ids.reserve(articles.size());
  for (const auto& a : articles) ids.push_back(a.id);
  return ids;
}

std::vector<Article> list_all(ArticleRepository& repo, const std::string& workspace_id, ListQuery query) {
  std::vector<Article> all;
  for (int page = 0; page < 1000; ++page) {
    auto result = repo.list(workspace_id, query);
    all.insert(all.end(), result.items.begin(), result.items.end());
    if (result.next_cursor.empty()) return all;
    EXPECT_FALSE(result.items.empty()) << "a page with a next cursor must not be empty";
    query.cursor = result.next_cursor;
  }
  ADD_FAILURE() << "pagination did not end after 1000 pages";
  return all;
}

}  // namespace contentgen::contract
