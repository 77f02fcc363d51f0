#pragma once
// UTF-8 checks shared by validation code (internal).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace contentgen::internal {

// Length in bytes of the well-formed UTF-8 sequence starting at text[i] (i < size), 0 when there is
// none there.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept;

// Number of code points, or nullopt when `text` is not well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are rejected).
std::optional<std::size_t> utf8_length(std::string_view text) noexcept;

// Whether `text` contains a C0 control character or DEL (tab/newline allowed when `allow_newlines`).
bool has_control_characters(std::string_view text, bool allow_newlines) noexcept;

// `text` made safe to show: well-formed UTF-8 without NUL, other control characters (but tab and
// newline) or DEL; each byte that is not shown as it is becomes "\xNN". For error messages that
// echo what a caller sent (std::exception::what() ends at a NUL; JSON must be valid UTF-8).
std::string printable(std::string_view text);

// Makes text from outside (an LLM's reply) storable alike on every backend: removes NUL and the
// other C0 control characters but tab, LF and CR, and DEL; replaces each byte that is not part of
// well-formed UTF-8 with U+FFFD. Returns how many bytes were removed or replaced.
std::size_t sanitize_generated_text(std::string& text);

}  // namespace contentgen::internal
