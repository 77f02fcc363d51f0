#pragma once
// Validation of caller-supplied JSON before it reaches the database (internal), so a bad value is
// Error{invalid_argument} naming the field on every backend, not a backend-specific SQL error.
#include <string_view>

namespace contentgen::soci_adapter {

// Throws Error{invalid_argument, field} unless `text` is one JSON object.
void require_json_object(std::string_view text, std::string_view field);

}  // namespace contentgen::soci_adapter
