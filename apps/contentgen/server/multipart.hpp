#pragma once
// multipart/form-data (RFC 7578) for image uploads: the boundary from the Content-Type header,
// then the parts with their Content-Disposition name/filename and Content-Type. Part bodies are
// views into the request body (no copy of a 10 MB image).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace contentgen::server {

struct MultipartPart {
  std::string name;          // Content-Disposition name=
  std::string filename;      // Content-Disposition filename= ("" when absent)
  std::string content_type;  // the part's Content-Type ("" when absent)
  std::string_view body;
};

// The media type of a Content-Type value, lower-cased, without parameters: "multipart/form-data".
std::string media_type(std::string_view content_type);
// The boundary parameter of a multipart/form-data Content-Type; nullopt when it is not one
// (malformed parameters included). Never throws.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Throws Error{invalid_argument, field "multipart"} when the body is not well-formed.
std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary);

}  // namespace contentgen::server
