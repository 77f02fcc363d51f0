// The only translation unit of the CLI that includes Boost.Beast/Asio (compile time: see
// docs/rest.md#implementation).
#include "server/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <csignal>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "contentgen/error.hpp"
#include "server/text.hpp"

namespace contentgen::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint32_t kHeaderLimit = 16 * 1024;

class Session;

// What every connection shares; owned jointly by the sessions and run_http_server so that the
// io_context outlives any late completion posted to it.
struct Server : std::enable_shared_from_this<Server> {
  Server(const HttpServerOptions& o, const RestApi& a)
      : options(o), api(a), strand(asio::make_strand(ioc)), acceptor(strand), signals(strand), grace(strand) {}

  const HttpServerOptions options;
  const RestApi& api;
  asio::io_context ioc;
  // The acceptor, the signal set and the grace timer are touched by the accept loop, the signal
  // handler and the last session leaving; with io_threads > 1 those run on different threads, so
  // all of it runs on this strand (Asio I/O objects are not safe for concurrent use).
  asio::strand<asio::io_context::executor_type> strand;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer grace;
  std::atomic<bool> shutting_down{false};
  std::mutex mutex;
  std::map<std::uint64_t, std::weak_ptr<Session>> sessions;
  std::uint64_t next_id = 0;

  std::uint64_t add(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(mutex);
    sessions.emplace(++next_id, session);
    return next_id;
  }
  void remove(std::uint64_t id);
  void finish_if_drained();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Server> server) : stream_(std::move(socket)), server_(std::move(server)) {}
  ~Session() { server_->remove(id_); }

  void start() {
    id_ = server_->add(shared_from_this());
    read_header();
  }

  // From any thread: close the connection if it is only waiting for a request.
  void close_if_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->close();
    });
  }

 private:
  void read_header() {
    idle_ = true;
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    // No body limit yet: Beast would refuse a large Content-Length while parsing the head, before
    // RestApi has said which limit applies to this route (and answered 413 itself).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    request_ = HttpRequest{};
    stream_.expires_after(first_request_ ? server_->options.header_timeout : server_->options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_header(ec);
    });
  }

  void on_header(beast::error_code ec) {
    idle_ = false;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec) return write(error_response(400, "bad_request", "malformed HTTP request: " + ec.message()), true);
    const auto& head = parser_->get();
    request_.method = std::string(head.method_string());
    request_.target = std::string(head.target());
    for (const auto& field : head) {
      request_.headers.emplace_back(ascii_lower(field.name_string()), std::string(field.value()));
    }
    if (parser_->content_length()) request_.content_length = *parser_->content_length();
    keep_alive_ = head.keep_alive();
    std::size_t body_limit = 0;
    if (auto response = server_->api.check_head(request_, body_limit)) return write(std::move(*response), false);
    parser_->body_limit(body_limit);
    if (parser_->is_done()) return dispatch();
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

  void read_body() {
    stream_.expires_after(server_->options.read_timeout);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec == http::error::body_limit) return self->write(self->server_->api.body_too_large(self->request_), true);
      if (ec) return self->close();  // timeout or a client that went away: nobody to answer
      self->dispatch();
    });
  }

  void dispatch() {
    stream_.expires_never();  // a generation may take minutes; the LLM client has its own timeouts
    request_.body = std::move(parser_->get().body());
    server_->api.handle(std::move(request_), [self = shared_from_this()](HttpResponse response) {
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->write(std::move(response), false);
      });
    });
  }

  void write(HttpResponse response, bool force_close) {
    const bool keep = keep_alive_ && !force_close && !response.close_connection && !server_->shutting_down.load();
    response_.emplace(static_cast<http::status>(response.status), 11);
    response_->set(http::field::server, "contentgen");
    if (!response.content_type.empty()) response_->set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) response_->insert(name, value);
    response_->body() = std::move(response.body);
    response_->keep_alive(keep);
    response_->prepare_payload();
    stream_.expires_after(server_->options.write_timeout);
    http::async_write(stream_, *response_, [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
      self->response_.reset();
      if (ec || !keep) return self->close();
      self->first_request_ = false;
      self->read_header();
    });
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
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  HttpRequest request_;
  bool keep_alive_ = true;
  bool first_request_ = true;
  bool idle_ = false;
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

// Once shutting down and no connection is left: stop waiting for signals and the grace timer,
// so that io_context::run() returns.
void Server::finish_if_drained() {
  {
    std::lock_guard lock(mutex);
    if (!sessions.empty()) return;
  }
  beast::error_code ignored;
  signals.cancel(ignored);
  grace.cancel();
}

void accept(const std::shared_ptr<Server>& server) {
  server->acceptor.async_accept(asio::make_strand(server->ioc), [server](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (server->shutting_down.load() || ec == asio::error::operation_aborted) return;
      std::cerr << "contentgen serve: accept failed: " << ec.message() << "\n";
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Session>(std::move(socket), server)->start();
    }
    if (!server->shutting_down.load()) accept(server);
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
    for (auto& session : open) session->close_if_idle();
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
    threads.emplace_back([server] { server->ioc.run(); });
  }
  server->ioc.run();
  for (auto& thread : threads) thread.join();
}

}  // namespace contentgen::server
