#include "core/text/prompt.hpp"

#include <unicode/locid.h>

#include "contentgen/error.hpp"

namespace contentgen {

PromptTemplates PromptTemplates::defaults() {
  PromptTemplates t;
  t.system =
      "You are an expert SEO content writer. You write original, accurate and engaging articles in "
      "{{language}}, formatted in Markdown, for human readers first and search engines second.";
  t.user =
      "Write an SEO-optimised article in Markdown.\n"
      "\n"
      "Working title: {{title}}\n"
      "Main keyword: {{main_keyword}}\n"
      "Target keywords: {{keywords}}\n"
      "Length: about {{word_count}} words\n"
      "Language: {{language}}\n"
      "Tone: {{tone}}\n"
      "Notes from the editor: {{notes}}\n"
      "Outline to follow:\n"
      "{{outline}}\n"
      "\n"
      "Requirements:\n"
      "- Start with exactly one H1 heading (# ...) that contains the main keyword.\n"
      "- Structure the body with H2 (##) sections and H3 (###) subsections where they help the reader.\n"
      "- Use every target keyword naturally; never stuff keywords.\n"
      "- Open with an engaging introduction that tells the reader what they will learn.\n"
      "- Keep paragraphs short (two to four sentences); use lists where they make things clearer.\n"
      "- End with a conclusion that includes a clear call to action.\n"
      "- Reply with the article only, in Markdown: no preamble, no code fence around it.";
  t.continuation =
      "Your previous reply stopped because it reached the length limit. Continue the article exactly "
      "where it stopped: do not repeat anything, do not restart, do not summarise. Keep the same "
      "language, tone and Markdown structure, and finish with the conclusion and call to action if "
      "you have not written them yet. The text so far ends with:\n"
      "\n"
      "{{article_so_far}}";
  return t;
}

namespace internal {
namespace {

constexpr std::size_t tail_bytes = 2000;  // of the text so far, shown to the continuation prompt

std::string join(const std::vector<std::string>& items, std::string_view separator, std::string_view prefix) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += prefix;
    out += items[i];
  }
  return out;
}

// "Vietnamese (vi)", "Portuguese (Brazil) (pt-BR)": the model follows a name better than a tag.
std::string language_name(const std::string& tag) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status)) return tag;
  icu::UnicodeString name;
  locale.getDisplayName(icu::Locale::getEnglish(), name);
  std::string utf8;
  name.toUTF8String(utf8);
  if (utf8.empty() || utf8 == tag) return tag;
  return utf8 + " (" + tag + ")";
}

std::string_view utf8_tail(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t start = text.size() - max;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  return text.substr(start);
}

bool placeholder_char(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

}  // namespace

std::string render_template(std::string_view text, const PromptValues& values, std::string_view field) {
  std::string out;
  out.reserve(text.size() + 512);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, open - pos));
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos)
      throw Error::invalid_argument(std::string(field), "unterminated \"{{\" at byte " + std::to_string(open));
    const auto name = text.substr(open + 2, close - open - 2);
    const PromptValue* found = nullptr;
    if (!name.empty() && std::all_of(name.begin(), name.end(), placeholder_char))
      for (const auto& value : values)
        if (value.name == name) found = &value;
    if (found == nullptr)
      throw Error::invalid_argument(std::string(field), "unknown placeholder {{" + std::string(name) + "}}");
    out.append(found->value);
    pos = close + 2;
  }
  return out;
}

PromptValues plan_values(const ContentPlan& plan) {
  return {
      {"title", plan.title},
      {"keywords", plan.target_keywords.empty() ? "(none: choose them from the title)" : join(plan.target_keywords, ", ", "")},
      {"main_keyword", plan.target_keywords.empty() ? plan.title : plan.target_keywords.front()},
      {"word_count", std::to_string(plan.estimated_word_count)},
      {"language", language_name(plan.language)},
      {"tone", plan.tone.empty() ? "informative and friendly" : plan.tone},
      {"notes", plan.notes.empty() ? "(none)" : plan.notes},
      {"outline", plan.outline.empty() ? "(none: choose the structure yourself)" : join(plan.outline, "\n", "- ")},
  };
}

namespace {

std::vector<ChatMessage> initial_messages(const PromptTemplates& templates, const PromptValues& values) {
  return {{ChatMessage::Role::system, render_template(templates.system, values, "templates.system")},
          {ChatMessage::Role::user, render_template(templates.user, values, "templates.user")}};
}

}  // namespace

std::vector<ChatMessage> initial_messages(const PromptTemplates& templates, const ContentPlan& plan) {
  return initial_messages(templates, plan_values(plan));
}

std::vector<ChatMessage> continuation_messages(const PromptTemplates& templates, const ContentPlan& plan,
                                               std::string_view text_so_far) {
  auto values = plan_values(plan);  // once: the language's display name is an ICU lookup
  auto messages = initial_messages(templates, values);
  values.push_back({"article_so_far", std::string(utf8_tail(text_so_far, tail_bytes))});
  messages.push_back({ChatMessage::Role::assistant, std::string(text_so_far)});
  messages.push_back({ChatMessage::Role::user, render_template(templates.continuation, values, "templates.continuation")});
  return messages;
}

void validate_templates(const PromptTemplates& templates) {
  ContentPlan sample;
  sample.workspace_id = "sample";
  sample.title = "Sample";
  continuation_messages(templates, sample, "Sample text");
}

}  // namespace internal
}  // namespace contentgen
