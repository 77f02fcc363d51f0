// The only translation unit of the CLI that includes Boost.Beast/Asio (compile time: see
// docs/rest.md#implementation).
#include "server/http_server.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "server/text.hpp"

namespace contentgen::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Descriptors kept free for the database, the store, the LLM pool, spool and log files when
// max_connections is derived from `ulimit -n`: these, plus an eighth of the limit.
constexpr std::size_t kReservedDescriptors = 16;
// A connection still without its first request head after this long may be displaced by a new one.
constexpr std::chrono::milliseconds kSlowHeadAge{250};

// A log line that clients can provoke at will (accept failures, internal errors) is written at
// most once a second, with the number of occurrences it stands for.
class ThrottledLog {
 public:
  void write(const std::string& what) {
    std::lock_guard lock(mutex_);
    ++count_;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < 1s) return;
    std::string line = "contentgen serve: " + what;
    if (count_ > 1) line += " (" + std::to_string(count_) + " times since the last such line)";
    line += "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    last_ = now;
    count_ = 0;
  }

 private:
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
  std::uint64_t count_ = 0;
};

// The request bytes all connections together may hold (server.max_inflight_body_bytes).
class BodyBudget {
 public:
  explicit BodyBudget(std::uint64_t limit) : limit_(limit) {}
  bool try_take(std::uint64_t bytes) {
    std::uint64_t used = used_.load();
    do {
      if (bytes > limit_ || used > limit_ - bytes) return false;
    } while (!used_.compare_exchange_weak(used, used + bytes));
    return true;
  }
  void give_back(std::uint64_t bytes) { used_ -= bytes; }

 private:
  const std::uint64_t limit_;
  std::atomic<std::uint64_t> used_{0};
};

