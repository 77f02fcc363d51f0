#pragma once
// SHA-256 and HMAC-SHA256 (OpenSSL) with the hex form SigV4 wants. Internal to the S3 adapter.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "contentgen/bytes.hpp"

namespace contentgen::s3 {

using Digest = std::array<unsigned char, 32>;

Digest sha256(ByteView data);
Digest hmac_sha256(ByteView key, std::string_view data);
// Lower-case hex, as in x-amz-content-sha256 and the Signature field.
std::string to_hex(const Digest& digest);
inline std::string sha256_hex(ByteView data) { return to_hex(sha256(data)); }
inline std::string sha256_hex(std::string_view text) { return to_hex(sha256(as_bytes(text))); }

inline ByteView digest_bytes(const Digest& digest) noexcept {
  return {reinterpret_cast<const std::byte*>(digest.data()), digest.size()};
}

}  // namespace contentgen::s3
