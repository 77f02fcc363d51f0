#pragma once
// The JSON forms of the domain types, shared by the C API, the Python bindings, the CLI and the
// REST server (docs/configuration.md#json-forms), so that an article looks the same everywhere.
//
// Readers are strict: an unknown key or a value of the wrong type is Error{invalid_argument} whose
// details().field is the dotted key ("plan.target_keywords[2]", "update.status"). They check
// shape, not content: validate_plan() stays the single authority on what a valid plan is.
#include <string>
#include <string_view>

#include "contentgen/article.hpp"
#include "contentgen/export.hpp"
#include "contentgen/generator.hpp"
#include "contentgen/plan.hpp"
#include "contentgen/ports/article_repository.hpp"
#include "contentgen/usage.hpp"

namespace contentgen {

// {"id"?, "workspace_id", "title", "target_keywords"?: [..], "estimated_word_count"?, "language"?,
//  "tone"?, "notes"?, "outline"?: [..]}
CONTENTGEN_API ContentPlan plan_from_json(std::string_view json);
CONTENTGEN_API std::string plan_to_json(const ContentPlan& plan);

// {"title"?, "content"?, "status"?: "draft"|"published"|"archived", "metadata"?: {...}}
CONTENTGEN_API ArticleUpdate article_update_from_json(std::string_view json);

// {"prompt_tokens", "cached_tokens", "cache_write_tokens", "completion_tokens", "reasoning_tokens",
//  "total_tokens", "estimated"}
CONTENTGEN_API std::string usage_to_json(const TokenUsage& usage);
// The same keys (all optional, total_tokens ignored); does not validate_usage().
CONTENTGEN_API TokenUsage usage_from_json(std::string_view json);

// Every field of ArticleImage; created_at in RFC 3339.
CONTENTGEN_API std::string image_to_json(const ArticleImage& image);
// Every field of Article: usage as above, cost as "cost_usd" (exact decimal string, nine fraction
// digits) and "cost_nanousd" (integer), metadata as an embedded object, images as an array.
CONTENTGEN_API std::string article_to_json(const Article& article);
// {"items": [article...], "next_cursor": "" | "..."}
CONTENTGEN_API std::string article_page_to_json(const ArticlePage& page);

// {"total_usd", "total_nanousd", "estimated_usd", "estimated_nanousd", "reported_usd",
//  "reported_nanousd", "calls", "estimated_calls"}; reported = total - estimated.
CONTENTGEN_API std::string spend_summary_to_json(const SpendSummary& spend);

}  // namespace contentgen
