// images section -> ImageStore (filesystem or S3) when the adapter is built.
#include "config/not_built.hpp"
#include "contentgen/config.hpp"

#if defined(CONTENTGEN_CONFIG_HAVE_FILESYSTEM_STORE)
#include "contentgen/adapters/filesystem_store.hpp"
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_S3_STORE)
#include "contentgen/adapters/s3_store.hpp"
#endif

namespace contentgen {

std::shared_ptr<ImageStore> open_image_store(const ImagesConfig& config, const LogHandler& log) {
  if (config.kind == "none") return nullptr;
  if (config.kind == "filesystem") {
#if defined(CONTENTGEN_CONFIG_HAVE_FILESYSTEM_STORE)
    FilesystemStoreOptions options;
    options.root = config.root;
    options.public_base_url = config.public_base_url;
    options.fsync = config.fsync;
    return make_filesystem_store(std::move(options));
#else
    configdetail::throw_not_built("images.kind", "filesystem", "filesystem image store");
#endif
  }
  if (config.kind == "s3") {
#if defined(CONTENTGEN_CONFIG_HAVE_S3_STORE)
    S3StoreOptions options;
    options.endpoint = config.endpoint;
    options.bucket = config.bucket;
    options.region = config.region;
    options.access_key_id = config.access_key;
    options.secret_access_key = config.secret_key;
    options.session_token = config.session_token;
    options.addressing = config.path_style ? S3Addressing::path_style : S3Addressing::automatic;
    options.public_base_url = config.public_base_url;
    options.bucket_check = config.bucket_check == "create"  ? S3BucketCheck::create
                           : config.bucket_check == "check" ? S3BucketCheck::check
                                                            : S3BucketCheck::none;
    options.ca_file = config.ca_file;
    options.insecure_skip_verify = config.insecure_skip_verify;
    options.retry.max_attempts = config.max_retries + 1;
    options.connect_timeout = configdetail::millis(config.connect_timeout_s);
    options.request_timeout = configdetail::millis(config.timeout_s);
    options.max_connections = config.max_connections;
    options.log = log;
    try {
      return make_s3_store(std::move(options));
    } catch (Error& e) {
      configdetail::rename_field(e, "s3.", "images.");
      throw;
    }
#else
    configdetail::throw_not_built("images.kind", "s3", "S3 image store");
#endif
  }
  throw Error::invalid_argument("images.kind", "must be \"filesystem\", \"s3\" or \"none\"");
}

}  // namespace contentgen
