// ContentGenerator: construction, the synchronous generate, and article management.
#include "contentgen/generator.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

#include "contentgen/error.hpp"
#include "core/generator/generator_core.hpp"
#include "core/text/text.hpp"
#include "core/domain/validation.hpp"

namespace contentgen {

namespace {

Article load(internal::GeneratorCore& core, std::string_view workspace_id, std::string_view article_id) {
  internal::check_workspace_id(workspace_id);
  internal::check_article_id(article_id);
  auto article = core.ports.repository->get(workspace_id, article_id);
  if (!article) throw Error::not_found("article " + std::string(article_id));
  return std::move(*article);
}

// The blocking steps of one synchronous generate, queued for the thread that waits for it.
class CallerLoop {
 public:
  void post(std::function<void()> work) {
    std::lock_guard lock(mutex_);
    work_.push_back(std::move(work));
    wake_.notify_one();
  }
  void finish(Result<Article> result) {
    std::lock_guard lock(mutex_);
    result_.emplace(std::move(result));
    wake_.notify_one();
  }
  // Runs posted work until the result is in.
  Result<Article> run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return result_.has_value() || !work_.empty(); });
      if (work_.empty()) return std::move(*result_);
      auto work = std::move(work_.front());
      work_.pop_front();
      lock.unlock();
      work();  // a step of the operation: it never throws
      lock.lock();
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> work_;
  std::optional<Result<Article>> result_;
};

// Checks the changes; returns the canonical text of the new metadata, if any.
std::optional<std::string> validate_update(const ArticleUpdate& changes) {
  if (changes.title) internal::check_text(*changes.title, "changes.title", {1, 500, false});
  if (changes.content) internal::check_text(*changes.content, "changes.content", {1, 2'000'000, true});
  if (!changes.metadata_json) return std::nullopt;
  return internal::canonical_json_object(*changes.metadata_json, "changes.metadata_json");
}

}  // namespace

ContentGenerator::ContentGenerator(Ports ports, std::shared_ptr<const PriceTable> prices, GeneratorOptions options)
    : impl_(std::make_shared<Impl>(std::move(ports), std::move(prices), std::move(options))) {}

ContentGenerator::~ContentGenerator() { impl_->wait_until_idle(); }

const PriceTable& ContentGenerator::prices() const noexcept { return *impl_->prices; }
const Ports& ContentGenerator::ports() const noexcept { return impl_->ports; }

Article ContentGenerator::generate(const ContentPlan& plan, const GenerateOptions& options) {
  // The calling thread waits anyway: it runs the blocking steps itself, so the provider's I/O
  // thread never waits on the database, and host callbacks (a Python image store, say) run on the
  // thread that called.
  auto loop = std::make_shared<CallerLoop>();
  internal::start_generate(
      *impl_, plan, options, [loop](Result<Article> result) { loop->finish(std::move(result)); },
      [loop](std::function<void()> work) { loop->post(std::move(work)); });
  return loop->run().value();
}

void ContentGenerator::generate_async(ContentPlan plan, GenerateOptions options,
                                      std::function<void(Result<Article>)> on_done) {
  internal::start_generate(*impl_, std::move(plan), std::move(options), std::move(on_done));
}

Article ContentGenerator::get(std::string_view workspace_id, std::string_view article_id) {
  return load(*impl_, workspace_id, article_id);
}

ArticlePage ContentGenerator::list(std::string_view workspace_id, const ListQuery& query) {
  internal::check_workspace_id(workspace_id);
  return impl_->ports.repository->list(workspace_id, query);
}

SpendSummary ContentGenerator::spend(std::string_view workspace_id, std::optional<Timestamp> since) {
  internal::check_workspace_id(workspace_id);
  impl_->ports.repository->settle_lapsed_calls(workspace_id, impl_->now());
  return impl_->ports.repository->spend_summary(workspace_id, since);
}

Article ContentGenerator::update(std::string_view workspace_id, std::string_view article_id,
                                 const ArticleUpdate& changes, std::int64_t expected_version) {
  const auto metadata = validate_update(changes);
  const Article current = load(*impl_, workspace_id, article_id);
  if (current.version != expected_version)
    throw Error(ErrorCode::conflict, "article " + current.id + " is at version " + std::to_string(current.version) +
                                         ", not " + std::to_string(expected_version));
  Article next = current;
  if (changes.title) next.title = *changes.title;
  if (changes.content) {
    next.content = *changes.content;
    internal::render_content(next);
  }
  if (changes.title || changes.content) next.slug = internal::make_slug(next.title);
  if (changes.status) next.status = *changes.status;
  if (metadata) next.metadata_json = *metadata;
  next.updated_at = impl_->now();
  next.version = expected_version + 1;

  // The export goes first, so a failed export leaves the row unchanged; if the row update then
  // fails, the previous document is written back.
  const bool reexport = !next.html_url.empty() && (changes.title || changes.content);
  const std::string key = internal::html_export_key(next.workspace_id, next.id);
  if (reexport) impl_->image_store().put(key, as_bytes(internal::html_document(next)), "text/html; charset=utf-8");
  const Event event = internal::make_event(*impl_, EventType::article_updated, next, internal::updated_event_data(next));
  try {
    impl_->ports.repository->update(next, expected_version, std::span(&event, 1));
  } catch (...) {
    if (reexport) {
      try {
        impl_->image_store().put(key, as_bytes(internal::html_document(current)), "text/html; charset=utf-8");
      } catch (...) {
        // The update's own error is the one to report.
      }
    }
    throw;
  }
  return next;
}

void ContentGenerator::remove(std::string_view workspace_id, std::string_view article_id) {
  const Article article = load(*impl_, workspace_id, article_id);
  // Objects first, then rows: a failure in between leaves rows pointing at missing objects, which
  // a retry of remove() cleans up, instead of objects nothing points at any more.
  for (const auto& image : article.images) impl_->image_store().remove(image.storage_key);
  if (!article.html_url.empty()) impl_->image_store().remove(internal::html_export_key(article.workspace_id, article.id));
  const Event event = internal::make_event(*impl_, EventType::article_deleted, article, internal::deleted_event_data(article));
  if (!impl_->ports.repository->remove(workspace_id, article_id, std::span(&event, 1)))
    throw Error::not_found("article " + std::string(article_id));
}

}  // namespace contentgen
