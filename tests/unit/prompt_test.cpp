#include <gtest/gtest.h>

#include "contentgen/error.hpp"
#include "core/text/prompt.hpp"

namespace contentgen::internal {
namespace {

ContentPlan plan() {
  ContentPlan p;
  p.workspace_id = "acme";
  p.title = "Cách viết bài chuẩn SEO";
  p.target_keywords = {"viết bài chuẩn seo", "seo onpage"};
  p.estimated_word_count = 2500;
  p.language = "vi";
  p.tone = "thân thiện";
  p.notes = "Cho người mới";
  p.outline = {"SEO là gì", "Checklist"};
  return p;
}

void expect_field(const std::function<void()>& action, const std::string& field) {
  try {
    action();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.details().field, field) << e.what();
  }
}

TEST(Prompt, RendersEveryPlaceholder) {
  const PromptValues values = plan_values(plan());
  EXPECT_EQ(render_template("{{title}}|{{main_keyword}}|{{keywords}}|{{word_count}}|{{tone}}|{{notes}}", values, "t"),
            "Cách viết bài chuẩn SEO|viết bài chuẩn seo|viết bài chuẩn seo, seo onpage|2500|thân thiện|Cho người mới");
  EXPECT_EQ(render_template("{{outline}}", values, "t"), "- SEO là gì\n- Checklist");
  EXPECT_EQ(render_template("{{language}}", values, "t"), "Vietnamese (vi)");
  EXPECT_EQ(render_template("no placeholders { } {x}", values, "t"), "no placeholders { } {x}");
}

TEST(Prompt, DefaultsForEmptyPlanFields) {
  ContentPlan p;
  p.workspace_id = "acme";
  p.title = "Hello";
  const PromptValues values = plan_values(p);
  EXPECT_EQ(render_template("{{main_keyword}}", values, "t"), "Hello");
  EXPECT_NE(render_template("{{keywords}}", values, "t").find("none"), std::string::npos);
  EXPECT_EQ(render_template("{{language}}", values, "t"), "English (en)");
}

TEST(Prompt, UnknownOrUnterminatedPlaceholdersNameTheTemplate) {
  const PromptValues values = plan_values(plan());
  expect_field([&] { render_template("Hi {{titel}}", values, "templates.user"); }, "templates.user");
  expect_field([&] { render_template("Hi {{title", values, "templates.system"); }, "templates.system");
  expect_field([&] { render_template("{{Title}}", values, "templates.user"); }, "templates.user");
  PromptTemplates templates = PromptTemplates::defaults();
  templates.user = "Write about {{article_so_far}}";  // only the continuation template has it
  expect_field([&] { validate_templates(templates); }, "templates.user");
}

TEST(Prompt, DefaultTemplateCoversTheSeoRequirements) {
  const auto messages = initial_messages(PromptTemplates::defaults(), plan());
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].role, ChatMessage::Role::system);
  const std::string& user = messages[1].content;
  for (const char* needle : {"H1", "main keyword", "H2", "H3", "naturally", "introduction", "call to action",
                             "paragraphs short", "Markdown", "about 2500 words", "viết bài chuẩn seo, seo onpage",
                             "- SEO là gì"}) {
    EXPECT_NE(user.find(needle), std::string::npos) << "missing: " << needle;
  }
  EXPECT_EQ(user.find("{{"), std::string::npos);
}

TEST(Prompt, ContinuationCarriesTheTextSoFarAndItsTail) {
  const std::string so_far = std::string(3000, 'a') + "ĐOẠN CUỐI";
  const auto messages = continuation_messages(PromptTemplates::defaults(), plan(), so_far);
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[2].role, ChatMessage::Role::assistant);
  EXPECT_EQ(messages[2].content, so_far);
  EXPECT_EQ(messages[3].role, ChatMessage::Role::user);
  EXPECT_NE(messages[3].content.find("ĐOẠN CUỐI"), std::string::npos);
  EXPECT_LT(messages[3].content.size(), 2600u) << "only the tail is quoted";
  EXPECT_NE(messages[3].content.find("Continue"), std::string::npos);
}

}  // namespace
}  // namespace contentgen::internal
