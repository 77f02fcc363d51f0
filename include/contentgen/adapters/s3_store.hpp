#pragma once
// S3ImageStore: an ImageStore on any S3-compatible object store (AWS S3, MinIO, Ceph RGW,
// Cloudflare R2, moto, s3rver), spoken to over the library's own HTTP(S) transport and signed with
// AWS Signature Version 4 (Authorization header; x-amz-content-sha256 is the real SHA-256 of the
// payload). See docs/adapters/images.md.
//
// Keys: 1..1024 bytes of UTF-8 without control characters; every other byte sequence S3 allows
// (spaces, '+', '~', '%', "//", non-ASCII) is sent as is: percent-encoded once, never normalized.
// Keys with a "." or ".." segment are refused (Error{invalid_argument, field "key"}) because HTTP
// stacks between us and the bucket may resolve them.
//
// Errors (contentgen::Error, details.provider "s3", http_status, provider_code = S3's <Code>,
// request_id = x-amz-request-id): NoSuchKey -> not_found; AccessDenied, SignatureDoesNotMatch,
// InvalidAccessKeyId, ExpiredToken ... -> unauthorized; SlowDown / 429 -> rate_limited;
// other 5xx -> upstream (503 ServiceUnavailable -> unavailable); NoSuchBucket -> storage; transport
// failures as the transport reports them (unavailable, timeout). 5xx, SlowDown and transport
// failures are retried (RetryOptions: backoff with jitter, Retry-After honoured) before they are reported.
//
// Thread safety: all methods may be called concurrently. Secrets never appear in errors or logs.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "contentgen/adapters/http_options.hpp"
#include "contentgen/adapters/retry_options.hpp"
#include "contentgen/export.hpp"
#include "contentgen/ports/image_store.hpp"

namespace contentgen {

enum class S3Addressing {
  automatic,       // virtual-hosted for *.amazonaws.com endpoints and DNS-safe buckets, else path-style
  path_style,      // https://endpoint/bucket/key (MinIO, Ceph, s3rver, moto, IP-address endpoints)
  virtual_hosted,  // https://bucket.endpoint/key
};

enum class S3BucketCheck {
  none,    // trust the configuration
  check,   // HEAD the bucket when the store is created; Error{storage, "NoSuchBucket"} if missing
  create,  // create it when missing (CreateBucket; "already owned by you" is fine)
};


struct S3StoreOptions {
  // "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000"; empty: https://s3.<region>.amazonaws.com
  std::string endpoint;
  std::string bucket;
  std::string region = "us-east-1";
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;                       // temporary credentials (STS); empty: none
  S3Addressing addressing = S3Addressing::automatic;
  // url_for()/put() report "<public_base_url>/<encoded key>" (a CDN or a public bucket website);
  // empty: the object's own (unsigned) endpoint URL. Use presigned_get_url() for private buckets.
  std::string public_base_url;
  std::chrono::seconds presign_expiry{3600};       // default lifetime of presigned URLs (<= 7 days)
  S3BucketCheck bucket_check = S3BucketCheck::none;
  // The transport, as the LLM providers': TLS (system trust store plus ca_file; verification on
  // unless insecure_skip_verify), pool size, connect timeout, the log; attempt_timeout bounds one
  // attempt's whole exchange (also the wait for the first byte and between chunks).
  HttpOptions http{.user_agent = "libcontentgen-s3", .attempt_timeout = std::chrono::milliseconds{60'000}};
  // The library's retry policy (contentgen/adapters/retry_options.hpp) with S3's shorter backoff.
  RetryOptions retry{.max_retries = 3,
                     .initial_backoff = std::chrono::milliseconds{100},
                     .max_backoff = std::chrono::milliseconds{5'000},
                     .max_retry_after = std::chrono::milliseconds{30'000}};
  std::size_t max_object_bytes = 64 * 1024 * 1024;     // get() of a larger object: Error{upstream}
};

struct S3ObjectInfo {
  std::int64_t size_bytes = 0;
  std::string etag;           // without the quotes
  std::string content_type;
};

class CONTENTGEN_API S3ImageStore final : public ImageStore {
 public:
  // Validates the options (Error{invalid_argument, field "s3.<name>"}), then runs the bucket check.
  explicit S3ImageStore(S3StoreOptions options);
  ~S3ImageStore() override;

  StoredObject put(std::string_view key, ByteView bytes, std::string_view content_type) override;
  Bytes get(std::string_view key) override;
  void remove(std::string_view key) override;
  std::string url_for(std::string_view key) const override;
  // HEAD of the bucket.
  void ping() override;

  // HEAD of the object; nullopt when there is none.
  std::optional<S3ObjectInfo> head(std::string_view key);
  // A presigned GET URL (query-string SigV4) anyone can fetch until it expires; no I/O.
  std::string presigned_get_url(std::string_view key) const;
  std::string presigned_get_url(std::string_view key, std::chrono::seconds expires) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

CONTENTGEN_API std::unique_ptr<S3ImageStore> make_s3_store(S3StoreOptions options);

}  // namespace contentgen
