#include "adapters/s3/sigv4.hpp"

#include <algorithm>
#include <cstdio>

#include "contentgen/error.hpp"
#include "core/text/sha256.hpp"
#include "core/text/whitespace.hpp"
#include "net/uri_encode.hpp"

namespace contentgen::s3 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

// "name:value\n" lines sorted by lower-case name (values of repeated names joined by ',' in the
// order they were given) and the ';'-joined list of names.
struct CanonicalHeaders {
  std::string block;
  std::string signed_names;
};

CanonicalHeaders canonical_headers(const NameValueList& headers) {
  NameValueList entries;
  entries.reserve(headers.size());
  // Canonical values: trimmed, every run of whitespace (folded lines included) one space.
  for (const auto& [name, value] : headers) entries.emplace_back(lower(name), internal::collapse_whitespace(value));
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  CanonicalHeaders out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const bool continues = i > 0 && entries[i].first == entries[i - 1].first;
    if (continues) {
      out.block += ',';
    } else {
      if (i > 0) out.block += '\n';
      if (!out.signed_names.empty()) out.signed_names += ';';
      out.signed_names += entries[i].first;
      out.block += entries[i].first;
      out.block += ':';
    }
    out.block += entries[i].second;
  }
  if (!entries.empty()) out.block += '\n';
  return out;
}

bool has_host_header(const NameValueList& headers) {
  return std::any_of(headers.begin(), headers.end(), [](const auto& h) { return lower(h.first) == "host"; });
}

// Removes "." and ".." and empty segments; keeps a trailing slash.
std::string normalized_path(std::string_view path) {
  std::vector<std::string_view> kept;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (!segment.empty() && segment != ".") {
      kept.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out = "/";
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out += '/';
    out += kept[i];
  }
  const bool trailing_slash = !path.empty() && path.back() == '/';
  if (trailing_slash && !kept.empty()) out += '/';
  return out;
}

}  // namespace

std::string format_amz_date(Timestamp time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{seconds - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d%02u%02u""T%02d%02d%02d""Z", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buffer;
}

std::string canonical_uri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  return net::uri_encode(normalize ? normalized_path(path) : std::string(path), net::Slash::keep);
}

