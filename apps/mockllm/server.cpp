// The mock's network side (the only Beast TU of the mock): sessions over TCP or TLS, control
// endpoints under /_mock/, and replies written byte by byte so that faults (hang, cut, close)
// can be exact.
#include "server.hpp"

#include <atomic>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

namespace mockllm {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace json = boost::json;
using tcp = asio::ip::tcp;

struct State {
  explicit State(const ServerOptions& o) : options(o) { script.push(o.script); }
  const ServerOptions& options;
  Script script;
  std::mutex log_mutex;
  std::deque<json::object> log;
  std::ofstream log_file;
  std::atomic<std::uint64_t> sequence{0};
  std::atomic<std::int64_t> connections_current{0}, connections_peak{0}, connections_total{0};
  std::atomic<std::int64_t> in_flight_current{0}, in_flight_peak{0};

  static void raise_peak(std::atomic<std::int64_t>& peak, std::int64_t now) {
    auto seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
  }

  json::object stats() const {
    return json::object{{"connections_current", connections_current.load()}, {"connections_peak", connections_peak.load()},
                        {"connections_total", connections_total.load()},     {"requests_total", static_cast<std::int64_t>(sequence.load())},
                        {"in_flight_current", in_flight_current.load()},     {"in_flight_peak", in_flight_peak.load()},
                        {"script_pending", static_cast<std::int64_t>(script.size())}};
  }

  void record(const http::request<http::string_body>& req, std::uint64_t seq, const std::string& usage) {
    json::object headers;
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value(field.value());
      if (!options.log_secrets && (name == "authorization" || name == "x-api-key" || name == "api-key"))
        value = "[redacted, " + std::to_string(value.size()) + " bytes]";
      headers[name] = value;
    }
    json::object entry{{"seq", static_cast<std::int64_t>(seq)}, {"method", std::string(req.method_string())},
                       {"target", std::string(req.target())}, {"headers", std::move(headers)}, {"body", req.body()}};
    if (!usage.empty()) entry["usage"] = json::parse(usage);
    std::lock_guard lock(log_mutex);
    if (log_file.is_open()) log_file << json::serialize(entry) << '\n' << std::flush;
    log.push_back(std::move(entry));
    while (log.size() > options.log_limit) log.pop_front();
  }
};

std::string presented_key(const http::request<http::string_body>& req) {
  if (auto it = req.find(http::field::authorization); it != req.end()) {
    std::string value(it->value());
    return value.rfind("Bearer ", 0) == 0 ? value.substr(7) : value;
  }
  if (auto it = req.find("api-key"); it != req.end()) return std::string(it->value());
  if (auto it = req.find("x-api-key"); it != req.end()) return std::string(it->value());
  return {};
}

