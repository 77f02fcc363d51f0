#include "net/request_check.hpp"

#include <algorithm>

#include "contentgen/error.hpp"

namespace contentgen::net {
namespace {

// RFC 9110 tchar.
bool is_token_char(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return kSymbols.find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) noexcept {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

}  // namespace

void check_request_fields(const HttpRequest& request) {
  if (!is_token(request.method)) throw Error::invalid_argument("method", "is not an HTTP method token");
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name)) throw Error::invalid_argument("headers", "a header name is not an HTTP token");
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      throw Error::invalid_argument("headers", "the value of header " + name + " contains CR, LF or NUL");
  }
}

}  // namespace contentgen::net
