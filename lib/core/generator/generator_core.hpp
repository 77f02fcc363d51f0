#pragma once
// What ContentGenerator's translation units share (internal): the ports, prices and options, the
// count of asynchronous operations in flight (the destructor waits for it to reach zero), and
// small helpers every operation uses.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "contentgen/generator.hpp"

namespace contentgen::internal {

struct GeneratorCore {
  GeneratorCore(Ports ports_in, std::shared_ptr<const PriceTable> prices_in, GeneratorOptions options_in);

  Ports ports;
  std::shared_ptr<const PriceTable> prices;
  GeneratorOptions options;

  Timestamp now() const { return options.clock(); }
  std::string new_id() const { return options.id_generator(); }
  // Runs repository/store work that follows an asynchronous reply: on options.blocking_executor
  // when one is set, else right here.
  void run_blocking(std::function<void()> work) const;
  // Calls options.on_llm_call, swallowing anything it throws.
  void report(const LlmCallReport& report) const noexcept;
  ImageStore& image_store() const;  // Error{invalid_argument, "ports.images"} when there is none

  // Asynchronous operations in flight. end_operation() must be the last thing an operation does
  // with this object: it may be destroyed as soon as the count reaches zero.
  void begin_operation();
  void end_operation() noexcept;
  void wait_until_idle();

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t in_flight_ = 0;
};

// workspaces/{ws}/articles/{id}.html
std::string html_export_key(std::string_view workspace_id, std::string_view article_id);
// workspaces/{ws}/articles/{article}/images/{image}.{ext}
std::string image_key(std::string_view workspace_id, std::string_view article_id, std::string_view image_id,
                      std::string_view extension);
// Renders article.content into content_html and word_count; returns the first H1's text ("" if
// none). The title and slug are the caller's business.
std::string render_content(Article& article);
// Title from the first H1 when it is a usable title (1-500 characters), else `fallback`.
std::string choose_title(std::string_view first_h1, std::string_view fallback);

// A standalone HTML document around the article's rendered body.
std::string html_document(const Article& article);

// Event payloads (docs/events.md). Every one carries article_id and workspace_id.
Event make_event(const GeneratorCore& core, EventType type, const Article& article, std::string data_json);
std::string generated_event_data(const Article& article);
std::string updated_event_data(const Article& article);
std::string deleted_event_data(const Article& article);
std::string image_event_data(const ArticleImage& image, bool uploaded);

// Starts an asynchronous generate (generate_operation.cpp). `executor`, when set, runs this
// operation's blocking steps instead of GeneratorOptions::blocking_executor.
void start_generate(GeneratorCore& core, ContentPlan plan, GenerateOptions options,
                    std::function<void(Result<Article>)> on_done,
                    std::function<void(std::function<void()>)> executor = {});

}  // namespace contentgen::internal

namespace contentgen {
// The facade's private state is exactly the shared core.
struct ContentGenerator::Impl : internal::GeneratorCore {
  using GeneratorCore::GeneratorCore;
};
}  // namespace contentgen
