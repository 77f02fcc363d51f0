// HttpClient over Boost.Beast + Asio + OpenSSL: the only TU of the library that includes Beast.
//
// Structure: ClientState (= HttpClient::Impl) owns the io_context, its threads, the TLS context and one Pool per
// (scheme, host, port). A Pool hands out Connections (at most max_connections_per_host open at a
// time, counting those still connecting); an Exchange that finds none free waits in the pool's
// queue. A Connection runs one Exchange at a time on its own strand: connect (+ TLS handshake),
// write, read header, read body chunk by chunk. Timeouts use beast::tcp_stream's per-operation
// expiry, set to min(phase timeout, total deadline) before each step. Pool bookkeeping is under
// ClientState::mutex; everything touching a socket runs on the connection's strand.
#include "net/http_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "net/request_check.hpp"
#include "net/url.hpp"

namespace contentgen::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Strand = asio::strand<asio::io_context::executor_type>;

thread_local const void* current_client = nullptr;  // ClientState* whose I/O thread this is

constexpr std::size_t kStreamChunk = 16 * 1024;
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Error make_error(ErrorCode code, const std::string& message, std::string provider_code = {}) {
  ErrorDetails details;
  details.provider_code = std::move(provider_code);
  return Error(code, message, std::move(details));
}

bool is_connection_drop(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == ssl::error::stream_truncated;
}

struct Connection;

// One request from async_send() to its handler.
struct Exchange {
  HttpRequest request;
  RequestOptions options;
  ResponseHandler handler;
  UrlParts url;
  std::string pool_key;
  CancellationRegistration cancel_registration;
  std::atomic<bool> finished{false};
  std::atomic<bool> cancel_requested{false};
  // Guarded by ClientState::mutex:
  bool waiting = false;
  std::shared_ptr<Connection> connection;
  std::unique_ptr<asio::steady_timer> wait_timer;  // deadline while waiting for a free connection
};

struct Pool {
  bool tls = false;
  std::vector<std::shared_ptr<Connection>> idle;
  std::unordered_set<std::shared_ptr<Connection>> busy;
  std::size_t open = 0;  // idle + busy (connecting ones included)
  std::deque<std::shared_ptr<Exchange>> waiters;
};

struct ClientState {
  explicit ClientState(ClientOptions opts);

  void start_threads();
  void async_send(HttpRequest request, RequestOptions request_options, ResponseHandler on_done);
  void post_after(std::chrono::milliseconds delay, std::function<void()> fn);
  void send(std::shared_ptr<Exchange> exchange);
  void acquire(const std::shared_ptr<Exchange>& exchange);
  void release(const std::shared_ptr<Connection>& connection, Pool& pool, bool reusable);
  void on_cancel_requested(const std::shared_ptr<Exchange>& exchange);
  void on_wait_timeout(const std::shared_ptr<Exchange>& exchange);
  void finish(const std::shared_ptr<Exchange>& exchange, Result<HttpResponse> result);
  void shutdown();
  std::shared_ptr<Connection> make_connection(Pool& pool);

  ClientOptions options;
  asio::io_context ioc{static_cast<int>(options.io_threads == 0 ? 1 : options.io_threads)};  // 1: single-thread fast paths
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  ssl::context tls{ssl::context::tls_client};
  std::vector<std::thread> threads;

  std::mutex mutex;
  bool shutting_down = false;
  std::unordered_map<std::string, std::unique_ptr<Pool>> pools;
  std::unordered_set<std::shared_ptr<asio::steady_timer>> timers;

  std::once_flag system_store_loaded;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::size_t> connections_opened{0};
  std::atomic<std::size_t> requests_sent{0};
};

// A pooled connection. Abstract over plain TCP vs TLS so the pool can hold either.
struct Connection : std::enable_shared_from_this<Connection> {
  Connection(ClientState& client, Pool& owner) : impl(client), pool(owner), strand(asio::make_strand(client.ioc)) {}
  virtual ~Connection() = default;
  virtual void start(std::shared_ptr<Exchange> exchange) = 0;
  // Aborts `exchange` if it is the one running here; a null `exchange` (shutdown) aborts whichever
  // runs and closes the connection even between exchanges. Any thread.
  virtual void abort(const std::shared_ptr<Exchange>& exchange, Error error) = 0;
  virtual void close() = 0;  // any thread; for shutdown of idle connections

