#include "adapters/fs/filesystem_key.hpp"

#include "core/media/object_key.hpp"
#include "contentgen/error.hpp"

namespace contentgen::store_keys {

std::vector<std::string_view> filesystem_key_segments(std::string_view key) {
  check_common_key_rules(key);
  if (key.find('\\') != std::string_view::npos) {
    // A backslash is a separator on Windows and in many URL parsers ("..\..\etc").
    throw Error::invalid_argument("key", "must not contain a backslash");
  }
  if (key.front() == '/') throw Error::invalid_argument("key", "must be a relative path (no leading '/')");
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = key.find('/', start);
    const std::string_view segment = key.substr(start, slash == std::string_view::npos ? key.npos : slash - start);
    if (segment.empty()) throw Error::invalid_argument("key", "must not contain an empty segment ('//' or a trailing '/')");
    if (segment == "." || segment == "..") throw Error::invalid_argument("key", "must not contain a '.' or '..' segment");
    if (segment.size() > kMaxSegmentBytes) throw Error::invalid_argument("key", "has a segment longer than 255 bytes");
    if (segment.starts_with(kTempPrefix)) {
      throw Error::invalid_argument("key", "must not use the reserved prefix \".contentgen-tmp-\"");
    }
    segments.push_back(segment);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

}  // namespace contentgen::store_keys
