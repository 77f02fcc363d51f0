// S3Client without a server: request building (addressing, key encoding, signed headers), error
// replies mapped to the taxonomy, retries with backoff, bucket check/creation, presigned URLs and
// option validation. A scripted transport stands in for the HTTP client and records every request.
#include <gtest/gtest.h>

#include <deque>
#include <variant>

#include "adapters/s3/s3_client.hpp"
#include "adapters/s3/s3_errors.hpp"
#include "contentgen/error.hpp"
#include "core/text/sha256.hpp"

namespace contentgen::s3 {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";

struct ScriptedTransport {
  std::deque<std::variant<net::HttpResponse, Error>> replies;
  std::vector<net::HttpRequest> requests;
  std::vector<net::RequestOptions> options;

  Transport bind() {
    return [this](net::HttpRequest request, const net::RequestOptions& request_options) {
      requests.push_back(request);
      options.push_back(request_options);
      if (replies.empty()) throw std::logic_error("no scripted reply left");
      auto reply = std::move(replies.front());
      replies.pop_front();
      if (auto* error = std::get_if<Error>(&reply)) throw *error;
      return std::get<net::HttpResponse>(std::move(reply));
    };
  }
};

net::HttpResponse reply(int status, std::string body = {}, std::vector<net::Header> headers = {}) {
  net::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

std::string error_xml(const std::string& code, const std::string& message = "message") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message +
         "</Message><RequestId>BODYREQID</RequestId></Error>";
}

const std::string* header_of(const net::HttpRequest& request, std::string_view name) {
  for (const auto& [n, v] : request.headers) {
    if (n.size() == name.size() &&
        std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return &v;
    }
  }
  return nullptr;
}

S3StoreOptions local_options() {
  S3StoreOptions options;
  options.endpoint = "http://127.0.0.1:9000";
  options.bucket = "images";
  options.region = "us-east-1";
  options.access_key_id = "AKIDEXAMPLE";
  options.secret_access_key = kSecret;
  options.retry.initial_backoff = 100ms;
  options.retry.max_backoff = 1000ms;
  return options;
}

Timestamp fixed_time() { return parse_rfc3339("2024-05-06T07:08:09Z").value(); }

class S3ClientTest : public ::testing::Test {
 protected:
  ScriptedTransport transport;
  std::vector<std::chrono::milliseconds> sleeps;
  Timestamp now = fixed_time();

  S3Client make(S3StoreOptions options = local_options()) {
    ClientHooks hooks;
    hooks.transport = transport.bind();
    hooks.clock = [this] { return now; };
    hooks.sleep = [this](std::chrono::milliseconds d) {
      sleeps.push_back(d);
      now += std::chrono::duration_cast<std::chrono::microseconds>(d) + 1s;
    };
    return S3Client(std::move(options), std::move(hooks));
  }

  Error expect_error(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos) << "secret leaked: " << e.what();
      return e;
    }
    ADD_FAILURE() << "expected an Error";
    return Error(ErrorCode::internal, "none");
  }
};

