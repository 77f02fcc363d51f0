// images.kind "filesystem" (registered in this folder's CMakeLists.txt).
#include "contentgen/adapters/filesystem_store.hpp"
#include "contentgen/config.hpp"

namespace contentgen::configdetail {

std::shared_ptr<ImageStore> open_filesystem_images(const ImagesConfig& config, const LogHandler&) {
  FilesystemStoreOptions options;
  options.root = config.root;
  options.public_base_url = config.public_base_url;
  options.fsync = config.fsync;
  return make_filesystem_store(std::move(options));
}

}  // namespace contentgen::configdetail
