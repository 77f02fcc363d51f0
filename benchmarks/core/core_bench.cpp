// Benchmarks of the core. Figures go to docs/performance.md ("Core"); nothing here asserts speed.
#include <benchmark/benchmark.h>

#include <string>

#include "contentgen/cost.hpp"
#include "contentgen/generator.hpp"
#include "contentgen/testing/memory_article_repository.hpp"
#include "contentgen/testing/memory_image_store.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"
#include "core/text/markdown.hpp"
#include "core/text/prompt.hpp"
#include "core/text/text.hpp"

namespace cg = contentgen;

namespace {

// A ~3,000-word Markdown article: headings, paragraphs with emphasis and links, lists, a table.
std::string article_3000_words() {
  std::string md = "# How to Write an SEO Article That Ranks in 2025\n\n";
  const std::string paragraph =
      "Search engines reward pages that **answer the question** a reader typed, in plain language, "
      "with a clear structure and [trustworthy sources](https://example.com/research/seo-study). "
      "Short paragraphs, descriptive headings and natural keywords help both people and crawlers.\n\n";
  const std::string list = "- Research the intent behind the keyword\n- Outline before you write\n"
                           "- Edit ruthlessly for clarity\n\n";
  for (int section = 1; section <= 13; ++section) {
    md += "## Section " + std::to_string(section) + ": what matters and why\n\n";
    for (int p = 0; p < 6; ++p) md += paragraph;
    md += list;
    md += "| Step | Goal |\n|---|---|\n| Draft | Cover the topic |\n| Review | Remove fluff |\n\n";
  }
  md += "## Conclusion\n\nStart with one article today and measure what happens. Subscribe for more tips!\n";
  return md;
}

const std::string& sample_article() {
  static const std::string text = article_3000_words();
  return text;
}

cg::ContentPlan sample_plan() {
  cg::ContentPlan plan;
  plan.id = "plan-bench";
  plan.workspace_id = "bench";
  plan.title = "Cách viết bài chuẩn SEO cho người mới bắt đầu";
  plan.target_keywords = {"viết bài chuẩn seo", "seo onpage", "từ khóa"};
  plan.estimated_word_count = 3000;
  plan.language = "vi";
  plan.tone = "thân thiện";
  plan.notes = "Cho người mới, nhiều ví dụ.";
  plan.outline = {"SEO là gì", "Nghiên cứu từ khóa", "Cấu trúc bài viết", "Kết luận"};
  return plan;
}

void BM_CostOf(benchmark::State& state) {
  const auto table = cg::PriceTable::builtin();
  const cg::ModelPrice& price = table.resolve("gpt-4o");
  const cg::TokenUsage usage{12'345, 8'000, 0, 2'345, 0, false};
  for (auto _ : state) benchmark::DoNotOptimize(cg::cost_of(price, usage));
}
BENCHMARK(BM_CostOf);

void BM_PriceTableCostExactName(benchmark::State& state) {
  const auto table = cg::PriceTable::builtin();
  const cg::TokenUsage usage{12'345, 8'000, 0, 2'345, 0, false};
  for (auto _ : state) benchmark::DoNotOptimize(table.cost("claude-3-5-sonnet", usage));
}
BENCHMARK(BM_PriceTableCostExactName);

void BM_PriceTableCostDatedAlias(benchmark::State& state) {
  const auto table = cg::PriceTable::builtin();
  const cg::TokenUsage usage{12'345, 8'000, 0, 2'345, 0, false};
  for (auto _ : state) benchmark::DoNotOptimize(table.cost("claude-3-5-sonnet-20241022", usage));
}
BENCHMARK(BM_PriceTableCostDatedAlias);

void BM_RenderPrompt(benchmark::State& state) {
  const auto templates = cg::PromptTemplates::defaults();
  const auto plan = sample_plan();
  for (auto _ : state) benchmark::DoNotOptimize(cg::internal::initial_messages(templates, plan));
}
BENCHMARK(BM_RenderPrompt);

void BM_RenderTemplateOnly(benchmark::State& state) {
  const auto templates = cg::PromptTemplates::defaults();
  const auto values = cg::internal::plan_values(sample_plan());
  for (auto _ : state) benchmark::DoNotOptimize(cg::internal::render_template(templates.user, values, "user"));
}
BENCHMARK(BM_RenderTemplateOnly);

void BM_MarkdownRender3000Words(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(cg::internal::render_markdown(sample_article()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * sample_article().size()));
}
BENCHMARK(BM_MarkdownRender3000Words);

void BM_CountWords3000WordText(benchmark::State& state) {
  const auto text = cg::internal::render_markdown(sample_article()).plain_text;
  state.counters["words"] = static_cast<double>(cg::internal::count_words(text));
  for (auto _ : state) benchmark::DoNotOptimize(cg::internal::count_words(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_CountWords3000WordText);

void BM_WordCountOfMarkdown3000Words(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(cg::internal::count_words(cg::internal::render_markdown(sample_article()).plain_text));
}
BENCHMARK(BM_WordCountOfMarkdown3000Words);

void BM_Slug(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(cg::internal::make_slug("Cách viết bài chuẩn SEO cho người mới bắt đầu"));
}
BENCHMARK(BM_Slug);

// One whole generate: validation, prompt, scripted reply (the 3,000-word article, streamed to no
// one), cost, Markdown, word count, slug, event, repository create. The repository grows by one
// article per iteration, as a real one would.
void BM_GenerateEndToEnd(benchmark::State& state) {
  auto llm = std::make_shared<cg::fakes::ScriptedLlmProvider>();
  llm->set_responder([](const cg::ChatRequest&) -> cg::Result<cg::ChatResponse> {
    cg::ChatResponse response;
    response.text = sample_article();
    response.usage = cg::TokenUsage{900, 0, 0, 4'200, 0, false};
    return response;
  });
  auto repository = std::make_shared<cg::fakes::MemoryArticleRepository>();
  cg::ContentGenerator generator({llm, repository, std::make_shared<cg::fakes::MemoryImageStore>(), nullptr},
                                 std::make_shared<const cg::PriceTable>(cg::PriceTable::builtin()));
  cg::ContentPlan plan = sample_plan();
  plan.id.reset();  // no idempotency key: every iteration generates
  for (auto _ : state) benchmark::DoNotOptimize(generator.generate(plan));
}
BENCHMARK(BM_GenerateEndToEnd)->Unit(benchmark::kMicrosecond);

}  // namespace
