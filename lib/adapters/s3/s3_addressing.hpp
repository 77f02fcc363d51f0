#pragma once
// Where an S3 request goes: the endpoint, path-style or virtual-hosted addressing, the Host header
// and the raw (unencoded) path that is both signed and -- encoded once -- sent.
#include <string>
#include <string_view>

#include "contentgen/adapters/s3_store.hpp"

namespace contentgen::s3 {

struct S3Target {
  std::string scheme;       // "http" or "https"
  std::string host;         // endpoint host as written ("127.0.0.1", "s3.amazonaws.com", "[::1]")
  std::string port;         // empty when the scheme's default
  std::string bucket;
  bool virtual_hosted = false;

  // "bucket.host[:port]" (virtual-hosted) or "host[:port]" (path-style).
  std::string host_header() const;
  // Raw path of an object ("/bucket/key" or "/key"), or of the bucket when `key` is empty.
  std::string raw_path(std::string_view key) const;
  // scheme://host_header + encoded path (+ '?' + encoded_query when not empty).
  std::string url(std::string_view raw_path, std::string_view encoded_query = {}) const;
};

// Validates endpoint, bucket and region of `options`; Error{invalid_argument, "s3.<field>"}.
S3Target resolve_target(const S3StoreOptions& options);
// S3 bucket naming rules: 3..63 of [a-z0-9.-], starting and ending alphanumeric, not an IP address.
void check_bucket_name(std::string_view bucket);
// Common key rules (object_key.hpp) plus: no "." or ".." segment.
void check_s3_key(std::string_view key);

}  // namespace contentgen::s3