std::string canonical_query(const NameValueList& query) {
  NameValueList encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(net::uri_encode(name, net::Slash::encode), net::uri_encode(value, net::Slash::encode));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

Signer::Signer(Credentials credentials, std::string region, std::string service)
    : credentials_(std::move(credentials)), region_(std::move(region)), service_(std::move(service)) {
  if (credentials_.access_key_id.empty()) throw Error::invalid_argument("access_key_id", "must not be empty");
  if (credentials_.secret_access_key.empty()) {
    throw Error::invalid_argument("secret_access_key", "must not be empty");
  }
  if (region_.empty()) throw Error::invalid_argument("region", "must not be empty");
  if (service_.empty()) throw Error::invalid_argument("service", "must not be empty");
}

std::string Signer::scope(std::string_view day) const {
  std::string out(day);
  out += '/';
  out += region_;
  out += '/';
  out += service_;
  out += "/aws4_request";
  return out;
}

Digest Signer::signing_key(std::string_view day) const {
  std::lock_guard lock(key_mutex_);
  if (key_day_ != day) {
    const std::string secret = "AWS4" + credentials_.secret_access_key;
    const Digest date_key = hmac_sha256(contentgen::as_bytes(secret), day);
    const Digest region_key = hmac_sha256(digest_bytes(date_key), region_);
    const Digest service_key = hmac_sha256(digest_bytes(region_key), service_);
    key_ = hmac_sha256(digest_bytes(service_key), "aws4_request");
    key_day_ = std::string(day);
  }
  return key_;
}

Signature Signer::finish(std::string canonical_request, std::string_view amz_date) const {
  const std::string_view day = amz_date.substr(0, 8);
  Signature out;
  out.string_to_sign.reserve(160);
  out.string_to_sign += kAlgorithm;
  out.string_to_sign += '\n';
  out.string_to_sign += amz_date;
  out.string_to_sign += '\n';
  out.string_to_sign += scope(day);
  out.string_to_sign += '\n';
  out.string_to_sign += internal::sha256_hex(as_bytes(canonical_request));
  out.signature = internal::to_hex(digest_bytes(hmac_sha256(digest_bytes(signing_key(day)), out.string_to_sign)));
  out.canonical_request = std::move(canonical_request);
  return out;
}

namespace {

std::string build_canonical_request(const RequestToSign& request, const std::string& query,
                                    const CanonicalHeaders& headers, bool normalize) {
  std::string out;
  out.reserve(request.method.size() + request.path.size() * 2 + query.size() + headers.block.size() + 128);
  out += request.method;
  out += '\n';
  out += canonical_uri(request.path, normalize);
  out += '\n';
  out += query;
  out += '\n';
  out += headers.block;
  out += '\n';
  out += headers.signed_names;
  out += '\n';
  out += request.payload_hash;
  return out;
}

void check_request(const RequestToSign& request) {
  if (request.method.empty()) throw Error::invalid_argument("method", "must not be empty");
  if (request.payload_hash.empty()) throw Error::invalid_argument("payload_hash", "must not be empty");
  if (!has_host_header(request.headers)) throw Error::invalid_argument("headers", "a host header is required");
}

}  // namespace

Signature Signer::sign(const RequestToSign& request, Timestamp time, const SigningOptions& options) const {
  check_request(request);
  const std::string amz_date = format_amz_date(time);
  const bool has_token = !credentials_.session_token.empty();

  NameValueList headers = request.headers;
  NameValueList added;
  added.emplace_back("X-Amz-Date", amz_date);
  if (options.add_content_sha256_header) added.emplace_back("x-amz-content-sha256", request.payload_hash);
  if (has_token) added.emplace_back("X-Amz-Security-Token", credentials_.session_token);
  for (const auto& header : added) {
    const bool unsigned_token = header.first == "X-Amz-Security-Token" && !options.sign_session_token;
    if (!unsigned_token) headers.push_back(header);
  }
  const CanonicalHeaders canonical = canonical_headers(headers);
  Signature out = finish(build_canonical_request(request, canonical_query(request.query), canonical,
                                                 options.normalize_path),
                         amz_date);

  std::string authorization;
  authorization.reserve(256);
  authorization += kAlgorithm;
  authorization += " Credential=";
  authorization += credentials_.access_key_id;
  authorization += '/';
  authorization += scope(std::string_view(amz_date).substr(0, 8));
  authorization += ", SignedHeaders=";
  authorization += canonical.signed_names;
  authorization += ", Signature=";
  authorization += out.signature;
  out.headers = std::move(added);
  out.headers.emplace_back("Authorization", std::move(authorization));
  return out;
}

Signature Signer::presign(const RequestToSign& request, Timestamp time, std::chrono::seconds expires,
                          const SigningOptions& options) const {
  check_request(request);
  if (expires < std::chrono::seconds{1} || expires > kMaxPresignExpiry) {
    throw Error::invalid_argument("expires", "must be between 1 second and 7 days");
  }
  const std::string amz_date = format_amz_date(time);
  const CanonicalHeaders canonical = canonical_headers(request.headers);

  NameValueList added;
  added.emplace_back("X-Amz-Algorithm", std::string(kAlgorithm));
  added.emplace_back("X-Amz-Credential",
                     credentials_.access_key_id + "/" + scope(std::string_view(amz_date).substr(0, 8)));
  added.emplace_back("X-Amz-Date", amz_date);
  added.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
  const bool has_token = !credentials_.session_token.empty();
  if (has_token && options.sign_session_token) {
    added.emplace_back("X-Amz-Security-Token", credentials_.session_token);
  }
  added.emplace_back("X-Amz-SignedHeaders", canonical.signed_names);

  NameValueList query = request.query;
  query.insert(query.end(), added.begin(), added.end());
  Signature out = finish(build_canonical_request(request, canonical_query(query), canonical, options.normalize_path),
                         amz_date);
  if (has_token && !options.sign_session_token) {
    added.emplace_back("X-Amz-Security-Token", credentials_.session_token);
  }
  added.emplace_back("X-Amz-Signature", out.signature);
  out.query = std::move(added);
  return out;
}

}  // namespace contentgen::s3
