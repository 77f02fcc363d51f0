// HttpClient over real loopback sockets against a byte-scripted test server.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "net/http_client.hpp"
#include "test_server.hpp"

namespace contentgen::net {
namespace {

using namespace std::chrono_literals;
using testsupport::http_reply;
using testsupport::request_body;
using testsupport::TestConnection;
using testsupport::TestServer;

// Replies 200 with the request body echoed, forever (keep-alive).
void echo(TestConnection& c) {
  while (auto request = c.read_request()) {
    if (!c.write(http_reply(200, "echo:" + request_body(*request), "X-Custom: Yes\r\n"))) return;
  }
}

HttpRequest post(const std::string& url, std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.url = url;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "text/plain");
  return r;
}

ErrorCode code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return ErrorCode::internal;
}

TEST(HttpClient, PostRoundTripLowercasesHeadersAndSetsHost) {
  std::string seen;
  TestServer server([&](TestConnection& c) {
    while (auto request = c.read_request()) {
      seen = *request;
      c.write(http_reply(201, "created", "X-Request-ID: abc\r\n"));
    }
  });
  HttpClient client;
  auto response = client.send(post(server.url("/v1/things?a=b"), "hello"));
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "created");
  ASSERT_NE(response.header("x-request-id"), nullptr);
  EXPECT_EQ(*response.header("x-request-id"), "abc");
  EXPECT_EQ(response.header("X-Request-ID"), nullptr) << "names are lower-cased";
  EXPECT_NE(seen.find("POST /v1/things?a=b HTTP/1.1\r\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("Host: 127.0.0.1:" + std::to_string(server.port())), std::string::npos) << seen;
  EXPECT_NE(seen.find("Content-Length: 5"), std::string::npos) << seen;
  EXPECT_NE(seen.find("User-Agent: libcontentgen"), std::string::npos) << seen;
  EXPECT_EQ(request_body(seen), "hello");
}

TEST(HttpClient, DisabledVerificationIsReportedToTheHostsLogNotToStderr) {
  std::vector<std::string> warnings;
  ClientOptions options;
  options.tls.insecure_skip_verify = true;
  options.log = [&](LogLevel level, std::string_view component, std::string_view message) {
    EXPECT_EQ(level, LogLevel::warning);
    EXPECT_EQ(component, "http");
    warnings.emplace_back(message);
  };
  testing::internal::CaptureStderr();
  { HttpClient client(options); }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "") << "a library does not write to its host's stderr";
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("DISABLED"), std::string::npos) << warnings[0];

  options.log = [](LogLevel, std::string_view, std::string_view) { throw std::runtime_error("logger broke"); };
  EXPECT_NO_THROW({ HttpClient client(options); }) << "a throwing log handler is the host's problem, not a crash";

  options.log = {};  // no handler: the warning goes nowhere
  testing::internal::CaptureStderr();
  { HttpClient client(options); }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(HttpClient, HttpErrorStatusIsAResponseNotAnError) {
  TestServer server([](TestConnection& c) {
    while (c.read_request()) c.write(http_reply(503, "{\"error\":1}", "Retry-After: 2\r\n"));
  });
  HttpClient client;
  auto response = client.send(post(server.url(), "x"));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "{\"error\":1}");
}

TEST(HttpClient, KeepAliveReusesOneConnection) {
  TestServer server(echo);
  HttpClient client;
  for (int i = 0; i < 20; ++i) EXPECT_EQ(client.send(post(server.url(), std::to_string(i))).body, "echo:" + std::to_string(i));
  EXPECT_EQ(server.accepted(), 1);
  EXPECT_EQ(client.stats().connections_opened, 1u);
  EXPECT_EQ(client.stats().requests_sent, 20u);
  EXPECT_EQ(client.stats().open_connections, 1u);
}

TEST(HttpClient, ConnectionCloseIsNotReused) {
  TestServer server([](TestConnection& c) {
    if (c.read_request()) c.write(http_reply(200, "ok", "Connection: close\r\n"));
  });
  HttpClient client;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.send(post(server.url(), "x")).body, "ok");
  EXPECT_EQ(server.accepted(), 3);
  EXPECT_EQ(client.stats().open_connections, 0u);
}

