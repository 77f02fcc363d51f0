#include "net/url.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <charconv>

#include "contentgen/error.hpp"

namespace contentgen::net {
namespace {

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

[[noreturn]] void bad_url(const std::string& why) { throw Error::invalid_argument("url", why); }

bool is_ip_literal(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

std::string UrlParts::origin() const {
  std::string out = tls ? "https://" : "http://";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  out += ':';
  out += std::to_string(port);
  return out;
}

std::string UrlParts::host_header() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) out += ":" + std::to_string(port);
  return out;
}

UrlParts parse_url(std::string_view url) {
  UrlParts parts;
  std::string_view rest;
  if (iequals_prefix(url, "https://")) {
    parts.tls = true;
    rest = url.substr(8);
  } else if (iequals_prefix(url, "http://")) {
    rest = url.substr(7);
  } else {
    bad_url("only absolute http:// and https:// URLs are supported");
  }
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);  // userinfo: dropped
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) bad_url("unterminated IPv6 literal in the host");
    parts.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') bad_url("unexpected characters after the IPv6 literal");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    parts.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (parts.host.empty()) bad_url("the URL has no host");
  if (std::any_of(parts.host.begin(), parts.host.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)) || c == '\0'; }))
    bad_url("the host contains whitespace");
  parts.port = parts.tls ? 443 : 80;
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 || value > 65535)
      bad_url("invalid port");
    parts.port = static_cast<std::uint16_t>(value);
  }
  if (const auto hash = tail.find('#'); hash != std::string_view::npos) tail = tail.substr(0, hash);
  if (tail.empty() || tail.front() == '?') parts.target = "/";
  parts.target += std::string(tail);
  if (std::any_of(parts.target.begin(), parts.target.end(),
                  [](char c) { return c == ' ' || c == '\r' || c == '\n' || c == '\0'; }))
    bad_url("the path contains characters that must be percent-encoded");
  std::transform(parts.host.begin(), parts.host.end(), parts.host.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  parts.host_is_ip = is_ip_literal(parts.host);
  return parts;
}

}  // namespace contentgen::net
