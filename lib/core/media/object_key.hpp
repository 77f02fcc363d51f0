#pragma once
// The rules every ImageStore key follows, whatever the store: 1..1024 bytes of valid UTF-8 with no
// control characters (S3's own limit is 1024 bytes; control characters break XML listings and
// file names alike). Stores add their own rules on top (the filesystem store: see
// filesystem_key.hpp). Violations throw Error{invalid_argument, field "key"}.
#include <cstddef>
#include <string_view>

namespace contentgen::store_keys {

inline constexpr std::size_t kMaxKeyBytes = 1024;

// Strict UTF-8 (core/utf8.hpp): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text) noexcept;
void check_common_key_rules(std::string_view key);

}  // namespace contentgen::store_keys
