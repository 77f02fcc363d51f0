// Our S3 signatures against botocore's (S3SigV4Auth / S3SigV4QueryAuth, the official Python SDK's
// signer, run by tests/stores/s3_peer.py at the same fixed time) for keys with every awkward
// character: spaces, '+', '~', '%', "//", non-ASCII, reserved punctuation. The servers cannot
// prove this: moto's verifier rejects most of these keys even from boto3, and s3rver checks no
// signature. Needs /usr/bin/python3 with botocore (python3-boto3); no server.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/s3/s3_client.hpp"

namespace contentgen::s3 {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr std::int64_t kEpoch = 1714979289;  // 2024-05-06T07:08:09Z

std::string shell_quote(const std::string& arg) {
  std::string out = "'";
  for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<std::string> run_batch(const std::vector<boost::json::array>& jobs) {
  const fs::path file = fs::temp_directory_path() / ("contentgen-oracle-" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream out(file);
    for (const auto& job : jobs) out << boost::json::serialize(job) << "\n";
  }
  const std::string command = "/usr/bin/python3 " + shell_quote(CONTENTGEN_S3_PEER) + " batch " + shell_quote(file.string());
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string text;
  char buffer[4096];
  std::size_t n = 0;
  while (pipe != nullptr && (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  const int status = pipe ? ::pclose(pipe) : -1;
  fs::remove(file);
  EXPECT_EQ(status, 0) << "s3_peer.py batch failed";
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::vector<std::string>& awkward_keys() {
  static const std::vector<std::string> keys = {
      "plain/key.png", "with space.png", "plus+sign.png", "tilde~.png", "percent%.png", "percent-encoded%20%2F.png",
      "double//slash.png", "//leading", "trailing/", "Grüße aus Köln.png", "日本語/画像.png", "emoji😀.png",
      "reserved!$&'()*,;=:@.png", "query?and#hash.png", "brackets[]{}^`|\"<>.png", "..x/a./-_.~",
      "workspaces/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/articles/a/images/i.webp"};
  return keys;
}

S3StoreOptions options(const std::string& token) {
  S3StoreOptions o;
  o.endpoint = "http://127.0.0.1:9000";
  o.bucket = "images";
  o.region = "eu-central-1";
  o.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  o.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  o.session_token = token;
  return o;
}

class BotocoreOracle : public ::testing::TestWithParam<std::string> {};

TEST_P(BotocoreOracle, HeaderSignaturesMatchForAwkwardKeys) {
  const std::string token = GetParam();
  std::vector<net::HttpRequest> sent;
  ClientHooks hooks;
  hooks.transport = [&](net::HttpRequest request, const net::RequestOptions&) {
    sent.push_back(std::move(request));
    net::HttpResponse ok;
    ok.status = 200;
    return ok;
  };
  hooks.clock = [] { return Timestamp(std::chrono::seconds(kEpoch)); };
  const S3Client client(options(token), hooks);

  std::vector<boost::json::array> jobs;
  std::vector<fs::path> bodies;
  for (std::size_t i = 0; i < awkward_keys().size(); ++i) {
    const std::string payload = "payload #" + std::to_string(i) + std::string(i * 37, '\xAB');
    client.put(awkward_keys()[i], as_bytes(payload), "image/png");
    bodies.push_back(fs::temp_directory_path() / ("contentgen-oracle-body-" + std::to_string(::getpid()) + "-" + std::to_string(i)));
    std::ofstream(bodies.back(), std::ios::binary) << payload;
    jobs.push_back({"sign", "PUT", sent.back().url, std::to_string(kEpoch), "eu-central-1", "AKIAIOSFODNN7EXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", token.empty() ? "-" : token, "image/png",
                    bodies.back().string()});
  }
  const std::vector<std::string> expected = run_batch(jobs);
  for (const auto& body : bodies) fs::remove(body);
  ASSERT_EQ(expected.size(), awkward_keys().size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    std::string ours;
    for (const auto& [name, value] : sent[i].headers) {
      if (name == "Authorization") ours = value;
    }
    EXPECT_EQ(ours, expected[i]) << "key: " << awkward_keys()[i] << "\nurl: " << sent[i].url;
  }
}

TEST_P(BotocoreOracle, PresignedUrlsMatchForAwkwardKeys) {
  const std::string token = GetParam();
  ClientHooks hooks;
  hooks.transport = [](net::HttpRequest, const net::RequestOptions&) -> net::HttpResponse {
    throw std::logic_error("presigning must not send anything");
  };
  hooks.clock = [] { return Timestamp(std::chrono::seconds(kEpoch)); };
  const S3Client client(options(token), hooks);

  std::vector<boost::json::array> jobs;
  for (const auto& key : awkward_keys()) {
    jobs.push_back({"presign", client.url_for(key), std::to_string(kEpoch), "900", "eu-central-1", "AKIAIOSFODNN7EXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", token.empty() ? "-" : token});
  }
  const std::vector<std::string> expected = run_batch(jobs);
  ASSERT_EQ(expected.size(), awkward_keys().size());
  const auto split = [](const std::string& url) {
    const std::size_t q = url.find('?');
    std::vector<std::string> params;
    std::istringstream in(url.substr(q + 1));
    for (std::string p; std::getline(in, p, '&');) params.push_back(p);
    std::sort(params.begin(), params.end());
    return std::make_pair(url.substr(0, q), params);
  };
  for (std::size_t i = 0; i < awkward_keys().size(); ++i) {
    const std::string ours = client.presigned_get_url(awkward_keys()[i], 900s);
    EXPECT_EQ(split(ours), split(expected[i])) << "key: " << awkward_keys()[i] << "\nours:     " << ours
                                               << "\nbotocore: " << expected[i];
  }
}

INSTANTIATE_TEST_SUITE_P(Credentials, BotocoreOracle, ::testing::Values("", "FwoGZXIvYXdzEJr//////////wEaDEXAMPLE+TOKEN=="),
                         [](const auto& param_info) { return param_info.param.empty() ? "long_term" : "session_token"; });

}  // namespace
}  // namespace contentgen::s3
