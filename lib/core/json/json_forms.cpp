// JSON forms of plans, articles, images, pages, updates and usage (include/contentgen/json.hpp).
#include <limits>

#include "core/json/json_reader.hpp"
#include "contentgen/error.hpp"
#include "contentgen/json.hpp"

namespace contentgen {
namespace {

using jsonread::ObjectReader;
namespace json = boost::json;

constexpr auto kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr auto kInt64Max = std::numeric_limits<std::int64_t>::max();

json::object usage_object(const TokenUsage& usage) {
  return json::object{{"prompt_tokens", usage.prompt_tokens},
                      {"cached_tokens", usage.cached_tokens},
                      {"cache_write_tokens", usage.cache_write_tokens},
                      {"completion_tokens", usage.completion_tokens},
                      {"reasoning_tokens", usage.reasoning_tokens},
                      {"total_tokens", usage.total_tokens()},
                      {"estimated", usage.estimated}};
}

json::object image_object(const ArticleImage& image) {
  return json::object{{"id", image.id},
                      {"article_id", image.article_id},
                      {"workspace_id", image.workspace_id},
                      {"storage_key", image.storage_key},
                      {"url", image.url},
                      {"content_type", image.content_type},
                      {"size_bytes", image.size_bytes},
                      {"width", image.width},
                      {"height", image.height},
                      {"sha256", image.sha256},
                      {"original_filename", image.original_filename},
                      {"alt_text", image.alt_text},
                      {"created_at", format_rfc3339(image.created_at)}};
}

json::value metadata_value(const Article& article) {
  if (article.metadata_json.empty()) return json::object();
  boost::system::error_code ec;
  json::value value = json::parse(article.metadata_json, ec);
  if (ec || !value.is_object()) {
    throw Error(ErrorCode::internal, "article " + article.id + " carries metadata that is not a JSON object");
  }
  return value;
}

json::object article_object(const Article& article) {
  json::array images;
  images.reserve(article.images.size());
  for (const auto& image : article.images) images.emplace_back(image_object(image));
  return json::object{{"id", article.id},
                      {"workspace_id", article.workspace_id},
                      {"plan_id", article.plan_id},
                      {"title", article.title},
                      {"slug", article.slug},
                      {"content", article.content},
                      {"content_html", article.content_html},
                      {"status", to_string(article.status)},
                      {"provider", article.provider},
                      {"model", article.model},
                      {"finish_reason", to_string(article.finish_reason)},
                      {"llm_calls", article.llm_calls},
                      {"usage", usage_object(article.usage)},
                      {"cost_usd", article.cost.to_string()},
                      {"cost_nanousd", article.cost.nanos()},
                      {"word_count", article.word_count},
                      {"metadata", metadata_value(article)},
                      {"html_url", article.html_url},
                      {"version", article.version},
                      {"created_at", format_rfc3339(article.created_at)},
                      {"updated_at", format_rfc3339(article.updated_at)},
                      {"images", std::move(images)}};
}

}  // namespace

ContentPlan plan_from_json(std::string_view text) {
  const json::value document = jsonread::parse(text, "plan");
  ObjectReader r(document, "plan");
  ContentPlan plan;
  plan.id = r.string("id");
  plan.workspace_id = r.string("workspace_id").value_or("");
  plan.title = r.string("title").value_or("");
  plan.target_keywords = r.string_array("target_keywords").value_or(plan.target_keywords);
  plan.estimated_word_count = r.integer("estimated_word_count", kInt64Min, kInt64Max).value_or(plan.estimated_word_count);
  plan.language = r.string("language").value_or(plan.language);
  plan.tone = r.string("tone").value_or("");
  plan.notes = r.string("notes").value_or("");
  plan.outline = r.string_array("outline").value_or(plan.outline);
  r.finish();
  return plan;
}

std::string plan_to_json(const ContentPlan& plan) {
  json::object object;
  if (plan.id) object["id"] = *plan.id;
  object["workspace_id"] = plan.workspace_id;
  object["title"] = plan.title;
  json::array keywords(plan.target_keywords.begin(), plan.target_keywords.end());
  object["target_keywords"] = std::move(keywords);
  object["estimated_word_count"] = plan.estimated_word_count;
  object["language"] = plan.language;
  object["tone"] = plan.tone;
  object["notes"] = plan.notes;
  json::array outline(plan.outline.begin(), plan.outline.end());
  object["outline"] = std::move(outline);
  return json::serialize(object);
}

ArticleUpdate article_update_from_json(std::string_view text) {
  const json::value document = jsonread::parse(text, "update");
  ObjectReader r(document, "update");
  ArticleUpdate update;
  update.title = r.string("title");
  update.content = r.string("content");
  if (auto status = r.string("status")) {
    update.status = parse_article_status(*status);
    if (!update.status) {
      throw Error::invalid_argument("update.status", "must be one of \"draft\", \"published\", \"archived\"");
    }
  }
  if (const auto* metadata = r.raw("metadata")) {
    if (!metadata->is_object()) throw Error::invalid_argument("update.metadata", "must be a JSON object");
    update.metadata_json = json::serialize(*metadata);
  }
  r.finish();
  return update;
}

std::string usage_to_json(const TokenUsage& usage) { return json::serialize(usage_object(usage)); }

std::string spend_summary_to_json(const SpendSummary& spend) {
  const Money reported = spend.total - spend.estimated;
  return json::serialize(json::object{{"total_usd", spend.total.to_string()},
                                      {"total_nanousd", spend.total.nanos()},
                                      {"estimated_usd", spend.estimated.to_string()},
                                      {"estimated_nanousd", spend.estimated.nanos()},
                                      {"reported_usd", reported.to_string()},
                                      {"reported_nanousd", reported.nanos()},
                                      {"calls", spend.calls},
                                      {"estimated_calls", spend.estimated_calls}});
}

TokenUsage usage_from_json(std::string_view text) {
  const json::value document = jsonread::parse(text, "usage");
  ObjectReader r(document, "usage");
  TokenUsage usage;
  usage.prompt_tokens = r.integer("prompt_tokens", kInt64Min, kInt64Max).value_or(0);
  usage.cached_tokens = r.integer("cached_tokens", kInt64Min, kInt64Max).value_or(0);
  usage.cache_write_tokens = r.integer("cache_write_tokens", kInt64Min, kInt64Max).value_or(0);
  usage.completion_tokens = r.integer("completion_tokens", kInt64Min, kInt64Max).value_or(0);
  usage.reasoning_tokens = r.integer("reasoning_tokens", kInt64Min, kInt64Max).value_or(0);
  usage.estimated = r.boolean("estimated").value_or(false);
  r.ignore("total_tokens");
  r.finish();
  return usage;
}

std::string image_to_json(const ArticleImage& image) { return json::serialize(image_object(image)); }

std::string article_to_json(const Article& article) { return json::serialize(article_object(article)); }

std::string article_page_to_json(const ArticlePage& page) {
  json::array items;
  items.reserve(page.items.size());
  for (const auto& article : page.items) items.emplace_back(article_object(article));
  return json::serialize(json::object{{"items", std::move(items)}, {"next_cursor", page.next_cursor}});
}

}  // namespace contentgen
