// A host application's unit test, in miniature: the facade over the public fakes, through the
// installed headers, libcontentgen.so and libcontentgen-testing.so (the fakes) only. Exits
// non-zero on any surprise.
#include <contentgen/generator.hpp>
#include <contentgen/testing/memory_article_repository.hpp>
#include <contentgen/testing/memory_image_store.hpp>
#include <contentgen/testing/recording_event_sink.hpp>
#include <contentgen/testing/scripted_llm_provider.hpp>

#include <iostream>

namespace cg = contentgen;

#define CHECK(condition)                                                   \
  do {                                                                     \
    if (!(condition)) {                                                    \
      std::cerr << "consumer: check failed: " #condition "\n";            \
      return 1;                                                            \
    }                                                                      \
  } while (false)

int main() {
  auto llm = std::make_shared<cg::fakes::ScriptedLlmProvider>();
  cg::fakes::ScriptedReply reply;
  reply.text = "# Cách viết bài chuẩn SEO\n\nMột bài viết ngắn.";
  reply.usage = cg::TokenUsage{1000, 0, 0, 500, 0, false};
  llm->reply(reply);
  auto repository = std::make_shared<cg::fakes::MemoryArticleRepository>();
  cg::ContentGenerator generator({llm, repository, std::make_shared<cg::fakes::MemoryImageStore>(),
                                  std::make_shared<cg::fakes::RecordingEventSink>()},
                                 std::make_shared<const cg::PriceTable>(cg::PriceTable::builtin()));
  cg::ContentPlan plan;
  plan.workspace_id = "consumer";
  plan.title = "Cách viết bài chuẩn SEO";
  plan.language = "vi";
  const cg::Article article = generator.generate(plan);
  CHECK(article.slug == "cach-viet-bai-chuan-seo");
  CHECK(article.word_count == 9);
  CHECK(article.cost.to_string() == "0.000450000");
  CHECK(repository->pending_outbox_count() == 1);

  // Errors cross the shared-library boundary as contentgen::Error with their code.
  try {
    cg::ContentPlan bad = plan;
    bad.title.clear();
    generator.generate(bad);
    std::cerr << "consumer: an invalid plan was accepted\n";
    return 1;
  } catch (const cg::Error& error) {
    CHECK(error.code() == cg::ErrorCode::invalid_argument);
    CHECK(error.details().field == "plan.title");
  }
  std::cout << "consumer: generated \"" << article.title << "\" (" << article.word_count << " words, "
            << article.cost.to_string() << " USD)\n";
  return 0;
}
