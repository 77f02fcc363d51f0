#include "adapters/soci/article_rows.hpp"

#include "adapters/soci/dialect.hpp"
#include "contentgen/error.hpp"
#include "core/domain/validation.hpp"

namespace contentgen::soci_adapter {
namespace {

template <class... Vectors>
void resize_all(std::size_t n, Vectors&... vectors) {
  (vectors.resize(n), ...);
}

[[noreturn]] void corrupt(const std::string& what) {
  throw Error(ErrorCode::storage, "stored article row is unreadable: " + what);
}

}  // namespace

ArticleRows::ArticleRows(std::size_t rows) {
  resize_all(bulk_capacity(rows), id_, workspace_id_, plan_id_, title_, slug_, content_, content_html_, status_, provider_, model_,
             finish_reason_, llm_calls_, prompt_tokens_, cached_tokens_, cache_write_tokens_, completion_tokens_,
             reasoning_tokens_, usage_estimated_, cost_nanos_, word_count_, metadata_, html_url_, version_,
             created_at_, updated_at_);
}

void ArticleRows::bind(Query& query) {
  query.into(id_).into(workspace_id_).into(plan_id_).into(title_).into(slug_).into(content_).into(content_html_);
  query.into(status_).into(provider_).into(model_).into(finish_reason_).into(llm_calls_);
  query.into(prompt_tokens_).into(cached_tokens_).into(cache_write_tokens_).into(completion_tokens_);
  query.into(reasoning_tokens_).into(usage_estimated_).into(cost_nanos_).into(word_count_).into(metadata_);
  query.into(html_url_).into(version_).into(created_at_).into(updated_at_);
}

Article ArticleRows::article(std::size_t i) const {
  Article a;
  a.id = id_[i];
  a.workspace_id = workspace_id_[i];
  a.plan_id = plan_id_[i];
  a.title = title_[i];
  a.slug = slug_[i];
  a.content = content_[i];
  a.content_html = content_html_[i];
  const auto status = parse_article_status(status_[i]);
  if (!status) corrupt("status \"" + status_[i] + "\"");
  a.status = *status;
  a.provider = provider_[i];
  a.model = model_[i];
  const auto finish = parse_finish_reason(finish_reason_[i]);
  if (!finish) corrupt("finish_reason \"" + finish_reason_[i] + "\"");
  a.finish_reason = *finish;
  a.llm_calls = llm_calls_[i];
  a.usage.prompt_tokens = prompt_tokens_[i];
  a.usage.cached_tokens = cached_tokens_[i];
  a.usage.cache_write_tokens = cache_write_tokens_[i];
  a.usage.completion_tokens = completion_tokens_[i];
  a.usage.reasoning_tokens = reasoning_tokens_[i];
  a.usage.estimated = usage_estimated_[i] != 0;
  a.cost = Money::from_nanos(cost_nanos_[i]);
  a.word_count = word_count_[i];
  // PostgreSQL's JSONB has its own key order and spacing: the same canonical text on every backend.
  a.metadata_json = internal::canonical_json_object(metadata_[i], "article.metadata_json");
  a.html_url = html_url_[i];
  a.version = version_[i];
  a.created_at = timestamp_from_micros(created_at_[i]);
  a.updated_at = timestamp_from_micros(updated_at_[i]);
  return a;
}

ImageRows::ImageRows(std::size_t rows) {
  resize_all(bulk_capacity(rows), id_, article_id_, workspace_id_, storage_key_, url_, content_type_, size_bytes_, width_, height_,
             sha256_, original_filename_, alt_text_, created_at_);
}

void ImageRows::bind(Query& query) {
  query.into(id_).into(article_id_).into(workspace_id_).into(storage_key_).into(url_).into(content_type_);
  query.into(size_bytes_).into(width_).into(height_).into(sha256_).into(original_filename_).into(alt_text_);
  query.into(created_at_);
}

ArticleImage ImageRows::image(std::size_t i) const {
  ArticleImage image;
  image.id = id_[i];
  image.article_id = article_id_[i];
  image.workspace_id = workspace_id_[i];
  image.storage_key = storage_key_[i];
  image.url = url_[i];
  image.content_type = content_type_[i];
  image.size_bytes = size_bytes_[i];
  image.width = width_[i];
  image.height = height_[i];
  image.sha256 = sha256_[i];
  image.original_filename = original_filename_[i];
  image.alt_text = alt_text_[i];
  image.created_at = timestamp_from_micros(created_at_[i]);
  return image;
}

}  // namespace contentgen::soci_adapter
