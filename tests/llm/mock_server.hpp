#pragma once
// Starts contentgen-mockllm on a free loopback port for one test suite and talks to its control
// endpoints (/_mock/script, /_mock/requests, /_mock/stats). Stopped with SIGTERM in the destructor.
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "net/http_client.hpp"

namespace contentgen::testsupport {

class MockLlm {
 public:
  explicit MockLlm(std::vector<std::string> extra_args = {});
  ~MockLlm();
  MockLlm(const MockLlm&) = delete;
  MockLlm& operator=(const MockLlm&) = delete;

  const std::string& url() const { return url_; }     // "http://127.0.0.1:PORT"
  int port() const { return port_; }
  void script(const std::string& json_entries);         // POST /_mock/script
  void reset();                                         // POST /_mock/reset
  boost::json::array requests();                        // GET /_mock/requests
  boost::json::object last_request();                   // the last logged LLM request
  boost::json::object stats();                          // GET /_mock/stats

 private:
  net::HttpResponse control(const std::string& method, const std::string& path, const std::string& body = {});
  pid_t pid_ = -1;
  std::string url_;
  int port_ = 0;
  std::unique_ptr<net::HttpClient> client_;
};

// The path of the contentgen-mockllm binary built with the tests.
const char* mockllm_path();

// Base of a test suite with its own mock server (started once per suite, reset before each test).
template <class Suite>
class WithMockLlm : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { mock_ = new MockLlm(); }
  static void TearDownTestSuite() {
    delete mock_;
    mock_ = nullptr;
  }
  void SetUp() override { mock_->reset(); }
  static inline MockLlm* mock_ = nullptr;
};

}  // namespace contentgen::testsupport