TEST(HttpClient, StaleKeepAliveConnectionIsReplacedBeforeTheRequestIsWritten) {
  // The server answers one request per connection and closes it without saying so (no
  // "Connection: close"): the client keeps the connection, finds it closed before writing the next
  // request and sends that request once, on a fresh connection.
  testsupport::ServerLog log;
  TestServer server([&](TestConnection& c) {
    if (c.read_request()) {
      log.request();
      c.write(http_reply(200, "ok"));
    }
    c.close_now();
    log.closed();
  });
  HttpClient client;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(client.send(post(server.url(), "x")).body, "ok");
    ASSERT_TRUE(log.wait_closed(i + 1));
  }
  EXPECT_EQ(server.accepted(), 5);
  EXPECT_EQ(log.requests(), 5) << "each request reached the server exactly once";
  EXPECT_EQ(client.stats().requests_sent, 5u);
}

TEST(HttpClient, ReusedConnectionClosedAfterTheRequestWasWrittenIsNotResent) {
  // The server answers the first request (keep-alive), then reads the next one in full and closes
  // the connection without a byte of reply. The request may have been acted on (and billed): the
  // client must fail the call, not send it again behind the caller's back.
  testsupport::ServerLog log;
  TestServer server([&](TestConnection& c) {
    while (c.read_request()) {
      log.request();
      if (log.requests() > 1) break;
      c.write(http_reply(200, "first"));
    }
    c.close_now();
    log.closed();
  });
  HttpClient client;
  EXPECT_EQ(client.send(post(server.url(), "1")).body, "first");
  EXPECT_EQ(code_of([&] { client.send(post(server.url(), "2")); }), ErrorCode::unavailable);
  EXPECT_EQ(log.requests(), 2) << "the second request was sent again on a fresh connection";
  EXPECT_EQ(server.accepted(), 1);
}

TEST(HttpClient, PoolNeverExceedsMaxConnectionsAndQueuedRequestsComplete) {
  TestServer server([](TestConnection& c) {
    while (auto request = c.read_request()) {
      std::this_thread::sleep_for(5ms);
      c.write(http_reply(200, request_body(*request)));
    }
  });
  ClientOptions options;
  options.max_connections_per_host = 4;
  HttpClient client(options);
  constexpr int kCalls = 200;
  std::atomic<int> ok{0};
  std::atomic<std::size_t> max_open{0};
  std::promise<void> all_done;
  std::atomic<int> remaining{kCalls};
  for (int i = 0; i < kCalls; ++i) {
    client.async_send(post(server.url(), std::to_string(i)), {}, [&, i](Result<HttpResponse> r) {
      if (r.ok() && r.value().body == std::to_string(i)) ok.fetch_add(1);
      auto open = client.stats().open_connections;
      auto seen = max_open.load();
      while (open > seen && !max_open.compare_exchange_weak(seen, open)) {
      }
      if (remaining.fetch_sub(1) == 1) all_done.set_value();
    });
  }
  all_done.get_future().wait();
  EXPECT_EQ(ok.load(), kCalls);
  EXPECT_LE(server.max_concurrent(), 4);
  EXPECT_LE(server.accepted(), 4);
  EXPECT_LE(max_open.load(), 4u);
}

