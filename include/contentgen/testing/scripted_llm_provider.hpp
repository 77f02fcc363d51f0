#pragma once
// ScriptedLlmProvider: an LlmProvider that answers from a script, for host applications' unit
// tests (aws-sdk-cpp MockHttpClient in spirit: queued responses, recorded requests).
//
//   auto llm = std::make_shared<fakes::ScriptedLlmProvider>();
//   llm->reply("# Title\n\nBody").reply("more", FinishReason::length);   // consumed in call order
//   llm->fail(Error(ErrorCode::rate_limited, "slow down"));
//   ... run the code under test ...
//   EXPECT_EQ(llm->requests().at(0).model, "gpt-4o-mini");
//
// Each call consumes the next scripted entry; when the script is empty the responder (if set)
// answers, else the call fails with Error{internal, "script exhausted"}. A request whose on_delta
// is set receives the reply text as deltas (chunks of stream_chunk_bytes, split on UTF-8
// boundaries) before its handler runs. A request already cancelled when it is delivered fails
// with `cancelled`; one whose deadline has passed fails with `timeout`.
//
// Delivery: inline (the handler runs inside complete_async, on the caller's thread), background
// (one worker thread, FIFO), or manual (calls park until deliver_parked(); lets a test hold
// hundreds of calls in flight at once). Thread-safe. The destructor delivers whatever is still
// queued on the background thread; in manual mode deliver every parked call before the owner of
// their handlers goes away.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "contentgen/export.hpp"
#include "contentgen/ports/llm_provider.hpp"

namespace contentgen::fakes {

struct ScriptedReply {
  std::string text;
  FinishReason finish_reason = FinishReason::stop;
  std::optional<TokenUsage> usage;  // nullopt: about 4 bytes per token of the messages / the text
  std::string model;                // empty: the requested model
  std::string request_id;           // empty: "scripted-<call number>"
  std::int32_t attempts = 1;
};

class CONTENTGEN_API ScriptedLlmProvider : public LlmProvider {
 public:
  enum class Delivery { inline_on_caller, background_thread, manual };
  using Responder = std::function<Result<ChatResponse>(const ChatRequest&)>;

  explicit ScriptedLlmProvider(std::string name = "scripted", Delivery delivery = Delivery::inline_on_caller);
  ~ScriptedLlmProvider() override;

  // Appends to the script; chainable.
  ScriptedLlmProvider& reply(std::string text, FinishReason finish_reason = FinishReason::stop);
  ScriptedLlmProvider& reply(ScriptedReply reply);
  ScriptedLlmProvider& fail(Error error);
  // Answers calls once the script is empty (e.g. for benchmarks). Must be thread-safe.
  void set_responder(Responder responder);
  void set_stream_chunk_bytes(std::size_t bytes);

  std::string_view name() const noexcept override { return name_; }
  void complete_async(ChatRequest request, ChatHandler on_done) override;

  std::vector<ChatRequest> requests() const;  // every request received, in call order
  std::size_t call_count() const;
  std::size_t remaining() const;              // script entries not consumed yet

  // Manual delivery.
  std::size_t parked() const;
  // Delivers up to `max` parked calls (oldest first) on this thread; returns how many.
  std::size_t deliver_parked(std::size_t max = std::numeric_limits<std::size_t>::max());
  // Waits until at least `count` calls are parked; false on timeout.
  bool wait_parked(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Pending {
    ChatRequest request;
    Result<ChatResponse> outcome;
    ChatHandler on_done;
  };
  Result<ChatResponse> outcome_of(std::variant<ScriptedReply, Error> entry, const ChatRequest& request,
                                  std::size_t call_number) const;
  void deliver(Pending pending) const;
  void worker_loop();

  std::string name_;
  Delivery delivery_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<std::variant<ScriptedReply, Error>> script_;
  Responder responder_;
  std::size_t chunk_bytes_ = 16;
  std::vector<ChatRequest> requests_;
  std::deque<Pending> queue_;  // background: to deliver; manual: parked
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace contentgen::fakes
