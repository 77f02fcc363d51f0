#pragma once
// The opaque keyset cursor of ArticleRepository::list (internal; shared by every repository).
//
// A page is ordered by (created_at desc, id desc); the cursor names the last row of the previous
// page, and the next page starts strictly after it. Encoded as base64url (no padding) of
// "k1|<microseconds since the Unix epoch>|<id>", so callers cannot mistake it for anything they
// should build themselves. Decoding is strict: anything that encode_cursor() did not produce is
// Error{invalid_argument, field "cursor"}.
#include <string>
#include <string_view>

#include "contentgen/time.hpp"

namespace contentgen::internal {

struct KeysetCursor {
  Timestamp created_at{};
  std::string id;
  friend bool operator==(const KeysetCursor&, const KeysetCursor&) = default;
};

std::string encode_cursor(const KeysetCursor& cursor);
KeysetCursor decode_cursor(std::string_view text);

// Whether a row keyed (created_at, id) comes after `cursor` in (created_at desc, id desc) order,
// i.e. belongs on a page that starts at `cursor`.
inline bool is_after_cursor(Timestamp created_at, std::string_view id, const KeysetCursor& cursor) noexcept {
  return created_at < cursor.created_at || (created_at == cursor.created_at && id < cursor.id);
}

}  // namespace contentgen::internal