// A body spooled to an unlinked temporary file, mapped read-only once complete. The mapping keeps
// the file alive by itself: no descriptor stays open (nor is a new one needed, even at EMFILE).
class MappedSpool final : public SpooledBody {
 public:
  explicit MappedSpool(int fd) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) throw std::system_error(errno, std::generic_category(), "fstat");
    size_ = static_cast<std::size_t>(info.st_size);
    if (size_ == 0) return;
    void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapped == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap");
    data_ = static_cast<const char*>(mapped);
  }
  ~MappedSpool() override {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedSpool(const MappedSpool&) = delete;
  MappedSpool& operator=(const MappedSpool&) = delete;
  std::string_view bytes() const override { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// An anonymous file in `dir` (created, then unlinked at once: nothing is left behind whatever
// happens to the process). Returns -1 with errno set.
int open_spool_file(const std::string& dir) {
  std::string path = dir + "/contentgen-body-XXXXXX";
  const int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(path.c_str());
  return fd;
}

std::string default_spool_dir() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

// max_connections, lowered so that the connections cannot exhaust `ulimit -n` on their own.
std::size_t connection_cap(std::size_t configured) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return configured;
  std::size_t open = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++open;
  const auto available = static_cast<std::size_t>(limit.rlim_cur);
  const std::size_t reserved = open + kReservedDescriptors + available / 8;
  const std::size_t usable = available > reserved ? available - reserved : 1;
  if (usable < configured) {
    std::cerr << "contentgen serve: at most " << usable << " connections (server.max_connections is " << configured
              << ", but the process may open only " << available << " files: ulimit -n)\n";
  }
  return std::min(configured, usable);
}

bool is_resource_exhaustion(const beast::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec == asio::error::no_memory ||
         ec == beast::error_code(ENFILE, asio::error::get_system_category());
}

// An error of the HTTP grammar (answered), as opposed to a timeout or a peer that went away
// (nobody to answer).
bool is_malformed_request(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message && ec != http::error::need_more;
}

class Session;

// What every connection shares; owned jointly by the sessions and run_http_server so that the
// io_context outlives any late completion posted to it.
struct Server : std::enable_shared_from_this<Server> {
  Server(const HttpServerOptions& o, const RestApi& a)
      : options(o),
        api(a),
        max_connections(connection_cap(o.max_connections)),
        spool_dir(o.spool_dir.empty() ? default_spool_dir() : o.spool_dir),
        body_budget(o.max_inflight_body_bytes),
        strand(asio::make_strand(ioc)),
        acceptor(strand),
        signals(strand),
        grace(strand),
        accept_pause(strand) {}

  const HttpServerOptions options;
  const RestApi& api;
  const std::size_t max_connections;
  const std::string spool_dir;
  BodyBudget body_budget;
  ThrottledLog accept_log;
  ThrottledLog internal_log;
  asio::io_context ioc;
  // The acceptor, the signal set and the timers are touched by the accept loop, the signal
  // handler and the last session leaving; with io_threads > 1 those run on different threads, so
  // all of it runs on this strand (Asio I/O objects are not safe for concurrent use).
  asio::strand<asio::io_context::executor_type> strand;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer grace;
  asio::steady_timer accept_pause;
  std::chrono::milliseconds accept_backoff{0};
  std::atomic<bool> shutting_down{false};
  std::mutex mutex;
  std::map<std::uint64_t, std::weak_ptr<Session>> sessions;  // in accept order
  std::uint64_t next_id = 0;

  std::uint64_t add(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(mutex);
    sessions.emplace(++next_id, session);
    return next_id;
  }
  std::size_t open_connections() {
    std::lock_guard lock(mutex);
    return sessions.size();
  }
  void remove(std::uint64_t id);
  bool make_room();
  void finish_if_drained();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // What a connection is doing, readable from the accept loop to choose one to displace.
  enum class Phase { awaiting_first_head, busy, idle, evicted };

  Session(tcp::socket socket, std::shared_ptr<Server> server)
      : stream_(std::move(socket)),
        server_(std::move(server)),
        buffer_(kReadBufferLimit),
        descriptor_(stream_.socket().native_handle()) {}
  ~Session() {
    release_body_budget();
    server_->remove(id_);
  }

  void start() {
    id_ = server_->add(shared_from_this());
    read_header();
  }

  Phase phase() const { return phase_.load(); }
  std::chrono::steady_clock::time_point accepted_at() const { return accepted_at_; }
  // Whether the client sent bytes this connection has not read yet (from any thread: FIONREAD).
  bool has_unread_bytes() const {
    int pending = 0;
    return ::ioctl(descriptor_, FIONREAD, &pending) == 0 && pending > 0;
  }

  // From any thread: closes the connection if it is still in `expected` (chosen to make room, or
  // idle at shutdown). Marking it first keeps two callers from choosing the same connection.
  bool evict(Phase expected) {
    if (!phase_.compare_exchange_strong(expected, Phase::evicted)) return false;
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
    return true;
  }

 private:
  void read_header() {
    phase_ = first_request_ ? Phase::awaiting_first_head : Phase::idle;
    header_parser_.emplace();
    header_parser_->header_limit(kHeaderLimit);
    // No body limit yet: Beast would refuse a large Content-Length while parsing the head, before
    // RestApi has said which limit applies to this route (and answered 413 itself).
    header_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    string_parser_.reset();
    file_parser_.reset();
    request_ = HttpRequest{};
    stream_.expires_after(first_request_ ? server_->options.header_timeout : server_->options.idle_timeout);
    http::async_read_header(stream_, buffer_, *header_parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (phase_.load() == Phase::evicted) return close();
    phase_ = Phase::busy;
    request_.id = new_uuid_v7();
    if (!is_malformed_request(ec) && ec) return close();  // timeout, peer gone, shutting down
    if (ec) return reject_malformed(ec);
    const auto& head = header_parser_->get();
    request_.method = std::string(head.method_string());
    request_.target = std::string(head.target());
    for (const auto& field : head) {
      request_.headers.emplace_back(ascii_lower(field.name_string()), std::string(field.value()));
    }
    if (header_parser_->content_length()) request_.content_length = *header_parser_->content_length();
    keep_alive_ = head.keep_alive();
    head_only_ = head.method() == http::verb::head;
    std::size_t body_limit = 0;
    std::optional<HttpResponse> early;
    try {
      early = server_->api.check_head(request_, body_limit);
    } catch (const std::exception& e) {
      server_->internal_log.write(std::string("internal error while checking a request head: ") + e.what());
      early = server_->api.transport_error(request_, 500, "internal", "the request head could not be checked");
      early->close_connection = true;
    }
    if (early) return write(std::move(*early), false);
    if (header_parser_->is_done()) return dispatch();
    if (!prepare_body(body_limit)) return;
    if (beast::iequals(head[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, head.version());
      stream_.expires_after(server_->options.write_timeout);
      return http::async_write(stream_, *continue_, [self = shared_from_this()](beast::error_code wec, std::size_t) {
        if (wec) return self->close();
        self->read_body();
      });
    }
    read_body();
  }

  // Takes the body's share of the budget and picks where it goes (memory or a spool file). False
  // when it answered instead.
  bool prepare_body(std::size_t body_limit) {
    const std::uint64_t size = request_.content_length.value_or(body_limit);
    if (!server_->body_budget.try_take(size)) {
      auto response = server_->api.transport_error(
          request_, 503, "unavailable", "too many request bodies in flight (server.max_inflight_body_bytes); retry later");
      response.headers.emplace_back("Retry-After", "1");
      write(std::move(response), true);
      return false;
    }
    reserved_body_bytes_ = size;
    if (size > server_->options.upload_spool_bytes && spool_body(body_limit)) return true;
    // Small enough, or no spool file to be had (out of descriptors, a full disk): in memory, which
    // the budget above bounds either way.
    string_parser_.emplace(std::move(*header_parser_));
    string_parser_->body_limit(body_limit);
    return true;
  }

  // Reads the body into an unlinked temporary file; false (and nothing changed) when none can be
  // created.
  bool spool_body(std::size_t body_limit) {
    const int fd = open_spool_file(server_->spool_dir);
    if (fd < 0) {
      server_->internal_log.write("cannot create a spool file in " + server_->spool_dir + " (" +
                                  std::strerror(errno) + "): the body is kept in memory");
      return false;
    }
    beast::file spool;
    spool.native_handle(fd);
    beast::error_code ec;
    file_parser_.emplace(std::move(*header_parser_));
    file_parser_->body_limit(body_limit);
    file_parser_->get().body().reset(std::move(spool), ec);
    // reset() fails only when it cannot query the fresh file's size; the first write would then
    // fail too, ending the request as a read error.
    return true;
  }

  void read_body() {
    stream_.expires_after(server_->options.read_timeout);
    auto done = [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); };
    if (string_parser_) {
      http::async_read(stream_, buffer_, *string_parser_, std::move(done));
    } else {
      http::async_read(stream_, buffer_, *file_parser_, std::move(done));
    }
  }

  void on_body(beast::error_code ec) {
    if (ec == http::error::body_limit) return write(server_->api.body_too_large(request_), true);
    if (is_malformed_request(ec)) return reject_malformed(ec);
    if (ec) return close();  // timeout or a client that went away: nobody to answer
    if (string_parser_) {
      request_.body = std::move(string_parser_->get().body());
      return dispatch();
    }
    try {
      request_.spooled_body = std::make_shared<MappedSpool>(file_parser_->get().body().file().native_handle());
    } catch (const std::exception& e) {
      server_->internal_log.write(std::string("cannot map a spooled request body: ") + e.what());
      return write(server_->api.transport_error(request_, 503, "unavailable", "cannot take a request body now"), true);
    }
    file_parser_.reset();  // closes the descriptor; the mapping stays valid
    dispatch();
  }

  // 400, or 431 for a head or trailer too large; the connection closes (its framing is lost).
  void reject_malformed(const beast::error_code& ec) {
    const bool too_large = ec == http::error::header_limit || ec == http::error::buffer_overflow;
    write(server_->api.transport_error(request_, too_large ? 431 : 400,
                                       too_large ? "request_header_fields_too_large" : "bad_request",
                                       "malformed HTTP request: " + ec.message()),
          true);
  }

  void dispatch() {
    stream_.expires_never();  // a generation may take minutes; the LLM client has its own timeouts
    try {
      server_->api.handle(std::move(request_), [self = shared_from_this()](HttpResponse response) {
        asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
          self->write(std::move(response), false);
        });
      });
    } catch (const std::exception& e) {
      // RestApi answers its own errors; this is a failure before it could (e.g. out of memory).
      server_->internal_log.write(std::string("internal error while dispatching a request: ") + e.what());
      close();
    }
  }

  void write(HttpResponse response, bool force_close) {
    release_body_budget();
    const bool keep = keep_alive_ && !force_close && !response.close_connection && !server_->shutting_down.load();
    response_.emplace(static_cast<http::status>(response.status), 11);
    response_->set(http::field::server, "contentgen");
    if (!response.content_type.empty()) response_->set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) response_->insert(name, value);
    response_->keep_alive(keep);
    if (head_only_) {
      // HEAD: the headers GET would send, Content-Length included, and no body.
      response_->set(http::field::content_length, std::to_string(response.body.size()));
    } else {
      response_->body() = std::move(response.body);
      response_->prepare_payload();
    }
    stream_.expires_after(server_->options.write_timeout);
    http::async_write(stream_, *response_, [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
      self->response_.reset();
      if (ec || !keep) return self->close();
      self->first_request_ = false;
      self->head_only_ = false;
      self->read_header();
    });
  }

  void release_body_budget() {
    if (reserved_body_bytes_ == 0) return;
    server_->body_budget.give_back(reserved_body_bytes_);
    reserved_body_bytes_ = 0;
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Server> server_;
  std::uint64_t id_ = 0;
  beast::flat_buffer buffer_;
  const int descriptor_;
  std::optional<http::request_parser<http::empty_body>> header_parser_;
  std::optional<http::request_parser<http::string_body>> string_parser_;
  std::optional<http::request_parser<http::file_body>> file_parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  HttpRequest request_;
  std::uint64_t reserved_body_bytes_ = 0;
  std::atomic<Phase> phase_{Phase::awaiting_first_head};
  const std::chrono::steady_clock::time_point accepted_at_ = std::chrono::steady_clock::now();
  bool keep_alive_ = true;
  bool head_only_ = false;
  bool first_request_ = true;
};

