#include "adapters/s3/s3_errors.hpp"

#include <array>
#include <cstdint>

namespace contentgen::s3 {
namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the five predefined entities and numeric character references; anything else stays.
std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const std::size_t semicolon = text.find(';', i);
    if (semicolon == std::string_view::npos || semicolon - i > 10) {
      out += text[i];
      continue;
    }
    const std::string_view entity = text.substr(i + 1, semicolon - i - 1);
    static constexpr std::array<std::pair<std::string_view, char>, 5> kNamed{
        {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}}};
    bool decoded = false;
    for (const auto& [name, ch] : kNamed) {
      if (entity == name) {
        out += ch;
        decoded = true;
      }
    }
    if (!decoded && entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      std::uint32_t cp = 0;
      bool valid = entity.size() > (hex ? 2u : 1u);
      for (std::size_t k = hex ? 2 : 1; k < entity.size() && valid; ++k) {
        const char c = entity[k];
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        valid = digit >= 0 && cp < 0x110000;
        cp = cp * (hex ? 16u : 10u) + static_cast<std::uint32_t>(digit);
      }
      if (valid && cp > 0 && cp < 0x110000 && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        append_utf8(out, cp);
        decoded = true;
      }
    }
    if (decoded) {
      i = semicolon;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool one_of(std::string_view code, std::initializer_list<std::string_view> codes) noexcept {
  for (const std::string_view c : codes) {
    if (code == c) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> xml_element_text(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag);
  std::size_t at = 0;
  while ((at = xml.find(open, at)) != std::string_view::npos) {
    const std::size_t after = at + open.size();
    if (after >= xml.size()) return std::nullopt;
    if (xml[after] == '/' && after + 1 < xml.size() && xml[after + 1] == '>') return std::string();  // <Tag/>
    if (xml[after] != '>') {  // <Tagged> or <Tag attr="..."> -- attributes do not occur in S3 errors
      at = after;
      continue;
    }
    const std::size_t content = after + 1;
    const std::size_t close = xml.find("</" + std::string(tag) + ">", content);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view inner = xml.substr(content, close - content);
    std::string out;
    while (!inner.empty()) {
      const std::size_t cdata = inner.find("<![CDATA[");
      out += decode_entities(inner.substr(0, cdata));
      if (cdata == std::string_view::npos) break;
      const std::size_t end = inner.find("]]>", cdata);
      out += inner.substr(cdata + 9, end == std::string_view::npos ? inner.npos : end - cdata - 9);
      inner.remove_prefix(end == std::string_view::npos ? inner.size() : end + 3);
    }
    return out;
  }
  return std::nullopt;
}

std::optional<S3ErrorBody> parse_error_xml(std::string_view body) {
  auto code = xml_element_text(body, "Code");
  if (!code || code->empty()) return std::nullopt;
  S3ErrorBody out;
  out.code = std::move(*code);
  out.message = xml_element_text(body, "Message").value_or("");
  out.request_id = xml_element_text(body, "RequestId").value_or("");
  out.region = xml_element_text(body, "Region").value_or("");
  return out;
}

// S3's (and S3-compatibles') "slow down" codes: rate_limited, and always worth a retry.
bool is_throttle_code(std::string_view code) noexcept {
  return one_of(code, {"SlowDown", "TooManyRequests", "RequestLimitExceeded", "Throttling", "ThrottlingException"});
}

ErrorCode classify(int http_status, std::string_view code) noexcept {
  if (one_of(code, {"NoSuchKey", "NoSuchVersion", "NoSuchUpload"})) return ErrorCode::not_found;
  if (one_of(code, {"AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "ExpiredToken", "InvalidToken",
                    "TokenRefreshRequired", "AccountProblem", "AllAccessDisabled", "InvalidSecurity",
                    "MissingSecurityHeader", "RequestTimeTooSkewed", "AuthorizationHeaderMalformed",
                    "InvalidClientTokenId", "UnrecognizedClientException"})) {
    return ErrorCode::unauthorized;
  }
  if (is_throttle_code(code)) return ErrorCode::rate_limited;
  if (code == "NoSuchBucket") return ErrorCode::storage;  // a configuration problem, not a missing object
  if (code == "RequestTimeout") return ErrorCode::timeout;
  if (code == "ServiceUnavailable") return ErrorCode::unavailable;
  if (code == "InternalError") return ErrorCode::upstream;
  if (one_of(code, {"KeyTooLongError", "EntityTooLarge", "InvalidBucketName", "PermanentRedirect"})) {
    return ErrorCode::invalid_argument;
  }
  if (one_of(code, {"BucketAlreadyExists", "OperationAborted", "PreconditionFailed"})) return ErrorCode::conflict;
  switch (http_status) {
    case 401:
    case 403: return ErrorCode::unauthorized;
    case 404: return ErrorCode::not_found;
    case 408: return ErrorCode::timeout;
    case 409:
    case 412: return ErrorCode::conflict;
    case 429: return ErrorCode::rate_limited;
    case 503: return ErrorCode::unavailable;
    default: return http_status >= 500 ? ErrorCode::upstream : ErrorCode::storage;
  }
}

bool is_retryable_reply(int http_status, std::string_view code) noexcept {
  if (is_throttle_code(code) || one_of(code, {"InternalError", "ServiceUnavailable", "RequestTimeout", "OperationAborted"})) {
    return true;
  }
  return http_status == 429 || http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504;
}

Error reply_error(std::string_view operation, int http_status, const S3ErrorBody& parsed,
                  std::string_view request_id_header, std::optional<std::chrono::milliseconds> retry_after) {
  ErrorDetails details;
  details.provider = "s3";
  details.http_status = http_status;
  details.provider_code = parsed.code;
  details.request_id = request_id_header.empty() ? parsed.request_id : std::string(request_id_header);
  details.retry_after = retry_after;
  const ErrorCode code = classify(http_status, parsed.code);
  if (code == ErrorCode::invalid_argument) {
    if (parsed.code == "KeyTooLongError") details.field = "key";
    else if (parsed.code == "EntityTooLarge") details.field = "bytes";
    else if (parsed.code == "InvalidBucketName") details.field = "s3.bucket";
    else details.field = "s3.endpoint";
  }
  std::string message = "s3 ";
  message += operation;
  message += ": ";
  if (!parsed.code.empty()) {
    message += parsed.code;
    if (!parsed.message.empty()) message += ": " + parsed.message;
  } else {
    message += http_status == 404 ? "not found" : "request refused";
  }
  if (!parsed.region.empty()) message += " (the bucket's region is " + parsed.region + ")";
  message += " (HTTP " + std::to_string(http_status) + ")";
  return Error(code, message, std::move(details));
}

}  // namespace contentgen::s3
