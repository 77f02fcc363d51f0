// make_fallback_provider(): try providers in order while failures are retryable.
#include <atomic>

#include "contentgen/adapters/fallback.hpp"

namespace contentgen {
namespace {

class FallbackProvider final : public LlmProvider {
 public:
  explicit FallbackProvider(std::vector<std::shared_ptr<LlmProvider>> providers) : providers_(std::move(providers)) {}

  std::string_view name() const noexcept override { return "fallback"; }

  void complete_async(ChatRequest request, ChatHandler on_done) override {
    auto state = std::make_shared<State>();
    state->providers = providers_;
    state->request = std::move(request);
    state->handler = std::move(on_done);
    try_next(state);
  }

 private:
  struct State {
    std::vector<std::shared_ptr<LlmProvider>> providers;
    std::size_t next = 0;
    ChatRequest request;
    ChatHandler handler;
    std::atomic<bool> text_delivered{false};
    std::int32_t attempts = 0;
  };

  static bool worth_another(const Error& error, const State& state) {
    if (state.text_delivered.load() || state.request.cancel.cancelled()) return false;
    if (state.request.deadline && std::chrono::steady_clock::now() >= *state.request.deadline) return false;
    return is_retryable(error.code());
  }

  static void try_next(const std::shared_ptr<State>& state) {
    auto provider = state->providers[state->next++];
    ChatRequest request = state->request;  // each provider gets its own copy
    if (state->request.on_delta) {
      request.on_delta = [state](std::string_view delta) {
        state->text_delivered.store(true);
        state->request.on_delta(delta);
      };
    }
    provider->complete_async(std::move(request), [state](Result<ChatResponse> result) {
      if (result.ok()) {
        auto response = std::move(result).value();
        response.attempts += state->attempts;
        return state->handler(std::move(response));
      }
      // A failed provider's attempts are not known from the Error: count one per provider tried.
      state->attempts += 1;
      if (state->next < state->providers.size() && worth_another(result.error(), *state)) return try_next(state);
      state->handler(std::move(result));
    });
  }

  std::vector<std::shared_ptr<LlmProvider>> providers_;
};

}  // namespace

std::shared_ptr<LlmProvider> make_fallback_provider(std::vector<std::shared_ptr<LlmProvider>> providers) {
  if (providers.empty()) throw Error::invalid_argument("providers", "a fallback provider needs at least one provider");
  for (const auto& p : providers)
    if (!p) throw Error::invalid_argument("providers", "null provider");
  return std::make_shared<FallbackProvider>(std::move(providers));
}

}  // namespace contentgen
