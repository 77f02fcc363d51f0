#pragma once
// AWS Signature Version 4 (AWS4-HMAC-SHA256), both forms: the Authorization header and the
// presigned query string. Generic enough for the official test suite (any service, optional path
// normalization, session token signed or attached afterwards); the S3 store uses it with service
// "s3", no normalization and the real payload hash.
//
// Thread safety: a Signer is immutable except for its signing-key cache, which is guarded by a
// mutex; sign() and presign() may be called concurrently.
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/s3/digest.hpp"
#include "contentgen/time.hpp"

namespace contentgen::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: long-term credentials
};

using NameValueList = std::vector<std::pair<std::string, std::string>>;

// What SigV4 covers of an HTTP request.
struct RequestToSign {
  std::string method;
  // The path as raw bytes, NOT percent-encoded ("/bucket/a b+c"); the signer encodes it exactly once.
  std::string path = "/";
  NameValueList query;    // decoded names and values, in any order
  NameValueList headers;  // names in any case; must include "host"
  // Lower-case hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" (presigned S3 URLs).
  std::string payload_hash;
};

struct SigningOptions {
  // Remove "." / ".." segments and empty segments from the path before encoding. Generic AWS
  // services do this; S3 must not (its keys may contain "//" and "..").
  bool normalize_path = false;
  // false: the session token is attached after signing, outside the signature (some services,
  // and aws-c-auth's "omit_session_token" vectors); true (default): it is signed.
  bool sign_session_token = true;
  // Header form only: add and sign x-amz-content-sha256 = payload_hash (S3 requires it).
  bool add_content_sha256_header = false;
};

struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;   // lower-case hex
  NameValueList headers;   // header form: headers to add to the request (incl. Authorization)
  NameValueList query;     // query form: parameters to add to the query (incl. X-Amz-Signature)
};

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::chrono::seconds kMaxPresignExpiry{7 * 24 * 3600};  // SigV4's limit: 7 days

// "20150830T123600Z" (the x-amz-date format).
std::string format_amz_date(Timestamp time);
// The canonical URI of `path` (raw bytes): optionally normalized, then encoded once with '/' kept.
std::string canonical_uri(std::string_view path, bool normalize);
// The canonical query string: names and values encoded, sorted by name then value.
std::string canonical_query(const NameValueList& query);

class Signer {
 public:
  Signer(Credentials credentials, std::string region, std::string service);

  // Header form: the result's `headers` (X-Amz-Date, optionally x-amz-content-sha256 and
  // X-Amz-Security-Token, then Authorization) are to be sent along with request.headers.
  Signature sign(const RequestToSign& request, Timestamp time, const SigningOptions& options = {}) const;
  // Query form (presigned URL) valid for `expires` (1 s .. 7 days, else Error{invalid_argument}).
  Signature presign(const RequestToSign& request, Timestamp time, std::chrono::seconds expires,
                    const SigningOptions& options = {}) const;

 private:
  Digest signing_key(std::string_view day) const;
  std::string scope(std::string_view day) const;
  Signature finish(std::string canonical_request, std::string_view amz_date) const;

  Credentials credentials_;
  std::string region_;
  std::string service_;
  // HMAC chain kSecret -> kDate -> kRegion -> kService -> kSigning, cached for the current day.
  mutable std::mutex key_mutex_;
  mutable std::string key_day_;
  mutable Digest key_{};
};

}  // namespace contentgen::s3
