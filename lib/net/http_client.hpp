#pragma once
// The one HTTP(S) client of the library (internal), shared by the LLM providers and the S3 store.
// Boost.Beast/Asio live only in http_client.cpp behind the pimpl, so including this header costs
// nothing. A client owns an io_context and its I/O thread(s), a keep-alive connection pool per
// (scheme, host, port), and the TLS context.
//
// Thread safety: all methods may be called from any thread; completion handlers and body
// observers run on the client's I/O thread(s) and must not block.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contentgen/cancellation.hpp"
#include "contentgen/log.hpp"
#include "contentgen/result.hpp"

namespace contentgen::net {

struct TlsOptions {
  std::string ca_file;                 // extra CA bundle (PEM); empty: the system store only
  // Disables certificate and hostname verification. Never the default; logs a warning once per
  // client. Named so that nobody turns it on by accident.
  bool insecure_skip_verify = false;
};

struct ClientOptions {
  std::size_t max_connections_per_host = 16;  // pool size; requests beyond it wait for a free one
  std::size_t io_threads = 1;
  TlsOptions tls;
  std::string user_agent = "libcontentgen";
  LogHandler log{};  // warnings and errors of the client's own threads (contentgen/log.hpp)
};

using Header = std::pair<std::string, std::string>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;                     // absolute http:// or https:// URL, already percent-encoded
  std::vector<Header> headers;         // Host, Content-Length, User-Agent are set by the client
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::vector<Header> headers;         // names lower-cased, in arrival order
  std::string body;                    // empty when streamed to RequestOptions::on_body_chunk

  // First header with this (lower-case) name, or nullptr.
  const std::string* header(std::string_view lower_name) const noexcept;
};

struct RequestOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds first_byte_timeout{60'000};  // request sent -> response header
  std::chrono::milliseconds idle_timeout{60'000};        // between body chunks
  std::optional<std::chrono::steady_clock::time_point> deadline;  // whole exchange
  std::size_t max_body_bytes = 8 * 1024 * 1024;          // larger bodies: Error{upstream}
  CancellationToken cancel;
  // Streaming: when set and the status is 2xx, body bytes go here as they arrive instead of into
  // HttpResponse::body (non-2xx bodies are always buffered, for error parsing). Returning false
  // aborts the exchange (the connection is not reused); the handler then still receives the
  // HttpResponse (status and headers) as a success -- the observer knows why it stopped.
  std::function<bool(std::string_view chunk)> on_body_chunk;
};

// Transport failures map to the core taxonomy: connect/DNS/reset -> unavailable, deadline or
// timeouts -> timeout, cancellation -> cancelled, TLS verification -> unavailable with
// provider_code "tls_verify_failed", a body over max_body_bytes -> upstream with provider_code
// "response_too_large", malformed HTTP or a reply cut short -> upstream. HTTP error statuses are
// NOT errors here: they come back as an HttpResponse for the caller to interpret.
using ResponseHandler = std::function<void(Result<HttpResponse>)>;

inline constexpr std::string_view kTlsVerifyFailed = "tls_verify_failed";
inline constexpr std::string_view kResponseTooLarge = "response_too_large";

// Whether sending the same request again may succeed: after a connection failure, a timeout or a
// cut or garbled reply it may; after a failed certificate check or a body over the limit it will
// fail the same way (and a retry would download, or be billed for, the same reply again).
bool is_retryable_transport_error(const Error& error) noexcept;

// steady_clock::now() + timeout, saturating: a "practically infinite" timeout such as
// milliseconds::max() must not overflow into the past (and expire at once).
std::chrono::steady_clock::time_point deadline_after(std::chrono::milliseconds timeout) noexcept;

struct PoolStats {
  std::size_t open_connections = 0;    // currently open (idle + busy), all hosts
  std::size_t connections_opened = 0;  // since construction
  std::size_t requests_sent = 0;
};

class HttpClientHandle;

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options = {});
  ~HttpClient();  // cancels outstanding requests (handlers get Error{cancelled}) and joins threads
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  void async_send(HttpRequest request, RequestOptions options, ResponseHandler on_done);
  // Blocking form; must not be called from this client's I/O thread. Throws Error.
  HttpResponse send(HttpRequest request, RequestOptions options = {});

  // Runs `fn` on the I/O thread after `delay` (retry backoff without blocking a thread).
  void post_after(std::chrono::milliseconds delay, std::function<void()> fn);
  // True when called from one of this client's I/O threads.
  bool on_io_thread() const noexcept;

  PoolStats stats() const;

  // For state that may outlive this object (see HttpClientHandle).
  HttpClientHandle handle() const;

 private:
  friend class HttpClientHandle;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// async_send() and post_after() of an HttpClient, for state that may still run after the HttpClient
// object is gone: an HttpClient destroyed from one of its own completion handlers lets its I/O
// threads drain on their own, and the handlers still queued (a call waking from its backoff, say)
// must not touch the destroyed object. A handle never keeps the client alive. Once the client has
// shut down, async_send() answers Error{cancelled} and post_after() runs `fn` at once, both on the
// calling thread -- the same outcomes as on a client that is shutting down.
class HttpClientHandle {
 public:
  HttpClientHandle() = default;
  void async_send(HttpRequest request, RequestOptions options, ResponseHandler on_done) const;
  void post_after(std::chrono::milliseconds delay, std::function<void()> fn) const;

 private:
  friend class HttpClient;
  explicit HttpClientHandle(std::weak_ptr<HttpClient::Impl> impl) : impl_(std::move(impl)) {}
  std::weak_ptr<HttpClient::Impl> impl_;
};

}  // namespace contentgen::net