std::string chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return std::string(size) + std::string(data) + "\r\n";
}

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <class... Args>
  Session(State& state, Args&&... args) : state_(state), stream_(std::forward<Args>(args)...), timer_(stream_.get_executor()) {
    const auto now = state_.connections_current.fetch_add(1) + 1;
    State::raise_peak(state_.connections_peak, now);
    state_.connections_total.fetch_add(1);
  }
  ~Session() {
    state_.connections_current.fetch_sub(1);
    if (in_flight_) state_.in_flight_current.fetch_sub(1);
  }

  void run() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      read();
    } else {
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (!ec) self->read();
      });
    }
  }

 private:
  beast::tcp_stream& socket() { return beast::get_lowest_layer(stream_); }

  void read() {
    parser_.emplace();
    parser_->body_limit(64 * 1024 * 1024);
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->handle(self->parser_->release());
    });
  }

  void close() {
    beast::error_code ignored;
    socket().socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close();
  }

  void set_in_flight(bool value) {
    if (value == in_flight_) return;
    in_flight_ = value;
    if (value) {
      State::raise_peak(state_.in_flight_peak, state_.in_flight_current.fetch_add(1) + 1);
    } else {
      state_.in_flight_current.fetch_sub(1);
    }
  }

  void handle(http::request<http::string_body> req) {
    keep_alive_ = req.keep_alive();
    const std::string target(req.target());
    const std::string path = target.substr(0, target.find('?'));
    if (path.rfind("/_mock/", 0) == 0) return control(req, path);
    Format format;
    if (path.size() >= 17 && path.compare(path.size() - 17, 17, "/chat/completions") == 0) {
      format = Format::openai;
    } else if (path.size() >= 9 && path.compare(path.size() - 9, 9, "/messages") == 0) {
      format = Format::anthropic;
    } else {
      return simple(404, json::serialize(json::object{{"error", json::object{{"type", "not_found"}, {"message", "unknown path"}}}}));
    }
    if (req.method() != http::verb::post) return simple(405, "{\"error\":{\"type\":\"method_not_allowed\",\"message\":\"POST only\"}}");
    const auto seq = state_.sequence.fetch_add(1) + 1;
    set_in_flight(true);
    reply_ = build_reply(format, req.body(), presented_key(req), state_.script.take(target), state_.options.settings, seq);
    state_.record(req, seq, reply_.usage);
    if (reply_.fault == "close") return close();
    if (reply_.latency_ms > 0) {
      timer_.expires_after(std::chrono::milliseconds(reply_.latency_ms));
      return timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
        if (!ec) self->respond();
      });
    }
    respond();
  }

  std::string head(int status, const std::vector<std::pair<std::string, std::string>>& headers, bool chunked, std::size_t length) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(http::obsolete_reason(static_cast<http::status>(status))) + "\r\n";
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    out += chunked ? std::string("Transfer-Encoding: chunked\r\n") : "Content-Length: " + std::to_string(length) + "\r\n";
    if (!keep_alive_) out += "Connection: close\r\n";
    out += "\r\n";
    return out;
  }

  void respond() {
    if (reply_.fault == "hang") return read();  // never answer; notice when the client gives up
    const bool chunked = !reply_.events.empty();
    out_ = head(reply_.status, reply_.headers, chunked, reply_.body.size());
    if (!chunked) {
      out_ += reply_.fault == "cut" ? reply_.body.substr(0, static_cast<std::size_t>(reply_.cut_after_bytes)) : reply_.body;
      return write_all(reply_.fault == "cut");
    }
    if (reply_.chunk_delay_ms > 0 && reply_.fault != "cut") {
      next_event_ = 0;
      return write_paced();
    }
    std::string body;
    for (const auto& event : reply_.events) body += chunk(event);
    body += "0\r\n\r\n";
    if (reply_.fault == "cut") body.resize(std::min(body.size(), static_cast<std::size_t>(reply_.cut_after_bytes)));
    out_ += body;
    write_all(reply_.fault == "cut");
  }

  void write_all(bool then_close) {
    asio::async_write(stream_, asio::buffer(out_), [self = this->shared_from_this(), then_close](beast::error_code ec, std::size_t) {
      self->set_in_flight(false);
      if (ec || then_close || !self->keep_alive_) return self->close();
      self->read();
    });
  }

  void write_paced() {
    if (next_event_ < reply_.events.size()) {
      out_ += chunk(reply_.events[next_event_++]);
    } else {
      out_ += "0\r\n\r\n";
      return write_all(false);
    }
    asio::async_write(stream_, asio::buffer(out_), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->out_.clear();
      self->timer_.expires_after(std::chrono::milliseconds(self->reply_.chunk_delay_ms));
      self->timer_.async_wait([self](beast::error_code tec) {
        if (!tec) self->write_paced();
      });
    });
  }

  void simple(int status, std::string body) {
    out_ = head(status, {{"Content-Type", "application/json"}}, false, body.size()) + body;
    write_all(false);
  }

  void control(const http::request<http::string_body>& req, const std::string& path) {
    const auto method = req.method();
    if (path == "/_mock/health") {
      return simple(200, "{\"ok\":true,\"testing_tool\":true}");
    }
    if (path == "/_mock/stats") return simple(200, json::serialize(state_.stats()));
    if (path == "/_mock/requests") {
      std::lock_guard lock(state_.log_mutex);
      if (method == http::verb::delete_) {
        state_.log.clear();
        return simple(200, "{\"ok\":true}");
      }
      json::array all;
      for (const auto& entry : state_.log) all.push_back(entry);
      return simple(200, json::serialize(all));
    }
    if (path == "/_mock/script") {
      if (method == http::verb::delete_) {
        state_.script.clear();
        return simple(200, "{\"ok\":true}");
      }
      if (method == http::verb::post) {
        try {
          auto entries = parse_script(req.body());
          const auto added = entries.size();
          state_.script.push(std::move(entries));
          return simple(200, json::serialize(json::object{{"added", static_cast<std::int64_t>(added)}}));
        } catch (const std::exception& e) {
          return simple(400, json::serialize(json::object{{"error", json::object{{"type", "bad_script"}, {"message", e.what()}}}}));
        }
      }
      return simple(200, json::serialize(json::object{{"pending", static_cast<std::int64_t>(state_.script.size())}}));
    }
    if (path == "/_mock/reset" && method == http::verb::post) {
      state_.script.clear();
      {
        std::lock_guard lock(state_.log_mutex);
        state_.log.clear();
      }
      state_.connections_peak.store(state_.connections_current.load());
      state_.in_flight_peak.store(state_.in_flight_current.load());
      return simple(200, "{\"ok\":true}");
    }
    simple(404, "{\"error\":{\"type\":\"not_found\",\"message\":\"unknown control endpoint\"}}");
  }

  State& state_;
  Stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Reply reply_;
  std::string out_;
  std::size_t next_event_ = 0;
  bool keep_alive_ = true;
  bool in_flight_ = false;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, State& state, tcp::endpoint endpoint, ssl::context* tls)
      : ioc_(ioc), state_(state), acceptor_(ioc), retry_timer_(ioc), tls_(tls) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        // Out of file descriptors (or another transient failure): accepting again at once would
        // spin a core until a connection closes. Pause briefly instead.
        self->retry_timer_.expires_after(std::chrono::milliseconds(50));
        return self->retry_timer_.async_wait([self](beast::error_code) { self->accept(); });
      }
      socket.set_option(tcp::no_delay(true), ec);
      if (self->tls_) {
        std::make_shared<Session<ssl::stream<beast::tcp_stream>>>(self->state_, std::move(socket), *self->tls_)->run();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(self->state_, std::move(socket))->run();
      }
      self->accept();
    });
  }

 private:
  asio::io_context& ioc_;
  State& state_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  ssl::context* tls_;
};

}  // namespace

int run_server(const ServerOptions& options) {
  State state(options);
  if (!options.log_file.empty()) state.log_file.open(options.log_file, std::ios::app);
  asio::io_context ioc(options.threads);
  std::optional<ssl::context> tls;
  if (!options.tls_cert.empty()) {
    tls.emplace(ssl::context::tls_server);
    tls->use_certificate_chain_file(options.tls_cert);
    tls->use_private_key_file(options.tls_key, ssl::context::pem);
  }
  auto listener = std::make_shared<Listener>(ioc, state, tcp::endpoint(asio::ip::make_address(options.host), options.port),
                                             tls ? &*tls : nullptr);
  listener->accept();
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
  std::cerr << "contentgen-mockllm: a TESTING TOOL that fakes the OpenAI and Anthropic APIs with generated text. "
               "Never point production traffic at it.\n";
  const std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::cout << "contentgen-mockllm listening on " << (tls ? "https" : "http") << "://" << host << ":" << listener->port()
            << std::endl;
  std::vector<std::thread> extra;
  for (int i = 1; i < options.threads; ++i) extra.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : extra) t.join();
  return 0;
}

}  // namespace mockllm