  ClientState& impl;
  Pool& pool;
  Strand strand;
};

template <bool Tls>
class BasicConnection final : public Connection {
 public:
  using Stream = std::conditional_t<Tls, ssl::stream<beast::tcp_stream>, beast::tcp_stream>;

  BasicConnection(ClientState& client, Pool& owner) : Connection(client, owner), resolver_(strand), watchdog_(strand) {}

  void start(std::shared_ptr<Exchange> exchange) override {
    exchange_ = std::move(exchange);
    abort_error_.reset();
    response_ = HttpResponse{};
    reused_ = connected_;
    if (exchange_->cancel_requested.load()) return fail(make_error(ErrorCode::cancelled, "request cancelled"));
    if (impl.stopping.load()) return fail(make_error(ErrorCode::cancelled, "the HTTP client is shutting down"));
    if (deadline_passed()) return fail(timeout_error("the request deadline passed before it was sent"));
    if (connected_ && idle_connection_usable()) return write_request();
    if (connected_) close_socket();  // found dead before one byte was written: replace it, uncounted
    connect();
  }

  void abort(const std::shared_ptr<Exchange>& exchange, Error error) override {
    asio::post(strand, [self = shared_from_this(), exchange, error = std::move(error)]() mutable {
      auto& me = static_cast<BasicConnection&>(*self);
      // At shutdown, a connection that delivered a keep-alive response after the busy list was
      // taken went back to no pool: close it, or its pending watchdog keeps the io_context alive.
      if (!me.exchange_ && !exchange) return me.close_socket();
      if (!me.exchange_ || (exchange && me.exchange_ != exchange) || me.abort_error_) return;
      me.abort_error_ = std::move(error);
      me.resolver_.cancel();
      me.close_socket();
    });
  }

  void close() override {
    asio::post(strand, [self = shared_from_this()] { static_cast<BasicConnection&>(*self).close_socket(); });
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(*stream_); }

  void close_socket() {
    connected_ = false;
    if (!stream_) return;
    stop_watchdog();
    boost::system::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close();
  }

  bool deadline_passed() const {
    return exchange_->options.deadline && Clock::now() >= *exchange_->options.deadline;
  }

  // Timeouts: one watchdog timer per connection instead of a timer wait + cancel per operation
  // (which costs a timerfd syscall and an extra handler each time). Each phase only records its
  // expiry, min(now + phase timeout, deadline); the watchdog is re-armed only when that expiry is
  // earlier than the one it waits for. When it fires it compares the clock with the current
  // phase's expiry: past it, the exchange is aborted; otherwise it sleeps until that expiry.
  void expire_after(std::chrono::milliseconds phase_timeout, const char* phase) {
    auto expiry = deadline_after(phase_timeout);
    deadline_is_limit_ = false;
    if (exchange_->options.deadline && *exchange_->options.deadline <= expiry) {
      expiry = *exchange_->options.deadline;
      deadline_is_limit_ = true;
    }
    phase_ = phase;
    phase_expiry_ = expiry;
    if (!watchdog_pending_ || expiry < watchdog_at_) arm_watchdog(expiry);
  }

  void arm_watchdog(Clock::time_point at) {
    watchdog_at_ = at;
    watchdog_pending_ = true;
    const auto generation = ++watchdog_generation_;
    watchdog_.expires_at(at);
    watchdog_.async_wait([self = self(), generation](const boost::system::error_code& ec) { self->on_watchdog(ec, generation); });
  }

  void stop_watchdog() {
    if (!watchdog_pending_) return;
    watchdog_pending_ = false;
    ++watchdog_generation_;
    watchdog_.cancel();
  }

