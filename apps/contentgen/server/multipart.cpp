#include "server/multipart.hpp"


#include "contentgen/error.hpp"
#include "server/text.hpp"

namespace contentgen::server {
namespace {

constexpr std::size_t kMaxParts = 16;
constexpr std::size_t kMaxPartHeaderBytes = 8 * 1024;

[[noreturn]] void malformed(const std::string& why) { throw Error::invalid_argument("multipart", why); }

// Parameters of a header value: `form-data; name="file"; filename="a b.png"` -> lower-cased
// names and unquoted values (backslash escapes honoured).
std::vector<std::pair<std::string, std::string>> parameters(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;  // past ';'
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    const std::size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string name = ascii_lower(trim_ows(value.substr(i, eq - i)));
    std::string parsed;
    i = eq + 1;
    if (i < value.size() && value[i] == '"') {
      ++i;
      bool closed = false;
      while (i < value.size()) {
        const char c = value[i++];
        if (c == '\\' && i < value.size()) {
          parsed += value[i++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          parsed += c;
        }
      }
      if (!closed) malformed("unterminated quoted parameter");
      i = value.find(';', i);
    } else {
      const std::size_t end = value.find(';', i);
      parsed = std::string(trim_ows(value.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i)));
      i = end;
    }
    out.emplace_back(std::move(name), std::move(parsed));
  }
  return out;
}

}  // namespace

std::string media_type(std::string_view content_type) {
  return ascii_lower(trim_ows(content_type.substr(0, content_type.find(';'))));
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  if (media_type(content_type) != "multipart/form-data") return std::nullopt;
  // Never throws: RestApi::check_head calls this on the I/O thread, where an exception would end
  // the server (a quoted parameter left open was found by tests/fuzz/multipart.cpp).
  try {
    for (auto& [name, value] : parameters(content_type)) {
      if (name == "boundary" && !value.empty() && value.size() <= 70) return value;
    }
  } catch (const Error&) {
  }
  return std::nullopt;
}

std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  // The first delimiter may follow a preamble; every later one follows CRLF.
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) malformed("no boundary delimiter in the body");
  if (pos != 0 && (pos < 2 || body.substr(pos - 2, 2) != "\r\n")) malformed("the first delimiter is not on its own line");
  std::vector<MultipartPart> parts;
  const std::string next_delimiter = "\r\n" + delimiter;
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // close delimiter
    // Transport padding, then CRLF.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") malformed("a delimiter is not followed by a line break");
    pos += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos || headers_end - pos > kMaxPartHeaderBytes) {
      malformed("a part's headers do not end");
    }
    MultipartPart part;
    bool disposition = false;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      const std::size_t eol = headers.find("\r\n");
      const std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) malformed("a part header has no colon");
      const std::string name = ascii_lower(trim_ows(line.substr(0, colon)));
      const std::string_view value = trim_ows(line.substr(colon + 1));
      if (name == "content-disposition") {
        if (media_type(value) != "form-data") malformed("a part's Content-Disposition is not form-data");
        disposition = true;
        for (auto& [key, v] : parameters(value)) {
          if (key == "name") part.name = v;
          if (key == "filename") part.filename = v;
        }
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    if (!disposition || part.name.empty()) malformed("a part has no Content-Disposition name");
    const std::size_t body_start = headers_end + 4;
    const std::size_t body_end = body.find(next_delimiter, body_start);
    if (body_end == std::string_view::npos) malformed("the body ends before the closing boundary");
    part.body = body.substr(body_start, body_end - body_start);
    parts.push_back(std::move(part));
    if (parts.size() > kMaxParts) malformed("more than " + std::to_string(kMaxParts) + " parts");
    pos = body_end + 2;  // at the delimiter
  }
}

}  // namespace contentgen::server
