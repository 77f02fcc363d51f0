#include "test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace contentgen::testsupport {

std::optional<std::string> TestConnection::read_request() {
  for (;;) {
    const auto head_end = buffered_.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      std::size_t length = 0;
      std::string head = buffered_.substr(0, head_end);
      std::string lower_head = head;
      std::transform(lower_head.begin(), lower_head.end(), lower_head.begin(), [](unsigned char c) { return std::tolower(c); });
      if (const auto at = lower_head.find("content-length:"); at != std::string::npos)
        length = std::stoul(head.substr(at + 15));
      if (buffered_.size() >= head_end + 4 + length) {
        std::string request = buffered_.substr(0, head_end + 4 + length);
        buffered_.erase(0, head_end + 4 + length);
        return request;
      }
    }
    char chunk[8192];
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, 50);
    if (stopping_.load()) return std::nullopt;
    if (ready <= 0) continue;
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return std::nullopt;
    buffered_.append(chunk, static_cast<std::size_t>(n));
  }
}

bool TestConnection::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void TestConnection::close_now() { ::shutdown(fd_, SHUT_RDWR); }

void TestConnection::hang() {
  char chunk[4096];
  while (!stopping_.load()) {
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, 50) > 0 && ::recv(fd_, chunk, sizeof chunk, 0) <= 0) return;
  }
}

TestServer::TestServer(Handler handler, int backlog) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, backlog) != 0)
    throw std::runtime_error("test server: cannot listen");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TestServer::~TestServer() {
  stopping_.store(true);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& worker : workers_) worker.join();
  for (int fd : fds_) ::close(fd);
  ::close(listen_fd_);
}

std::string TestServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

void TestServer::accept_loop() {
  while (!stopping_.load()) {
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (paused_.load() || ::poll(&pfd, 1, 20) <= 0) {
      if (paused_.load()) ::usleep(20'000);
      continue;
    }
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    accepted_.fetch_add(1);
    std::lock_guard lock(mutex_);
    fds_.push_back(fd);
    workers_.emplace_back([this, fd] {
      const int now = current_.fetch_add(1) + 1;
      int seen = max_concurrent_.load();
      while (now > seen && !max_concurrent_.compare_exchange_weak(seen, now)) {
      }
      TestConnection connection(fd, stopping_);
      handler_(connection);
      current_.fetch_sub(1);
      ::shutdown(fd, SHUT_RDWR);
    });
  }
}

std::string http_reply(int status, std::string_view body, std::string_view extra_headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  out += extra_headers;
  out += "\r\n";
  out += body;
  return out;
}

std::string request_body(const std::string& request) {
  const auto at = request.find("\r\n\r\n");
  return at == std::string::npos ? std::string() : request.substr(at + 4);
}

}  // namespace contentgen::testsupport
