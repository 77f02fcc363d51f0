#pragma once
// Prompt templates and their rendering (internal). A template is text with {{name}} placeholders;
// names are [a-z_]+, unknown names and unterminated "{{" are Error{invalid_argument} naming the
// template's field ("templates.user", ...). Nothing else is special: no escapes, no logic.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contentgen/generator.hpp"

namespace contentgen::internal {

struct PromptValue {
  std::string_view name;
  std::string value;
};
using PromptValues = std::vector<PromptValue>;

std::string render_template(std::string_view text, const PromptValues& values, std::string_view field);

// {{title}} {{keywords}} {{main_keyword}} {{word_count}} {{language}} {{tone}} {{notes}} {{outline}}
PromptValues plan_values(const ContentPlan& plan);

// [system, user]
std::vector<ChatMessage> initial_messages(const PromptTemplates& templates, const ContentPlan& plan);
// [system, user, assistant: the text so far, user: continuation with {{article_so_far}}]
std::vector<ChatMessage> continuation_messages(const PromptTemplates& templates, const ContentPlan& plan,
                                               std::string_view text_so_far);

// Renders every template once with sample values: a template with an unknown placeholder fails
// before anything is spent.
void validate_templates(const PromptTemplates& templates);

}  // namespace contentgen::internal
