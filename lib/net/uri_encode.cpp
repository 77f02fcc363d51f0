#include "net/uri_encode.hpp"

namespace contentgen::net {
namespace {

constexpr bool is_unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

void append_uri_encoded(std::string& out, std::string_view bytes, Slash slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || (c == '/' && slash == Slash::keep)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
}

std::string uri_encode(std::string_view bytes, Slash slash) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  append_uri_encoded(out, bytes, slash);
  return out;
}

}  // namespace contentgen::net
