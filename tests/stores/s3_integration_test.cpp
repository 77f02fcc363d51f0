// S3ImageStore end to end over the real transport, against the servers scripts/services starts:
//   moto   -- verifies SigV4: 1,000 round trips (plain keys), keys with the awkward characters its
//             verifier handles (' ', '~', "//", '#', '?'), wrong credentials refused with a typed
//             error, bucket check/creation. (moto cannot check presigned URLs while its IAM
//             verification is on: it fails with HTTP 500 looking for an Authorization header.)
//   s3rver -- checks the access key and a presigned URL's expiry but not signatures, and stores
//             what it is sent: 1,000 round trips with awkward keys, cross-checked by listing the
//             bucket with boto3 (so a double-encoded key cannot pass by being double-decoded
//             symmetrically), objects written by boto3 read back by us, presigned URLs fetched by
//             a plain HTTP client, and HTTPS with the transport's TLS rules. s3rver 3.7.1 answers
//             404 to any key containing "//" (boto3's too), so "//" is covered by moto instead.
// Signatures for every awkward key are compared with botocore's in s3_botocore_oracle_test.cpp.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <thread>
#include <sstream>

#include "contentgen/adapters/s3_store.hpp"
#include "contentgen/error.hpp"
#include "support/services.hpp"

namespace contentgen {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct ServerEnv {
  std::string endpoint, access_key, secret, region, bucket;
};

std::string env_or_empty(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value ? value : "";
}

ServerEnv server_env(const std::string& prefix, const std::string& endpoint) {
  return {endpoint, env_or_empty(prefix + "_ACCESS_KEY_ID"), env_or_empty(prefix + "_SECRET_ACCESS_KEY"),
          env_or_empty(prefix + "_REGION"), env_or_empty(prefix + "_BUCKET")};
}

S3StoreOptions options_for(const ServerEnv& env) {
  S3StoreOptions options;
  options.endpoint = env.endpoint;
  options.bucket = env.bucket;
  options.region = env.region;
  options.access_key_id = env.access_key;
  options.secret_access_key = env.secret;
  options.addressing = S3Addressing::path_style;
  options.retry.initial_backoff = 20ms;
  options.retry.max_backoff = 200ms;
  return options;
}

std::string unique_prefix(const std::string& name) {
  std::random_device random;
  return "it-" + name + "-" + std::to_string(random()) + "/";
}

Bytes random_bytes(std::mt19937_64& random, std::size_t size) {
  Bytes bytes(size);
  for (auto& b : bytes) b = static_cast<std::byte>(random() & 0xFF);
  return bytes;
}

std::string hex(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    out += kHex[static_cast<unsigned char>(c) >> 4];
    out += kHex[static_cast<unsigned char>(c) & 0xF];
  }
  return out;
}

std::string unhex(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) out += static_cast<char>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16));
  return out;
}

std::string shell_quote(const std::string& arg) {
  std::string out = "'";
  for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs tests/stores/s3_peer.py (boto3 / http.client) and returns its stdout; fails on exit != 0.
std::string run_peer(const std::vector<std::string>& args) {
  std::string command = "/usr/bin/python3 " + shell_quote(CONTENTGEN_S3_PEER);
  for (const auto& arg : args) command += " " + shell_quote(arg);
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  std::string out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int status = ::pclose(pipe);
  if (status != 0) throw std::runtime_error("s3_peer.py failed (" + std::to_string(status) + "): " + command);
  return out;
}

std::set<std::string> listed_keys(const ServerEnv& env, const std::string& prefix) {
  std::istringstream lines(run_peer({"list", env.endpoint, env.access_key, env.secret, env.region, env.bucket, prefix}));
  std::set<std::string> keys;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) keys.insert(unhex(line));
  }
  return keys;
}

Bytes read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return Bytes(reinterpret_cast<const std::byte*>(text.data()), reinterpret_cast<const std::byte*>(text.data()) + text.size());
}

