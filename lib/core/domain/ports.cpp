// Out-of-line pieces of the ports: key functions (vtables live here) and the blocking/batch
// conveniences every implementation inherits.
#include <exception>
#include <future>

#include "contentgen/ports/article_repository.hpp"
#include "contentgen/ports/event_sink.hpp"
#include "contentgen/ports/image_store.hpp"
#include "contentgen/ports/llm_provider.hpp"
#include "core/domain/current_error.hpp"

namespace contentgen {

LlmProvider::~LlmProvider() = default;
ImageStore::~ImageStore() = default;
EventSink::~EventSink() = default;
SpendLedger::~SpendLedger() = default;
Outbox::~Outbox() = default;
ArticleRepository::~ArticleRepository() = default;

void Outbox::mark_delivered_many(std::span<const std::string> event_ids, Timestamp now) {
  for (const auto& id : event_ids) mark_delivered(id, now);
}

ChatResponse LlmProvider::complete(ChatRequest request) {
  auto promise = std::make_shared<std::promise<Result<ChatResponse>>>();
  auto future = promise->get_future();
  complete_async(std::move(request), [promise](Result<ChatResponse> result) { promise->set_value(std::move(result)); });
  return future.get().value();
}

std::vector<std::optional<Error>> EventSink::publish_batch(std::span<const Event> events) {
  std::vector<std::optional<Error>> outcomes;
  outcomes.reserve(events.size());
  for (const auto& event : events) {
    try {
      publish(event);
      outcomes.emplace_back(std::nullopt);
    } catch (...) {
      // Still this event's fate only: the ones before it were accepted and must not be re-sent
      // as failures, the ones after it are still tried.
      outcomes.emplace_back(internal::current_error("event sink threw"));
    }
  }
  return outcomes;
}

}  // namespace contentgen
