// validate_plan: the single authority on what a valid ContentPlan is. Lengths count code points.
#include <string>

#include "contentgen/error.hpp"
#include "contentgen/plan.hpp"
#include "core/text/utf8.hpp"
#include "core/domain/validation.hpp"

namespace contentgen {
namespace {

using internal::check_text;
using internal::TextRule;

// BCP-47 in the shape generators need: a 2-3 letter primary language subtag, then subtags of 1-8
// letters or digits ("en", "vi", "pt-BR", "zh-Hant-TW", "sr-Latn"). Not a registry lookup.
bool looks_like_bcp47(std::string_view tag) {
  if (tag.empty() || tag.size() > 35) return false;
  std::size_t start = 0;
  bool first = true;
  while (start <= tag.size()) {
    const auto dash = tag.find('-', start);
    const auto part = tag.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    if (part.empty() || part.size() > 8) return false;
    for (const char c : part) {
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      const bool digit = c >= '0' && c <= '9';
      if (!letter && !(digit && !first)) return false;
    }
    if (first && (part.size() < 2 || part.size() > 3)) return false;
    first = false;
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  return true;
}

}  // namespace

void validate_plan(const ContentPlan& plan) {
  if (plan.id) check_text(*plan.id, "plan.id", TextRule{1, 128, false});
  internal::check_workspace_id(plan.workspace_id, "plan.workspace_id");
  check_text(plan.title, "plan.title", TextRule{1, 500, false});

  if (plan.target_keywords.size() > 50)
    throw Error::invalid_argument("plan.target_keywords", "at most 50 target keywords");
  for (std::size_t i = 0; i < plan.target_keywords.size(); ++i)
    check_text(plan.target_keywords[i], "plan.target_keywords[" + std::to_string(i) + "]", TextRule{1, 100, false});

  if (plan.estimated_word_count < 100 || plan.estimated_word_count > 20'000)
    throw Error::invalid_argument("plan.estimated_word_count", "must be between 100 and 20,000 words");
  if (!looks_like_bcp47(plan.language))
    throw Error::invalid_argument("plan.language", "must be a BCP-47 language tag such as \"en\" or \"pt-BR\"");
  check_text(plan.tone, "plan.tone", TextRule{0, 200, false});
  check_text(plan.notes, "plan.notes", TextRule{0, 5'000, true});

  if (plan.outline.size() > 50) throw Error::invalid_argument("plan.outline", "at most 50 outline headings");
  for (std::size_t i = 0; i < plan.outline.size(); ++i)
    check_text(plan.outline[i], "plan.outline[" + std::to_string(i) + "]", TextRule{1, 300, false});
}

}  // namespace contentgen