fs::path temp_file(const std::string& name) {
  return fs::temp_directory_path() / ("contentgen-s3-it-" + std::to_string(::getpid()) + "-" + name);
}

// Fetches `url` with Python's http.client (no signing, no SDK); returns (status, body).
std::pair<int, Bytes> plain_fetch(const std::string& url) {
  const fs::path out = temp_file("fetch");
  const int status = std::stoi(run_peer({"fetch", url, out.string()}));
  Bytes body = read_file(out);
  fs::remove(out);
  return {status, std::move(body)};
}

Error error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an Error";
  return Error(ErrorCode::internal, "none");
}

// ---------------------------------------------------------------------------------------------
// moto: SigV4 is verified.

#define REQUIRE_MOTO(env)                                                              \
  CONTENTGEN_REQUIRE_SERVICE(moto_endpoint_, "CONTENTGEN_TEST_MOTO_ENDPOINT");          \
  const ServerEnv env = server_env("CONTENTGEN_TEST_MOTO", moto_endpoint_)

TEST(S3Moto, ThousandRoundTripsOfRandomBinaryPayloads) {
  REQUIRE_MOTO(env);
  S3ImageStore store(options_for(env));
  std::mt19937_64 random(20240506);
  const std::string prefix = unique_prefix("moto");
  std::size_t total_bytes = 0;
  for (int i = 0; i < 1000; ++i) {
    // Mostly small, some large, a few empty: sizes 0 .. 256 KiB.
    const std::size_t size = i % 100 == 0 ? 0 : (i % 10 == 0 ? 100'000 + random() % 160'000 : random() % 8'192);
    const Bytes payload = random_bytes(random, size);
    const std::string key = prefix + "workspaces/w" + std::to_string(i % 7) + "/images/img-" + std::to_string(i) + ".bin";
    const StoredObject stored = store.put(key, payload, "application/octet-stream");
    ASSERT_EQ(stored.size_bytes, static_cast<std::int64_t>(size));
    ASSERT_EQ(store.get(key), payload) << key;
    total_bytes += size;
  }
  RecordProperty("bytes_round_tripped", static_cast<int>(total_bytes));
}

TEST(S3Moto, KeysWithTheAwkwardCharactersMotoVerifies) {
  REQUIRE_MOTO(env);
  S3ImageStore store(options_for(env));
  std::mt19937_64 random(8);
  const std::string prefix = unique_prefix("moto-awkward");
  const std::vector<std::string> pieces = {" ", "~", "//", "#", "?", "..x", "-_."};
  for (int i = 0; i < 100; ++i) {
    std::string key = prefix + std::to_string(i) + "/";
    for (int k = 0; k < 3; ++k) key += pieces[random() % pieces.size()] + std::string(1, static_cast<char>('a' + k));
    const Bytes payload = random_bytes(random, random() % 5'000);
    store.put(key, payload, "image/png");
    ASSERT_EQ(store.get(key), payload) << key;
    ASSERT_EQ(store.head(key)->size_bytes, static_cast<std::int64_t>(payload.size())) << key;
  }
  const std::string doubled = prefix + "a//b/ c~#?.png";
  store.put(doubled, as_bytes(std::string_view("double")), "image/png");
  // "a//b" and "a/b" are different objects: nothing was normalized.
  EXPECT_FALSE(store.head(prefix + "a/b/ c~#?.png").has_value());
  EXPECT_EQ(store.get(doubled).size(), 6u);
}

TEST(S3Moto, HeadRemoveAndMissingKeys) {
  REQUIRE_MOTO(env);
  S3ImageStore store(options_for(env));
  const std::string key = unique_prefix("head") + "a.png";
  store.put(key, as_bytes(std::string_view("\x89PNG....")), "image/png");
  const auto info = store.head(key);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size_bytes, 8);
  EXPECT_EQ(info->content_type, "image/png");
  EXPECT_FALSE(info->etag.empty());
  store.remove(key);
  EXPECT_FALSE(store.head(key).has_value());
  const Error missing = error_of([&] { store.get(key); });
  EXPECT_EQ(missing.code(), ErrorCode::not_found);
  EXPECT_EQ(missing.details().provider_code, "NoSuchKey");
  EXPECT_EQ(missing.details().http_status, 404);
  EXPECT_NO_THROW(store.remove(key));
  EXPECT_NO_THROW(store.ping());
}

TEST(S3Moto, WrongSecretIsATypedUnauthorizedError) {
  REQUIRE_MOTO(env);
  S3StoreOptions options = options_for(env);
  options.secret_access_key += "-wrong";
  S3ImageStore store(options);
  const Error e = error_of([&] { store.put(unique_prefix("wrong") + "x.png", as_bytes(std::string_view("x")), "image/png"); });
  EXPECT_EQ(e.code(), ErrorCode::unauthorized) << e.what();
  EXPECT_EQ(e.details().provider, "s3");
  EXPECT_EQ(e.details().provider_code, "SignatureDoesNotMatch") << e.what();
  EXPECT_EQ(e.details().http_status, 403);
  EXPECT_EQ(std::string(e.what()).find(options.secret_access_key), std::string::npos);

  options = options_for(env);
  options.access_key_id = "AKIAUNKNOWNKEY000000";
  S3ImageStore unknown(options);
  const Error k = error_of([&] { unknown.get(unique_prefix("wrong") + "x.png"); });
  EXPECT_EQ(k.code(), ErrorCode::unauthorized) << k.what();
  EXPECT_EQ(k.details().provider_code, "InvalidAccessKeyId") << k.what();
}

TEST(S3Moto, BucketCheckAndCreationAtStartUp) {
  REQUIRE_MOTO(env);
  S3StoreOptions options = options_for(env);
  options.bucket = "contentgen-created-" + std::to_string(std::random_device{}() % 1'000'000);
  options.bucket_check = S3BucketCheck::check;
  const Error missing = error_of([&] { S3ImageStore store(options); });
  EXPECT_EQ(missing.code(), ErrorCode::storage);
  EXPECT_EQ(missing.details().provider_code, "NoSuchBucket");

  options.bucket_check = S3BucketCheck::create;
  S3ImageStore created(options);
  created.put("k.bin", as_bytes(std::string_view("v")), "");
  options.bucket_check = S3BucketCheck::check;
  S3ImageStore checked(options);
  EXPECT_EQ(checked.get("k.bin").size(), 1u);
  options.bucket_check = S3BucketCheck::create;  // idempotent
  EXPECT_NO_THROW(S3ImageStore again(options));
}

// ---------------------------------------------------------------------------------------------
// s3rver: awkward keys and TLS.

#define REQUIRE_S3RVER(env)                                                              \
  CONTENTGEN_REQUIRE_SERVICE(s3rver_endpoint_, "CONTENTGEN_TEST_S3RVER_ENDPOINT");        \
  const ServerEnv env = server_env("CONTENTGEN_TEST_S3RVER", s3rver_endpoint_)

std::string awkward_key(std::mt19937_64& random, const std::string& prefix, int i) {
  static const std::vector<std::string> pieces = {
      " ", "+", "~", "%", "%20", "%2F", "/", "ü", "Grüße", "日本語", "😀", "!", "$", "&", "'", "(", ")", "*", ",",
      ";", "=", ":", "@", "#", "?", "[", "]", "{", "}", "^", "`", "|", "\"", "<", ">", "é", "..x", "a.", "-_."};
  std::string key = prefix + std::to_string(i) + "/k";  // "k": no piece can make a "//" here
  const int count = 1 + static_cast<int>(random() % 5);
  for (int k = 0; k < count; ++k) {
    key += pieces[random() % pieces.size()];
    key += static_cast<char>('a' + random() % 26);
  }
  return key;
}

TEST(S3S3rver, ThousandRoundTripsWithAwkwardKeys) {
  REQUIRE_S3RVER(env);
  S3ImageStore store(options_for(env));
  std::mt19937_64 random(31337);
  const std::string prefix = unique_prefix("awkward");
  std::set<std::string> written;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = awkward_key(random, prefix, i);
    const Bytes payload = random_bytes(random, random() % 20'000);
    store.put(key, payload, "application/octet-stream");
    ASSERT_EQ(store.get(key), payload) << key;
    written.insert(key);
  }
  // boto3 sees exactly the keys we meant: nothing double-encoded, normalized or lost.
  EXPECT_EQ(listed_keys(env, prefix), written);
}

TEST(S3S3rver, KeysWrittenByBoto3AreReadBackByUs) {
  REQUIRE_S3RVER(env);
  S3ImageStore store(options_for(env));
  const std::string prefix = unique_prefix("boto");
  std::mt19937_64 random(5);
  for (const std::string& key : {prefix + "a b+c~d%e/f/Grüße 日本.png", prefix + "100%25 real/%2F/x", prefix + "q?x=1&y#z"}) {
    const Bytes payload = random_bytes(random, 1000);
    const fs::path file = temp_file("boto-put");
    std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(payload.data()), static_cast<std::streamsize>(payload.size()));
    run_peer({"put", env.endpoint, env.access_key, env.secret, env.region, env.bucket, hex(key), file.string()});
    fs::remove(file);
    EXPECT_EQ(store.get(key), payload) << key;
    store.remove(key);
    EXPECT_FALSE(store.head(key).has_value()) << key;
  }
  EXPECT_TRUE(listed_keys(env, prefix).empty());
}

