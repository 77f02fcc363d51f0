#include "core/media/object_key.hpp"

#include "contentgen/error.hpp"
#include "core/text/utf8.hpp"

namespace contentgen::store_keys {

bool is_valid_utf8(std::string_view text) noexcept { return internal::utf8_length(text).has_value(); }

void check_common_key_rules(std::string_view key) {
  if (key.empty()) throw Error::invalid_argument("key", "must not be empty");
  if (key.size() > kMaxKeyBytes) throw Error::invalid_argument("key", "longer than 1024 bytes");
  if (!is_valid_utf8(key)) throw Error::invalid_argument("key", "not valid UTF-8");
  if (internal::has_control_characters(key, /*allow_newlines=*/false)) {
    throw Error::invalid_argument("key", "contains a control character (NUL, newline, ...)");
  }
}

}  // namespace contentgen::store_keys