void Server::remove(std::uint64_t id) {
  bool drained = false;
  {
    std::lock_guard lock(mutex);
    sessions.erase(id);
    drained = sessions.empty();
  }
  if (drained && shutting_down.load()) asio::post(strand, [self = shared_from_this()] { self->finish_if_drained(); });
}

// At the connection limit: closes an idle keep-alive connection, else the one that has waited
// longest (at least kSlowHeadAge) for its first request head: a slow or silent client. False when every connection is
// busy with a request.
bool Server::make_room() {
  std::vector<std::shared_ptr<Session>> waiting;
  {
    std::lock_guard lock(mutex);
    for (auto& [id, weak] : sessions) {
      auto session = weak.lock();
      if (!session) continue;
      if (session->evict(Session::Phase::idle)) return true;
      if (session->phase() == Session::Phase::awaiting_first_head) waiting.push_back(std::move(session));
    }
  }
  // First a connection silent for a while, then one whose head has not even begun to arrive: a
  // connection with bytes waiting to be read is probably a client about to be served.
  const auto now = std::chrono::steady_clock::now();
  for (auto& session : waiting) {
    if (now - session->accepted_at() >= kSlowHeadAge && session->evict(Session::Phase::awaiting_first_head)) return true;
  }
  for (auto& session : waiting) {
    if (!session->has_unread_bytes() && session->evict(Session::Phase::awaiting_first_head)) return true;
  }
  return false;
}

