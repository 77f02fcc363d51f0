// examples/cpp/demo_fakes.cpp -- the main job of libcontentgen on in-memory adapters: read a content
// plan, generate the article through the ContentGenerator facade, relay its events, and print the
// title, word count, exact cost and the article.generated event (CloudEvents JSON).
//
// The LLM is the public ScriptedLlmProvider, playing a writer that runs out of output tokens once
// (finish_reason "length") so the generator continues the article in a second call and adds up the
// cost of both. The repository, image store and event sink are the public in-memory fakes.
//
//   demo_fakes [PLAN.json]          (default: examples/plan.json of the source tree)
#include <fstream>
#include <iostream>
#include <sstream>

#include "contentgen/error.hpp"
#include "contentgen/event.hpp"
#include "contentgen/generator.hpp"
#include "contentgen/json.hpp"
#include "contentgen/relay.hpp"
#include "contentgen/testing/memory_article_repository.hpp"
#include "contentgen/testing/memory_image_store.hpp"
#include "contentgen/testing/recording_event_sink.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"

namespace cg = contentgen;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw cg::Error::invalid_argument("path", "cannot open " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// What a diligent writer would produce for the plan: an H1 with the main keyword, one H2 per outline
// heading with short paragraphs that use the keywords, and a conclusion with a call to action.
std::string scripted_article(const cg::ContentPlan& plan) {
  const std::string keyword = plan.target_keywords.empty() ? plan.title : plan.target_keywords.front();
  std::string md = "# " + plan.title + "\n\n";
  md += "Bạn có một shop online nhưng chưa biết bắt đầu SEO từ đâu? Bài viết này hướng dẫn từng bước, "
        "kèm ví dụ thực tế, để bạn tự tin " + keyword + " ngay hôm nay.\n\n";
  for (std::size_t i = 0; i < plan.outline.size(); ++i) {
    const std::string& other = plan.target_keywords.empty() ? keyword : plan.target_keywords[i % plan.target_keywords.size()];
    md += "## " + plan.outline[i] + "\n\n";
    for (int p = 0; p < 4; ++p) {
      md += "Khi nói đến " + other + ", điều quan trọng nhất là hiểu người đọc cần gì. Hãy viết câu ngắn, "
            "mỗi đoạn chỉ một ý, và dùng ví dụ gần gũi với khách hàng của bạn. Đừng nhồi nhét từ khóa: "
            "công cụ tìm kiếm hiện nay đánh giá nội dung hữu ích cao hơn số lần lặp lại.\n\n";
    }
    md += "### Ví dụ nhanh\n\n- Trước: tiêu đề chung chung, đoạn văn dài\n- Sau: tiêu đề chứa từ khóa, "
          "đoạn văn hai đến bốn câu\n\n";
  }
  md += "## Kết luận\n\n" + plan.title + " không khó nếu bạn làm theo từng bước. Hãy áp dụng checklist "
        "trên cho bài viết tiếp theo và **đăng ký bản tin hằng tuần** để nhận thêm mẹo SEO mỗi thứ Hai!\n";
  return md;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string plan_path = argc > 1 ? argv[1] : CONTENTGEN_EXAMPLE_PLAN;
    const cg::ContentPlan plan = cg::plan_from_json(read_file(plan_path));

    // The writer's reply, in two parts: the first call "runs out of tokens" half-way.
    const std::string article_text = scripted_article(plan);
    const std::size_t half = article_text.find("\n## ", article_text.size() / 2) + 1;
    auto llm = std::make_shared<cg::fakes::ScriptedLlmProvider>("scripted");
    llm->reply(article_text.substr(0, half), cg::FinishReason::length).reply(article_text.substr(half));

    auto repository = std::make_shared<cg::fakes::MemoryArticleRepository>();
    auto images = std::make_shared<cg::fakes::MemoryImageStore>();
    auto sink = std::make_shared<cg::fakes::RecordingEventSink>();
    cg::GeneratorOptions options;
    options.default_model = "gpt-4o-mini";
    options.export_html = true;
    cg::ContentGenerator generator({llm, repository, images, sink},
                                   std::make_shared<const cg::PriceTable>(cg::PriceTable::builtin()), options);

    const cg::Article article = generator.generate(plan);
    std::cout << "plan:    " << plan_path << "\n"
              << "article: " << article.id << "\n"
              << "title:   " << article.title << "\n"
              << "slug:    " << article.slug << "\n"
              << "words:   " << article.word_count << " (plan asked for ~" << plan.estimated_word_count << ")\n"
              << "model:   " << article.model << " via " << article.provider << ", " << article.llm_calls
              << " calls (finish: " << cg::to_string(article.finish_reason) << ")\n"
              << "tokens:  " << article.usage.prompt_tokens << " prompt + " << article.usage.completion_tokens
              << " completion\n"
              << "cost:    $" << article.cost.to_string() << " (" << article.cost.nanos() << " nano-USD, exact)\n"
              << "html:    " << article.html_url << "\n";

    // The event went to the outbox with the article; the relay delivers it to the sink.
    cg::EventRelay relay(repository, sink);
    const cg::RelayStats stats = relay.relay_all();
    std::cout << "events relayed: " << stats.delivered << " delivered, " << stats.failed << " failed\n";
    for (const auto& event : sink->events())
      std::cout << "event:   " << cg::to_cloudevent_json(event, "contentgen://demo/demo_fakes") << "\n";
    return stats.delivered == 1 && stats.failed == 0 ? 0 : 1;
  } catch (const cg::Error& error) {
    std::cerr << "demo_fakes: " << cg::to_string(error.code()) << ": " << error.what() << "\n";
    return 1;
  }
}
