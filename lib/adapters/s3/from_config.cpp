// images.kind "s3" (registered in this folder's CMakeLists.txt): the images section -> S3StoreOptions.
#include "config/field_names.hpp"
#include "contentgen/adapters/s3_store.hpp"
#include "contentgen/config.hpp"

namespace contentgen::configdetail {

std::shared_ptr<ImageStore> open_s3_images(const ImagesConfig& config, const LogHandler& log) {
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
  options.http.ca_file = config.ca_file;
  options.http.insecure_skip_verify = config.insecure_skip_verify;
  options.http.connect_timeout = millis(config.connect_timeout_s);
  options.http.attempt_timeout = millis(config.timeout_s);
  options.http.max_connections_per_host = config.max_connections;
  options.http.log = log;
  options.retry.max_retries = config.max_retries;
  try {
    return make_s3_store(std::move(options));
  } catch (Error& e) {
    rename_field(e, "s3.", "images.");
    throw;
  }
}

}  // namespace contentgen::configdetail
