#include "adapters/s3/s3_client.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include "adapters/s3/s3_errors.hpp"
#include "contentgen/error.hpp"
#include "core/retry/backoff.hpp"
#include "core/text/sha256.hpp"
#include "net/retry_after.hpp"
#include "net/uri_encode.hpp"

namespace contentgen::s3 {
namespace {

// SHA-256 of the empty payload (GET, HEAD, DELETE).
constexpr std::string_view kEmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string payload_hash_of(std::string_view body) {
  return body.empty() ? std::string(kEmptyPayloadHash) : internal::sha256_hex(as_bytes(body));
}

const S3StoreOptions& validated(const S3StoreOptions& options) {
  if (options.access_key_id.empty()) throw Error::invalid_argument("s3.access_key_id", "must not be empty");
  if (options.secret_access_key.empty()) throw Error::invalid_argument("s3.secret_access_key", "must not be empty");
  if (options.retry.max_retries < 0) throw Error::invalid_argument("s3.retry.max_retries", "must not be negative");
  if (options.retry.initial_backoff.count() < 0 || options.retry.max_backoff < options.retry.initial_backoff) {
    throw Error::invalid_argument("s3.retry", "backoffs must satisfy 0 <= initial_backoff <= max_backoff");
  }
  if (options.presign_expiry < std::chrono::seconds{1} || options.presign_expiry > kMaxPresignExpiry) {
    throw Error::invalid_argument("s3.presign_expiry", "must be between 1 second and 7 days");
  }
  if (options.http.attempt_timeout.count() <= 0) {
    throw Error::invalid_argument("s3.http.attempt_timeout", "must be positive");
  }
  if (options.http.connect_timeout.count() <= 0) {
    throw Error::invalid_argument("s3.http.connect_timeout", "must be positive");
  }
  return options;
}

std::string unquoted(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

std::int64_t parse_int(const std::string* text) {
  std::int64_t value = 0;
  if (text != nullptr) std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

}  // namespace

struct S3Client::Call {
  std::string_view operation;        // "PutObject", ... (for messages)
  std::string_view method;
  std::string raw_path;
  std::string_view body;  // the caller's bytes (or owned_body), alive until execute() returns
  std::string owned_body;
  std::string_view content_type;
  std::size_t max_body_bytes = 1024 * 1024;
  // Non-2xx replies that are a normal outcome for this call (e.g. 404 for HEAD).
  std::function<bool(int status, std::string_view code)> accepted;
};

S3Client::Call S3Client::object_call(std::string_view operation, std::string_view method, std::string_view key) const {
  check_s3_key(key);
  Call call;
  call.operation = operation;
  call.method = method;
  call.raw_path = target_.raw_path(key);
  return call;
}

S3Client::S3Client(S3StoreOptions options, ClientHooks hooks)
    : options_(validated(options)),
      target_(resolve_target(options_)),
      signer_(Credentials{options_.access_key_id, options_.secret_access_key, options_.session_token}, options_.region, "s3"),
      hooks_(std::move(hooks)) {
  if (!hooks_.transport) throw Error(ErrorCode::internal, "S3Client needs a transport");
  if (!hooks_.clock) hooks_.clock = now_utc;
  if (!hooks_.sleep) hooks_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  while (!options_.public_base_url.empty() && options_.public_base_url.back() == '/') options_.public_base_url.pop_back();
}

net::HttpRequest S3Client::build_request(std::string_view method, const std::string& raw_path, std::string_view body,
                                         std::string_view content_type, std::string payload_hash) const {
  RequestToSign to_sign;
  to_sign.method = std::string(method);
  to_sign.path = raw_path;
  to_sign.headers.emplace_back("host", target_.host_header());
  if (!content_type.empty()) to_sign.headers.emplace_back("content-type", std::string(content_type));
  to_sign.payload_hash = payload_hash.empty() ? payload_hash_of(body) : std::move(payload_hash);

  SigningOptions signing;
  signing.add_content_sha256_header = true;
  const Signature signature = signer_.sign(to_sign, hooks_.clock(), signing);

  net::HttpRequest request;
  request.method = to_sign.method;
  request.url = target_.url(raw_path);
  // Host is set by the transport (to host_header(), which is what we signed).
  for (auto& header : to_sign.headers) {
    if (header.first != "host") request.headers.push_back(std::move(header));
  }
  for (const auto& header : signature.headers) request.headers.push_back(header);
  request.body = std::string(body);
  return request;
}

std::chrono::milliseconds S3Client::backoff(int attempt, std::optional<std::chrono::milliseconds> retry_after) const {
  // The library's one rule (core/retry/backoff.hpp); a server's longer Retry-After wins.
  const auto& policy = options_.retry;
  const auto wait = internal::backoff_delay(policy.initial_backoff, attempt - 1, policy.max_backoff,
                                            internal::backoff_jitter());
  return retry_after ? std::max(wait, *retry_after) : wait;
}

net::HttpResponse S3Client::execute(const Call& call) const {
  const int attempts = options_.retry.max_retries + 1;
  const std::string payload_hash = payload_hash_of(call.body);  // once, not per attempt
  for (int attempt = 1;; ++attempt) {
    net::RequestOptions request_options;
    request_options.connect_timeout = options_.http.connect_timeout;
    request_options.first_byte_timeout = options_.http.attempt_timeout;
    request_options.idle_timeout = options_.http.attempt_timeout;
    request_options.deadline = net::deadline_after(options_.http.attempt_timeout);
    request_options.max_body_bytes = call.max_body_bytes;

    net::HttpResponse response;
    try {
      // Signed afresh per attempt: the signature's timestamp must stay within S3's 15-minute window.
      response = hooks_.transport(build_request(call.method, call.raw_path, call.body, call.content_type, payload_hash),
                                  request_options);
    } catch (Error& error) {
      if (error.details().provider.empty()) error.details().provider = "s3";
      if (attempt < attempts && net::is_retryable_transport_error(error)) {
        hooks_.sleep(backoff(attempt, std::nullopt));
        continue;
      }
      throw;
    }
    if (response.status >= 200 && response.status < 300) return response;
    const S3ErrorBody parsed = parse_error_xml(response.body).value_or(S3ErrorBody{});
    const std::string_view code = parsed.code;
    if (call.accepted && call.accepted(response.status, code)) return response;
    const auto retry_after = net::parse_retry_after(response, hooks_.clock());
    // A server asking for a longer wait than max_retry_after gets its answer reported, not a retry.
    const bool wait_allowed = !retry_after || *retry_after <= options_.retry.max_retry_after;
    if (attempt < attempts && wait_allowed && is_retryable_reply(response.status, code)) {
      hooks_.sleep(backoff(attempt, retry_after));
      continue;
    }
    const std::string* request_id = response.header("x-amz-request-id");
    throw reply_error(call.operation, response.status, parsed, request_id ? *request_id : std::string_view(),
                      retry_after);
  }
}

StoredObject S3Client::put(std::string_view key, ByteView bytes, std::string_view content_type) const {
  Call call = object_call("PutObject", "PUT", key);
  call.body = as_chars(bytes);  // copied once, into each attempt's request
  call.content_type = content_type.empty() ? std::string_view("application/octet-stream") : content_type;
  const net::HttpResponse response = execute(call);
  StoredObject object;
  object.key = std::string(key);
  object.url = url_for(key);
  object.size_bytes = static_cast<std::int64_t>(bytes.size());
  if (const std::string* etag = response.header("etag")) object.etag = unquoted(*etag);
  return object;
}

Bytes S3Client::get(std::string_view key) const {
  Call call = object_call("GetObject", "GET", key);
  call.max_body_bytes = options_.max_object_bytes;
  const net::HttpResponse response = execute(call);
  const auto* begin = reinterpret_cast<const std::byte*>(response.body.data());
  return Bytes(begin, begin + response.body.size());
}

std::optional<S3ObjectInfo> S3Client::head(std::string_view key) const {
  Call call = object_call("HeadObject", "HEAD", key);
  // HEAD replies carry no body, so a missing object and a missing bucket both look like 404;
  // a missing bucket is reported by head_bucket()/ping().
  call.accepted = [](int status, std::string_view code) { return status == 404 && code != "NoSuchBucket"; };
  const net::HttpResponse response = execute(call);
  if (response.status == 404) return std::nullopt;
  S3ObjectInfo info;
  info.size_bytes = parse_int(response.header("content-length"));
  if (const std::string* etag = response.header("etag")) info.etag = unquoted(*etag);
  if (const std::string* type = response.header("content-type")) info.content_type = *type;
  return info;
}

void S3Client::remove(std::string_view key) const {
  Call call = object_call("DeleteObject", "DELETE", key);
  // S3 answers 204 for a missing key; some compatible servers answer 404 NoSuchKey. Both: gone.
  call.accepted = [](int status, std::string_view code) { return status == 404 && code == "NoSuchKey"; };
  execute(call);
}

void S3Client::head_bucket() const {
  Call call;
  call.operation = "HeadBucket";
  call.method = "HEAD";
  call.raw_path = target_.raw_path("");
  call.accepted = [](int status, std::string_view) { return status == 404; };
  const net::HttpResponse response = execute(call);
  if (response.status == 404) {
    ErrorDetails details;
    details.provider = "s3";
    details.http_status = 404;
    details.provider_code = "NoSuchBucket";
    if (const std::string* id = response.header("x-amz-request-id")) details.request_id = *id;
    throw Error(ErrorCode::storage, "s3 HeadBucket: bucket \"" + target_.bucket + "\" does not exist (HTTP 404)",
                std::move(details));
  }
}

void S3Client::create_bucket() const {
  Call call;
  call.operation = "CreateBucket";
  call.method = "PUT";
  call.raw_path = target_.raw_path("");
  if (options_.region != "us-east-1") {
    call.owned_body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
                      options_.region + "</LocationConstraint></CreateBucketConfiguration>";
    call.body = call.owned_body;
    call.content_type = "application/xml";
  }
  call.accepted = [](int status, std::string_view code) { return status == 409 && code == "BucketAlreadyOwnedByYou"; };
  execute(call);
}

void S3Client::ensure_bucket(S3BucketCheck check) const {
  if (check == S3BucketCheck::none) return;
  if (check == S3BucketCheck::check) {
    head_bucket();
    return;
  }
  try {
    head_bucket();
  } catch (const Error& error) {
    if (error.details().provider_code != "NoSuchBucket") throw;
    create_bucket();
  }
}

std::string S3Client::url_for(std::string_view key) const {
  check_s3_key(key);
  if (!options_.public_base_url.empty()) return options_.public_base_url + "/" + net::uri_encode(key, net::Slash::keep);
  return target_.url(target_.raw_path(key));
}

std::string S3Client::presigned_get_url(std::string_view key, std::chrono::seconds expires) const {
  check_s3_key(key);
  RequestToSign to_sign;
  to_sign.method = "GET";
  to_sign.path = target_.raw_path(key);
  to_sign.headers.emplace_back("host", target_.host_header());
  to_sign.payload_hash = std::string(kUnsignedPayload);
  const Signature signature = signer_.presign(to_sign, hooks_.clock(), expires);
  return target_.url(to_sign.path, canonical_query(signature.query));
}

}  // namespace contentgen::s3
