// The official AWS SigV4 test suite (aws-c-auth, tests/data/sigv4): for every case, the canonical
// request, the string to sign and the signature in both forms (Authorization header and presigned
// query), plus the headers / query parameters the signed request carries.
//
// All 38 cases apply: the suite's normalize:true cases run with SigningOptions::normalize_path
// (what generic services do); the S3 store always signs with normalize_path = false, which the
// normalize:false cases cover. The suite never double-encodes the path, like S3.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/s3/sigv4.hpp"
#include "core/text/sha256.hpp"

namespace contentgen::s3 {
namespace {

namespace fs = std::filesystem;
const fs::path kVectors = CONTENTGEN_SIGV4_DATA_DIR;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() + 0 && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

NameValueList parse_query(std::string_view query) {
  NameValueList out;
  while (!query.empty()) {
    const std::size_t amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(percent_decode(pair), "");
    } else {
      out.emplace_back(percent_decode(pair.substr(0, eq)), percent_decode(pair.substr(eq + 1)));
    }
    query.remove_prefix(std::min(amp + 1, query.size()));
  }
  return out;
}

// A request.txt: "METHOD target HTTP/1.1", header lines (continuation lines start with blanks),
// a blank line and the body. The path is taken as raw bytes; query parts are percent-decoded.
struct ParsedRequest {
  RequestToSign request;
  std::string body;
};

std::vector<std::string> split_lines(const std::string& text, std::string* rest) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() && !lines.empty()) {
      *rest = start < text.size() ? text.substr(start) : "";
      return lines;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

ParsedRequest parse_request(const std::string& text) {
  ParsedRequest parsed;
  const std::vector<std::string> lines = split_lines(text, &parsed.body);
  const std::string& first = lines.at(0);
  const std::size_t sp1 = first.find(' ');
  const std::size_t sp2 = first.rfind(' ');
  parsed.request.method = first.substr(0, sp1);
  const std::string target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::size_t question = target.find('?');
  parsed.request.path = target.substr(0, question);
  if (question != std::string::npos) parsed.request.query = parse_query(std::string_view(target).substr(question + 1));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.front() == ' ' || line.front() == '\t') {
      parsed.request.headers.back().second += "\n" + line;
      continue;
    }
    const std::size_t colon = line.find(':');
    parsed.request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return parsed;
}

struct Case {
  std::string name;
  Credentials credentials;
  std::string region, service;
  Timestamp time;
  std::chrono::seconds expires{0};
  bool normalize = false, sign_body = false, omit_session_token = false;
  ParsedRequest parsed;

  std::string expected(const std::string& file) const { return read_file(kVectors / name / file); }
  SigningOptions options(bool header_form) const {
    SigningOptions options;
    options.normalize_path = normalize;
    options.sign_session_token = !omit_session_token;
    options.add_content_sha256_header = header_form && sign_body;
    return options;
  }
  RequestToSign request() const {
    RequestToSign request = parsed.request;
    request.payload_hash = internal::sha256_hex(as_bytes(parsed.body));
    return request;
  }
};

Case load_case(const std::string& name) {
  Case c;
  c.name = name;
  const boost::json::object context = boost::json::parse(read_file(kVectors / name / "context.json")).as_object();
  const auto& credentials = context.at("credentials").as_object();
  c.credentials.access_key_id = credentials.at("access_key_id").as_string().c_str();
  c.credentials.secret_access_key = credentials.at("secret_access_key").as_string().c_str();
  if (const auto* token = credentials.if_contains("token")) c.credentials.session_token = token->as_string().c_str();
  c.region = context.at("region").as_string().c_str();
  c.service = context.at("service").as_string().c_str();
  c.time = parse_rfc3339(context.at("timestamp").as_string().c_str()).value();
  c.expires = std::chrono::seconds(context.at("expiration_in_seconds").to_number<std::int64_t>());
  c.normalize = context.at("normalize").as_bool();
  c.sign_body = context.at("sign_body").as_bool();
  if (const auto* omit = context.if_contains("omit_session_token")) c.omit_session_token = omit->as_bool();
  c.parsed = parse_request(read_file(kVectors / name / "request.txt"));
  return c;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kVectors)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The header lines of a signed-request file, as (name, value) with the value untouched.