  void on_watchdog(const boost::system::error_code& ec, std::uint64_t generation) {
    if (generation != watchdog_generation_) return;  // replaced or stopped meanwhile
    watchdog_pending_ = false;
    if (ec || !exchange_ || abort_error_) return;    // idle connection: nothing to watch
    if (Clock::now() < phase_expiry_) return arm_watchdog(phase_expiry_);
    abort_error_ = phase_timeout(phase_);
    resolver_.cancel();
    close_socket();  // the pending operation completes with operation_aborted -> fail(abort_error_)
  }

  Error timeout_error(const std::string& what) const {
    return make_error(ErrorCode::timeout, what + " (" + exchange_->url.origin() + ")");
  }

  Error phase_timeout(const char* phase) const {
    if (deadline_is_limit_) return timeout_error(std::string("the request deadline passed while ") + phase);
    return timeout_error(std::string("timed out ") + phase);
  }

  // Maps a failed operation to the taxonomy; an abort (cancel/shutdown) wins over the raw error.
  Error map_error(const boost::system::error_code& ec, const char* phase) const {
    if (abort_error_) return *abort_error_;
    if (ec == beast::error::timeout) return phase_timeout(phase);
    const auto where = " (" + exchange_->url.origin() + ")";
    if (ec == http::error::body_limit)
      return make_error(ErrorCode::upstream,
                        "response body exceeds the limit of " + std::to_string(exchange_->options.max_body_bytes) +
                            " bytes" + where,
                        std::string(kResponseTooLarge));
    if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream &&
        ec != http::error::partial_message)
      return make_error(ErrorCode::upstream, "malformed HTTP response: " + ec.message() + where);
    if (ec == http::error::partial_message || (response_.status != 0 && is_connection_drop(ec)))
      return make_error(ErrorCode::upstream, "connection closed in the middle of the response" + where);
    return make_error(ErrorCode::unavailable, std::string("connection failed while ") + phase + ": " + ec.message() + where);
  }

  void connect() {
    connected_ = false;
    if constexpr (Tls) {
      stream_.emplace(strand, impl.tls);
    } else {
      stream_.emplace(strand);
    }
    buffer_.clear();
    const auto& url = exchange_->url;
    if (url.host_is_ip) {
      boost::system::error_code ec;
      const auto address = asio::ip::make_address(url.host, ec);
      std::vector<tcp::endpoint> endpoints{tcp::endpoint(address, url.port)};
      return connect_to(endpoints);
    }
    expire_after(exchange_->options.connect_timeout, "resolving the host name");
    resolver_.async_resolve(url.host, std::to_string(url.port),
                            [self = self()](const boost::system::error_code& ec, tcp::resolver::results_type results) {
                              self->on_resolve(ec, std::move(results));
                            });
  }

  void on_resolve(const boost::system::error_code& ec, tcp::resolver::results_type results) {
    if (abort_error_) return fail(*abort_error_);
    if (ec) {
      return fail(make_error(ErrorCode::unavailable,
                             "cannot resolve host " + exchange_->url.host + ": " + ec.message()));
    }
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
    connect_to(endpoints);
  }

  void connect_to(const std::vector<tcp::endpoint>& endpoints) {
    expire_after(exchange_->options.connect_timeout, "connecting");
    lowest().async_connect(endpoints, [self = self()](const boost::system::error_code& ec, const tcp::endpoint&) {
      self->on_connect(ec);
    });
  }

  void on_connect(const boost::system::error_code& ec) {
    if (ec) return fail(map_error(ec, "connecting"));
    boost::system::error_code ignored;
    lowest().socket().set_option(tcp::no_delay(true), ignored);
    impl.connections_opened.fetch_add(1, std::memory_order_relaxed);
    if constexpr (Tls) {
      if (!prepare_tls()) return;
      phase_ = "in the TLS handshake";  // still within the connect timeout
      stream_->async_handshake(ssl::stream_base::client,
                               [self = self()](const boost::system::error_code& hec) { self->on_handshake(hec); });
    } else {
      connected_ = true;
      write_request();
    }
  }

  // SNI and certificate host/IP verification, done by OpenSSL during the handshake.
  bool prepare_tls() {
    if constexpr (Tls) {
      SSL* ssl_handle = stream_->native_handle();
      const auto& url = exchange_->url;
      if (!url.host_is_ip && SSL_set_tlsext_host_name(ssl_handle, url.host.c_str()) != 1) {
        fail(make_error(ErrorCode::internal, "cannot set the TLS server name"));
        return false;
      }
      if (!impl.options.tls.insecure_skip_verify) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        const int ok = url.host_is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str())
                                      : X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), url.host.size());
        if (ok != 1) {
          fail(make_error(ErrorCode::internal, "cannot set the TLS verification host"));
          return false;
        }
      }
    }
    return true;
  }

  void on_handshake(const boost::system::error_code& ec) {
    if constexpr (Tls) {
      if (ec) {
        if (abort_error_ || ec == beast::error::timeout) return fail(map_error(ec, "in the TLS handshake"));
        const long verify = SSL_get_verify_result(stream_->native_handle());
        if (verify != X509_V_OK) {
          return fail(make_error(ErrorCode::unavailable,
                                 "TLS certificate verification failed for " + exchange_->url.origin() + ": " +
                                     X509_verify_cert_error_string(verify),
                                 std::string(kTlsVerifyFailed)));
        }
        return fail(make_error(ErrorCode::unavailable,
                               "TLS handshake failed with " + exchange_->url.origin() + ": " + ec.message(),
                               "tls_handshake_failed"));
      }
      connected_ = true;
      write_request();
    }
  }

  void write_request() {
    auto& request = exchange_->request;
    request_.emplace();
    request_->version(11);
    request_->method_string(request.method);
    request_->target(exchange_->url.target);
    request_->set(http::field::host, exchange_->url.host_header());
    request_->set(http::field::user_agent, impl.options.user_agent);
    for (const auto& [name, value] : request.headers) request_->insert(name, value);
    request_->body() = std::move(request.body);
    request_->prepare_payload();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(exchange_->options.max_body_bytes);
    parser_->eager(true);
    if (request.method == "HEAD") parser_->skip(true);
    expire_after(exchange_->options.first_byte_timeout, "waiting for the response header");
    http::async_write(*stream_, *request_, [self = self()](const boost::system::error_code& ec, std::size_t written) {
      self->on_write(ec, written);
    });
  }

  // A pooled keep-alive connection is checked before it is written to: a peer that closed it
  // while idle (FIN or RST), or sent anything unasked (a TLS close_notify, a stray 408), makes it
  // unusable. A non-blocking peek on the socket; no syscall beyond that one.
  bool idle_connection_usable() {
    if (buffer_.size() != 0) return false;
    char byte = 0;
    const auto n = ::recv(lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

  // The request is re-sent on a fresh connection without counting as an attempt only when not one
  // byte of it went out on the old one: the write itself failed at once on a reused connection.
  // Once a byte is written the server may have the whole request (and act on it, and bill it), so
  // any later failure is the caller's -- an ordinary attempt failure its retry policy counts.
  bool resend_if_unwritten(const boost::system::error_code& ec, std::size_t bytes_written) {
    if (!reused_ || bytes_written != 0 || abort_error_ || !is_connection_drop(ec)) return false;
    exchange_->request.body = std::move(request_->body());
    reused_ = false;
    close_socket();
    connect();
    return true;
  }

  void on_write(const boost::system::error_code& ec, std::size_t written) {
    if (ec) {
      if (resend_if_unwritten(ec, written)) return;
      return fail(map_error(ec, "sending the request"));
    }
    impl.requests_sent.fetch_add(1, std::memory_order_relaxed);
    http::async_read_header(*stream_, buffer_, *parser_, [self = self()](const boost::system::error_code& rec, std::size_t) {
      self->on_header(rec);
    });
  }

  void on_header(const boost::system::error_code& ec) {
    if (ec) return fail(map_error(ec, "waiting for the response header"));
    const auto& head = parser_->get();
    response_.status = static_cast<int>(head.result_int());
    response_.headers.reserve(16);
    for (const auto& field : head) response_.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
    streaming_ = exchange_->options.on_body_chunk && response_.status >= 200 && response_.status < 300;
    if (!streaming_) {
      if (const auto length = parser_->content_length())
        response_.body.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, exchange_->options.max_body_bytes)));
    }
    if (parser_->is_done()) return complete();
    read_body();
  }

  void read_body() {
    std::size_t room = kStreamChunk;
    char* data = nullptr;
    if (streaming_) {
      scratch_.resize(kStreamChunk);
      data = scratch_.data();
    } else {
      if (const auto remaining = parser_->content_length_remaining())
        room = std::max<std::size_t>(1, static_cast<std::size_t>(std::min<std::uint64_t>(*remaining, 1 << 20)));
      body_start_ = response_.body.size();
      response_.body.resize(body_start_ + room);
      data = response_.body.data() + body_start_;
    }
    parser_->get().body().data = data;
    parser_->get().body().size = room;
    room_ = room;
    expire_after(exchange_->options.idle_timeout, "reading the response body");
    http::async_read_some(*stream_, buffer_, *parser_, [self = self()](boost::system::error_code ec, std::size_t) {
      self->on_body(ec);
    });
  }

  void on_body(boost::system::error_code ec) {
    if (ec == http::error::need_buffer) ec = {};
    const std::size_t got = room_ - parser_->get().body().size;
    if (!streaming_) response_.body.resize(body_start_ + got);
    if (ec == ssl::error::stream_truncated && parser_->need_eof()) {
      // A TLS peer that ends an EOF-delimited body without close_notify: the body is complete.
      parser_->put_eof(ec);
    }
    if (ec) return fail(map_error(ec, "reading the response body"));
    if (streaming_ && got > 0) {
      bool keep_going = false;
      try {
        keep_going = exchange_->options.on_body_chunk(std::string_view(scratch_.data(), got));
      } catch (...) {
        return fail(make_error(ErrorCode::internal, "the response body observer threw"));
      }
      if (!keep_going) {
        close_socket();  // the rest of the body is unread: the connection cannot be reused
        return deliver(false);
      }
    }
    if (parser_->is_done()) return complete();
    read_body();
  }

  void complete() { deliver(parser_->keep_alive() && connected_); }

  void deliver(bool reusable) {
    auto exchange = std::move(exchange_);
    Result<HttpResponse> result(std::move(response_));
    if (!reusable) close_socket();
    request_.reset();
    impl.release(shared_from_this(), pool, reusable);
    impl.finish(exchange, std::move(result));
  }

  void fail(Error error) {
    auto exchange = std::move(exchange_);
    close_socket();
    request_.reset();
    impl.release(shared_from_this(), pool, false);
    impl.finish(exchange, std::move(error));
  }

  std::shared_ptr<BasicConnection> self() { return std::static_pointer_cast<BasicConnection>(shared_from_this()); }

  tcp::resolver resolver_;
  std::optional<Stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request<http::string_body>> request_;
  std::optional<http::response_parser<http::buffer_body>> parser_;
  std::shared_ptr<Exchange> exchange_;
  HttpResponse response_;
  std::string scratch_;
  std::optional<Error> abort_error_;
  asio::steady_timer watchdog_;
  Clock::time_point watchdog_at_{};
  Clock::time_point phase_expiry_{};
  const char* phase_ = "";
  std::uint64_t watchdog_generation_ = 0;
  bool watchdog_pending_ = false;
  std::size_t body_start_ = 0;
  std::size_t room_ = 0;
  bool connected_ = false;
  bool reused_ = false;
  bool streaming_ = false;
  bool deadline_is_limit_ = false;
};

}  // namespace

