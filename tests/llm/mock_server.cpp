#include "mock_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

extern char** environ;

namespace contentgen::testsupport {

const char* mockllm_path() { return CONTENTGEN_MOCKLLM_PATH; }

MockLlm::MockLlm(std::vector<std::string> extra_args) {
  std::vector<std::string> args{mockllm_path(), "--port", "0", "--log-secrets"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) throw std::runtime_error("cannot start contentgen-mockllm");
  // Read the "listening on http://HOST:PORT" line (10 s at most).
  std::string line;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < give_up) {
    pollfd pfd{out[0], POLLIN, 0};
    if (::poll(&pfd, 1, 100) <= 0) continue;
    char buffer[256];
    const auto n = ::read(out[0], buffer, sizeof buffer);
    if (n <= 0) break;
    line.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  const auto at = line.find("://");
  const auto end = line.find('\n');
  if (at == std::string::npos || end == std::string::npos) {
    ::kill(pid_, SIGKILL);  // the destructor will not run for a constructor that throws
    ::waitpid(pid_, nullptr, 0);
    throw std::runtime_error("contentgen-mockllm did not start: " + line);
  }
  const auto scheme_start = line.rfind(' ', at) + 1;
  url_ = line.substr(scheme_start, end - scheme_start);
  port_ = std::stoi(url_.substr(url_.rfind(':') + 1));
  client_ = std::make_unique<net::HttpClient>();
}

MockLlm::~MockLlm() {
  client_.reset();
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

net::HttpResponse MockLlm::control(const std::string& method, const std::string& path, const std::string& body) {
  net::HttpRequest request;
  request.method = method;
  // Control calls always go over plain HTTP in these helpers; a TLS mock is driven by its script file.
  request.url = url_ + path;
  request.body = body;
  auto response = client_->send(std::move(request));
  if (response.status != 200) throw std::runtime_error("mock control " + path + ": " + response.body);
  return response;
}

void MockLlm::script(const std::string& json_entries) { control("POST", "/_mock/script", json_entries); }
void MockLlm::reset() { control("POST", "/_mock/reset"); }
boost::json::array MockLlm::requests() { return boost::json::parse(control("GET", "/_mock/requests").body).as_array(); }
boost::json::object MockLlm::last_request() {
  auto all = requests();
  if (all.empty()) throw std::runtime_error("no request logged");
  return all.back().as_object();
}
boost::json::object MockLlm::stats() { return boost::json::parse(control("GET", "/_mock/stats").body).as_object(); }

}  // namespace contentgen::testsupport
