#pragma once
// Identifiers: UUIDs in canonical lower-case 8-4-4-4-12 form.
#include <functional>
#include <string>
#include <string_view>

#include "contentgen/export.hpp"
#include "contentgen/time.hpp"

namespace contentgen {

using IdGenerator = std::function<std::string()>;

// RFC 9562 UUIDv7: 48-bit Unix-millisecond timestamp + 74 random bits from a CSPRNG, so ids of
// the same workspace sort roughly by creation time. Thread-safe.
CONTENTGEN_API std::string new_uuid_v7();
CONTENTGEN_API std::string new_uuid_v7(Timestamp at);
// Whether `text` is a canonical UUID (any version).
CONTENTGEN_API bool is_uuid(std::string_view text) noexcept;

}  // namespace contentgen
