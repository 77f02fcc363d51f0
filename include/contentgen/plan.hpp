#pragma once
// ContentPlan: what the caller wants written. validate_plan() is the single authority on what a
// valid plan is; the generator calls it before spending anything.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contentgen/export.hpp"

namespace contentgen {

struct ContentPlan {
  std::optional<std::string> id;              // the caller's plan id, if any (1-128 chars)
  std::string workspace_id;                   // required: 1-128 of [A-Za-z0-9._-] (part of storage keys)
  std::string title;                          // required, 1-500 characters (code points)
  std::vector<std::string> target_keywords;   // 0-50 keywords, each 1-100 characters
  std::int64_t estimated_word_count = 1500;   // 100-20,000
  std::string language = "en";                // BCP-47 tag, e.g. "en", "vi", "ja", "pt-BR"
  std::string tone;                           // free text, e.g. "friendly", "expert" (<= 200 chars)
  std::string notes;                          // free text for the writer (<= 5,000 chars)
  std::vector<std::string> outline;           // optional headings to follow (<= 50, each <= 300)
};

// Throws Error{invalid_argument} whose details().field names the first offending field:
// "plan.workspace_id", "plan.title", "plan.target_keywords[3]", "plan.estimated_word_count",
// "plan.language", ... Strings must be valid UTF-8.
CONTENTGEN_API void validate_plan(const ContentPlan& plan);

}  // namespace contentgen