TEST(HttpClient, HundredsOfConcurrentRequestsOnOneIoThread) {
  TestServer server(echo, 512);
  ClientOptions options;
  options.max_connections_per_host = 300;
  options.io_threads = 1;
  HttpClient client(options);
  constexpr int kCalls = 300;
  std::atomic<int> ok{0};
  std::atomic<int> remaining{kCalls};
  std::promise<void> done;
  for (int i = 0; i < kCalls; ++i)
    client.async_send(post(server.url(), "p"), {}, [&](Result<HttpResponse> r) {
      if (r.ok() && r.value().body == "echo:p") ok.fetch_add(1);
      if (remaining.fetch_sub(1) == 1) done.set_value();
    });
  ASSERT_EQ(done.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_EQ(ok.load(), kCalls);
  EXPECT_LE(client.stats().open_connections, 300u);
}

TEST(HttpClient, SeveralIoThreadsShareThePoolSafely) {
  TestServer server(echo, 256);
  ClientOptions options;
  options.max_connections_per_host = 8;
  options.io_threads = 4;
  HttpClient client(options);
  constexpr int kCalls = 400;
  std::atomic<int> ok{0};
  std::atomic<int> remaining{kCalls};
  std::promise<void> done;
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t)
    senders.emplace_back([&, t] {
      for (int i = 0; i < kCalls / 4; ++i) {
        const std::string body = std::to_string(t) + ":" + std::to_string(i);
        client.async_send(post(server.url(), body), {}, [&, body](Result<HttpResponse> r) {
          if (r.ok() && r.value().body == "echo:" + body) ok.fetch_add(1);
          if (remaining.fetch_sub(1) == 1) done.set_value();
        });
      }
    });
  for (auto& s : senders) s.join();
  ASSERT_EQ(done.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_EQ(ok.load(), kCalls);
  EXPECT_LE(server.max_concurrent(), 8);
}

TEST(HttpClient, ConnectionRefusedIsUnavailable) {
  int port = 0;
  {
    TestServer server(echo);
    port = server.port();
  }
  HttpClient client;
  try {
    client.send(post("http://127.0.0.1:" + std::to_string(port) + "/", "x"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unavailable);
    EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos);
  }
  EXPECT_EQ(client.stats().open_connections, 0u);
}

TEST(HttpClient, UnknownHostIsUnavailable) {
  HttpClient client;
  EXPECT_EQ(code_of([&] { client.send(post("http://no-such-host.invalid/", "x")); }), ErrorCode::unavailable);
}

TEST(HttpClient, InvalidUrlIsInvalidArgument) {
  HttpClient client;
  EXPECT_EQ(code_of([&] { client.send(post("ftp://x/", "x")); }), ErrorCode::invalid_argument);
}

TEST(HttpClient, HeaderInjectionIsRefusedBeforeAnythingIsSent) {
  TestServer server(echo);
  HttpClient client;
  const auto refused = [&](HttpRequest request, const std::string& field) {
    try {
      client.send(std::move(request));
      ADD_FAILURE() << "sent";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.details().field, field);
      EXPECT_EQ(std::string(e.what()).find("sk-secret"), std::string::npos) << e.what();
    }
  };
  auto request = post(server.url(), "x");
  request.headers.emplace_back("Authorization", "Bearer sk-secret\r\nX-Injected: 1");
  refused(request, "headers");
  request = post(server.url(), "x");
  request.headers.emplace_back("Authorization", "Bearer sk-secret\n");
  refused(request, "headers");
  request = post(server.url(), "x");
  request.headers.emplace_back("X-Bad Name", "v");
  refused(request, "headers");
  request = post(server.url(), "x");
  request.method = "POST / HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET";
  refused(request, "method");
  EXPECT_EQ(server.accepted(), 0);
  EXPECT_EQ(client.send(post(server.url(), "fine")).status, 200);
}

