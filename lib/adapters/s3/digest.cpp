#include "adapters/s3/digest.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "contentgen/error.hpp"

namespace contentgen::s3 {

Digest sha256(ByteView data) {
  Digest out{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != out.size()) {
    throw Error(ErrorCode::internal, "SHA-256 failed (OpenSSL)");
  }
  return out;
}

Digest hmac_sha256(ByteView key, std::string_view data) {
  Digest out{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &length) == nullptr ||
      length != out.size()) {
    throw Error(ErrorCode::internal, "HMAC-SHA256 failed (OpenSSL)");
  }
  return out;
}

std::string to_hex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (const unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

}  // namespace contentgen::s3
