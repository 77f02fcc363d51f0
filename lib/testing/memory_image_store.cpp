#include "contentgen/testing/memory_image_store.hpp"

#include "contentgen/error.hpp"
#include "core/media/object_key.hpp"

namespace contentgen::fakes {
namespace {

// The rules every store applies (1-1024 bytes of UTF-8 without control characters), plus the
// filesystem and S3 stores' own: relative '/'-separated paths without empty, "." or ".." segments.
void check_key(std::string_view key) {
  store_keys::check_common_key_rules(key);
  std::size_t start = 0;
  while (start <= key.size()) {
    const auto slash = key.find('/', start);
    const auto segment = key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment.empty() || segment == "." || segment == "..")
      throw Error::invalid_argument("key", "object keys are relative paths without empty, '.' or '..' segments");
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
}

}  // namespace

MemoryImageStore::MemoryImageStore(std::string base_url) : base_url_(std::move(base_url)) {}

StoredObject MemoryImageStore::put(std::string_view key, ByteView bytes, std::string_view content_type) {
  faults_.on_call(Op::put);
  check_key(key);
  std::lock_guard lock(mutex_);
  auto& object = objects_[std::string(key)];
  object.bytes.assign(bytes.begin(), bytes.end());
  object.content_type = content_type;
  object.generation = ++generation_;
  return StoredObject{std::string(key), base_url_ + std::string(key), std::to_string(object.generation),
                      static_cast<std::int64_t>(bytes.size())};
}

Bytes MemoryImageStore::get(std::string_view key) {
  faults_.on_call(Op::get);
  std::lock_guard lock(mutex_);
  const auto it = objects_.find(key);
  if (it == objects_.end()) throw Error::not_found("object " + std::string(key));
  return it->second.bytes;
}

void MemoryImageStore::remove(std::string_view key) {
  faults_.on_call(Op::remove);
  std::lock_guard lock(mutex_);
  if (const auto it = objects_.find(key); it != objects_.end()) objects_.erase(it);
}

std::string MemoryImageStore::url_for(std::string_view key) const { return base_url_ + std::string(key); }

bool MemoryImageStore::contains(std::string_view key) const {
  std::lock_guard lock(mutex_);
  return objects_.find(key) != objects_.end();
}

std::optional<std::string> MemoryImageStore::content_type_of(std::string_view key) const {
  std::lock_guard lock(mutex_);
  const auto it = objects_.find(key);
  if (it == objects_.end()) return std::nullopt;
  return it->second.content_type;
}

std::vector<std::string> MemoryImageStore::keys() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  out.reserve(objects_.size());
  for (const auto& [key, object] : objects_) out.push_back(key);
  return out;
}

std::size_t MemoryImageStore::size() const {
  std::lock_guard lock(mutex_);
  return objects_.size();
}

}  // namespace contentgen::fakes
