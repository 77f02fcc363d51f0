#include "adapters/s3/s3_addressing.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>

#include "core/media/object_key.hpp"
#include "contentgen/error.hpp"
#include "net/uri_encode.hpp"

namespace contentgen::s3 {
namespace {

bool is_lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool looks_like_ipv4(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

bool ends_with_amazonaws(std::string_view host) {
  return host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn");
}

}  // namespace

void check_bucket_name(std::string_view bucket) {
  const auto fail = [](const char* why) { throw Error::invalid_argument("s3.bucket", why); };
  if (bucket.size() < 3 || bucket.size() > 63) fail("must be 3 to 63 characters long");
  if (!std::all_of(bucket.begin(), bucket.end(), [](char c) { return is_lower_alnum(c) || c == '.' || c == '-'; })) {
    fail("may contain only lower-case letters, digits, '.' and '-'");
  }
  if (!is_lower_alnum(bucket.front()) || !is_lower_alnum(bucket.back())) fail("must start and end with a letter or digit");
  if (bucket.find("..") != std::string_view::npos) fail("must not contain \"..\"");
  if (looks_like_ipv4(bucket)) fail("must not look like an IP address");
}

void check_s3_key(std::string_view key) {
  store_keys::check_common_key_rules(key);
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t slash = std::min(key.find('/', start), key.size());
    const std::string_view segment = key.substr(start, slash - start);
    if (segment == "." || segment == "..") {
      throw Error::invalid_argument("key", "must not contain a '.' or '..' segment (HTTP stacks may resolve them)");
    }
    start = slash + 1;
  }
}

S3Target resolve_target(const S3StoreOptions& options) {
  if (options.region.empty()) throw Error::invalid_argument("s3.region", "must not be empty");
  // The region becomes part of the default host name, the SigV4 credential scope ('/'-separated)
  // and CreateBucket's XML body: letters, digits, '-' and '_' only ("eu-west-1", "auto", "default").
  if (!std::all_of(options.region.begin(), options.region.end(),
                   [](char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '-' || c == '_'; })) {
    throw Error::invalid_argument("s3.region", "may contain only letters, digits, '-' and '_'");
  }
  check_bucket_name(options.bucket);
  const std::string endpoint =
      options.endpoint.empty() ? "https://s3." + options.region + ".amazonaws.com" : options.endpoint;
  const auto parsed = boost::urls::parse_absolute_uri(endpoint);
  if (!parsed) throw Error::invalid_argument("s3.endpoint", "not an absolute URL");
  const boost::urls::url_view url = *parsed;

  S3Target target;
  target.scheme = std::string(url.scheme());
  std::transform(target.scheme.begin(), target.scheme.end(), target.scheme.begin(),
                 [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  if (target.scheme != "http" && target.scheme != "https") {
    throw Error::invalid_argument("s3.endpoint", "scheme must be http or https");
  }
  if (url.has_userinfo()) throw Error::invalid_argument("s3.endpoint", "must not carry credentials");
  if (url.has_query() || url.has_fragment()) throw Error::invalid_argument("s3.endpoint", "must not have a query or fragment");
  if (!url.encoded_path().empty() && url.encoded_path() != "/") {
    throw Error::invalid_argument("s3.endpoint", "must not have a path (the bucket is configured separately)");
  }
  target.host = std::string(url.encoded_host());  // IPv6 literals keep their brackets
  std::transform(target.host.begin(), target.host.end(), target.host.begin(),
                 [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  if (target.host.empty()) throw Error::invalid_argument("s3.endpoint", "has no host");
  target.port = std::string(url.port());
  if ((target.scheme == "http" && target.port == "80") || (target.scheme == "https" && target.port == "443")) {
    target.port.clear();
  }
  target.bucket = options.bucket;

  const bool ip_host = url.host_type() == boost::urls::host_type::ipv4 || url.host_type() == boost::urls::host_type::ipv6 ||
                       url.host_type() == boost::urls::host_type::ipvfuture;
  // Dots in a bucket name break the wildcard certificate of virtual-hosted HTTPS.
  const bool dns_safe_bucket = options.bucket.find('.') == std::string::npos || target.scheme == "http";
  switch (options.addressing) {
    case S3Addressing::path_style:
      target.virtual_hosted = false;
      break;
    case S3Addressing::virtual_hosted:
      if (ip_host) throw Error::invalid_argument("s3.addressing", "virtual-hosted addressing needs a DNS host name, not an IP address");
      target.virtual_hosted = true;
      break;
    case S3Addressing::automatic:
      target.virtual_hosted = !ip_host && dns_safe_bucket && ends_with_amazonaws(target.host);
      break;
  }
  return target;
}

std::string S3Target::host_header() const {
  std::string out;
  if (virtual_hosted) {
    out += bucket;
    out += '.';
  }
  out += host;
  if (!port.empty()) {
    out += ':';
    out += port;
  }
  return out;
}

std::string S3Target::raw_path(std::string_view key) const {
  std::string out = "/";
  if (!virtual_hosted) {
    out += bucket;
    if (!key.empty()) out += '/';
  }
  out += key;
  return out;
}

std::string S3Target::url(std::string_view path, std::string_view encoded_query) const {
  std::string out = scheme;
  out += "://";
  out += host_header();
  net::append_uri_encoded(out, path, net::Slash::keep);
  if (!encoded_query.empty()) {
    out += '?';
    out += encoded_query;
  }
  return out;
}

}  // namespace contentgen::s3
