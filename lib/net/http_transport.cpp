// The public face of the transport (contentgen::HttpTransport): a shareable owner of one HttpClient.
#include "net/transport_access.hpp"

namespace contentgen {

namespace net {

ClientOptions client_options(const HttpOptions& options) {
  ClientOptions out;
  out.max_connections_per_host = options.max_connections_per_host;
  out.io_threads = options.io_threads;
  out.tls.ca_file = options.ca_file;
  out.tls.insecure_skip_verify = options.insecure_skip_verify;
  out.user_agent = options.user_agent;
  out.log = options.log;
  return out;
}

RequestOptions request_options(const HttpOptions& options) {
  RequestOptions out;
  out.connect_timeout = options.connect_timeout;
  out.first_byte_timeout = options.first_byte_timeout;
  out.idle_timeout = options.idle_timeout;
  out.max_body_bytes = options.max_response_bytes;
  return out;
}

}  // namespace net

HttpTransport::HttpTransport(const HttpOptions& options)
    : impl_(std::make_unique<Impl>(Impl{std::make_shared<net::HttpClient>(net::client_options(options))})) {}

HttpTransport::~HttpTransport() = default;

HttpTransport::Stats HttpTransport::stats() const {
  const auto s = impl_->client->stats();
  return Stats{s.open_connections, s.connections_opened, s.requests_sent};
}

}  // namespace contentgen