struct HttpClient::Impl : ClientState {
  using ClientState::ClientState;
};

ClientState::ClientState(ClientOptions opts) : options(std::move(opts)) {
  if (options.max_connections_per_host == 0) throw Error::invalid_argument("max_connections_per_host", "must be at least 1");
  if (options.io_threads == 0) throw Error::invalid_argument("io_threads", "must be at least 1");
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  if (options.tls.insecure_skip_verify) {
    tls.set_verify_mode(ssl::verify_none);
    emit_log(options.log, LogLevel::warning, "http",
             "TLS certificate and hostname verification is DISABLED (insecure_skip_verify); "
             "connections can be intercepted. Use a CA file instead.");
  } else {
    tls.set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    if (!options.tls.ca_file.empty()) {
      tls.load_verify_file(options.tls.ca_file, ec);
      if (ec) throw Error::invalid_argument("tls.ca_file", "cannot load the CA file: " + ec.message());
    }
  }
  work.emplace(ioc.get_executor());
}

void ClientState::start_threads() {
  for (std::size_t i = 0; i < options.io_threads; ++i) {
    threads.emplace_back([this] {
      current_client = this;
      for (;;) {
        try {
          ioc.run();
          break;
        } catch (const std::exception& e) {
          emit_log(options.log, LogLevel::error, "http", std::string("a completion handler threw: ") + e.what());
        } catch (...) {
          emit_log(options.log, LogLevel::error, "http", "a completion handler threw");
        }
      }
    });
  }
}

