#include "adapters/s3/digest.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "contentgen/error.hpp"

namespace contentgen::s3 {

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

}  // namespace contentgen::s3
