#pragma once
// SHA-256 through OpenSSL's EVP interface (internal).
#include <string>

#include "contentgen/bytes.hpp"

namespace contentgen::internal {

// Lower-case hex digest.
std::string sha256_hex(ByteView bytes);

}  // namespace contentgen::internal
