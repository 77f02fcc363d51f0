#pragma once
// Internal: the net::HttpClient behind a public contentgen::HttpTransport, and the per-request
// options an adapter derives from the public HttpOptions.
#include <memory>

#include "contentgen/adapters/http_options.hpp"
#include "net/http_client.hpp"

namespace contentgen {

struct HttpTransport::Impl {
  std::shared_ptr<net::HttpClient> client;
};

struct TransportAccess {
  static net::HttpClient& client(const HttpTransport& transport) { return *transport.impl_->client; }
};

namespace net {

inline HttpClient& client_of(const HttpTransport& transport) { return TransportAccess::client(transport); }

ClientOptions client_options(const HttpOptions& options);
// Timeouts and limits of one attempt (deadline/cancel/streaming are the caller's to fill).
RequestOptions request_options(const HttpOptions& options);

}  // namespace net
}  // namespace contentgen
