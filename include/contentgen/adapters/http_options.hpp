#pragma once
// Options of the library's HTTP(S) transport (Boost.Beast + OpenSSL inside; nothing of it shows
// here), shared by the LLM providers and the object store. See docs/adapters/llm.md#tls.
//
// A transport owns one I/O thread (by default), a keep-alive connection pool per
// (scheme, host, port) and the TLS settings. The LLM providers create their own from HttpOptions
// unless the host hands them a shared one (then every provider on it shares the pool and the
// thread). The S3 store always has a client of its own (S3StoreOptions).
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "contentgen/export.hpp"
#include "contentgen/log.hpp"

namespace contentgen {

struct HttpOptions {
  // -- Connection level: used when an adapter creates its own transport (ignored with a shared one).
  std::size_t max_connections_per_host = 16;  // requests beyond it wait for a free connection
  std::size_t io_threads = 1;
  std::string ca_file{};                      // extra CA bundle (PEM) on top of the system store
  // Disables certificate AND hostname verification. Never the default; logs a warning. For a
  // local server with a self-signed certificate prefer ca_file.
  bool insecure_skip_verify = false;
  std::string user_agent = "libcontentgen";
  LogHandler log{};  // the insecure_skip_verify warning, a completion handler that threw (contentgen/log.hpp)

  // -- Per request.
  std::chrono::milliseconds connect_timeout{10'000};    // TCP connect + TLS handshake
  // Request sent -> response header. A non-streaming LLM call sends its header only when the whole
  // completion is written, hence the generous default.
  std::chrono::milliseconds first_byte_timeout{600'000};
  std::chrono::milliseconds idle_timeout{60'000};       // between body chunks (streaming)
  std::chrono::milliseconds attempt_timeout{0};         // one HTTP attempt in total; 0 = no limit
  std::size_t max_response_bytes = 8 * 1024 * 1024;     // larger replies: Error{upstream}
};

// A shareable transport. Thread-safe. Destroying the last reference cancels the requests still in
// flight (their callers get Error{cancelled}) and waits for its I/O thread -- except when that
// happens in one of its own completion handlers: then the I/O thread drains on its own.
struct TransportAccess;

class CONTENTGEN_API HttpTransport {
 public:
  struct Stats {
    std::size_t open_connections = 0;    // idle + busy, all hosts
    std::size_t connections_opened = 0;  // since creation
    std::size_t requests_sent = 0;
  };

  explicit HttpTransport(const HttpOptions& options = {});
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  Stats stats() const;

  struct Impl;

 private:
  friend struct TransportAccess;  // the library's adapters reach the client (lib/net/transport_access.hpp)
  std::unique_ptr<Impl> impl_;
};

}  // namespace contentgen
