#pragma once
// A tiny blocking HTTP/1.1 server on a real loopback socket, one thread per connection, whose
// replies are written by each test byte for byte (so it can also misbehave: hang, cut, garble).
// No Beast here on purpose: the client under test must not share code with its test peer.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace contentgen::testsupport {

class TestConnection {
 public:
  explicit TestConnection(int fd, const std::atomic<bool>& stopping) : fd_(fd), stopping_(stopping) {}
  // The next request (head + Content-Length body), or nullopt when the peer closed.
  std::optional<std::string> read_request();
  bool write(std::string_view bytes);
  void close_now();  // abrupt close (RST when unread data remains is fine)
  // Blocks until the peer closes or the server stops (a "hanging" server).
  void hang();
  bool stopping() const { return stopping_.load(); }

 private:
  int fd_;
  const std::atomic<bool>& stopping_;
  std::string buffered_;
};

class TestServer {
 public:
  using Handler = std::function<void(TestConnection&)>;
  explicit TestServer(Handler handler, int backlog = 128);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(std::string_view path = "/") const;
  int accepted() const { return accepted_.load(); }
  int max_concurrent() const { return max_concurrent_.load(); }
  // Stop accepting (the listening socket stays open and unaccepted connections queue up).
  void pause_accepting() { paused_.store(true); }

 private:
  void accept_loop();
  Handler handler_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> paused_{false};
  std::atomic<int> accepted_{0};
  std::atomic<int> current_{0};
  std::atomic<int> max_concurrent_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::vector<int> fds_;
};

// What a handler reports it saw and did (requests read, connections closed), for tests that count
// requests per call or must wait until the server has closed a connection. Thread-safe.
class ServerLog {
 public:
  void request() { bump(requests_); }
  void closed() { bump(closed_); }
  int requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // Waits (up to 10 s) until the handler reported `n` closed connections.
  bool wait_closed(int n) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return closed_ >= n; });
  }

 private:
  void bump(int& field) {
    std::lock_guard lock(mutex_);
    ++field;
    changed_.notify_all();
  }
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  int requests_ = 0;
  int closed_ = 0;
};

// "HTTP/1.1 <status> X\r\nContent-Length: n\r\n<extra>\r\n<body>"
std::string http_reply(int status, std::string_view body, std::string_view extra_headers = {});
// The body of a request read by read_request().
std::string request_body(const std::string& request);

}  // namespace contentgen::testsupport
