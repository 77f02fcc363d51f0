// URL parsing is rabbitmq-c's own (amqp_parse_url: percent-decoding, default ports 5672/5671,
// vhost "/" when there is no path), so we accept exactly what the library's tools accept.
#include "adapters/amqp/amqp_url.hpp"

#include <amqp.h>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <string_view>
#include <vector>

#include "contentgen/error.hpp"

namespace contentgen::amqp {

Endpoint parse_url(const std::string& url) {
  const bool plain = url.rfind("amqp://", 0) == 0;
  const bool secure = url.rfind("amqps://", 0) == 0;
  if (!plain && !secure) throw Error::invalid_argument("url", "must start with amqp:// or amqps://");
  // rabbitmq-c reads a C string: a NUL would silently cut the URL short.
  if (url.find('\0') != std::string::npos) throw Error::invalid_argument("url", "contains a NUL character");
  // amqp_parse_url silently fills in "localhost" for a missing host: require one explicitly.
  const auto authority = std::string_view(url).substr(plain ? 7 : 8);
  auto host_part = authority.substr(0, authority.find('/'));
  if (const auto at = host_part.rfind('@'); at != std::string_view::npos) host_part.remove_prefix(at + 1);
  if (host_part.empty() || host_part.front() == ':') throw Error::invalid_argument("url", "has no host");
  std::vector<char> buffer(url.begin(), url.end());
  buffer.push_back('\0');
  amqp_connection_info info{};
  amqp_default_connection_info(&info);
  if (amqp_parse_url(buffer.data(), &info) != AMQP_STATUS_OK) {
    throw Error::invalid_argument("url", "is not a valid AMQP URL (amqp[s]://user:password@host:port/vhost)");
  }
  Endpoint endpoint;
  endpoint.user = info.user;
  endpoint.password = info.password;
  endpoint.host = info.host;
  endpoint.port = info.port;
  endpoint.vhost = info.vhost;
  endpoint.tls = info.ssl != 0;
  if (endpoint.host.empty()) throw Error::invalid_argument("url", "has no host");
  if (endpoint.port < 1 || endpoint.port > 65535) throw Error::invalid_argument("url", "has a port outside 1-65535");
  if (endpoint.vhost.empty()) {
    throw Error::invalid_argument("url", "names the empty vhost (a trailing '/'); omit the path for vhost \"/\"");
  }
  endpoint.redacted = std::string(endpoint.tls ? "amqps://" : "amqp://") + endpoint.user + "@" + endpoint.host + ":" +
                      std::to_string(endpoint.port) + (endpoint.vhost == "/" ? "" : "/" + boost::urls::encode(endpoint.vhost, boost::urls::unreserved_chars));
  return endpoint;
}

}  // namespace contentgen::amqp
