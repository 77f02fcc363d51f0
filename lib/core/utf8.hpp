#pragma once
// UTF-8 checks shared by validation code (internal).
#include <cstddef>
#include <optional>
#include <string_view>

namespace contentgen::internal {

// Number of code points, or nullopt when `text` is not well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are rejected).
std::optional<std::size_t> utf8_length(std::string_view text) noexcept;

// Whether `text` contains a C0 control character or DEL (tab/newline allowed when `allow_newlines`).
bool has_control_characters(std::string_view text, bool allow_newlines) noexcept;

}  // namespace contentgen::internal
