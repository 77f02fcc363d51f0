#include "contentgen/adapters/s3_store.hpp"

#include "adapters/s3/s3_client.hpp"
#include "net/http_client.hpp"
#include "net/transport_access.hpp"

namespace contentgen {

struct S3ImageStore::Impl {
  // The transport outlives the client that sends through it (declaration order = construction).
  std::shared_ptr<net::HttpClient> http;
  std::unique_ptr<s3::S3Client> client;
};

S3ImageStore::S3ImageStore(S3StoreOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->http = std::make_shared<net::HttpClient>(net::client_options(options.http));
  s3::ClientHooks hooks;
  hooks.transport = [http = impl_->http](net::HttpRequest request, const net::RequestOptions& request_options) {
    return http->send(std::move(request), request_options);
  };
  const S3BucketCheck check = options.bucket_check;
  impl_->client = std::make_unique<s3::S3Client>(std::move(options), std::move(hooks));
  impl_->client->ensure_bucket(check);
}

S3ImageStore::~S3ImageStore() = default;

StoredObject S3ImageStore::put(std::string_view key, ByteView bytes, std::string_view content_type) {
  return impl_->client->put(key, bytes, content_type);
}

Bytes S3ImageStore::get(std::string_view key) { return impl_->client->get(key); }

void S3ImageStore::remove(std::string_view key) { impl_->client->remove(key); }

std::string S3ImageStore::url_for(std::string_view key) const { return impl_->client->url_for(key); }

void S3ImageStore::ping() { impl_->client->head_bucket(); }

std::optional<S3ObjectInfo> S3ImageStore::head(std::string_view key) { return impl_->client->head(key); }

std::string S3ImageStore::presigned_get_url(std::string_view key) const {
  return impl_->client->presigned_get_url(key, impl_->client->options().presign_expiry);
}

std::string S3ImageStore::presigned_get_url(std::string_view key, std::chrono::seconds expires) const {
  return impl_->client->presigned_get_url(key, expires);
}

std::unique_ptr<S3ImageStore> make_s3_store(S3StoreOptions options) {
  return std::make_unique<S3ImageStore>(std::move(options));
}

}  // namespace contentgen
