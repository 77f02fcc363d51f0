#include "adapters/llm/http_provider.hpp"

#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <random>

#include "adapters/llm/provider_errors.hpp"
#include "adapters/llm/rate_limit.hpp"
#include "adapters/llm/retry_policy.hpp"
#include "net/transport_access.hpp"
#include "net/url.hpp"

namespace contentgen::llm {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Core {
  std::unique_ptr<Dialect> dialect;
  EngineOptions options;
  // The provider's transport. A handle, not a pointer: the transport may be destroyed from one of
  // its own handlers (the last provider reference dropped there) while calls still wake up.
  net::HttpClientHandle client;
  RateLimiter limiter;
  std::mutex rng_mutex;
  std::minstd_rand rng{std::random_device{}()};

  Core(std::unique_ptr<Dialect> d, EngineOptions o, net::HttpClientHandle c)
      : dialect(std::move(d)), options(std::move(o)), client(std::move(c)), limiter(options.rate_limit, options.retry.max_retry_after) {}

  double random01() {
    std::lock_guard lock(rng_mutex);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  }
};

Error with_provider(const Error& error, std::string_view provider) {
  Error out = error;
  if (out.details().provider.empty()) {
    out = Error(error.code(), std::string(provider) + ": " + error.what(), error.details());
    out.details().provider = std::string(provider);
  }
  return out;
}

// One complete_async() call: attempts, retries, the final handler.
class Call : public std::enable_shared_from_this<Call> {
 public:
  Call(std::shared_ptr<Core> core, ChatRequest request, ChatHandler handler)
      : core_(std::move(core)), request_(std::move(request)), handler_(std::move(handler)) {}

  void start() {
    const auto name = core_->dialect->name();
    if (request_.messages.empty()) return finish(Error::invalid_argument("request.messages", "at least one message is required"));
    try {
      http_request_ = core_->dialect->build(request_, static_cast<bool>(request_.on_delta));
    } catch (const Error& e) {
      return finish(with_provider(e, name));
    }
    prompt_tokens_ = estimate_prompt_tokens(request_);
    if (request_.cancel.can_be_cancelled()) {
      std::weak_ptr<Call> weak = shared_from_this();
      cancel_registration_ = request_.cancel.on_cancel([weak, client = core_->client] {
        // Wakes a call sleeping in backoff; an in-flight request is aborted by the HttpClient.
        client.post_after(milliseconds(0), [weak] {
          if (auto self = weak.lock()) self->finish(Error(ErrorCode::cancelled, "request cancelled"));
        });
      });
    }
    schedule_attempt(milliseconds(0));
  }

 private:
  void schedule_attempt(milliseconds backoff) {
    const auto pace = core_->limiter.reserve(expected_tokens(), Clock::now() + backoff);
    const auto delay = backoff + pace;
    if (request_.deadline && Clock::now() + delay >= *request_.deadline) {
      if (last_error_) return finish(*last_error_);
      return finish(Error(ErrorCode::timeout, std::string(core_->dialect->name()) +
                                                  ": the deadline would pass while waiting for the rate limiter"));
    }
    if (delay.count() == 0) return attempt();
    core_->client.post_after(delay, [self = shared_from_this()] { self->attempt(); });
  }

  void attempt() {
    if (done_.load()) return;
    if (request_.cancel.cancelled()) return finish(Error(ErrorCode::cancelled, "request cancelled"));
    if (request_.deadline && Clock::now() >= *request_.deadline) {
      if (last_error_) return finish(*last_error_);
      return finish(Error(ErrorCode::timeout, std::string(core_->dialect->name()) + ": the request deadline passed"));
    }
    ++attempts_;
    auto options = net::request_options(core_->options.http);
    options.cancel = request_.cancel;
    options.deadline = request_.deadline;
    if (core_->options.http.attempt_timeout.count() > 0) {
      const auto attempt_deadline = net::deadline_after(core_->options.http.attempt_timeout);
      if (!options.deadline || attempt_deadline < *options.deadline) options.deadline = attempt_deadline;
    }
    streaming_ = static_cast<bool>(request_.on_delta);
    if (streaming_) {
      decoder_ = core_->dialect->decoder();
      sse_ = SseParser{};
      stream_error_.reset();
      // `this` stays valid: the completion handler below holds a shared_ptr until the exchange ends.
      options.on_body_chunk = [this](std::string_view chunk) { return on_chunk(chunk); };
    }
    core_->client.async_send(http_request_, std::move(options),
                             [self = shared_from_this()](Result<net::HttpResponse> r) { self->on_response(std::move(r)); });
  }

