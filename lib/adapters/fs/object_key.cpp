#include "adapters/fs/object_key.hpp"

#include <algorithm>

#include "contentgen/error.hpp"

namespace contentgen::store_keys {
namespace {

bool is_continuation(unsigned char c) noexcept { return (c & 0xC0) == 0x80; }

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    std::size_t length = 0;
    unsigned char second_min = 0x80, second_max = 0xBF;  // ranges that rule out overlongs/surrogates
    if (c < 0x80) {
      ++p;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) second_min = 0xA0;
      if (c == 0xED) second_max = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) second_min = 0x90;
      if (c == 0xF4) second_max = 0x8F;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < length) return false;
    if (p[1] < second_min || p[1] > second_max) return false;
    for (std::size_t i = 2; i < length; ++i) {
      if (!is_continuation(p[i])) return false;
    }
    p += length;
  }
  return true;
}

void check_common_key_rules(std::string_view key) {
  if (key.empty()) throw Error::invalid_argument("key", "must not be empty");
  if (key.size() > kMaxKeyBytes) throw Error::invalid_argument("key", "longer than 1024 bytes");
  if (!is_valid_utf8(key)) throw Error::invalid_argument("key", "not valid UTF-8");
  const bool has_control = std::any_of(key.begin(), key.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7F;
  });
  if (has_control) throw Error::invalid_argument("key", "contains a control character (NUL, newline, ...)");
}

}  // namespace contentgen::store_keys