std::shared_ptr<Connection> ClientState::make_connection(Pool& pool) {
  if (pool.tls && !options.tls.insecure_skip_verify) {
    // The system CA store costs ~70 ms to load: only clients that really speak TLS pay for it,
    // once, before their first TLS connection exists (so no handshake uses the context meanwhile).
    std::call_once(system_store_loaded, [this] {
      boost::system::error_code ignored;
      tls.set_default_verify_paths(ignored);  // a missing store only matters if a server needs it
    });
  }
  open_connections.fetch_add(1, std::memory_order_relaxed);
  ++pool.open;
  std::shared_ptr<Connection> connection;
  if (pool.tls) {
    connection = std::make_shared<BasicConnection<true>>(*this, pool);
  } else {
    connection = std::make_shared<BasicConnection<false>>(*this, pool);
  }
  pool.busy.insert(connection);
  return connection;
}

void ClientState::send(std::shared_ptr<Exchange> exchange) {
  try {
    exchange->url = parse_url(exchange->request.url);
    check_request_fields(exchange->request);
  } catch (Error& error) {
    return asio::post(ioc, [this, exchange, error = std::move(error)]() mutable { finish(exchange, std::move(error)); });
  }
  exchange->pool_key = (exchange->url.tls ? "https://" : "http://") + exchange->url.host + "|" +
                       std::to_string(exchange->url.port);
  if (exchange->options.cancel.can_be_cancelled()) {
    std::weak_ptr<Exchange> weak = exchange;
    exchange->cancel_registration = exchange->options.cancel.on_cancel([this, weak] {
      if (auto locked = weak.lock()) on_cancel_requested(locked);
    });
  }
  acquire(exchange);
}

