#pragma once
// Port: a chat-completion LLM. Adapters: OpenAI-compatible, Anthropic, fallback (lib/adapters/),
// ScriptedLlmProvider (testing/). Hosts may implement their own (also through the C API vtable).
//
// Ownership: held as std::shared_ptr by the generator. Thread safety: implementations must accept
// concurrent complete_async() calls from any thread.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contentgen/article.hpp"
#include "contentgen/cancellation.hpp"
#include "contentgen/export.hpp"
#include "contentgen/result.hpp"
#include "contentgen/usage.hpp"

namespace contentgen {

struct ChatMessage {
  enum class Role { system, user, assistant };
  Role role = Role::user;
  std::string content;
  friend bool operator==(const ChatMessage&, const ChatMessage&) = default;
};

enum class ResponseFormat { text, json_object };

// Receives text deltas as they arrive (streaming). Called on the provider's I/O thread, in order,
// never concurrently for one call; must not block.
using StreamObserver = std::function<void(std::string_view delta)>;

struct ChatRequest {
  std::string model;
  std::vector<ChatMessage> messages;
  std::optional<double> temperature;   // sampling parameter, not money: double is fine here
  std::optional<std::int64_t> max_tokens;
  std::vector<std::string> stop;
  ResponseFormat response_format = ResponseFormat::text;
  std::optional<std::chrono::steady_clock::time_point> deadline;  // whole call incl. retries
  CancellationToken cancel;
  StreamObserver on_delta;             // set => the provider streams (SSE)
};

struct ChatResponse {
  std::string text;
  FinishReason finish_reason = FinishReason::stop;
  std::string provider;                // "openai", "anthropic", ... (the one that served)
  std::string model;                   // model the provider says it used
  TokenUsage usage;                    // normalized (see usage.hpp)
  std::string request_id;
  std::int32_t attempts = 1;           // HTTP attempts including retries
};

using ChatHandler = std::function<void(Result<ChatResponse>)>;

class CONTENTGEN_API LlmProvider {
 public:
  LlmProvider() = default;
  LlmProvider(const LlmProvider&) = delete;
  LlmProvider& operator=(const LlmProvider&) = delete;
  virtual ~LlmProvider();

  // Short stable name, e.g. "openai".
  virtual std::string_view name() const noexcept = 0;

  // Starts the call and returns at once; `on_done` runs exactly once, on a thread of the
  // provider's choosing (an I/O thread for network adapters, possibly the caller's thread for
  // fakes). Errors are delivered through the Result, never thrown from here.
  virtual void complete_async(ChatRequest request, ChatHandler on_done) = 0;

  // Blocking convenience over complete_async(). Must not be called from the provider's own I/O
  // thread (it would wait for itself). Throws Error.
  ChatResponse complete(ChatRequest request);
};

}  // namespace contentgen
