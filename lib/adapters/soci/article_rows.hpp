#pragma once
// Bulk (vector) binding of article and image rows, so a page of N rows is one round trip
// (internal). Column order: Statements::article_columns and Statements::select_images.
//
// Capacities are at least 2: SOCI 4.0.3's SQLite backend returns NO rows into vectors of size 1.
#include <soci/soci.h>

#include <cstddef>
#include <string>
#include <vector>

#include "adapters/soci/query.hpp"
#include "contentgen/article.hpp"

namespace contentgen::soci_adapter {

// The size to give bulk into() vectors that must hold up to `rows` rows.
inline std::size_t bulk_capacity(std::size_t rows) { return rows < 2 ? 2 : rows; }

class ArticleRows {
 public:
  explicit ArticleRows(std::size_t capacity);
  // Adds an into() target for every column.
  void bind(Query& query);
  std::size_t size() const { return id_.size(); }
  // Row i as an Article (images empty). Throws Error{storage} for a value the domain cannot hold.
  Article article(std::size_t i) const;

 private:
  std::vector<std::string> id_, workspace_id_, plan_id_, title_, slug_, content_, content_html_, status_, provider_,
      model_, finish_reason_;
  std::vector<int> llm_calls_;
  std::vector<long long> prompt_tokens_, cached_tokens_, cache_write_tokens_, completion_tokens_, reasoning_tokens_;
  std::vector<int> usage_estimated_;
  std::vector<long long> cost_nanos_, word_count_;
  std::vector<std::string> metadata_, html_url_;
  std::vector<long long> version_, created_at_, updated_at_;
};

class ImageRows {
 public:
  explicit ImageRows(std::size_t capacity);
  void bind(Query& query);
  std::size_t size() const { return id_.size(); }
  ArticleImage image(std::size_t i) const;

 private:
  std::vector<std::string> id_, article_id_, workspace_id_, storage_key_, url_, content_type_;
  std::vector<long long> size_bytes_;
  std::vector<int> width_, height_;
  std::vector<std::string> sha256_, original_filename_, alt_text_;
  std::vector<long long> created_at_;
};

}  // namespace contentgen::soci_adapter
