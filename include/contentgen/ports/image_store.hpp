#pragma once
// Port: an object store for images (and exported HTML). Adapters: filesystem (embedded default),
// S3-compatible (lib/adapters/), MemoryImageStore (testing/).
//
// Ownership: held as std::shared_ptr. Thread safety: all methods may be called concurrently.
// Keys are '/'-separated UTF-8 paths chosen by the library (see docs/adapters.md); a store may
// reject keys it cannot represent with Error{invalid_argument, field "key"}.
#include <cstdint>
#include <string>
#include <string_view>

#include "contentgen/bytes.hpp"
#include "contentgen/export.hpp"

namespace contentgen {

struct StoredObject {
  std::string key;
  std::string url;       // where a reader can fetch it (file://, https://, public base URL)
  std::string etag;      // store-specific version tag; may be empty
  std::int64_t size_bytes = 0;
};

class CONTENTGEN_API ImageStore {
 public:
  ImageStore() = default;
  ImageStore(const ImageStore&) = delete;
  ImageStore& operator=(const ImageStore&) = delete;
  virtual ~ImageStore();

  // Stores `bytes` under `key`, replacing any object there; durable when it returns.
  virtual StoredObject put(std::string_view key, ByteView bytes, std::string_view content_type) = 0;
  // The object's bytes; Error{not_found} when there is none.
  virtual Bytes get(std::string_view key) = 0;
  // Removes the object; removing a missing key is not an error.
  virtual void remove(std::string_view key) = 0;
  // The URL put() would report for `key` (no I/O).
  virtual std::string url_for(std::string_view key) const = 0;

  // Optional: checks the store is reachable (for health checks). Throws on failure.
  virtual void ping() {}
};

}  // namespace contentgen
