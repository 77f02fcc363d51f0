#pragma once
// ContentGenerator: the facade. Turns a ContentPlan into a stored Article through the four ports,
// and manages articles and their images afterwards. See docs/architecture.md for the data flow.
//
// Thread safety: every method may be called concurrently from any thread. Ownership: the generator
// shares ownership of its ports; it must outlive the completion of its asynchronous operations
// (its destructor waits for them).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "contentgen/article.hpp"
#include "contentgen/bytes.hpp"
#include "contentgen/cancellation.hpp"
#include "contentgen/cost.hpp"
#include "contentgen/export.hpp"
#include "contentgen/ids.hpp"
#include "contentgen/log.hpp"
#include "contentgen/plan.hpp"
#include "contentgen/ports/article_repository.hpp"
#include "contentgen/ports/event_sink.hpp"
#include "contentgen/ports/image_store.hpp"
#include "contentgen/ports/llm_provider.hpp"
#include "contentgen/result.hpp"
#include "contentgen/time.hpp"

namespace contentgen {

struct Ports {
  std::shared_ptr<LlmProvider> llm;                 // required
  std::shared_ptr<ArticleRepository> repository;    // required
  std::shared_ptr<ImageStore> images;               // required for images and HTML export
  std::shared_ptr<EventSink> events;                // optional: used by relay_events()
};

// Prompt templates. Placeholders: {{title}} {{keywords}} {{main_keyword}} {{word_count}}
// {{language}} {{tone}} {{notes}} {{outline}}; the continuation template also sees {{article_so_far}}
// (the tail of the text written so far). Unknown placeholders are an invalid_argument error.
struct CONTENTGEN_API PromptTemplates {
  std::string system;
  std::string user;
  std::string continuation;
  static PromptTemplates defaults();
};

// One LLM call, reported to GeneratorOptions::on_llm_call after it finished (success or not).
struct LlmCallReport {
  std::string workspace_id;
  std::string provider;
  std::string model;
  TokenUsage usage;
  std::optional<Money> cost;            // nullopt when the model has no price
  std::chrono::nanoseconds latency{};
  std::int32_t attempts = 0;
  std::optional<ErrorCode> error;       // nullopt on success
};

struct GeneratorOptions {
  std::string default_model = "gpt-4o-mini";
  double temperature = 0.7;
  // Output budget per call, 1-10,000,000; nullopt: derived from the plan (about 2 tokens per word,
  // capped).
  std::optional<std::int64_t> max_tokens;
  std::int32_t max_continuations = 4;   // further calls when a reply stops on `length`
  PromptTemplates templates = PromptTemplates::defaults();
  std::size_t max_image_bytes = 10 * 1024 * 1024;
  // Width x height an uploaded image may declare (a 20-byte PNG header can claim 10^10 pixels,
  // which whoever decodes it later would have to allocate).
  std::uint64_t max_image_pixels = 100'000'000;
  bool export_html = false;             // also write workspaces/{ws}/articles/{id}.html to images
  std::chrono::seconds reservation_ttl{900};
  // Models the LLM provider may call instead of the requested one (a fallback chain, llm.fallback):
  // budget reservations are sized at the dearest of them and the requested model. Each needs a price.
  std::vector<std::string> fallback_models;
  Clock clock{};                        // default: now_utc
  IdGenerator id_generator{};           // default: new_uuid_v7
  std::function<void(const LlmCallReport&)> on_llm_call{};  // must be thread-safe and not throw
  // What the generator could not do and did not report as an error (a claim it could not release,
  // lapsed calls it could not settle...); open_generator also hands it to the transport and the
  // relay. Nothing is written anywhere without it (contentgen/log.hpp).
  LogHandler log{};
  // Runs blocking repository/store work that follows an LLM reply of generate_async. Default: run it
  // inline on the thread that delivered the reply. Hosts driving hundreds of calls on one I/O
  // thread hand it a small thread pool so database latency does not stall the network loop. An
  // executor that cannot take the work throws; the operation then ends with that error.
  std::function<void(std::function<void()>)> blocking_executor{};
};

struct GenerateOptions {
  std::string model;                    // empty: GeneratorOptions::default_model
  std::optional<double> temperature;
  std::optional<std::int64_t> max_tokens;
  // Empty: "plan:<plan.id>" when the plan has an id, else none. A key that already produced an
  // article returns that article without calling the LLM again.
  std::string idempotency_key;
  std::optional<PromptTemplates> templates;
  std::string metadata_json = "{}";     // stored on the article; must be a JSON object
  // Streams the text as it is written, on the provider's thread. If it throws, no further delta is
  // passed on and the generation fails with that error once the current LLM call returns.
  StreamObserver on_delta;
  CancellationToken cancel;
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

struct ArticleUpdate {
  std::optional<std::string> title;
  std::optional<std::string> content;   // Markdown; recomputes word count, slug and HTML
  std::optional<ArticleStatus> status;
  std::optional<std::string> metadata_json;
};

struct ImageUpload {
  ByteView bytes;
  std::string filename;                 // informational only
  std::string declared_content_type;    // optional; must agree with the sniffed type
  std::string alt_text;
};

class CONTENTGEN_API ContentGenerator {
 public:
  // Throws Error{invalid_argument} when a required port is missing.
  ContentGenerator(Ports ports, std::shared_ptr<const PriceTable> prices, GeneratorOptions options = {});
  ~ContentGenerator();
  ContentGenerator(const ContentGenerator&) = delete;
  ContentGenerator& operator=(const ContentGenerator&) = delete;

  // Validates, prompts, calls the LLM (continuing on `length`), renders, and saves article +
  // article.generated event + spend atomically. Throws Error. Everything but the LLM call itself
  // runs on the calling thread (GeneratorOptions::blocking_executor is for generate_async only).
  Article generate(const ContentPlan& plan, const GenerateOptions& options = {});
  // The same without a thread per call: returns at once; `on_done` runs exactly once, on the
  // provider's thread (or the blocking_executor's). Validation errors are delivered, not thrown.
  void generate_async(ContentPlan plan, GenerateOptions options, std::function<void(Result<Article>)> on_done);

  Article get(std::string_view workspace_id, std::string_view article_id);
  ArticlePage list(std::string_view workspace_id, const ListQuery& query = {});
  // Throws not_found, conflict (stale version), invalid_argument.
  Article update(std::string_view workspace_id, std::string_view article_id, const ArticleUpdate& changes,
                 std::int64_t expected_version);
  // Removes the article's objects, then its rows; emits article.deleted. Throws not_found.
  void remove(std::string_view workspace_id, std::string_view article_id);

  // Sniffs PNG/JPEG/GIF/WebP from the bytes, stores the object, then the row (deleting the object
  // again if the row fails); emits image.uploaded.
  ArticleImage upload_image(std::string_view workspace_id, std::string_view article_id, const ImageUpload& upload);
  // Throws not_found.
  void delete_image(std::string_view workspace_id, std::string_view article_id, std::string_view image_id);

  // What the workspace's ledger holds (at or after `since`, if given), with its estimated part.
  // First settles the workspace's lapsed pending calls (their process died after sending them), so
  // they are counted, as estimated spend at their worst case (docs/architecture.md#cost).
  SpendSummary spend(std::string_view workspace_id, std::optional<Timestamp> since = std::nullopt);

  const PriceTable& prices() const noexcept;
  const Ports& ports() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace contentgen