void ClientState::acquire(const std::shared_ptr<Exchange>& exchange) {
  std::shared_ptr<Connection> connection;
  std::optional<Error> refused;
  {
    std::lock_guard lock(mutex);
    if (shutting_down) {
      refused = make_error(ErrorCode::cancelled, "the HTTP client is shutting down");
    } else if (exchange->cancel_requested.load()) {
      refused = make_error(ErrorCode::cancelled, "request cancelled");
    } else {
      auto& slot = pools[exchange->pool_key];
      if (!slot) {
        slot = std::make_unique<Pool>();
        slot->tls = exchange->url.tls;
      }
      Pool& pool = *slot;
      if (!pool.idle.empty()) {
        connection = std::move(pool.idle.back());
        pool.idle.pop_back();
        pool.busy.insert(connection);
      } else if (pool.open < options.max_connections_per_host) {
        connection = make_connection(pool);
      } else {
        exchange->waiting = true;
        pool.waiters.push_back(exchange);
        if (exchange->options.deadline) {
          exchange->wait_timer = std::make_unique<asio::steady_timer>(ioc, *exchange->options.deadline);
          exchange->wait_timer->async_wait([this, exchange](const boost::system::error_code& ec) {
            if (!ec) on_wait_timeout(exchange);
          });
        }
      }
      if (connection) exchange->connection = connection;
    }
  }
  if (refused) {
    return asio::post(ioc, [this, exchange, error = std::move(*refused)]() mutable { finish(exchange, std::move(error)); });
  }
  if (connection) asio::post(connection->strand, [connection, exchange] { connection->start(exchange); });
}

