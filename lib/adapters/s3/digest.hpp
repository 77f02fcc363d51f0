#pragma once
// HMAC-SHA256 (OpenSSL) for the SigV4 key chain and signature. Internal to the S3 adapter; plain
// SHA-256 and hex come from core/sha256.hpp.
#include <array>
#include <string_view>

#include "contentgen/bytes.hpp"

namespace contentgen::s3 {

using Digest = std::array<unsigned char, 32>;

Digest hmac_sha256(ByteView key, std::string_view data);

inline ByteView digest_bytes(const Digest& digest) noexcept {
  return {reinterpret_cast<const std::byte*>(digest.data()), digest.size()};
}

}  // namespace contentgen::s3