  bool on_chunk(std::string_view chunk) {
    const DeltaSink emit = [this](std::string_view delta) {
      if (delta.empty() || done_.load()) return;
      delivered_text_ = true;
      request_.on_delta(delta);
    };
    try {
      return sse_.feed(chunk, [&](const SseEvent& event) {
        decoder_->on_event(event, emit);
        return true;
      });
    } catch (const Error& e) {
      stream_error_ = e;
      return false;
    }
  }

  void on_response(Result<net::HttpResponse> result) {
    if (done_.load()) return;
    const auto name = core_->dialect->name();
    if (!result.ok()) {
      const Error error = with_provider(result.error(), name);
      return net::is_retryable_transport_error(error) ? retry_or_fail(error, std::nullopt) : finish(error);
    }
    auto& response = result.value();
    core_->limiter.observe(parse_rate_limit_headers(response, std::chrono::system_clock::now()),
                           expected_tokens(), Clock::now());
    const auto request_id = request_id_of(response);
    if (response.status < 200 || response.status > 299) {
      const auto body = parse_error_body(response.body);
      Error error = error_from_reply(name, response, body, core_->dialect->secret());
      const auto verdict = decide_http_retry(core_->options.retry, response, body.code, attempts_ - 1,
                                             core_->random01(), std::chrono::system_clock::now());
      error.details().retry_after = verdict.server_retry_after;
      if (!verdict.retry) return finish(error);
      return retry_or_fail(error, verdict.delay);
    }
    try {
      ChatResponse out;
      if (streaming_) {
        if (stream_error_) throw *stream_error_;
        out = decoder_->finish();
      } else {
        out = core_->dialect->parse(response);
      }
      if (out.usage.estimated) out.usage = estimated_usage(request_, out.text);  // not reported: estimated here only
      check_usage(name, out.usage);
      out.provider = std::string(name);
      if (out.model.empty()) out.model = request_.model;
      out.request_id = request_id;
      out.attempts = attempts_;
      finish(std::move(out));
    } catch (const Error& e) {
      Error error = with_provider(e, name);
      error.details().http_status = response.status;
      error.details().request_id = request_id;
      // A stream that failed before any text reached the caller can be retried like any reply;
      // a malformed non-streaming reply is not (the call was served and billed).
      if (streaming_ && is_retryable(error.code())) return retry_or_fail(error, std::nullopt);
      finish(error);
    }
  }

  // Tokens the call may consume, for the limiter. Saturating: max_tokens is the caller's number
  // (only checked to be positive) and may be as large as INT64_MAX.
  std::int64_t expected_tokens() const noexcept {
    const std::int64_t max_tokens = request_.max_tokens.value_or(0);
    return max_tokens > std::numeric_limits<std::int64_t>::max() - prompt_tokens_ ? std::numeric_limits<std::int64_t>::max()
                                                                                 : prompt_tokens_ + max_tokens;
  }

  void retry_or_fail(const Error& error, std::optional<milliseconds> delay) {
    const int retries_done = attempts_ - 1;
    if (delivered_text_ || retries_done >= core_->options.retry.max_retries || request_.cancel.cancelled())
      return finish(error);
    last_error_ = error;
    schedule_attempt(delay ? *delay : backoff_delay(core_->options.retry, retries_done, core_->random01()));
  }

  void finish(Result<ChatResponse> result) {
    if (done_.exchange(true)) return;
    cancel_registration_.reset();
    if (!result.ok() && result.error().details().provider.empty()) {
      Error e = result.error();
      e.details().provider = std::string(core_->dialect->name());
      result = std::move(e);
    }
    auto handler = std::move(handler_);
    handler(std::move(result));
  }

