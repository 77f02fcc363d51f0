#pragma once
// The HTTP/1.1 transport of `contentgen serve`: Boost.Beast behind this header (Beast lives in
// http_server.cpp only). It reads request heads with a header timeout, asks RestApi::check_head
// whether to read the body (and how much), reads it with a read timeout, hands the request to
// RestApi::handle and writes whatever response comes back, from whichever thread.
//
// Shutdown: SIGINT/SIGTERM stop the listener and close idle connections at once; requests in
// flight are finished and answered (their connections then close). After `shutdown_grace`,
// on_grace_expired() runs (it cancels what is still running) and five seconds later the loop
// stops regardless. A second signal skips the grace period.
//
// Hostile clients (docs/rest.md#limits-and-timeouts): a framing or parse error is answered 400
// (431 for fields too large) and closes that connection only; at most max_connections are open
// (fewer when `ulimit -n` is lower), and a new one beyond displaces an idle keep-alive connection or
// the one waiting longest for its request head, else is answered 503; accept errors pause accepting
// with a growing back-off; request bodies in flight share max_inflight_body_bytes (beyond: 503 with
// Retry-After) and bodies above upload_spool_bytes go to an unlinked temporary file, not memory.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "server/rest_api.hpp"

namespace contentgen::server {

// The request head (start line and headers) may be at most this long: 431 beyond.
inline constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// Unparsed bytes a connection may hold. A request head must fit (kHeaderLimit), and the limit
// must stay below 64 KiB: Beast keeps a chunked body's trailer here and *throws* on a field value
// over 65,535 bytes, so a trailer that big has to end as buffer_overflow (431) before it parses.
inline constexpr std::size_t kReadBufferLimit = 32 * 1024;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (reported through on_listening)
  std::size_t io_threads = 1;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds read_timeout{60'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds write_timeout{60'000};
  std::chrono::milliseconds shutdown_grace{30'000};
  std::size_t max_connections = 1024;
  std::uint64_t max_inflight_body_bytes = 64ull << 20;
  std::uint64_t upload_spool_bytes = 1ull << 20;
  std::string spool_dir;  // empty: $TMPDIR, else /tmp
  std::function<void(const std::string& url)> on_listening;
  std::function<void()> on_grace_expired;
};

// Serves until a signal, then shuts down as above. Throws Error{unavailable} when it cannot listen.
void run_http_server(const HttpServerOptions& options, const RestApi& api);

}  // namespace contentgen::server
