#pragma once
// Field checks shared by plan validation and the generator's arguments (internal). Each throws
// Error{invalid_argument} naming `field`.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace boost::json {
class value;
}

namespace contentgen::internal {

struct TextRule {
  std::size_t min_chars = 0;   // code points; a non-zero minimum also rejects all-blank text
  std::size_t max_chars = 0;
  bool allow_newlines = false;
};

// Well-formed UTF-8, no control characters, length within the rule.
void check_text(std::string_view text, const std::string& field, TextRule rule);

// Workspace ids become part of object-store keys (workspaces/{ws}/...), so they are restricted
// to 1-128 characters from [A-Za-z0-9._-], and neither "." nor "..".
void check_workspace_id(std::string_view workspace_id, const std::string& field = "workspace_id");
// An article id as callers may pass it: 1-128 characters (its content is only ever a bound value).
void check_article_id(std::string_view article_id);

// A sampling temperature: 0 to 2 (NaN is not in range).
void check_temperature(double temperature, const std::string& field);

// An output budget per LLM call: 1 to max_output_tokens. The bound keeps the worst-case cost of a
// budget reservation inside Money (an absurd max_tokens is bad input, not an internal error);
// configuration's llm.max_tokens has the same range.
inline constexpr std::int64_t max_output_tokens = 10'000'000;
void check_max_tokens(std::int64_t max_tokens, const std::string& field);

// The canonical text of a JSON object (e.g. metadata): keys sorted bytewise at every level, no
// insignificant whitespace, numbers as Boost.JSON writes them. Every backend then returns the
// same bytes (PostgreSQL's JSONB reorders keys and respaces: its text is canonicalized again when
// read). Anything but an object, and strings or keys with control characters other than tab,
// LF and CR (a NUL PostgreSQL would refuse), are rejected naming `field`.
std::string canonical_json_object(std::string_view json, const std::string& field);
// The canonical text of a parsed value, by the same rules.
std::string canonical_json(const boost::json::value& value, const std::string& field);
// `object_json` (a canonical object) with `key` set to `value`, canonical again.
std::string json_object_with(std::string_view object_json, std::string_view key, std::int64_t value);

}  // namespace contentgen::internal
