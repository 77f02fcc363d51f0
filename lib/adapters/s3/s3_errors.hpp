#pragma once
// S3's XML error bodies and how they map onto the library's ErrorCode taxonomy.
//   <Error><Code>NoSuchKey</Code><Message>...</Message><RequestId>...</RequestId>...</Error>
#include <optional>
#include <string>
#include <string_view>

#include "contentgen/error.hpp"

namespace contentgen::s3 {

struct S3ErrorBody {
  std::string code;
  std::string message;
  std::string request_id;
  std::string region;  // AuthorizationHeaderMalformed / PermanentRedirect name the right one
};

// The first <Code>, <Message>, <RequestId>, <Region> of the body (entities decoded); nullopt when
// the body holds no <Code> element (HEAD replies, HTML from a proxy, empty bodies).
std::optional<S3ErrorBody> parse_error_xml(std::string_view body);
// Text of the first <tag>...</tag> (XML entities and CDATA decoded); nullopt if absent.
std::optional<std::string> xml_element_text(std::string_view xml, std::string_view tag);

// The ErrorCode for an S3 reply with this status and error code (code may be empty).
ErrorCode classify(int http_status, std::string_view s3_code) noexcept;
// Whether the same request may succeed if sent again shortly (5xx, SlowDown, RequestTimeout...).
bool is_retryable_reply(int http_status, std::string_view s3_code) noexcept;

// The Error for a non-2xx reply whose body parse_error_xml() read (an empty S3ErrorBody when it
// held no <Code>): message "s3 <operation>: <Code>: <Message> (HTTP <status>)", details provider
// "s3", http_status, provider_code, request_id (x-amz-request-id, else the body's).
Error reply_error(std::string_view operation, int http_status, const S3ErrorBody& parsed,
                  std::string_view request_id_header, std::optional<std::chrono::milliseconds> retry_after = {});

}  // namespace contentgen::s3