TEST_F(S3ClientTest, PutSignsTheRealPayloadHashAndEncodesAwkwardKeysOnce) {
  const S3Client client = make();
  transport.replies.push_back(reply(200, "", {{"etag", "\"abc123\""}, {"x-amz-request-id", "R1"}}));
  const std::string key = "dir with space/a+b~c%d//e/Grüße.png";
  const std::string payload = "\x89PNG\r\n\x1a\n binary \0 bytes";
  const StoredObject stored = client.put(key, as_bytes(payload), "image/png");

  ASSERT_EQ(transport.requests.size(), 1u);
  const net::HttpRequest& sent = transport.requests[0];
  EXPECT_EQ(sent.method, "PUT");
  EXPECT_EQ(sent.url, "http://127.0.0.1:9000/images/dir%20with%20space/a%2Bb~c%25d//e/Gr%C3%BC%C3%9Fe.png");
  EXPECT_EQ(sent.body, payload);
  ASSERT_NE(header_of(sent, "x-amz-content-sha256"), nullptr);
  EXPECT_EQ(*header_of(sent, "x-amz-content-sha256"), internal::sha256_hex(as_bytes(payload)));
  EXPECT_EQ(*header_of(sent, "x-amz-date"), "20240506T070809Z");
  EXPECT_EQ(*header_of(sent, "content-type"), "image/png");
  EXPECT_EQ(header_of(sent, "host"), nullptr) << "the transport sets Host";
  const std::string& authorization = *header_of(sent, "authorization");
  EXPECT_TRUE(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/s3/aws4_request, "
                                        "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature="))
      << authorization;
  EXPECT_EQ(authorization.find(kSecret), std::string::npos);

  EXPECT_EQ(stored.key, key);
  EXPECT_EQ(stored.etag, "abc123");
  EXPECT_EQ(stored.size_bytes, static_cast<std::int64_t>(payload.size()));
  EXPECT_EQ(stored.url, "http://127.0.0.1:9000/images/dir%20with%20space/a%2Bb~c%25d//e/Gr%C3%BC%C3%9Fe.png");
}

TEST_F(S3ClientTest, CanonicalPathIsTheWirePathNotNormalizedNotDoubleEncoded) {
  const S3Client client = make();
  const net::HttpRequest request = client.build_request("GET", "/images/a%2F..//b c", "", "");
  EXPECT_EQ(request.url, "http://127.0.0.1:9000/images/a%252F..//b%20c");
  RequestToSign to_sign{"GET", "/images/a%2F..//b c", {}, {{"host", "127.0.0.1:9000"}}, "UNSIGNED-PAYLOAD"};
  const Signature signature = Signer({"AKIDEXAMPLE", kSecret, ""}, "us-east-1", "s3").sign(to_sign, now);
  EXPECT_NE(signature.canonical_request.find("\n/images/a%252F..//b%20c\n"), std::string::npos);
}

