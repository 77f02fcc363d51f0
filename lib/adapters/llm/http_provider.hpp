#pragma once
// The call engine shared by the HTTP LLM providers. A Dialect knows one wire format (OpenAI chat
// completions, Anthropic messages): how to build the request and read replies and stream events.
// The engine does everything else, identically for all: client-side rate limiting, attempts over
// the shared HttpClient, retries with backoff (timers on the I/O thread, never a blocked thread),
// deadline and cancellation, SSE decoding, usage validation, error typing.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/llm/sse_parser.hpp"
#include "contentgen/adapters/http_options.hpp"
#include "contentgen/adapters/llm_options.hpp"
#include "contentgen/ports/llm_provider.hpp"
#include "net/http_client.hpp"

namespace contentgen::llm {

using DeltaSink = std::function<void(std::string_view)>;

// Decodes one streamed reply. Lives for one attempt.
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // One SSE event; text deltas go to `emit`. Throws Error for an error event (the provider's
  // error, typed) or a malformed one (upstream): the engine stops reading and fails the attempt.
  virtual void on_event(const SseEvent& event, const DeltaSink& emit) = 0;
  // After the body ended: the response (text, finish reason, model; usage marked estimated when
  // the stream reported none -- the engine estimates it), or throws Error (a stream cut short).
  virtual ChatResponse finish() = 0;
};

class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual std::string_view name() const noexcept = 0;
  virtual std::string_view secret() const noexcept = 0;  // the API key, for redaction
  // Throws Error{invalid_argument} for a request the format cannot express.
  virtual net::HttpRequest build(const ChatRequest& request, bool stream) const = 0;
  // A 2xx non-streaming reply; throws Error{upstream} when malformed.
  virtual ChatResponse parse(const net::HttpResponse& response) const = 0;
  virtual std::unique_ptr<StreamDecoder> decoder() const = 0;
};

struct EngineOptions {
  HttpOptions http;
  RetryOptions retry;
  RateLimitOptions rate_limit;
  std::shared_ptr<HttpTransport> transport;  // null: one is created from `http`
};

std::shared_ptr<LlmProvider> make_http_provider(std::unique_ptr<Dialect> dialect, EngineOptions options);

// Rough token estimate (bytes / 4, rounded up) for usage the provider did not report and for the
// client-side limiter.
std::int64_t estimate_tokens(std::string_view text) noexcept;
std::int64_t estimate_prompt_tokens(const ChatRequest& request) noexcept;
// Usage for a reply without reported usage: estimated from the request and the text.
TokenUsage estimated_usage(const ChatRequest& request, std::string_view completion) noexcept;

// Throws Error{upstream} when usage parts do not add up (cached > prompt, ...).
void check_usage(std::string_view provider, const TokenUsage& usage);

// Request fields checked before they are written: Error{invalid_argument, "request.*"}.
double checked_temperature(double temperature);
std::int64_t checked_max_tokens(std::int64_t max_tokens);

// base_url + path (+ ?query), with a single slash between them.
std::string join_url(std::string_view base_url, std::string_view path);

// What both providers' factories check: Error{invalid_argument} naming base_url / provider_name.
void check_provider_options(std::string_view base_url, std::string_view provider_name);
// The request's model, else the provider's default; Error{invalid_argument, "request.model"} if neither.
const std::string& model_for(const ChatRequest& request, const std::string& default_model);
// A JSON POST to `url` (Accept: SSE when streaming) with `auth` headers, then the configured extra ones.
net::HttpRequest json_post(const std::string& url, bool stream, std::string body,
                           std::initializer_list<std::pair<std::string, std::string>> auth,
                           const std::vector<std::pair<std::string, std::string>>& extra_headers);

}  // namespace contentgen::llm