TEST(HttpClient, ConnectTimeoutWhenTheBacklogIsFull) {
  // A listener that never accepts, with its tiny backlog filled: SYNs are dropped and connect hangs.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 0), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int f = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(f, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(f);
  }
  std::this_thread::sleep_for(50ms);
  HttpClient client;
  RequestOptions options;
  options.connect_timeout = 300ms;
  options.first_byte_timeout = 2s;  // should the kernel accept after all, fail fast (and visibly)
  const auto start = std::chrono::steady_clock::now();
  try {
    client.send(post("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/", "x"), options);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::timeout);
    EXPECT_NE(std::string(e.what()).find("timed out connecting"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  for (int f : fillers) ::close(f);
  ::close(fd);
}

TEST(HttpClient, TimeoutsOfMillisecondsMaxMeanNoLimit) {
  TestServer server(echo);
  HttpClient client;
  RequestOptions options;
  options.connect_timeout = options.first_byte_timeout = options.idle_timeout = std::chrono::milliseconds::max();
  EXPECT_EQ(client.send(post(server.url(), "x"), options).status, 200) << "now + max must saturate, not wrap";
  EXPECT_EQ(deadline_after(std::chrono::milliseconds::max()), std::chrono::steady_clock::time_point::max());
  EXPECT_LT(deadline_after(0ms), std::chrono::steady_clock::now() + 1s);
}

TEST(HttpClient, FirstByteTimeout) {
  TestServer server([](TestConnection& c) {
    if (c.read_request()) c.hang();
  });
  HttpClient client;
  RequestOptions options;
  options.first_byte_timeout = 200ms;
  try {
    client.send(post(server.url(), "x"), options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::timeout);
    EXPECT_NE(std::string(e.what()).find("timed out waiting for the response header"), std::string::npos) << e.what();
  }
}

TEST(HttpClient, IdleTimeoutBetweenBodyChunks) {
  TestServer server([](TestConnection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
    c.hang();
  });
  HttpClient client;
  RequestOptions options;
  options.idle_timeout = 200ms;
  std::string streamed;
  options.on_body_chunk = [&](std::string_view chunk) {
    streamed += chunk;
    return true;
  };
  try {
    client.send(post(server.url(), "x"), options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::timeout);
    EXPECT_NE(std::string(e.what()).find("reading the response body"), std::string::npos) << e.what();
  }
  EXPECT_EQ(streamed, "hello");
}

TEST(HttpClient, TotalDeadlineAgainstATricklingServer) {
  TestServer server([](TestConnection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    while (!c.stopping() && c.write("1\r\nx\r\n")) std::this_thread::sleep_for(20ms);
  });
  HttpClient client;
  RequestOptions options;
  options.idle_timeout = 1s;
  options.deadline = std::chrono::steady_clock::now() + 300ms;
  const auto start = std::chrono::steady_clock::now();
  try {
    client.send(post(server.url(), "x"), options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::timeout);
    EXPECT_NE(std::string(e.what()).find("deadline"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(HttpClient, CancellationAbortsAHangingRequestPromptly) {
  TestServer server([](TestConnection& c) {
    if (c.read_request()) c.hang();
  });
  HttpClient client;
  CancellationSource source;
  RequestOptions options;
  options.cancel = source.token();
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    source.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(code_of([&] { client.send(post(server.url(), "x"), options); }), ErrorCode::cancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  canceller.join();
}

TEST(HttpClient, AlreadyCancelledTokenFailsWithoutSending) {
  TestServer server(echo);
  HttpClient client;
  CancellationSource source;
  source.cancel();
  RequestOptions options;
  options.cancel = source.token();
  EXPECT_EQ(code_of([&] { client.send(post(server.url(), "x"), options); }), ErrorCode::cancelled);
  EXPECT_EQ(server.accepted(), 0);
}

TEST(HttpClient, CancelWhileWaitingForAPooledConnection) {
  TestServer server([](TestConnection& c) {
    if (c.read_request()) c.hang();
  });
  ClientOptions client_options;
  client_options.max_connections_per_host = 1;
  HttpClient client(client_options);
  CancellationSource first_cancel;
  RequestOptions first;
  first.cancel = first_cancel.token();
  std::promise<Result<HttpResponse>> first_done;
  client.async_send(post(server.url(), "1"), first, [&](Result<HttpResponse> r) { first_done.set_value(std::move(r)); });
  std::this_thread::sleep_for(50ms);
  CancellationSource second_cancel;
  RequestOptions second;
  second.cancel = second_cancel.token();
  std::promise<Result<HttpResponse>> second_done;
  client.async_send(post(server.url(), "2"), second, [&](Result<HttpResponse> r) { second_done.set_value(std::move(r)); });
  second_cancel.cancel();
  auto second_result = second_done.get_future();
  ASSERT_EQ(second_result.wait_for(2s), std::future_status::ready);
  EXPECT_EQ(second_result.get().error().code(), ErrorCode::cancelled);
  first_cancel.cancel();
  EXPECT_EQ(first_done.get_future().get().error().code(), ErrorCode::cancelled);
}

TEST(HttpClient, DeadlineWhileWaitingForAPooledConnection) {
  TestServer server([](TestConnection& c) {
    if (c.read_request()) c.hang();
  });
  ClientOptions client_options;
  client_options.max_connections_per_host = 1;
  HttpClient client(client_options);
  CancellationSource cancel_first;
  RequestOptions first;
  first.cancel = cancel_first.token();
  std::promise<void> first_done;
  client.async_send(post(server.url(), "1"), first, [&](Result<HttpResponse>) { first_done.set_value(); });
  RequestOptions second;
  second.deadline = std::chrono::steady_clock::now() + 200ms;
  EXPECT_EQ(code_of([&] { client.send(post(server.url(), "2"), second); }), ErrorCode::timeout);
  cancel_first.cancel();
  first_done.get_future().wait();
}

TEST(HttpClient, BodyLimitByContentLength) {
  TestServer server([](TestConnection& c) {
    while (c.read_request()) c.write(http_reply(200, std::string(4096, 'a')));
  });
  HttpClient client;
  RequestOptions options;
  options.max_body_bytes = 1000;
  try {
    client.send(post(server.url(), "x"), options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::upstream);
    EXPECT_NE(std::string(e.what()).find("limit"), std::string::npos) << e.what();
  }
}

TEST(HttpClient, BodyLimitChunkedAndStreamed) {
  TestServer server([](TestConnection& c) {
    while (c.read_request()) {
      c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 10 && c.write("100\r\n" + std::string(256, 'b') + "\r\n"); ++i) {
      }
      c.write("0\r\n\r\n");
    }
  });
  HttpClient client;
  RequestOptions options;
  options.max_body_bytes = 1000;
  EXPECT_EQ(code_of([&] { client.send(post(server.url(), "x"), options); }), ErrorCode::upstream);
  options.on_body_chunk = [](std::string_view) { return true; };
  EXPECT_EQ(code_of([&] { client.send(post(server.url(), "x"), options); }), ErrorCode::upstream);
}

TEST(HttpClient, StreamingDeliversChunksAndAbortStopsEarly) {
  TestServer server([](TestConnection& c) {
    while (c.read_request()) {
      c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 5; ++i) {
        c.write("3\r\nab" + std::to_string(i) + "\r\n");
        std::this_thread::sleep_for(10ms);
      }
      c.write("0\r\n\r\n");
    }
  });
  HttpClient client;
  RequestOptions options;
  std::string all;
  int calls = 0;
  options.on_body_chunk = [&](std::string_view chunk) {
    all += chunk;
    ++calls;
    return true;
  };
  auto response = client.send(post(server.url(), "x"), options);
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(all, "ab0ab1ab2ab3ab4");
  EXPECT_GE(calls, 2);

  std::string partial;
  options.on_body_chunk = [&](std::string_view chunk) {
    partial += chunk;
    return false;
  };
  auto aborted = client.send(post(server.url(), "x"), options);
  EXPECT_EQ(aborted.status, 200);
  EXPECT_EQ(partial.substr(0, 3), "ab0");
  EXPECT_LT(partial.size(), all.size());
}

TEST(HttpClient, NonSuccessResponsesAreBufferedEvenWhenStreaming) {
  TestServer server([](TestConnection& c) {
    while (c.read_request()) c.write(http_reply(429, "{\"error\":\"slow down\"}"));
  });
  HttpClient client;
  RequestOptions options;
  bool streamed = false;
  options.on_body_chunk = [&](std::string_view) { return streamed = true; };
  auto response = client.send(post(server.url(), "x"), options);
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.body, "{\"error\":\"slow down\"}");
  EXPECT_FALSE(streamed);
}

TEST(HttpClient, MalformedHttpIsUpstream) {
  TestServer server([](TestConnection& c) {
    if (c.read_request()) c.write("HTTP/1.1 abc\r\nGarbage\r\n\r\n");
  });
  HttpClient client;
  EXPECT_EQ(code_of([&] { client.send(post(server.url(), "x")); }), ErrorCode::upstream);
}

TEST(HttpClient, CutMidBodyIsUpstream) {
  TestServer server([](TestConnection& c) {
    if (c.read_request()) c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part");
  });
  HttpClient client;
  try {
    client.send(post(server.url(), "x"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::upstream);
    EXPECT_NE(std::string(e.what()).find("closed in the middle"), std::string::npos) << e.what();
  }
}

TEST(HttpClient, ClosedBeforeAnyResponseIsUnavailable) {
  TestServer server([](TestConnection& c) {
    if (c.read_request()) c.close_now();
  });
  HttpClient client;
  EXPECT_EQ(code_of([&] { client.send(post(server.url(), "x")); }), ErrorCode::unavailable);
}

TEST(HttpClient, EofDelimitedBody) {
  TestServer server([](TestConnection& c) {
    if (c.read_request()) c.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
  });
  HttpClient client;
  EXPECT_EQ(client.send(post(server.url(), "x")).body, "until the end");
}

TEST(HttpClient, HeadResponseHasNoBody) {
  TestServer server([](TestConnection& c) {
    while (c.read_request()) c.write("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
  });
  HttpClient client;
  HttpRequest head;
  head.method = "HEAD";
  head.url = server.url("/object");
  auto response = client.send(head);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(*response.header("content-length"), "1234");
  EXPECT_EQ(client.send(head).status, 200) << "the connection stays usable";
  EXPECT_EQ(server.accepted(), 1);
}

TEST(HttpClient, PostAfterRunsOnTheIoThreadAfterTheDelay) {
  HttpClient client;
  std::promise<bool> ran;
  const auto start = std::chrono::steady_clock::now();
  client.post_after(100ms, [&] { ran.set_value(client.on_io_thread()); });
  EXPECT_TRUE(ran.get_future().get());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_FALSE(client.on_io_thread());
}

TEST(HttpClient, DestructorCancelsOutstandingRequestsAndRunsPendingTimers) {
  TestServer server([](TestConnection& c) {
    if (c.read_request()) c.hang();
  });
  std::promise<Result<HttpResponse>> result;
  std::atomic<bool> timer_ran{false};
  {
    HttpClient client;
    client.async_send(post(server.url(), "x"), {}, [&](Result<HttpResponse> r) { result.set_value(std::move(r)); });
    client.post_after(1h, [&] { timer_ran = true; });
    std::this_thread::sleep_for(100ms);
  }
  auto r = result.get_future().get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::cancelled);
  EXPECT_TRUE(timer_ran.load()) << "a pending post_after runs at shutdown so its owner can finish";
}

// The destructor collects the busy connections, then the I/O thread completes a keep-alive
// response on one of them: that connection must still be closed (its pending idle watchdog would
// otherwise keep the io_context, and so the destructor, waiting for the whole idle timeout).
TEST(HttpClient, DestructionWhileAResponseCompletesDoesNotWaitForTheIdleTimeout) {
  TestServer server(echo);
  std::promise<void> in_observer;
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<Result<HttpResponse>> result;
  auto client = std::make_unique<HttpClient>();
  RequestOptions options;
  options.connect_timeout = options.first_byte_timeout = options.idle_timeout = 60s;
  options.on_body_chunk = [&, first = true](std::string_view) mutable {
    if (std::exchange(first, false)) {
      in_observer.set_value();
      released.wait();
    }
    return true;
  };
  client->async_send(post(server.url(), "x"), options, [&](Result<HttpResponse> r) { result.set_value(std::move(r)); });
  in_observer.get_future().wait();  // the I/O thread is inside the last body chunk's observer
  auto destroyed = std::async(std::launch::async, [&] { client.reset(); });
  std::this_thread::sleep_for(200ms);  // the destructor has marked the client shutting down
  release.set_value();
  EXPECT_EQ(destroyed.wait_for(20s), std::future_status::ready) << "the destructor waited for the idle timeout";
  destroyed.wait();
  auto r = result.get_future().get();
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_EQ(r.value().status, 200);
}

// A host dropping its last reference from a completion handler (the I/O thread cannot join
// itself): other requests are still cancelled, and the state outlives the I/O thread (ASan).
TEST(HttpClient, DestroyedFromItsOwnCompletionHandler) {
  TestServer server([](TestConnection& c) {
    while (auto request = c.read_request()) {
      if (request_body(*request) == "hang") return c.hang();
      c.write(http_reply(200, "ok"));
    }
  });
  auto* client = new HttpClient();
  std::promise<Result<HttpResponse>> hanging;
  std::promise<void> destroyed;
  client->async_send(post(server.url(), "hang"), {}, [&](Result<HttpResponse> r) { hanging.set_value(std::move(r)); });
  client->async_send(post(server.url(), "x"), {}, [&, client](Result<HttpResponse> r) {
    EXPECT_TRUE(r.ok());
    delete client;
    destroyed.set_value();
  });
  destroyed.get_future().get();
  auto r = hanging.get_future().get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::cancelled);
}

TEST(HttpClient, SendFromTheIoThreadIsRefused) {
  HttpClient client;
  std::promise<ErrorCode> code;
  client.post_after(0ms, [&] {
    try {
      client.send(post("http://127.0.0.1:1/", "x"));
      code.set_value(ErrorCode::cancelled);
    } catch (const Error& e) {
      code.set_value(e.code());
    }
  });
  EXPECT_EQ(code.get_future().get(), ErrorCode::internal);
}

}  // namespace
}  // namespace contentgen::net
