// One asynchronous generate: validate -> (idempotent hit?) -> reserve budget -> LLM call ->
// (continue on `length`, reserving again) -> render -> save article + event + spend at once.
// Each step runs after the previous one finished, on the provider's thread or the blocking
// executor; no thread waits for an LLM reply. See docs/architecture.md#generate.
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include <boost/json.hpp>

#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "core/domain/current_error.hpp"
#include "core/generator/generator_core.hpp"
#include "core/text/prompt.hpp"
#include "core/text/sha256.hpp"
#include "core/text/text.hpp"
#include "core/text/utf8.hpp"
#include "core/domain/validation.hpp"

namespace contentgen::internal {
namespace {

using Done = std::function<void(Result<Article>)>;
using Executor = std::function<void(std::function<void()>)>;

// Output budget when neither the call nor the generator sets one: ~2 tokens per word (generous
// for English, about right for Vietnamese or Japanese), within what current models accept.
std::int64_t derived_max_tokens(const ContentPlan& plan) {
  return std::clamp<std::int64_t>(plan.estimated_word_count * 2, 1024, 16'384);
}

Error current_error() { return internal::current_error("unexpected exception"); }

// What identifies a request for idempotency: the plan and every option that changes what the model
// writes, as canonical JSON, hashed. A key reused with another fingerprint is a mismatch. Metadata
// is the caller's bookkeeping, not part of the request: a retry that omits it is the same request.
std::string request_fingerprint(const ContentPlan& plan, const GenerateOptions& options, const std::string& model,
                                double temperature, std::int64_t max_tokens) {
  namespace json = boost::json;
  const auto strings = [](const std::vector<std::string>& items) {
    json::array out;
    for (const auto& item : items) out.emplace_back(item);
    return out;
  };
  json::object request{{"plan_id", plan.id ? json::value(*plan.id) : json::value(nullptr)},
                       {"title", plan.title},
                       {"target_keywords", strings(plan.target_keywords)},
                       {"estimated_word_count", plan.estimated_word_count},
                       {"language", plan.language},
                       {"tone", plan.tone},
                       {"notes", plan.notes},
                       {"outline", strings(plan.outline)},
                       {"model", model},
                       {"temperature", temperature},
                       {"max_tokens", max_tokens}};
  if (options.templates) {
    request["templates"] = json::array{options.templates->system, options.templates->user, options.templates->continuation};
  }
  return sha256_hex(as_bytes(canonical_json(request, "request")));
}

// Metadata member counting what sanitize_generated_text removed from the model's text.
constexpr std::string_view kRemovedCharactersKey = "contentgen_removed_characters";

// Usage summed over the calls of one generation. Each call's figures are validated, but a provider
// may still report counts whose sum leaves int64.
TokenUsage checked_sum(const TokenUsage& a, const TokenUsage& b) {
  TokenUsage sum;
  if (__builtin_add_overflow(a.prompt_tokens, b.prompt_tokens, &sum.prompt_tokens) ||
      __builtin_add_overflow(a.cached_tokens, b.cached_tokens, &sum.cached_tokens) ||
      __builtin_add_overflow(a.cache_write_tokens, b.cache_write_tokens, &sum.cache_write_tokens) ||
      __builtin_add_overflow(a.completion_tokens, b.completion_tokens, &sum.completion_tokens) ||
      __builtin_add_overflow(a.reasoning_tokens, b.reasoning_tokens, &sum.reasoning_tokens))
    throw Error(ErrorCode::internal, "token counts of the generation overflow int64");
  sum.estimated = a.estimated || b.estimated;
  return sum;
}

class GenerateOperation : public std::enable_shared_from_this<GenerateOperation> {
 public:
  GenerateOperation(GeneratorCore& core, ContentPlan plan, GenerateOptions options, Done on_done, Executor executor)
      : core_(core),
        plan_(std::move(plan)),
        options_(std::move(options)),
        on_done_(std::move(on_done)),
        executor_(std::move(executor)) {}

  // Hands the first step to the executor. One that refuses the work (throws) ends the operation
  // here, through its handler.
  void launch() noexcept {
    try {
      run_blocking([self = shared_from_this()] { self->start(); });
    } catch (...) {
      fail(current_error());
    }
  }

 private:
  void start() noexcept {
    guarded([&] {
      prepare();
      if (auto existing = claim_key()) return deliver(std::move(*existing));
      settle_lapsed_calls();
      messages_ = initial_messages(templates_, plan_);
      call_llm();
    });
  }

  // Blocking work (repository, store, rendering): on this operation's executor when it has one,
  // else the generator's.
  void run_blocking(std::function<void()> work) const {
    if (executor_)
      executor_(std::move(work));
    else
      core_.run_blocking(std::move(work));
  }

  // Runs a step; any Error (or stray exception) ends the operation through fail().
  template <class Step>
  void guarded(Step&& step) noexcept {
    try {
      step();
    } catch (...) {
      fail(current_error());
    }
  }

  void prepare() {
    validate_plan(plan_);
    options_.metadata_json = canonical_json_object(options_.metadata_json, "options.metadata_json");
    templates_ = options_.templates.value_or(core_.options.templates);
    if (options_.templates) validate_templates(templates_);  // the generator's own: checked when it was built
    model_ = options_.model.empty() ? core_.options.default_model : options_.model;
    price_ = &core_.prices->resolve(model_);  // unknown_model before anything is spent
    temperature_ = options_.temperature.value_or(core_.options.temperature);
    check_temperature(temperature_, "options.temperature");
    max_tokens_ = options_.max_tokens.value_or(core_.options.max_tokens.value_or(derived_max_tokens(plan_)));
    check_max_tokens(max_tokens_, "options.max_tokens");
    // A plan id is its own key: one plan, one article, whatever key comes with it.
    call_id_ = new_uuid_v7();  // not the id generator: a host's ids stay theirs alone
    key_ = plan_.id ? "plan:" + *plan_.id : options_.idempotency_key;
    check_text(key_, "options.idempotency_key", TextRule{0, 200, false});
    if (!key_.empty()) fingerprint_ = request_fingerprint(plan_, options_, model_, temperature_, max_tokens_);
  }

  // Claims the key before anything is paid for. Returns the article already created under it, or
  // nullopt when this operation holds the key now; throws conflict for a request in progress or a
  // key reused with a different request.
  std::optional<Article> claim_key() {
    if (key_.empty()) return std::nullopt;
    const auto now = core_.now();
    IdempotencyClaim claim = core_.ports.repository->claim_idempotency_key(plan_.workspace_id, key_, fingerprint_, now,
                                                                           core_.options.reservation_ttl);
    switch (claim.outcome) {
      case IdempotencyClaim::Outcome::claimed:
        claim_token_ = std::move(claim.token);
        return std::nullopt;
      case IdempotencyClaim::Outcome::completed:
        if (auto article = core_.ports.repository->get(plan_.workspace_id, claim.article_id)) return article;
        throw Error(ErrorCode::conflict, "idempotency key \"" + key_ + "\": its article is gone");
      case IdempotencyClaim::Outcome::in_progress: {
        Error error(ErrorCode::conflict, "a generation with idempotency key \"" + key_ + "\" is in progress");
        error.details().field = "idempotency_key";
        error.details().retry_after = std::chrono::seconds(2);
        throw error;
      }
      case IdempotencyClaim::Outcome::mismatch:
        break;
    }
    Error error(ErrorCode::conflict, "idempotency key \"" + key_ + "\" was reused with a different request");
    error.details().field = "idempotency_key";
    throw error;
  }

  // Calls whose process died (their pending record lapsed) become estimated spend before this
  // generation reserves against the budget. Housekeeping: a failure here is not this call's.
  void settle_lapsed_calls() noexcept {
    try {
      core_.ports.repository->settle_lapsed_calls(plan_.workspace_id, core_.now());
    } catch (...) {
      log_swallowed("could not settle lapsed calls (the next generation tries again)");
    }
  }

  // Housekeeping that failed without failing the generation: the host hears of it through its log.
  void log_swallowed(std::string_view what) const noexcept {
    if (!core_.options.log) return;
    try {
      emit_log(core_.options.log, LogLevel::warning, "generator",
               "workspace " + plan_.workspace_id + ": " + std::string(what) + ": " +
                   internal::current_error("unknown error").what());
    } catch (...) {
    }
  }

  // Gives the key back after a failure, so that a retry can run.
  void release_claim() noexcept {
    if (claim_token_.empty()) return;
    try {
      core_.ports.repository->release_idempotency_key(plan_.workspace_id, key_, claim_token_);
    } catch (...) {
      log_swallowed("could not release idempotency key " + key_ + " (it lapses after reservation_ttl)");
    }
    claim_token_.clear();
  }

  std::optional<Article> idempotent_hit() {
    if (key_.empty()) return std::nullopt;
    const auto id = core_.ports.repository->find_by_idempotency_key(plan_.workspace_id, key_);
    if (!id) return std::nullopt;
    return core_.ports.repository->get(plan_.workspace_id, *id);
  }

  // The most this call can cost, at the dearest model that may serve it (the requested one or a
  // fallback): every prompt byte a token (no BPE tokenizer does worse) at the dearest input rate (a
  // cache write costs more than plain input), plus max_tokens at the dearer of the output and
  // reasoning rates.
  Money worst_case_cost() const {
    std::int64_t prompt_tokens = 0;
    for (const auto& message : messages_) prompt_tokens += static_cast<std::int64_t>(message.content.size()) + 16;
    Money worst = worst_case_cost(*price_, prompt_tokens);
    for (const auto& model : core_.options.fallback_models) {
      worst = std::max(worst, worst_case_cost(core_.prices->resolve(model), prompt_tokens));
    }
    return worst;
  }

  Money worst_case_cost(const ModelPrice& price, std::int64_t prompt_tokens) const {
    TokenUsage usage;
    usage.prompt_tokens = prompt_tokens;
    const Money input = price.input_per_million;
    if (price.cache_write_per_million && *price.cache_write_per_million > input)
      usage.cache_write_tokens = usage.prompt_tokens;
    else if (price.cached_input_per_million && *price.cached_input_per_million > input)
      usage.cached_tokens = usage.prompt_tokens;
    usage.completion_tokens = max_tokens_;
    if (price.reasoning_per_million && *price.reasoning_per_million > price.output_per_million)
      usage.reasoning_tokens = max_tokens_;
    return cost_of(price, usage);
  }

  // Blocking (repository): runs on the caller's thread or the blocking executor.
  void call_llm() {
    if (options_.cancel.cancelled()) throw Error(ErrorCode::cancelled, "the generation was cancelled");
    // Rolling reservation: what was spent so far plus the worst case of this call.
    const Money amount = cost_ + worst_case_cost();
    release_reservation();
    const Timestamp now = core_.now();
    reservation_ = core_.ports.repository->reserve_budget(plan_.workspace_id, amount, now, core_.options.reservation_ttl);
    // Recorded before the request leaves: if this process dies before the reply's spend is
    // recorded, the call is settled later at its worst case instead of being lost to the ledger.
    core_.ports.repository->begin_call(PendingCall{call_id_, plan_.workspace_id, std::string(core_.ports.llm->name()),
                                                   model_, amount, now, now + core_.options.reservation_ttl});
    call_pending_ = true;
    ChatRequest request;
    request.model = model_;
    request.messages = messages_;
    request.temperature = temperature_;
    request.max_tokens = max_tokens_;
    request.deadline = options_.deadline;
    request.cancel = options_.cancel;
    if (options_.on_delta) {
      // Weak: a provider may keep the request (the scripted one records them) after the call.
      request.on_delta = [weak = weak_from_this()](std::string_view delta) {
        if (const auto self = weak.lock()) self->forward_delta(delta);
      };
    }
    ++calls_;
    const auto started = std::chrono::steady_clock::now();
    core_.ports.llm->complete_async(std::move(request), [self = shared_from_this(), started](Result<ChatResponse> reply) {
      self->on_reply(std::move(reply), std::chrono::steady_clock::now() - started);
    });
  }

  // The caller's stream observer, on the provider's thread. What it throws must not reach the
  // provider: it is kept, later deltas are dropped, and the generation fails with it once the
  // call has returned (deltas and the reply come in order, on one thread at a time).
  void forward_delta(std::string_view delta) noexcept {
    if (observer_error_) return;
    try {
      options_.on_delta(delta);
    } catch (...) {
      observer_error_ = current_error();
    }
  }

  // Runs on the provider's thread. Nothing may escape into the provider (an Asio handler that
  // throws takes its I/O thread down): whatever handle_reply throws -- including an executor that
  // refuses the work -- ends the operation here.
  void on_reply(Result<ChatResponse> reply, std::chrono::nanoseconds latency) noexcept {
    try {
      handle_reply(std::move(reply), latency);
    } catch (...) {
      fail(current_error());
    }
  }

  // Bookkeeping only; blocking work goes to run_blocking.
  void handle_reply(Result<ChatResponse> reply, std::chrono::nanoseconds latency) {
    auto self = shared_from_this();
    if (!reply.ok()) {
      Error error = reply.error();
      LlmCallReport report{plan_.workspace_id, std::string(core_.ports.llm->name()), model_, {}, std::nullopt,
                           latency, 0, error.code()};
      if (const auto& billed = error.details().billed_usage) {
        report.usage = *billed;
        try {
          report.cost = add_spend(std::string(core_.ports.llm->name()), model_, *billed, false);
        } catch (const Error&) {
          // Usage that does not add up cannot be priced; the provider's error is what matters.
        }
      }
      core_.report(report);
      return run_blocking([self, error] { self->fail(error); });
    }
    ChatResponse response = std::move(reply).value();
    if (response.provider.empty()) response.provider = std::string(core_.ports.llm->name());
    if (response.model.empty()) response.model = model_;
    LlmCallReport report{plan_.workspace_id, response.provider, response.model, response.usage, std::nullopt,
                         latency, response.attempts, std::nullopt};
    try {
      report.cost = add_spend(response.provider, response.model, response.usage, true);
    } catch (const Error& error) {
      report.error = ErrorCode::upstream;
      core_.report(report);
      Error upstream(ErrorCode::upstream, std::string("the provider reported unusable usage: ") + error.what());
      upstream.details().provider = response.provider;
      upstream.details().request_id = response.request_id;
      return run_blocking([self, upstream] { self->fail(upstream); });
    }
    core_.report(report);
    text_ += response.text;
    last_ = std::move(response);
    last_.text.clear();

    if (observer_error_) {
      spend_.back().succeeded = false;
      return run_blocking([self, error = *observer_error_] { self->fail(error); });
    }
    if (last_.finish_reason == FinishReason::content_filter) {
      spend_.back().succeeded = false;
      ErrorDetails details;
      details.provider = last_.provider;
      details.provider_code = "content_filter";
      details.request_id = last_.request_id;
      details.billed_usage = last_.usage;
      Error filtered(ErrorCode::upstream, "the provider's content filter stopped the reply", details);
      return run_blocking([self, filtered] { self->fail(filtered); });
    }
    if (last_.finish_reason == FinishReason::length && calls_ <= core_.options.max_continuations) {
      return run_blocking([self] {
        self->guarded([&] {
          self->messages_ = continuation_messages(self->templates_, self->plan_, self->text_);
          self->call_llm();
        });
      });
    }
    run_blocking([self] { self->guarded([&] { self->save_article(); }); });
  }

  // Prices the call by the model the provider reported when the table knows it (a dated snapshot
  // through an alias rule), else by the requested model's price resolved before the call.
  Money add_spend(const std::string& provider, const std::string& model, const TokenUsage& usage, bool succeeded) {
    const ModelPrice* price = core_.prices->find(model);
    const Money cost = cost_of(price != nullptr ? *price : *price_, usage);
    // Totals first: a sum that overflows leaves the operation's figures as they were.
    const TokenUsage total_usage = checked_sum(usage_, usage);
    const Money total_cost = cost_ + cost;
    SpendRecord record;
    record.id = core_.new_id();
    record.workspace_id = plan_.workspace_id;
    record.provider = provider;
    record.model = model;
    record.usage = usage;
    record.cost = cost;
    record.succeeded = succeeded;
    record.at = core_.now();
    spend_.push_back(std::move(record));
    usage_ = total_usage;
    cost_ = total_cost;
    return cost;
  }

  void save_article() {
    if (text_.find_first_not_of(" \t\r\n") == std::string::npos) {
      ErrorDetails details;
      details.provider = last_.provider;
      details.request_id = last_.request_id;
      throw Error(ErrorCode::upstream, "the model returned no text", details);
    }
    // What a model writes is stored the same on every backend: no NUL (PostgreSQL cuts TEXT
    // there), no other control characters, only well-formed UTF-8. What was removed is counted in
    // the article's metadata.
    const std::size_t removed = sanitize_generated_text(text_);
    Article article;
    article.id = core_.new_id();
    article.workspace_id = plan_.workspace_id;
    article.plan_id = plan_.id.value_or("");
    article.content = std::move(text_);
    article.title = choose_title(render_content(article), plan_.title);
    article.slug = make_slug(article.title);
    article.provider = last_.provider;
    article.model = last_.model;
    article.finish_reason = last_.finish_reason;
    article.llm_calls = calls_;
    article.usage = usage_;
    article.cost = cost_;
    article.metadata_json = options_.metadata_json;
    if (removed > 0) {
      article.metadata_json = json_object_with(article.metadata_json, kRemovedCharactersKey, static_cast<std::int64_t>(removed));
    }
    article.created_at = article.updated_at = core_.now();

    std::string exported_key;
    if (core_.options.export_html) {
      exported_key = html_export_key(article.workspace_id, article.id);
      const std::string document = html_document(article);
      article.html_url = core_.image_store().put(exported_key, as_bytes(document), "text/html; charset=utf-8").url;
    }
    NewArticle record;
    record.article = article;
    record.events.push_back(make_event(core_, EventType::article_generated, article, generated_event_data(article)));
    record.spend = spend_;
    for (auto& spend : record.spend) spend.article_id = article.id;
    record.idempotency_key = key_;
    record.idempotency_fingerprint = fingerprint_;
    record.reservation_id = reservation_ ? reservation_->id : std::string();
    try {
      core_.ports.repository->create(record);
    } catch (const Error& error) {
      if (!exported_key.empty()) remove_quietly(exported_key);
      // Lost a race with a concurrent generate of the same key: return the winner's article.
      // This run's calls were still paid for; fail() would record them, so do it here as well.
      if (error.code() == ErrorCode::conflict && !key_.empty())
        if (auto winner = idempotent_hit()) {
          record_spend_without_article();
          return deliver(std::move(*winner));
        }
      throw;
    }
    reservation_.reset();  // settled by create
    claim_token_.clear();  // ended by create
    deliver(std::move(article));
  }

  void remove_quietly(const std::string& key) noexcept {
    try {
      core_.image_store().remove(key);
    } catch (...) {
      // The article is not saved either way; a stray export is harmless and overwritten next time.
    }
  }

  // Spend the provider billed although no article is saved: recorded on its own (the first
  // record also settles the reservation); the reservation is released in any case.
  void record_spend_without_article() noexcept {
    for (auto& spend : spend_) {
      spend.article_id.clear();
      spend.succeeded = false;
      try {
        core_.ports.repository->record_spend(spend, reservation_ ? std::string_view(reservation_->id) : "");
        reservation_.reset();
      } catch (...) {
        // The caller gets the original error; the pending call stands for this spend.
        log_swallowed("could not record the spend of a call (its pending record is settled as estimated spend)");
      }
    }
    spend_.clear();
    release_reservation();
  }

  void release_reservation() noexcept {
    if (!reservation_) return;
    try {
      core_.ports.repository->release_reservation(reservation_->id);
    } catch (...) {
      log_swallowed("could not release a budget reservation (it expires after reservation_ttl)");
    }
    reservation_.reset();
  }

  // The calls' spend is recorded (with the article or on its own), or nothing was billed. Should
  // this fail, the call is settled later as estimated spend: counted twice rather than lost.
  void end_pending_call() noexcept {
    if (!call_pending_) return;
    call_pending_ = false;
    try {
      core_.ports.repository->end_call(plan_.workspace_id, call_id_);
    } catch (...) {
      log_swallowed("could not clear a pending call (it will be counted again, as estimated spend)");
    }
  }

  void fail(const Error& error) noexcept {
    if (delivered_) return;  // ended already; core_ may be gone
    record_spend_without_article();
    deliver(error);  // releases the claim
  }

  void deliver(Result<Article> result) noexcept {
    if (delivered_) return;
    release_claim();  // a no-op after create, which ended it
    end_pending_call();
    delivered_ = true;
    try {
      on_done_(std::move(result));
    } catch (...) {
      // Completion handlers must not throw; nothing sensible can be done with it here.
    }
    on_done_ = nullptr;
    core_.end_operation();  // last touch of core_
  }

  GeneratorCore& core_;
  ContentPlan plan_;
  GenerateOptions options_;
  Done on_done_;
  Executor executor_;
  PromptTemplates templates_;
  std::string model_;
  const ModelPrice* price_ = nullptr;
  double temperature_ = 0.7;
  std::int64_t max_tokens_ = 0;
  std::string key_;
  std::string fingerprint_;  // of the request, when it has a key
  std::string claim_token_;  // while this operation holds the key's claim
  std::string call_id_;      // of this generation's pending call record
  bool call_pending_ = false;
  std::vector<ChatMessage> messages_;
  std::optional<BudgetReservation> reservation_;
  std::int32_t calls_ = 0;
  std::string text_;
  TokenUsage usage_;
  Money cost_;
  std::vector<SpendRecord> spend_;
  ChatResponse last_;
  std::optional<Error> observer_error_;  // what options_.on_delta threw
  bool delivered_ = false;
};

}  // namespace

void start_generate(GeneratorCore& core, ContentPlan plan, GenerateOptions options, Done on_done, Executor executor) {
  auto operation = std::make_shared<GenerateOperation>(core, std::move(plan), std::move(options), std::move(on_done),
                                                       std::move(executor));
  core.begin_operation();
  operation->launch();
}

}  // namespace contentgen::internal
