#include "core/text/sha256.hpp"

#include <openssl/evp.h>

#include "contentgen/error.hpp"

namespace contentgen::internal {

std::string to_hex(ByteView bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::byte b : bytes) {
    const auto value = std::to_integer<unsigned>(b);
    out += hex[value >> 4];
    out += hex[value & 0x0F];
  }
  return out;
}

std::string sha256_hex(ByteView bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw Error(ErrorCode::internal, "OpenSSL SHA-256 failed");
  return to_hex(ByteView(reinterpret_cast<const std::byte*>(digest), length));
}

}  // namespace contentgen::internal
