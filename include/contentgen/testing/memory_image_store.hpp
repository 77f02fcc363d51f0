#pragma once
// MemoryImageStore: an ImageStore that keeps objects in memory, for host applications' unit tests.
// Thread-safe. URLs are `<base_url><key>` (default base "memory://images/"); etags are the
// object's write generation ("1", "2", ...).
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contentgen/export.hpp"
#include "contentgen/ports/image_store.hpp"
#include "contentgen/testing/fault_injection.hpp"

namespace contentgen::fakes {

class CONTENTGEN_API MemoryImageStore : public ImageStore {
 public:
  enum class Op { put, get, remove };

  explicit MemoryImageStore(std::string base_url = "memory://images/");

  StoredObject put(std::string_view key, ByteView bytes, std::string_view content_type) override;
  Bytes get(std::string_view key) override;
  void remove(std::string_view key) override;
  std::string url_for(std::string_view key) const override;

  // Inspection for tests.
  bool contains(std::string_view key) const;
  std::optional<std::string> content_type_of(std::string_view key) const;
  std::vector<std::string> keys() const;  // sorted
  std::size_t size() const;

  FaultInjector<Op>& faults() noexcept { return faults_; }

 private:
  struct Object {
    Bytes bytes;
    std::string content_type;
    std::int64_t generation = 0;
  };
  std::string base_url_;
  mutable std::mutex mutex_;
  std::map<std::string, Object, std::less<>> objects_;
  std::int64_t generation_ = 0;
  FaultInjector<Op> faults_;
};

}  // namespace contentgen::fakes
