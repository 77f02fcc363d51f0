#pragma once
// SHA-256 through OpenSSL's EVP interface, and lower-case hex (internal).
#include <string>

#include "contentgen/bytes.hpp"

namespace contentgen::internal {

// Lower-case hex of `bytes` (digests, signatures).
std::string to_hex(ByteView bytes);

// Lower-case hex digest.
std::string sha256_hex(ByteView bytes);

}  // namespace contentgen::internal
