#pragma once
// The filesystem store's key rules (on top of object_key.hpp): a key is a relative path whose
// segments are plain names, so it can never leave the root. See filesystem_store.hpp.
#include <string_view>
#include <vector>

namespace contentgen::store_keys {

inline constexpr std::string_view kTempPrefix = ".contentgen-tmp-";
inline constexpr std::size_t kMaxSegmentBytes = 255;  // NAME_MAX on Linux file systems

// The key's segments (directories..., file name). Throws Error{invalid_argument, field "key"}.
std::vector<std::string_view> filesystem_key_segments(std::string_view key);

}  // namespace contentgen::store_keys