NameValueList signed_headers_of(const std::string& text) {
  std::string body;
  NameValueList out;
  const std::vector<std::string> lines = split_lines(text, &body);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    out.emplace_back(lines[i].substr(0, colon), lines[i].substr(colon + 1));
  }
  return out;
}

NameValueList signed_query_of(const std::string& text) {
  std::string body;
  const std::string first = split_lines(text, &body).at(0);
  const std::size_t question = first.find('?');
  if (question == std::string::npos) return {};
  const std::size_t end = first.rfind(' ');
  return parse_query(std::string_view(first).substr(question + 1, end - question - 1));
}

class SigV4Vectors : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4Vectors, HeaderForm) {
  const Case c = load_case(GetParam());
  const Signer signer(c.credentials, c.region, c.service);
  const Signature signature = signer.sign(c.request(), c.time, c.options(true));
  EXPECT_EQ(signature.canonical_request, c.expected("header-canonical-request.txt"));
  EXPECT_EQ(signature.string_to_sign, c.expected("header-string-to-sign.txt"));
  EXPECT_EQ(signature.signature, c.expected("header-signature.txt"));

  // Every header we add appears, with the same value, in the expected signed request.
  const NameValueList expected_headers = signed_headers_of(c.expected("header-signed-request.txt"));
  ASSERT_FALSE(signature.headers.empty());
  EXPECT_EQ(signature.headers.back().first, "Authorization");
  for (const auto& header : signature.headers) {
    const auto& [name, value] = header;  // clang 14 cannot capture structured bindings in a lambda
    const auto found = std::find_if(expected_headers.begin(), expected_headers.end(), [&](const auto& h) {
      return std::equal(h.first.begin(), h.first.end(), header.first.begin(), header.first.end(),
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); });
    });
    ASSERT_NE(found, expected_headers.end()) << name;
    EXPECT_EQ(found->second, value) << name;
  }
  EXPECT_EQ(signature.headers.size() + c.parsed.request.headers.size(), expected_headers.size());
}

TEST_P(SigV4Vectors, QueryForm) {
  const Case c = load_case(GetParam());
  const Signer signer(c.credentials, c.region, c.service);
  const Signature signature = signer.presign(c.request(), c.time, c.expires, c.options(false));
  EXPECT_EQ(signature.canonical_request, c.expected("query-canonical-request.txt"));
  EXPECT_EQ(signature.string_to_sign, c.expected("query-string-to-sign.txt"));
  EXPECT_EQ(signature.signature, c.expected("query-signature.txt"));

  NameValueList ours = c.parsed.request.query;
  ours.insert(ours.end(), signature.query.begin(), signature.query.end());
  NameValueList theirs = signed_query_of(c.expected("query-signed-request.txt"));
  std::sort(ours.begin(), ours.end());
  std::sort(theirs.begin(), theirs.end());
  EXPECT_EQ(ours, theirs);
}

INSTANTIATE_TEST_SUITE_P(Aws, SigV4Vectors, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(SigV4VectorSuite, AllCasesPresent) {
  // The copy in tests/data/sigv4 is complete: 38 cases, each with context, request and both forms.
  const auto names = case_names();
  EXPECT_EQ(names.size(), 38u);
  for (const auto& name : names) {
    for (const char* file : {"context.json", "request.txt", "header-canonical-request.txt", "header-string-to-sign.txt",
                             "header-signature.txt", "header-signed-request.txt", "query-canonical-request.txt",
                             "query-string-to-sign.txt", "query-signature.txt", "query-signed-request.txt"}) {
      EXPECT_TRUE(fs::exists(kVectors / name / file)) << name << "/" << file;
    }
  }
}

}  // namespace
}  // namespace contentgen::s3
