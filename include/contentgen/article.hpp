#pragma once
// Article and ArticleImage: what the library stores. Plain data; the repository owns persistence.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contentgen/export.hpp"
#include "contentgen/money.hpp"
#include "contentgen/time.hpp"
#include "contentgen/usage.hpp"

namespace contentgen {

enum class ArticleStatus { draft, published, archived };
CONTENTGEN_API std::string_view to_string(ArticleStatus status) noexcept;
// "draft" | "published" | "archived"; nullopt otherwise.
CONTENTGEN_API std::optional<ArticleStatus> parse_article_status(std::string_view text) noexcept;

// Why the model stopped. `length` means the output hit max_tokens.
enum class FinishReason { stop, length, content_filter, other };
CONTENTGEN_API std::string_view to_string(FinishReason reason) noexcept;
CONTENTGEN_API std::optional<FinishReason> parse_finish_reason(std::string_view text) noexcept;

struct ArticleImage {
  std::string id;                 // UUIDv7
  std::string article_id;
  std::string workspace_id;
  std::string storage_key;        // workspaces/{ws}/articles/{article}/images/{id}.{ext}
  std::string url;
  std::string content_type;       // image/png | image/jpeg | image/gif | image/webp (sniffed)
  std::int64_t size_bytes = 0;
  std::int32_t width = 0;
  std::int32_t height = 0;
  std::string sha256;             // lower-case hex
  std::string original_filename;  // as the client sent it; never used to build the key
  std::string alt_text;
  Timestamp created_at{};

  friend bool operator==(const ArticleImage&, const ArticleImage&) = default;
};

struct Article {
  std::string id;                 // UUIDv7
  std::string workspace_id;
  std::string plan_id;            // empty when the plan had no id
  std::string title;
  std::string slug;               // ASCII, lower-case, from ICU transliteration of the title
  std::string content;            // Markdown
  std::string content_html;       // rendered by cmark-gfm (raw HTML in the Markdown is dropped)
  ArticleStatus status = ArticleStatus::draft;
  std::string provider;           // provider that served the (last) LLM call
  std::string model;              // model the provider reported
  FinishReason finish_reason = FinishReason::stop;  // of the last LLM call
  std::int32_t llm_calls = 0;     // 1 + continuations
  TokenUsage usage;               // summed over every LLM call
  Money cost;                     // summed over every LLM call, exact
  std::int64_t word_count = 0;    // words of the rendered text, not of the markup
  std::string metadata_json = "{}";  // a JSON object, owned by the caller
  std::string html_url;           // URL of the exported HTML object, when export is enabled
  std::int64_t version = 1;       // optimistic concurrency: +1 on every update
  Timestamp created_at{};
  Timestamp updated_at{};
  std::vector<ArticleImage> images;  // filled by get(); empty in list() pages

  friend bool operator==(const Article&, const Article&) = default;
};

}  // namespace contentgen
