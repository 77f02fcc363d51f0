#pragma once
// The S3 object operations behind S3ImageStore: builds and signs each request, sends it through a
// Transport (the shared HttpClient in production, a scripted fake in unit tests), retries 5xx /
// SlowDown / transport failures with backoff, and turns error replies into contentgen::Error.
//
// Thread safety: all methods may be called concurrently (the transport must allow it too).
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/s3/s3_addressing.hpp"
#include "adapters/s3/sigv4.hpp"
#include "contentgen/adapters/s3_store.hpp"
#include "contentgen/time.hpp"
#include "net/http_client.hpp"

namespace contentgen::s3 {

using Transport = std::function<net::HttpResponse(net::HttpRequest, const net::RequestOptions&)>;
using Sleeper = std::function<void(std::chrono::milliseconds)>;

struct ClientHooks {
  Transport transport;      // required
  Clock clock;              // default: now_utc (signing time)
  Sleeper sleep;            // default: std::this_thread::sleep_for (retry backoff)
};

class S3Client {
 public:
  // Validates `options` (Error{invalid_argument, field "s3.<name>"}); does no I/O.
  S3Client(S3StoreOptions options, ClientHooks hooks);

  StoredObject put(std::string_view key, ByteView bytes, std::string_view content_type) const;
  Bytes get(std::string_view key) const;
  std::optional<S3ObjectInfo> head(std::string_view key) const;
  void remove(std::string_view key) const;
  // HEAD of the bucket; Error{storage, provider_code "NoSuchBucket"} when it does not exist.
  void head_bucket() const;
  // CreateBucket (with a LocationConstraint outside us-east-1); "already owned by you" is success.
  void create_bucket() const;
  void ensure_bucket(S3BucketCheck check) const;

  std::string url_for(std::string_view key) const;
  std::string presigned_get_url(std::string_view key, std::chrono::seconds expires) const;

  // One signed request, ready for the transport (exposed for tests). `raw_path` unencoded;
  // `payload_hash` empty: computed from `body`.
  net::HttpRequest build_request(std::string_view method, const std::string& raw_path, std::string_view body,
                                 std::string_view content_type, std::string payload_hash = {}) const;

  const S3StoreOptions& options() const noexcept { return options_; }
  const S3Target& target() const noexcept { return target_; }

 private:
  struct Call;
  // A call on one object (validates the key).
  Call object_call(std::string_view operation, std::string_view method, std::string_view key) const;
  // Sends with retries. Returns the final reply when it is 2xx or `accepted(status, code)` says so;
  // otherwise throws the mapped Error.
  net::HttpResponse execute(const Call& call) const;
  std::chrono::milliseconds backoff(int attempt, std::optional<std::chrono::milliseconds> retry_after) const;

  S3StoreOptions options_;
  S3Target target_;
  Signer signer_;
  ClientHooks hooks_;
};

}  // namespace contentgen::s3
