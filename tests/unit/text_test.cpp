// Slugs (ICU transliteration), word counts (ICU word boundaries over the Markdown's text) and the
// Markdown rendering (cmark-gfm).
#include <gtest/gtest.h>

#include <thread>

#include "core/text/markdown.hpp"
#include "core/text/text.hpp"

namespace contentgen::internal {
namespace {

std::int64_t markdown_words(std::string_view markdown) { return count_words(render_markdown(markdown).plain_text); }

TEST(Slug, VietnameseLosesItsDiacritics) { EXPECT_EQ(make_slug("Cách viết bài chuẩn SEO"), "cach-viet-bai-chuan-seo"); }

TEST(Slug, GermanAndCyrillicAreTransliterated) {
  EXPECT_EQ(make_slug("Grüße aus Köln — Привет"), "grusse-aus-koln-privet");
}

TEST(Slug, VietnameseDStrokeAndCapitals) { EXPECT_EQ(make_slug("ĐÀ NẴNG: Hướng dẫn du lịch"), "da-nang-huong-dan-du-lich"); }

TEST(Slug, HanIsRomanized) { EXPECT_EQ(make_slug("東京"), "dong-jing"); }

TEST(Slug, PunctuationCollapsesAndTrims) {
  EXPECT_EQ(make_slug("  --Hello,   World!!  "), "hello-world");
  EXPECT_EQ(make_slug("C++ in 2025: 10 tips"), "c-in-2025-10-tips");
}

TEST(Slug, NothingLeftGivesAFallback) { EXPECT_EQ(make_slug("🚀 — !!"), "article"); }

TEST(Slug, LongTitlesAreCutAtAWordBoundary) {
  const std::string slug = make_slug(
      "An extremely long title about search engine optimisation that keeps going and going well past eighty");
  EXPECT_LE(slug.size(), 80u);
  EXPECT_NE(slug.back(), '-');
  EXPECT_EQ(slug, "an-extremely-long-title-about-search-engine-optimisation-that-keeps-going-and");
}

TEST(Slug, IsThreadSafe) {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i)
        if (make_slug("Grüße aus Köln") != "grusse-aus-koln") ++wrong;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(WordCount, EnglishSkipsMarkupUrlsAndRules) {
  const char* markdown =
      "# Hello world\n\n"
      "This is a **simple** test, with [a link](https://example.com/some/path) and `code`.\n\n"
      "---\n\n"
      "- one\n"
      "- two\n"
      "1. three\n";
  // Hello world | This is a simple test with a link and code | one two | three
  EXPECT_EQ(markdown_words(markdown), 2 + 10 + 2 + 1);
}

TEST(WordCount, BareUrlsAreNotWords) {
  EXPECT_EQ(markdown_words("Visit https://example.com/a/b?c=d today, or www.example.org."), 3);  // Visit today or
}

TEST(WordCount, ImageAltTextAndRawHtmlAreNotCounted) {
  EXPECT_EQ(markdown_words("![a picture of a cat](cat.png) Caption here\n\n<div class=\"x\">hidden words</div>\n"), 2);
}

TEST(WordCount, BlocksAndTableCellsDoNotMerge) {
  EXPECT_EQ(markdown_words("# Title\nBody"), 2);
  EXPECT_EQ(markdown_words("|alpha|beta|\n|---|---|\n|gamma|delta|\n"), 4);
}

TEST(WordCount, NumbersAndContractions) {
  EXPECT_EQ(markdown_words("Top 10 tips for 2024"), 5);
  EXPECT_EQ(markdown_words("Don't stop — it's 3,000 words."), 5);
}

TEST(WordCount, VietnameseCountsSyllables) {
  EXPECT_EQ(markdown_words("Cách viết bài chuẩn SEO cho người mới bắt đầu."), 10);
}

TEST(WordCount, JapaneseIsSegmentedByDictionary) {
  // No spaces: a whitespace split says 1 and a character count says 16. ICU's dictionary splits it
  // into words such as 私 / は / 毎日 / 日本語 / を / 勉強 / し / て / います.
  const auto words = markdown_words("私は毎日日本語を勉強しています。");
  EXPECT_GE(words, 6);
  EXPECT_LE(words, 11);
}

TEST(WordCount, MixedScripts) {
  // SEO là gì | SEO と は 何 です か
  const auto words = markdown_words("SEO là gì? SEOとは何ですか");
  EXPECT_GE(words, 6);
  EXPECT_LE(words, 10);
}

TEST(WordCount, EmptyAndPunctuationOnly) {
  EXPECT_EQ(count_words(""), 0);
  EXPECT_EQ(markdown_words("---\n\n* * *\n\n!!! ... ???"), 0);
}

TEST(Markdown, FirstH1IsTheTitle) {
  EXPECT_EQ(render_markdown("Intro\n\n# Real *Title* `x`\n\n# Second").first_h1, "Real Title x");
  EXPECT_EQ(render_markdown("Setext Title\n=====\n\nBody").first_h1, "Setext Title");
  EXPECT_EQ(render_markdown("## Only an H2\n\nBody").first_h1, "");
}

TEST(Markdown, GfmExtensionsRender) {
  const auto html = render_markdown(
                        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new\n\nSee https://example.com\n\n- [x] done\n- [ ] todo\n")
                        .html;
  EXPECT_NE(html.find("<table>"), std::string::npos) << html;
  EXPECT_NE(html.find("<del>old</del>"), std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"https://example.com\">"), std::string::npos) << html;
  EXPECT_NE(html.find("type=\"checkbox\""), std::string::npos) << html;
}

TEST(Markdown, RawHtmlAndScriptUrlsAreNotPassedThrough) {
  const auto html = render_markdown("<script>alert(1)</script>\n\nText <b onclick=\"x()\">bold</b> "
                                    "[click](javascript:alert(1))\n")
                        .html;
  EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
  EXPECT_EQ(html.find("onclick"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_NE(html.find("raw HTML omitted"), std::string::npos) << html;
}

}  // namespace
}  // namespace contentgen::internal