  std::shared_ptr<Core> core_;
  ChatRequest request_;
  ChatHandler handler_;
  net::HttpRequest http_request_;
  std::int64_t prompt_tokens_ = 0;
  CancellationRegistration cancel_registration_;
  std::atomic<bool> done_{false};
  int attempts_ = 0;
  bool streaming_ = false;
  bool delivered_text_ = false;
  std::unique_ptr<StreamDecoder> decoder_;
  SseParser sse_;
  std::optional<Error> stream_error_;
  std::optional<Error> last_error_;
};

class HttpProvider final : public LlmProvider {
 public:
  HttpProvider(std::unique_ptr<Dialect> dialect, EngineOptions options) {
    transport_ = options.transport ? options.transport : std::make_shared<HttpTransport>(options.http);
    options.transport.reset();  // the core must not keep the transport alive (see below)
    core_ = std::make_shared<Core>(std::move(dialect), std::move(options), net::client_of(*transport_).handle());
  }
  // Members are destroyed bottom-up: the transport goes first, cancelling calls in flight (their
  // handlers run with Error{cancelled}) while the core they use is still alive.
  std::string_view name() const noexcept override { return core_->dialect->name(); }
  void complete_async(ChatRequest request, ChatHandler on_done) override {
    std::make_shared<Call>(core_, std::move(request), std::move(on_done))->start();
  }

 private:
  std::shared_ptr<Core> core_;
  std::shared_ptr<HttpTransport> transport_;
};

}  // namespace

std::shared_ptr<LlmProvider> make_http_provider(std::unique_ptr<Dialect> dialect, EngineOptions options) {
  return std::make_shared<HttpProvider>(std::move(dialect), std::move(options));
}

std::int64_t estimate_tokens(std::string_view text) noexcept {
  return static_cast<std::int64_t>((text.size() + 3) / 4);
}

std::int64_t estimate_prompt_tokens(const ChatRequest& request) noexcept {
  std::int64_t total = 0;
  for (const auto& m : request.messages) total += estimate_tokens(m.content) + 4;  // + per-message framing
  return total;
}

TokenUsage estimated_usage(const ChatRequest& request, std::string_view completion) noexcept {
  TokenUsage usage;
  usage.prompt_tokens = estimate_prompt_tokens(request);
  usage.completion_tokens = estimate_tokens(completion);
  usage.estimated = true;
  return usage;
}

void check_usage(std::string_view provider, const TokenUsage& usage) {
  try {
    validate_usage(usage);
  } catch (const Error& e) {
    ErrorDetails details;
    details.provider = std::string(provider);
    throw Error(ErrorCode::upstream, std::string(provider) + ": malformed reply: inconsistent usage (" + e.what() + ")",
                std::move(details));
  }
}

double checked_temperature(double temperature) {
  if (!std::isfinite(temperature) || temperature < 0)
    throw Error::invalid_argument("request.temperature", "must be a finite, non-negative number");
  return temperature;
}

std::int64_t checked_max_tokens(std::int64_t max_tokens) {
  if (max_tokens <= 0) throw Error::invalid_argument("request.max_tokens", "must be positive");
  return max_tokens;
}

std::string join_url(std::string_view base_url, std::string_view path) {
  std::string out(base_url);
  while (!out.empty() && out.back() == '/') out.pop_back();
  if (!path.empty() && path.front() != '/') out.push_back('/');
  out += path;
  return out;
}

void check_provider_options(std::string_view base_url, std::string_view provider_name) {
  try {
    (void)net::parse_url(base_url);
  } catch (const Error&) {
    throw Error::invalid_argument("base_url", "must be an absolute http:// or https:// URL");
  }
  if (provider_name.empty()) throw Error::invalid_argument("provider_name", "must not be empty");
}

const std::string& model_for(const ChatRequest& request, const std::string& default_model) {
  const std::string& model = request.model.empty() ? default_model : request.model;
  if (model.empty()) throw Error::invalid_argument("request.model", "no model given and no default_model configured");
  return model;
}

net::HttpRequest json_post(const std::string& url, bool stream, std::string body,
                           std::initializer_list<std::pair<std::string, std::string>> auth,
                           const std::vector<std::pair<std::string, std::string>>& extra_headers) {
  net::HttpRequest http;
  http.method = "POST";
  http.url = url;
  http.headers.reserve(2 + auth.size() + extra_headers.size());
  http.headers.emplace_back("Content-Type", "application/json");
  http.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
  for (const auto& header : auth) {
    if (!header.second.empty()) http.headers.push_back(header);  // no key: no header (local servers)
  }
  http.headers.insert(http.headers.end(), extra_headers.begin(), extra_headers.end());
  http.body = std::move(body);
  return http;
}

}  // namespace contentgen::llm
