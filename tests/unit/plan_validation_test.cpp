// Every validation error of validate_plan, each naming its field.
#include <gtest/gtest.h>

#include <functional>

#include "contentgen/error.hpp"
#include "contentgen/plan.hpp"

namespace contentgen {
namespace {

ContentPlan valid_plan() {
  ContentPlan plan;
  plan.id = "plan-42";
  plan.workspace_id = "acme";
  plan.title = "Cách viết bài chuẩn SEO";
  plan.target_keywords = {"viết bài chuẩn seo", "seo onpage"};
  plan.language = "vi";
  plan.tone = "friendly";
  plan.notes = "Audience: beginners.\nMention internal links.";
  plan.outline = {"Vì sao SEO quan trọng", "Các bước viết bài"};
  return plan;
}

struct InvalidCase {
  std::string name;
  std::function<void(ContentPlan&)> spoil;
  std::string field;
};

class InvalidPlan : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidPlan, IsRejectedNamingTheField) {
  ContentPlan plan = valid_plan();
  GetParam().spoil(plan);
  try {
    validate_plan(plan);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.details().field, GetParam().field) << e.what();
    EXPECT_NE(std::string(e.what()).find(GetParam().field), std::string::npos) << "message names the field";
  }
}

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    Plan, InvalidPlan,
    ::testing::Values(
        InvalidCase{"empty_id", [](ContentPlan& p) { p.id = ""; }, "plan.id"},
        InvalidCase{"long_id", [](ContentPlan& p) { p.id = std::string(129, 'x'); }, "plan.id"},
        InvalidCase{"missing_workspace", [](ContentPlan& p) { p.workspace_id.clear(); }, "plan.workspace_id"},
        InvalidCase{"workspace_with_slash", [](ContentPlan& p) { p.workspace_id = "a/../b"; }, "plan.workspace_id"},
        InvalidCase{"workspace_dotdot", [](ContentPlan& p) { p.workspace_id = ".."; }, "plan.workspace_id"},
        InvalidCase{"workspace_too_long", [](ContentPlan& p) { p.workspace_id = std::string(129, 'w'); }, "plan.workspace_id"},
        InvalidCase{"missing_title", [](ContentPlan& p) { p.title.clear(); }, "plan.title"},
        InvalidCase{"blank_title", [](ContentPlan& p) { p.title = "   "; }, "plan.title"},
        InvalidCase{"title_501_chars", [](ContentPlan& p) { p.title = repeat("é", 501); }, "plan.title"},
        InvalidCase{"title_not_utf8", [](ContentPlan& p) { p.title = "abc\xC3"; }, "plan.title"},
        InvalidCase{"title_overlong_utf8", [](ContentPlan& p) { p.title = "\xC0\xAF"; }, "plan.title"},
        InvalidCase{"title_control_char", [](ContentPlan& p) { p.title = "a\nb"; }, "plan.title"},
        InvalidCase{"keywords_51", [](ContentPlan& p) { p.target_keywords.assign(51, "k"); }, "plan.target_keywords"},
        InvalidCase{"empty_keyword", [](ContentPlan& p) { p.target_keywords = {"a", "b", ""}; }, "plan.target_keywords[2]"},
        InvalidCase{"keyword_101", [](ContentPlan& p) { p.target_keywords = {std::string(101, 'k')}; }, "plan.target_keywords[0]"},
        InvalidCase{"word_count_99", [](ContentPlan& p) { p.estimated_word_count = 99; }, "plan.estimated_word_count"},
        InvalidCase{"word_count_20001", [](ContentPlan& p) { p.estimated_word_count = 20'001; }, "plan.estimated_word_count"},
        InvalidCase{"empty_language", [](ContentPlan& p) { p.language.clear(); }, "plan.language"},
        InvalidCase{"language_name", [](ContentPlan& p) { p.language = "english"; }, "plan.language"},
        InvalidCase{"language_underscore", [](ContentPlan& p) { p.language = "en_US"; }, "plan.language"},
        InvalidCase{"language_trailing_dash", [](ContentPlan& p) { p.language = "en-"; }, "plan.language"},
        InvalidCase{"tone_201", [](ContentPlan& p) { p.tone = std::string(201, 't'); }, "plan.tone"},
        InvalidCase{"notes_5001", [](ContentPlan& p) { p.notes = std::string(5'001, 'n'); }, "plan.notes"},
        InvalidCase{"notes_control_char", [](ContentPlan& p) { p.notes = std::string("bell\a"); }, "plan.notes"},
        InvalidCase{"outline_51", [](ContentPlan& p) { p.outline.assign(51, "h"); }, "plan.outline"},
        InvalidCase{"empty_heading", [](ContentPlan& p) { p.outline = {"ok", ""}; }, "plan.outline[1]"},
        InvalidCase{"heading_301", [](ContentPlan& p) { p.outline = {std::string(301, 'h')}; }, "plan.outline[0]"}),
    [](const ::testing::TestParamInfo<InvalidCase>& case_info) { return case_info.param.name; });

TEST(ValidPlan, BoundariesAreAccepted) {
  ContentPlan plan = valid_plan();
  EXPECT_NO_THROW(validate_plan(plan));
  plan.id.reset();
  plan.title = repeat("é", 500);  // 500 code points, 1000 bytes
  plan.target_keywords.assign(50, std::string(100, 'k'));
  plan.estimated_word_count = 100;
  plan.language = "zh-Hant-TW";
  plan.tone.clear();
  plan.notes = std::string(5'000, 'n');
  plan.outline.assign(50, std::string(300, 'h'));
  EXPECT_NO_THROW(validate_plan(plan));
  plan.estimated_word_count = 20'000;
  plan.language = "pt-BR";
  plan.target_keywords.clear();
  plan.outline.clear();
  EXPECT_NO_THROW(validate_plan(plan));
}

TEST(ValidPlan, DefaultsAreValidOnceWorkspaceAndTitleAreSet) {
  ContentPlan plan;
  plan.workspace_id = "ws_1.prod-eu";
  plan.title = "Hello";
  EXPECT_NO_THROW(validate_plan(plan));
  EXPECT_EQ(plan.estimated_word_count, 1500);
  EXPECT_EQ(plan.language, "en");
}

}  // namespace
}  // namespace contentgen