void ClientState::release(const std::shared_ptr<Connection>& connection, Pool& pool, bool reusable) {
  std::shared_ptr<Exchange> next;
  std::shared_ptr<Connection> next_connection;
  {
    std::lock_guard lock(mutex);
    pool.busy.erase(connection);
    if (!reusable || shutting_down) {
      --pool.open;
      open_connections.fetch_sub(1, std::memory_order_relaxed);
      if (shutting_down) return;
    }
    if (!pool.waiters.empty()) {
      next = std::move(pool.waiters.front());
      pool.waiters.pop_front();
      next->waiting = false;
      if (next->wait_timer) next->wait_timer->cancel();
      next_connection = reusable ? connection : make_connection(pool);
      if (reusable) pool.busy.insert(connection);
      next->connection = next_connection;
    } else if (reusable) {
      pool.idle.push_back(connection);
    }
  }
  if (next) asio::post(next_connection->strand, [next_connection, next] { next_connection->start(next); });
}

void ClientState::on_cancel_requested(const std::shared_ptr<Exchange>& exchange) {
  exchange->cancel_requested.store(true);
  std::shared_ptr<Connection> connection;
  bool was_waiting = false;
  {
    std::lock_guard lock(mutex);
    if (exchange->waiting) {
      auto& waiters = pools[exchange->pool_key]->waiters;
      waiters.erase(std::remove(waiters.begin(), waiters.end(), exchange), waiters.end());
      exchange->waiting = false;
      if (exchange->wait_timer) exchange->wait_timer->cancel();
      was_waiting = true;
    } else {
      connection = exchange->connection;
    }
  }
  if (was_waiting) {
    asio::post(ioc, [this, exchange] { finish(exchange, make_error(ErrorCode::cancelled, "request cancelled")); });
  } else if (connection) {
    connection->abort(exchange, make_error(ErrorCode::cancelled, "request cancelled"));
  }
}

void ClientState::on_wait_timeout(const std::shared_ptr<Exchange>& exchange) {
  {
    std::lock_guard lock(mutex);
    if (!exchange->waiting) return;
    auto& waiters = pools[exchange->pool_key]->waiters;
    waiters.erase(std::remove(waiters.begin(), waiters.end(), exchange), waiters.end());
    exchange->waiting = false;
  }
  finish(exchange, make_error(ErrorCode::timeout, "the request deadline passed while waiting for a free connection (" +
                                                      exchange->url.origin() + ")"));
}

void ClientState::finish(const std::shared_ptr<Exchange>& exchange, Result<HttpResponse> result) {
  if (exchange->finished.exchange(true)) return;
  exchange->cancel_registration.reset();
  {
    std::lock_guard lock(mutex);
    exchange->connection.reset();
  }
  auto handler = std::move(exchange->handler);
  if (!result.ok() && result.error().code() == ErrorCode::timeout && exchange->cancel_requested.load())
    result = make_error(ErrorCode::cancelled, "request cancelled");
  handler(std::move(result));
}

void ClientState::shutdown() {
  std::vector<std::shared_ptr<Exchange>> waiters;
  std::vector<std::shared_ptr<Connection>> busy;
  std::vector<std::shared_ptr<Connection>> idle;
  std::vector<std::shared_ptr<asio::steady_timer>> pending_timers;
  {
    std::lock_guard lock(mutex);
    shutting_down = true;
    stopping.store(true);
    for (auto& [key, pool] : pools) {
      for (auto& waiter : pool->waiters) {
        waiter->waiting = false;
        if (waiter->wait_timer) waiter->wait_timer->cancel();
        waiters.push_back(waiter);
      }
      pool->waiters.clear();
      for (auto& connection : pool->idle) idle.push_back(connection);
      pool->open -= pool->idle.size();
      open_connections.fetch_sub(pool->idle.size());
      pool->idle.clear();
      busy.insert(busy.end(), pool->busy.begin(), pool->busy.end());
    }
    pending_timers.assign(timers.begin(), timers.end());
  }
  for (auto& waiter : waiters)
    asio::post(ioc, [this, waiter] { finish(waiter, make_error(ErrorCode::cancelled, "the HTTP client is shutting down")); });
  for (auto& connection : idle) connection->close();
  // Busy connections: abort whatever exchange runs there (read on the connection's strand).
  for (auto& connection : busy)
    connection->abort(nullptr, make_error(ErrorCode::cancelled, "the HTTP client is shutting down"));
  for (auto& timer : pending_timers) timer->cancel();
}

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {
  impl_->start_threads();
}

