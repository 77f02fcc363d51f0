#include "contentgen/testing/scripted_llm_provider.hpp"

#include <exception>
#include <utility>

#include "core/domain/current_error.hpp"

namespace contentgen::fakes {
namespace {

std::int64_t tokens_for(std::size_t bytes) { return static_cast<std::int64_t>((bytes + 3) / 4); }

// Length of the longest prefix of `text` no longer than `max` that does not split a UTF-8
// sequence (at least one whole sequence, so progress is guaranteed).
std::size_t utf8_prefix(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text.size();
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  if (end == 0) {
    end = 1;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return end;
}

}  // namespace

ScriptedLlmProvider::ScriptedLlmProvider(std::string name, Delivery delivery)
    : name_(std::move(name)), delivery_(delivery) {
  if (delivery_ == Delivery::background_thread) worker_ = std::thread([this] { worker_loop(); });
}

ScriptedLlmProvider::~ScriptedLlmProvider() {
  if (worker_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }
}

ScriptedLlmProvider& ScriptedLlmProvider::reply(std::string text, FinishReason finish_reason) {
  ScriptedReply entry;
  entry.text = std::move(text);
  entry.finish_reason = finish_reason;
  return reply(std::move(entry));
}

ScriptedLlmProvider& ScriptedLlmProvider::reply(ScriptedReply entry) {
  std::lock_guard lock(mutex_);
  script_.emplace_back(std::move(entry));
  return *this;
}

ScriptedLlmProvider& ScriptedLlmProvider::fail(Error error) {
  std::lock_guard lock(mutex_);
  script_.emplace_back(std::move(error));
  return *this;
}

void ScriptedLlmProvider::set_responder(Responder responder) {
  std::lock_guard lock(mutex_);
  responder_ = std::move(responder);
}

void ScriptedLlmProvider::set_stream_chunk_bytes(std::size_t bytes) {
  std::lock_guard lock(mutex_);
  chunk_bytes_ = bytes == 0 ? 1 : bytes;
}

Result<ChatResponse> ScriptedLlmProvider::outcome_of(std::variant<ScriptedReply, Error> entry, const ChatRequest& request,
                                                     std::size_t call_number) const {
  if (auto* error = std::get_if<Error>(&entry)) return std::move(*error);
  auto& scripted = std::get<ScriptedReply>(entry);
  ChatResponse response;
  response.text = std::move(scripted.text);
  response.finish_reason = scripted.finish_reason;
  response.provider = name_;
  response.model = scripted.model.empty() ? request.model : scripted.model;
  response.request_id = scripted.request_id.empty() ? "scripted-" + std::to_string(call_number) : scripted.request_id;
  response.attempts = scripted.attempts;
  if (scripted.usage) {
    response.usage = *scripted.usage;
  } else {
    std::size_t prompt_bytes = 0;
    for (const auto& message : request.messages) prompt_bytes += message.content.size();
    response.usage.prompt_tokens = tokens_for(prompt_bytes);
    response.usage.completion_tokens = tokens_for(response.text.size());
  }
  return response;
}

void ScriptedLlmProvider::complete_async(ChatRequest request, ChatHandler on_done) {
  std::optional<std::variant<ScriptedReply, Error>> entry;
  Responder responder;
  std::size_t call_number = 0;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    call_number = requests_.size();
    if (!script_.empty()) {
      entry = std::move(script_.front());
      script_.pop_front();
    } else {
      responder = responder_;
    }
  }
  // The responder runs outside the lock: it may be slow, or call back into this provider.
  Result<ChatResponse> outcome = Error(ErrorCode::internal, "ScriptedLlmProvider: script exhausted (call " +
                                                                std::to_string(call_number) + ")");
  if (entry) {
    outcome = outcome_of(std::move(*entry), request, call_number);
  } else if (responder) {
    // Errors are delivered, never thrown from complete_async (the port's rule), whatever the
    // responder throws.
    try {
      outcome = responder(request);
    } catch (...) {
      outcome = internal::current_error("ScriptedLlmProvider: the responder threw");
    }
  }
  Pending pending{std::move(request), std::move(outcome), std::move(on_done)};
  if (delivery_ != Delivery::inline_on_caller) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(pending));
    }
    changed_.notify_all();
    return;
  }
  deliver(std::move(pending));
}

void ScriptedLlmProvider::deliver(Pending pending) const {
  Result<ChatResponse> outcome = std::move(pending.outcome);
  const auto& request = pending.request;
  if (request.cancel.cancelled()) {
    outcome = Error(ErrorCode::cancelled, "the call was cancelled");
  } else if (request.deadline && std::chrono::steady_clock::now() > *request.deadline) {
    outcome = Error(ErrorCode::timeout, "the call's deadline passed");
  } else if (outcome.ok() && request.on_delta) {
    std::size_t chunk = 0;
    {
      std::lock_guard lock(mutex_);
      chunk = chunk_bytes_;
    }
    std::string_view rest = outcome.value().text;
    while (!rest.empty()) {
      const auto n = utf8_prefix(rest, chunk);
      request.on_delta(rest.substr(0, n));
      rest.remove_prefix(n);
    }
  }
  pending.on_done(std::move(outcome));
}

void ScriptedLlmProvider::worker_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued was delivered
    Pending pending = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    deliver(std::move(pending));
    lock.lock();
  }
}

std::vector<ChatRequest> ScriptedLlmProvider::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t ScriptedLlmProvider::call_count() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

std::size_t ScriptedLlmProvider::remaining() const {
  std::lock_guard lock(mutex_);
  return script_.size();
}

std::size_t ScriptedLlmProvider::parked() const {
  std::lock_guard lock(mutex_);
  return delivery_ == Delivery::manual ? queue_.size() : 0;
}

std::size_t ScriptedLlmProvider::deliver_parked(std::size_t max) {
  std::size_t delivered = 0;
  while (delivered < max) {
    Pending pending{ChatRequest{}, Error(ErrorCode::internal, "not delivered"), nullptr};
    {
      std::lock_guard lock(mutex_);
      if (delivery_ != Delivery::manual || queue_.empty()) break;
      pending = std::move(queue_.front());
      queue_.pop_front();
    }
    deliver(std::move(pending));
    ++delivered;
  }
  return delivered;
}

bool ScriptedLlmProvider::wait_parked(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return queue_.size() >= count; });
}

}  // namespace contentgen::fakes
