#pragma once
// FilesystemImageStore: the embedded default ImageStore. Objects are files under one root
// directory, at the path named by their key ("workspaces/w1/articles/a1/images/i1.png").
//
// Durability and atomicity: put() writes a temporary file in the object's own directory, fsyncs
// it, renames it over the final name and fsyncs the directory (and any directory it created), so
// a reader -- or a crash at any moment -- sees either the old object or the complete new one,
// never a torn file. Temporary files are named ".contentgen-tmp-*"; keys may not use that prefix.
//
// Keys: 1..1024 bytes of UTF-8 without control characters, '/'-separated relative paths with no
// empty, "." or ".." segment, no backslash and segments of at most 255 bytes. Anything else is
// Error{invalid_argument, field "key"}; a key can never name a file outside the root. Directories
// are walked with O_NOFOLLOW, so a symbolic link planted inside the root is refused, not followed.
//
// URLs: "file:///abs/root/<encoded key>", or "<public_base_url>/<encoded key>" when the files are
// served by a web server. Keys are percent-encoded per segment (RFC 3986 unreserved kept).
//
// Errors: invalid_argument (key), not_found (get of a missing key), storage (any OS failure, with
// its reason). remove() of a missing key is not an error. Content types are not stored (the
// article_images row has them). Thread safety: all methods may be called concurrently, also from
// several processes on one root.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "contentgen/export.hpp"
#include "contentgen/ports/image_store.hpp"

namespace contentgen {

struct FilesystemStoreOptions {
  std::filesystem::path root;   // created with its parents when missing; made absolute
  // Empty: file:// URLs. Else e.g. "https://cdn.example.com/images" (a trailing '/' is ignored).
  std::string public_base_url;
  // false: skip fsync of files and directories (tests, throw-away data). Writes stay atomic
  // against concurrent readers, but a power loss may lose objects put() reported as stored.
  bool fsync = true;
};

class CONTENTGEN_API FilesystemImageStore final : public ImageStore {
 public:
  // Creates the root when missing. Throws Error{invalid_argument} (empty root) or Error{storage}.
  explicit FilesystemImageStore(FilesystemStoreOptions options);
  ~FilesystemImageStore() override;

  StoredObject put(std::string_view key, ByteView bytes, std::string_view content_type) override;
  Bytes get(std::string_view key) override;
  void remove(std::string_view key) override;
  std::string url_for(std::string_view key) const override;
  // Checks that the root is still a writable directory.
  void ping() override;

  // Absolute root directory, and the file a (valid) key maps to. path_for validates the key.
  const std::filesystem::path& root() const noexcept;
  std::filesystem::path path_for(std::string_view key) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

CONTENTGEN_API std::unique_ptr<FilesystemImageStore> make_filesystem_store(FilesystemStoreOptions options);

}  // namespace contentgen