HttpClient::~HttpClient() {
  if (!impl_) return;
  impl_->shutdown();
  impl_->work.reset();
  if (on_io_thread()) {
    // Destroyed from one of its own handlers: a thread cannot join itself. A reaper thread joins
    // the I/O threads (this one included, once its handler returns and the work has drained) and
    // only then drops the state, so no I/O thread is still inside the io_context when it goes.
    std::thread([keep = impl_, threads = std::move(impl_->threads)]() mutable {
      for (auto& thread : threads) thread.join();
    }).detach();
    return;
  }
  for (auto& thread : impl_->threads) thread.join();
}

void ClientState::async_send(HttpRequest request, RequestOptions request_options, ResponseHandler on_done) {
  auto exchange = std::make_shared<Exchange>();
  exchange->request = std::move(request);
  exchange->options = std::move(request_options);
  exchange->handler = std::move(on_done);
  send(std::move(exchange));
}

void HttpClient::async_send(HttpRequest request, RequestOptions options, ResponseHandler on_done) {
  impl_->async_send(std::move(request), std::move(options), std::move(on_done));
}

HttpResponse HttpClient::send(HttpRequest request, RequestOptions options) {
  if (on_io_thread()) throw Error(ErrorCode::internal, "HttpClient::send() called on the client's own I/O thread");
  std::promise<Result<HttpResponse>> promise;
  auto future = promise.get_future();
  async_send(std::move(request), std::move(options),
             [&promise](Result<HttpResponse> result) { promise.set_value(std::move(result)); });
  return future.get().value();
}

void ClientState::post_after(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto timer = std::make_shared<asio::steady_timer>(ioc, delay);
  {
    std::lock_guard lock(mutex);
    if (shutting_down) {
      asio::post(ioc, std::move(fn));  // runs at once: a retry then fails with cancelled
      return;
    }
    timers.insert(timer);
  }
  timer->async_wait([this, timer, fn = std::move(fn)](const boost::system::error_code&) {
    {
      std::lock_guard lock(mutex);
      timers.erase(timer);
    }
    fn();
  });
}

void HttpClient::post_after(std::chrono::milliseconds delay, std::function<void()> fn) {
  impl_->post_after(delay, std::move(fn));
}

HttpClientHandle HttpClient::handle() const { return HttpClientHandle(impl_); }

// The state outlives every I/O thread (the HttpClient or its reaper holds it until they are
// joined), so a lock taken here is never the last reference while a handler runs.
void HttpClientHandle::async_send(HttpRequest request, RequestOptions options, ResponseHandler on_done) const {
  if (const auto impl = impl_.lock()) return impl->async_send(std::move(request), std::move(options), std::move(on_done));
  on_done(make_error(ErrorCode::cancelled, "the HTTP client is shut down"));
}

void HttpClientHandle::post_after(std::chrono::milliseconds delay, std::function<void()> fn) const {
  if (const auto impl = impl_.lock()) return impl->post_after(delay, std::move(fn));
  fn();
}

bool HttpClient::on_io_thread() const noexcept {
  return impl_ && current_client == static_cast<const ClientState*>(impl_.get());
}

PoolStats HttpClient::stats() const {
  PoolStats stats;
  stats.open_connections = impl_->open_connections.load();
  stats.connections_opened = impl_->connections_opened.load();
  stats.requests_sent = impl_->requests_sent.load();
  return stats;
}

}  // namespace contentgen::net
