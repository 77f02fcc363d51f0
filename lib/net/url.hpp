#pragma once
// Splits an absolute http(s) URL into what the transport needs. Internal to lib/net.
#include <cstdint>
#include <string>
#include <string_view>

namespace contentgen::net {

struct UrlParts {
  bool tls = false;        // https
  std::string host;        // without brackets for IPv6 literals
  std::uint16_t port = 0;  // explicit or the scheme's default
  std::string target;      // path + query, at least "/"
  bool host_is_ip = false;

  // "https://host:port": safe to put in messages (no userinfo, path or query).
  std::string origin() const;
  // Value for the Host header: host, plus ":port" when it is not the scheme's default.
  std::string host_header() const;
};

// Throws Error{invalid_argument, field "url"} for anything but an absolute http(s) URL.
// The message never repeats the URL (it may hold credentials or a signed query).
UrlParts parse_url(std::string_view url);

}  // namespace contentgen::net