// Once shutting down and no connection is left: stop waiting for signals and timers, so that
// io_context::run() returns.
void Server::finish_if_drained() {
  {
    std::lock_guard lock(mutex);
    if (!sessions.empty()) return;
  }
  beast::error_code ignored;
  signals.cancel(ignored);
  grace.cancel();
  accept_pause.cancel();
}

void accept(const std::shared_ptr<Server>& server);

// Accepting failed (out of descriptors, buffers...): retrying at once would spin. Make room if
// descriptors ran out, then pause with a growing back-off (50 ms doubling to 1 s).
void pause_accepting(const std::shared_ptr<Server>& server, const beast::error_code& ec) {
  server->accept_backoff = std::clamp(server->accept_backoff * 2, std::chrono::milliseconds(50),
                                      std::chrono::milliseconds(500));
  server->accept_log.write("accept failed: " + ec.message() + "; pausing accepts for " +
                           std::to_string(server->accept_backoff.count()) + " ms");
  if (is_resource_exhaustion(ec)) server->make_room();
  server->accept_pause.expires_after(server->accept_backoff);
  server->accept_pause.async_wait([server](beast::error_code wec) {
    if (!wec && !server->shutting_down.load()) accept(server);
  });
}

// A connection beyond max_connections with nothing to displace: one non-blocking write of a 503
// and close at once, so that a flood of them holds no descriptor and no memory.
void refuse_busy(Server& server, tcp::socket& socket) {
  HttpRequest unread;
  unread.id = new_uuid_v7();
  HttpResponse response = server.api.transport_error(unread, 503, "unavailable",
                                                     "too many connections (server.max_connections); retry later");
  std::string text = "HTTP/1.1 503 Service Unavailable\r\nServer: contentgen\r\nContent-Type: " + response.content_type +
                     "\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: " + std::to_string(response.body.size()) +
                     "\r\n";
  for (const auto& [name, value] : response.headers) text += name + ": " + value + "\r\n";
  text += "\r\n" + response.body;
  beast::error_code ignored;
  socket.non_blocking(true, ignored);
  socket.write_some(asio::buffer(text), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

void accept(const std::shared_ptr<Server>& server) {
  server->acceptor.async_accept(asio::make_strand(server->ioc), [server](beast::error_code ec, tcp::socket socket) {
    if (server->shutting_down.load() || ec == asio::error::operation_aborted) return;
    if (ec) return pause_accepting(server, ec);
    server->accept_backoff = std::chrono::milliseconds(0);
    socket.set_option(tcp::no_delay(true), ec);
    if (server->open_connections() < server->max_connections || server->make_room()) {
      std::make_shared<Session>(std::move(socket), server)->start();
    } else {
      refuse_busy(*server, socket);
    }
    accept(server);
  });
}

void hard_stop_later(const std::shared_ptr<Server>& server, std::chrono::milliseconds delay) {
  server->grace.expires_after(delay);
  server->grace.async_wait([server](beast::error_code ec) {
    if (ec) return;
    std::cerr << "contentgen serve: stopping with requests still in flight\n";
    server->ioc.stop();
  });
}

void wait_for_signal(const std::shared_ptr<Server>& server) {
  server->signals.async_wait([server](beast::error_code ec, int signal_number) {
    if (ec) return;
    if (server->shutting_down.exchange(true)) {
      std::cerr << "contentgen serve: second signal: cancelling what is still running\n";
      if (server->options.on_grace_expired) server->options.on_grace_expired();
      hard_stop_later(server, std::chrono::milliseconds(5'000));
      return;
    }
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard lock(server->mutex);
      for (auto& [id, weak] : server->sessions)
        if (auto session = weak.lock()) open.push_back(std::move(session));
    }
    std::cerr << "contentgen serve: " << (signal_number == SIGTERM ? "SIGTERM" : "SIGINT")
              << ": shutting down; finishing requests in flight (" << open.size() << " connections open, up to "
              << std::chrono::duration<double>(server->options.shutdown_grace).count() << " s)\n";
    beast::error_code ignored;
    server->acceptor.close(ignored);
    server->accept_pause.cancel();
    for (auto& session : open) {
      if (!session->evict(Session::Phase::idle)) session->evict(Session::Phase::awaiting_first_head);
    }
    server->grace.expires_after(server->options.shutdown_grace);
    server->grace.async_wait([server](beast::error_code tec) {
      if (tec) return;
      std::cerr << "contentgen serve: grace period over: cancelling what is still running\n";
      if (server->options.on_grace_expired) server->options.on_grace_expired();
      hard_stop_later(server, std::chrono::milliseconds(5'000));
    });
    wait_for_signal(server);  // a second signal shortens the wait
    asio::post(server->strand, [server] { server->finish_if_drained(); });
  });
}

// The last barrier: an exception out of a completion handler (ours or Beast's) ends only the
// connection whose handler threw (its objects unwind with the handler); the loop goes on.
void run_loop(Server& server) {
  for (;;) {
    try {
      server.ioc.run();
      return;
    } catch (const std::exception& e) {
      server.internal_log.write(std::string("internal error on a connection (closed): ") + e.what());
    } catch (...) {
      server.internal_log.write("internal error on a connection (closed): unknown exception");
    }
  }
}

}  // namespace

void run_http_server(const HttpServerOptions& options, const RestApi& api) {
  auto server = std::make_shared<Server>(options, api);
  tcp::endpoint endpoint;
  try {
    tcp::resolver resolver(server->ioc);
    auto results = resolver.resolve(options.host, std::to_string(options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service);
    if (results.empty()) throw Error(ErrorCode::invalid_argument, "cannot resolve " + options.host);
    endpoint = results.begin()->endpoint();
    server->acceptor.open(endpoint.protocol());
    server->acceptor.set_option(asio::socket_base::reuse_address(true));
    server->acceptor.bind(endpoint);
    server->acceptor.listen(asio::socket_base::max_listen_connections);
  } catch (const boost::system::system_error& e) {
    ErrorDetails details;
    details.field = "server.listen";
    throw Error(ErrorCode::unavailable, "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
                                            e.code().message(), std::move(details));
  }
  server->signals.add(SIGINT);
  server->signals.add(SIGTERM);
  const auto bound = server->acceptor.local_endpoint();
  const std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
  if (options.on_listening) options.on_listening("http://" + host + ":" + std::to_string(bound.port()));

  wait_for_signal(server);
  accept(server);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < std::max<std::size_t>(options.io_threads, 1); ++i) {
    threads.emplace_back([server] { run_loop(*server); });
  }
  run_loop(*server);
  for (auto& thread : threads) thread.join();
}

}  // namespace contentgen::server