TEST_F(S3ClientTest, SessionTokenIsSentAndSigned) {
  S3StoreOptions options = local_options();
  options.session_token = "FwoGZXIvYXdzEXAMPLE/TOKEN+==";
  const S3Client client = make(options);
  transport.replies.push_back(reply(200, "payload"));
  client.get("k.png");
  const net::HttpRequest& sent = transport.requests.at(0);
  EXPECT_EQ(*header_of(sent, "x-amz-security-token"), "FwoGZXIvYXdzEXAMPLE/TOKEN+==");
  EXPECT_NE(header_of(sent, "authorization")->find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"),
            std::string::npos);
  EXPECT_EQ(*header_of(sent, "x-amz-content-sha256"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(S3ClientTest, GetReturnsTheBodyAndUsesTheObjectSizeLimit) {
  S3StoreOptions options = local_options();
  options.max_object_bytes = 12345;
  const S3Client client = make(options);
  transport.replies.push_back(reply(200, std::string("\0\1\2", 3)));
  const Bytes bytes = client.get("a/b.bin");
  ASSERT_EQ(bytes.size(), 3u);
  EXPECT_EQ(bytes[2], std::byte{2});
  EXPECT_EQ(transport.options.at(0).max_body_bytes, 12345u);
  EXPECT_EQ(transport.requests.at(0).url, "http://127.0.0.1:9000/images/a/b.bin");
}

TEST_F(S3ClientTest, ErrorRepliesMapToTypedErrors) {
  const S3Client client = make();
  struct Row {
    int status;
    std::string code;
    ErrorCode expected;
  };
  const std::vector<Row> rows = {{404, "NoSuchKey", ErrorCode::not_found},
                                 {403, "AccessDenied", ErrorCode::unauthorized},
                                 {403, "SignatureDoesNotMatch", ErrorCode::unauthorized},
                                 {403, "InvalidAccessKeyId", ErrorCode::unauthorized},
                                 {400, "ExpiredToken", ErrorCode::unauthorized},
                                 {404, "NoSuchBucket", ErrorCode::storage},
                                 {400, "KeyTooLongError", ErrorCode::invalid_argument},
                                 {409, "BucketAlreadyExists", ErrorCode::conflict},
                                 {400, "InvalidRequest", ErrorCode::storage}};
  for (const Row& row : rows) {
    transport.replies.push_back(reply(row.status, error_xml(row.code, "it &amp; failed"), {{"x-amz-request-id", "REQ-7"}}));
    const Error e = expect_error([&] { client.get("k.png"); });
    EXPECT_EQ(e.code(), row.expected) << row.code;
    EXPECT_EQ(e.details().provider, "s3");
    EXPECT_EQ(e.details().provider_code, row.code);
    EXPECT_EQ(e.details().http_status, row.status);
    EXPECT_EQ(e.details().request_id, "REQ-7");
    EXPECT_NE(std::string(e.what()).find("it & failed"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(sleeps.empty()) << "4xx replies are not retried";
  // Without the header, the body's RequestId is used; without a body, the status decides.
  transport.replies.push_back(reply(403, error_xml("AccessDenied")));
  EXPECT_EQ(expect_error([&] { client.get("k.png"); }).details().request_id, "BODYREQID");
  transport.replies.push_back(reply(401, "<html>proxy says no</html>"));
  const Error e = expect_error([&] { client.get("k.png"); });
  EXPECT_EQ(e.code(), ErrorCode::unauthorized);
  EXPECT_EQ(e.details().provider_code, "");
}

TEST_F(S3ClientTest, SlowDownAndServerErrorsAreRetriedWithBackoffThenReported) {
  const S3Client client = make();  // 3 retries, 100 ms .. 1 s
  for (int i = 0; i < 4; ++i) transport.replies.push_back(reply(503, error_xml("SlowDown", "Reduce your request rate.")));
  const Error e = expect_error([&] { client.put("k.png", as_bytes(std::string_view("x")), "image/png"); });
  EXPECT_EQ(e.code(), ErrorCode::rate_limited);
  EXPECT_EQ(e.details().provider_code, "SlowDown");
  EXPECT_EQ(transport.requests.size(), 4u);
  ASSERT_EQ(sleeps.size(), 3u);
  // The library's rule: retry n waits within [0.75 c, c] for c = min(1000, 100 * 2^(n-1)).
  const std::int64_t ceilings[] = {100, 200, 400};
  for (std::size_t i = 0; i < sleeps.size(); ++i) {
    EXPECT_GE(sleeps[i].count(), ceilings[i] * 3 / 4);
    EXPECT_LE(sleeps[i].count(), ceilings[i]);
  }
  // Every attempt is signed afresh (the clock moved between them).
  EXPECT_NE(*header_of(transport.requests[0], "x-amz-date"), *header_of(transport.requests[3], "x-amz-date"));
}

TEST_F(S3ClientTest, ARetryThatSucceedsReturnsNormally) {
  const S3Client client = make();
  transport.replies.push_back(reply(500, error_xml("InternalError")));
  transport.replies.push_back(Error(ErrorCode::unavailable, "connection reset"));
  transport.replies.push_back(reply(200, "", {{"etag", "\"e\""}}));
  EXPECT_EQ(client.put("k.png", as_bytes(std::string_view("x")), "").etag, "e");
  EXPECT_EQ(transport.requests.size(), 3u);
  EXPECT_EQ(sleeps.size(), 2u);
  EXPECT_EQ(*header_of(transport.requests[0], "content-type"), "application/octet-stream");
}

TEST_F(S3ClientTest, TransportFailuresAreRetriedExceptTlsVerificationOverLimitBodiesAndCancellation) {
  const S3Client client = make();
  for (int i = 0; i < 4; ++i) transport.replies.push_back(Error(ErrorCode::timeout, "first byte timeout"));
  Error e = expect_error([&] { client.get("k.png"); });
  EXPECT_EQ(e.code(), ErrorCode::timeout);
  EXPECT_EQ(e.details().provider, "s3");
  EXPECT_EQ(transport.requests.size(), 4u);

  transport.requests.clear();
  ErrorDetails tls;
  tls.provider_code = "tls_verify_failed";
  transport.replies.push_back(Error(ErrorCode::unavailable, "certificate verify failed", tls));
  EXPECT_EQ(expect_error([&] { client.get("k.png"); }).details().provider_code, "tls_verify_failed");
  EXPECT_EQ(transport.requests.size(), 1u);

  transport.requests.clear();
  ErrorDetails too_large;
  too_large.provider_code = std::string(net::kResponseTooLarge);
  transport.replies.push_back(Error(ErrorCode::upstream, "response body exceeds the limit", too_large));
  EXPECT_EQ(expect_error([&] { client.get("k.png"); }).details().provider_code, net::kResponseTooLarge);
  EXPECT_EQ(transport.requests.size(), 1u) << "an object over max_object_bytes is not downloaded again";

  transport.requests.clear();
  transport.replies.push_back(Error(ErrorCode::cancelled, "cancelled"));
  EXPECT_EQ(expect_error([&] { client.get("k.png"); }).code(), ErrorCode::cancelled);
  EXPECT_EQ(transport.requests.size(), 1u);
}

TEST_F(S3ClientTest, RetryAfterIsHonouredUpToMaxRetryAfterAndBeyondItReported) {
  const S3Client client = make();  // max_retry_after 30 s
  transport.replies.push_back(reply(429, "", {{"retry-after", "2"}}));
  transport.replies.push_back(reply(200, "ok"));
  client.get("k.png");
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_EQ(sleeps[0], 2000ms) << "the server's wait, longer than the backoff, wins";
  // Longer than max_retry_after: not retried; the caller learns how long to wait.
  transport.replies.push_back(reply(503, "", {{"retry-after", "31"}}));
  Error e = expect_error([&] { client.get("k.png"); });
  EXPECT_EQ(sleeps.size(), 1u);
  ASSERT_TRUE(e.details().retry_after.has_value());
  EXPECT_EQ(*e.details().retry_after, 31s);
  // An absurd value is clamped, not multiplied into an overflow, and not waited for.
  transport.replies.push_back(reply(503, "", {{"retry-after", "99999999999999999"}}));
  e = expect_error([&] { client.get("k.png"); });
  EXPECT_EQ(sleeps.size(), 1u);
  EXPECT_GT(*e.details().retry_after, 31s);
  // The HTTP-date form, relative to the signing clock; reported on the final error too.
  transport.replies.push_back(reply(403, error_xml("AccessDenied"), {{"retry-after", "Mon, 06 May 2024 07:08:41 GMT"}}));
  e = expect_error([&] { client.get("k.png"); });
  ASSERT_TRUE(e.details().retry_after.has_value());
  EXPECT_EQ(now, fixed_time() + 3s);  // the one sleep: 2 s, and the fake clock adds 1 s per sleep
  EXPECT_EQ(*e.details().retry_after, 29s);
}

TEST_F(S3ClientTest, HeadRemoveAndMissingObjects) {
  const S3Client client = make();
  transport.replies.push_back(reply(200, "", {{"content-length", "1234"}, {"etag", "\"tag\""}, {"content-type", "image/webp"}}));
  const auto info = client.head("x.webp");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size_bytes, 1234);
  EXPECT_EQ(info->etag, "tag");
  EXPECT_EQ(info->content_type, "image/webp");
  EXPECT_EQ(transport.requests.back().method, "HEAD");

  transport.replies.push_back(reply(404));
  EXPECT_FALSE(client.head("missing.png").has_value());

  transport.replies.push_back(reply(204));
  EXPECT_NO_THROW(client.remove("gone.png"));
  EXPECT_EQ(transport.requests.back().method, "DELETE");
  transport.replies.push_back(reply(404, error_xml("NoSuchKey")));
  EXPECT_NO_THROW(client.remove("gone.png"));
  transport.replies.push_back(reply(404, error_xml("NoSuchBucket")));
  EXPECT_EQ(expect_error([&] { client.remove("gone.png"); }).code(), ErrorCode::storage);
}

TEST_F(S3ClientTest, BucketCheckAndCreation) {
  S3StoreOptions options = local_options();
  options.region = "eu-west-1";
  const S3Client client = make(options);
  transport.replies.push_back(reply(200));
  EXPECT_NO_THROW(client.ensure_bucket(S3BucketCheck::check));
  EXPECT_EQ(transport.requests.back().method, "HEAD");
  EXPECT_EQ(transport.requests.back().url, "http://127.0.0.1:9000/images");

  transport.replies.push_back(reply(404));
  const Error missing = expect_error([&] { client.ensure_bucket(S3BucketCheck::check); });
  EXPECT_EQ(missing.code(), ErrorCode::storage);
  EXPECT_EQ(missing.details().provider_code, "NoSuchBucket");

  transport.requests.clear();
  transport.replies.push_back(reply(404));
  transport.replies.push_back(reply(200));
  client.ensure_bucket(S3BucketCheck::create);
  ASSERT_EQ(transport.requests.size(), 2u);
  EXPECT_EQ(transport.requests[1].method, "PUT");
  EXPECT_NE(transport.requests[1].body.find("<LocationConstraint>eu-west-1</LocationConstraint>"), std::string::npos);
  EXPECT_EQ(*header_of(transport.requests[1], "x-amz-content-sha256"), internal::sha256_hex(as_bytes(transport.requests[1].body)));

  transport.replies.push_back(reply(404));
  transport.replies.push_back(reply(409, error_xml("BucketAlreadyOwnedByYou")));
  EXPECT_NO_THROW(client.ensure_bucket(S3BucketCheck::create));
  transport.replies.push_back(reply(404));
  transport.replies.push_back(reply(409, error_xml("BucketAlreadyExists")));
  EXPECT_EQ(expect_error([&] { client.ensure_bucket(S3BucketCheck::create); }).code(), ErrorCode::conflict);
  transport.replies.push_back(reply(403));
  EXPECT_EQ(expect_error([&] { client.ensure_bucket(S3BucketCheck::create); }).code(), ErrorCode::unauthorized);
}

TEST_F(S3ClientTest, AddressingStyles) {
  S3StoreOptions aws = local_options();
  aws.endpoint = "";
  aws.region = "eu-west-1";
  EXPECT_EQ(make(aws).url_for("a b.png"), "https://images.s3.eu-west-1.amazonaws.com/a%20b.png");
  EXPECT_EQ(make(aws).target().host_header(), "images.s3.eu-west-1.amazonaws.com");

  aws.bucket = "my.dotted.bucket";  // a dotted bucket breaks the wildcard certificate: path-style
  EXPECT_EQ(make(aws).url_for("k"), "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/k");

  S3StoreOptions minio = local_options();
  minio.endpoint = "https://minio.internal:9443/";
  EXPECT_EQ(make(minio).url_for("k"), "https://minio.internal:9443/images/k");
  minio.addressing = S3Addressing::virtual_hosted;
  const S3Client virtual_client = make(minio);
  EXPECT_EQ(virtual_client.url_for("k"), "https://images.minio.internal:9443/k");
  transport.replies.push_back(reply(200));
  virtual_client.ensure_bucket(S3BucketCheck::check);
  EXPECT_EQ(transport.requests.back().url, "https://images.minio.internal:9443/");

  S3StoreOptions https_default_port = local_options();
  https_default_port.endpoint = "HTTPS://S3.Example.COM:443";
  EXPECT_EQ(make(https_default_port).url_for("k"), "https://s3.example.com/images/k");

  S3StoreOptions ipv6 = local_options();
  ipv6.endpoint = "http://[::1]:9000";
  EXPECT_EQ(make(ipv6).url_for("k"), "http://[::1]:9000/images/k");
  ipv6.addressing = S3Addressing::virtual_hosted;
  EXPECT_THROW(make(ipv6), Error);

  S3StoreOptions cdn = local_options();
  cdn.public_base_url = "https://cdn.example.com/media/";
  EXPECT_EQ(make(cdn).url_for("w/a+b.png"), "https://cdn.example.com/media/w/a%2Bb.png");
}

TEST_F(S3ClientTest, PresignedGetUrl) {
  S3StoreOptions options = local_options();
  options.session_token = "TOKEN/with+chars=";
  const S3Client client = make(options);
  const std::string url = client.presigned_get_url("dir/a b.png", 600s);
  EXPECT_TRUE(url.starts_with("http://127.0.0.1:9000/images/dir/a%20b.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
                              "X-Amz-Credential=AKIDEXAMPLE%2F20240506%2Fus-east-1%2Fs3%2Faws4_request&"
                              "X-Amz-Date=20240506T070809Z&X-Amz-Expires=600&"
                              "X-Amz-Security-Token=TOKEN%2Fwith%2Bchars%3D&X-Amz-Signature="))
      << url;
  EXPECT_NE(url.find("&X-Amz-SignedHeaders=host"), std::string::npos);
  EXPECT_EQ(url.find(kSecret), std::string::npos);
  EXPECT_TRUE(transport.requests.empty()) << "presigning does no I/O";
  EXPECT_THROW(client.presigned_get_url("k", 0s), Error);
  EXPECT_THROW(client.presigned_get_url("k", 7 * 24h + 1s), Error);
}

TEST_F(S3ClientTest, KeysAreValidated) {
  const S3Client client = make();
  for (const std::string& key : {std::string(), std::string("a/../b"), std::string("./a"), std::string("a/."),
                                std::string(1025, 'k'), std::string("bad\xFFutf8"), std::string("nul\0", 4),
                                std::string("line\nfeed")}) {
    const Error e = expect_error([&] { client.get(key); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.details().field, "key");
  }
  EXPECT_TRUE(transport.requests.empty());
  EXPECT_NO_THROW(client.url_for("/leading//double/..dots../trailing/"));
}

TEST_F(S3ClientTest, OptionsAreValidated) {
  const auto field_of = [this](const std::function<void(S3StoreOptions&)>& change) {
    S3StoreOptions options = local_options();
    change(options);
    return expect_error([&] { make(options); }).details().field;
  };
  EXPECT_EQ(field_of([](auto& o) { o.bucket = ""; }), "s3.bucket");
  EXPECT_EQ(field_of([](auto& o) { o.bucket = "Upper"; }), "s3.bucket");
  EXPECT_EQ(field_of([](auto& o) { o.bucket = "-dash"; }), "s3.bucket");
  EXPECT_EQ(field_of([](auto& o) { o.bucket = "192.168.1.1"; }), "s3.bucket");
  EXPECT_EQ(field_of([](auto& o) { o.region = ""; }), "s3.region");
  EXPECT_EQ(field_of([](auto& o) { o.region = "eu-west-1/evil"; }), "s3.region");
  EXPECT_EQ(field_of([](auto& o) { o.region = "x</LocationConstraint>"; }), "s3.region");
  EXPECT_EQ(field_of([](auto& o) {
              o.endpoint = "";
              o.region = "x.evil.example#";
            }),
            "s3.region");
  EXPECT_EQ(field_of([](auto& o) { o.access_key_id = ""; }), "s3.access_key_id");
  EXPECT_EQ(field_of([](auto& o) { o.secret_access_key = ""; }), "s3.secret_access_key");
  EXPECT_EQ(field_of([](auto& o) { o.endpoint = "ftp://host"; }), "s3.endpoint");
  EXPECT_EQ(field_of([](auto& o) { o.endpoint = "http://user:pw@host"; }), "s3.endpoint");
  EXPECT_EQ(field_of([](auto& o) { o.endpoint = "http://host/prefix"; }), "s3.endpoint");
  EXPECT_EQ(field_of([](auto& o) { o.endpoint = "not a url"; }), "s3.endpoint");
  EXPECT_EQ(field_of([](auto& o) { o.presign_expiry = 8 * 24h; }), "s3.presign_expiry");
  EXPECT_EQ(field_of([](auto& o) { o.retry.max_retries = -1; }), "s3.retry.max_retries");
  EXPECT_EQ(field_of([](auto& o) { o.retry.initial_backoff = -1ms; }), "s3.retry");
  EXPECT_EQ(field_of([](auto& o) {
              o.retry.initial_backoff = 2s;
              o.retry.max_backoff = 1s;
            }),
            "s3.retry");
  EXPECT_EQ(field_of([](auto& o) { o.http.attempt_timeout = 0ms; }), "s3.http.attempt_timeout");
  EXPECT_EQ(field_of([](auto& o) { o.http.connect_timeout = 0ms; }), "s3.http.connect_timeout");
}

TEST(S3ErrorXml, ParsesCodesEntitiesAndCdata) {
  const auto parsed = parse_error_xml(
      "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>a &lt;b&gt; &amp; &#x263A; &#65;"
      "<![CDATA[ <raw> ]]></Message><RequestId>4442587FB7D0A2F9</RequestId><Region>eu-west-1</Region></Error>");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->code, "SignatureDoesNotMatch");
  EXPECT_EQ(parsed->message, "a <b> & \xE2\x98\xBA A <raw> ");
  EXPECT_EQ(parsed->request_id, "4442587FB7D0A2F9");
  EXPECT_EQ(parsed->region, "eu-west-1");
  EXPECT_FALSE(parse_error_xml("").has_value());
  EXPECT_FALSE(parse_error_xml("<html><body>502 Bad Gateway</body></html>").has_value());
  EXPECT_FALSE(parse_error_xml("<Error><Code></Code></Error>").has_value());
  EXPECT_EQ(xml_element_text("<Error><Codex>no</Codex><Code>Yes</Code><Message/></Error>", "Code").value(), "Yes");
  EXPECT_EQ(xml_element_text("<Error><Message/></Error>", "Message").value(), "");
  EXPECT_EQ(xml_element_text("<Error><Message>&bogus; &#xD800; &</Message></Error>", "Message").value(),
            "&bogus; &#xD800; &");
}

TEST(S3ErrorXml, Classification) {
  EXPECT_EQ(classify(503, "SlowDown"), ErrorCode::rate_limited);
  EXPECT_EQ(classify(503, ""), ErrorCode::unavailable);
  EXPECT_EQ(classify(500, "InternalError"), ErrorCode::upstream);
  EXPECT_EQ(classify(502, ""), ErrorCode::upstream);
  EXPECT_EQ(classify(400, "RequestTimeout"), ErrorCode::timeout);
  EXPECT_EQ(classify(301, "PermanentRedirect"), ErrorCode::invalid_argument);
  EXPECT_TRUE(is_retryable_reply(503, "SlowDown"));
  EXPECT_TRUE(is_retryable_reply(400, "RequestTimeout"));
  EXPECT_TRUE(is_retryable_reply(504, ""));
  EXPECT_FALSE(is_retryable_reply(403, "AccessDenied"));
  EXPECT_FALSE(is_retryable_reply(404, "NoSuchKey"));
  EXPECT_FALSE(is_retryable_reply(501, "NotImplemented"));
}

}  // namespace
}  // namespace contentgen::s3
