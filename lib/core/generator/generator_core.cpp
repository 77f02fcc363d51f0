#include "core/generator/generator_core.hpp"

#include "contentgen/error.hpp"
#include "core/text/markdown.hpp"
#include "core/text/prompt.hpp"
#include "core/text/text.hpp"
#include "core/text/utf8.hpp"
#include "core/domain/validation.hpp"

namespace contentgen::internal {

GeneratorCore::GeneratorCore(Ports ports_in, std::shared_ptr<const PriceTable> prices_in, GeneratorOptions options_in)
    : ports(std::move(ports_in)), prices(std::move(prices_in)), options(std::move(options_in)) {
  if (!ports.llm) throw Error::invalid_argument("ports.llm", "an LlmProvider is required");
  if (!ports.repository) throw Error::invalid_argument("ports.repository", "an ArticleRepository is required");
  if (options.export_html && !ports.images)
    throw Error::invalid_argument("ports.images", "export_html needs an ImageStore");
  if (!prices) prices = std::make_shared<const PriceTable>(PriceTable::builtin());
  if (!options.clock) options.clock = now_utc;
  if (!options.id_generator) options.id_generator = [] { return new_uuid_v7(); };
  if (options.max_continuations < 0 || options.max_continuations > 20)
    throw Error::invalid_argument("options.max_continuations", "must be 0-20");
  if (options.max_tokens) check_max_tokens(*options.max_tokens, "options.max_tokens");
  check_temperature(options.temperature, "options.temperature");
  if (options.max_image_bytes == 0) throw Error::invalid_argument("options.max_image_bytes", "must be positive");
  if (options.max_image_pixels == 0) throw Error::invalid_argument("options.max_image_pixels", "must be positive");
  if (options.reservation_ttl.count() <= 0) throw Error::invalid_argument("options.reservation_ttl", "must be positive");
  prices->resolve(options.default_model);  // unknown_model now rather than at the first generate
  for (std::size_t i = 0; i < options.fallback_models.size(); ++i) {
    if (prices->find(options.fallback_models[i]) == nullptr) {
      Error error(ErrorCode::unknown_model, "no price for model " + options.fallback_models[i]);
      error.details().field = "options.fallback_models[" + std::to_string(i) + "]";
      throw error;
    }
  }
  validate_templates(options.templates);   // and an unknown {{placeholder}} too
}

void GeneratorCore::run_blocking(std::function<void()> work) const {
  if (options.blocking_executor)
    options.blocking_executor(std::move(work));
  else
    work();
}

void GeneratorCore::report(const LlmCallReport& call) const noexcept {
  if (!options.on_llm_call) return;
  try {
    options.on_llm_call(call);
  } catch (...) {
    // An observer must not throw; if it does, the generation is not its business.
  }
}

ImageStore& GeneratorCore::image_store() const {
  if (!ports.images) throw Error::invalid_argument("ports.images", "this generator has no ImageStore");
  return *ports.images;
}

void GeneratorCore::begin_operation() {
  std::lock_guard lock(mutex_);
  ++in_flight_;
}

void GeneratorCore::end_operation() noexcept {
  // Notify while holding the lock: the waiter cannot destroy *this before we let go of it.
  std::lock_guard lock(mutex_);
  if (--in_flight_ == 0) idle_.notify_all();
}

void GeneratorCore::wait_until_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return in_flight_ == 0; });
}

std::string html_export_key(std::string_view workspace_id, std::string_view article_id) {
  return "workspaces/" + std::string(workspace_id) + "/articles/" + std::string(article_id) + ".html";
}

std::string image_key(std::string_view workspace_id, std::string_view article_id, std::string_view image_id,
                      std::string_view extension) {
  return "workspaces/" + std::string(workspace_id) + "/articles/" + std::string(article_id) + "/images/" +
         std::string(image_id) + "." + std::string(extension);
}

std::string render_content(Article& article) {
  auto rendering = render_markdown(article.content);
  article.content_html = std::move(rendering.html);
  article.word_count = count_words(rendering.plain_text);
  return std::move(rendering.first_h1);
}

std::string choose_title(std::string_view first_h1, std::string_view fallback) {
  const auto length = utf8_length(first_h1);
  if (!length || *length == 0 || *length > 500 || has_control_characters(first_h1, false)) return std::string(fallback);
  return std::string(first_h1);
}

}  // namespace contentgen::internal