TEST(S3S3rver, PresignedUrlIsFetchedByAPlainHttpClient) {
  REQUIRE_S3RVER(env);
  S3ImageStore store(options_for(env));
  std::mt19937_64 random(99);
  const Bytes payload = random_bytes(random, 50'000);
  const std::string key = unique_prefix("presign") + "photo ü+1.jpg";
  store.put(key, payload, "image/jpeg");

  const std::string url = store.presigned_get_url(key, 300s);
  const auto [status, body] = plain_fetch(url);
  EXPECT_EQ(status, 200) << url;
  EXPECT_EQ(body, payload);

  // s3rver checks the access key id and the expiry of a presigned URL (not its signature).
  const std::string other_key = std::regex_replace(url, std::regex("X-Amz-Credential=S3RVER"), "X-Amz-Credential=NOBODY");
  ASSERT_NE(other_key, url);
  EXPECT_EQ(plain_fetch(other_key).first, 403);
  const std::string short_lived = store.presigned_get_url(key, 1s);
  std::this_thread::sleep_for(2100ms);
  EXPECT_EQ(plain_fetch(short_lived).first, 403) << "an expired URL must be refused";
}

TEST(S3S3rver, HttpsFollowsTheTransportTlsRules) {
  CONTENTGEN_REQUIRE_SERVICE(tls_endpoint, "CONTENTGEN_TEST_S3RVER_TLS_ENDPOINT");
  const ServerEnv env = server_env("CONTENTGEN_TEST_S3RVER", tls_endpoint);
  const std::string key = unique_prefix("tls") + "secure image.png";

  S3StoreOptions options = options_for(env);
  options.http.ca_file = env_or_empty("CONTENTGEN_TEST_S3RVER_CA_FILE");
  S3ImageStore verified(options);
  verified.put(key, as_bytes(std::string_view("over TLS")), "image/png");
  EXPECT_EQ(verified.get(key).size(), 8u);

  options.http.ca_file.clear();  // the system store does not know the throwaway CA
  S3ImageStore unverified(options);
  const Error e = error_of([&] { unverified.get(key); });
  EXPECT_EQ(e.code(), ErrorCode::unavailable) << e.what();
  EXPECT_EQ(e.details().provider_code, "tls_verify_failed") << e.what();

  options.http.insecure_skip_verify = true;
  S3ImageStore insecure(options);
  EXPECT_EQ(insecure.get(key).size(), 8u);
}

}  // namespace
}  // namespace contentgen
