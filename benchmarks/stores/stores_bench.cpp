// stores_bench: what signing costs per S3 request, and how fast 1 MB images go to the stores.
//   SigV4/*        header signing of a PUT (cached signing key, and with key derivation), presigning,
//                  and the SHA-256 of a 1 MB payload that x-amz-content-sha256 needs
//   S3Upload/*     S3ImageStore::put of 1 MB random images over loopback HTTP, 1 and 4 threads
//                  (moto verifies every signature in Python; s3rver is Node and checks none)
//   FsUpload       FilesystemImageStore::put of 1 MB (temp file + fsync + rename + dir fsync)
// The S3 rows need CONTENTGEN_TEST_MOTO_* / CONTENTGEN_TEST_S3RVER_* (run.sh starts both).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>

#include "core/text/sha256.hpp"
#include "adapters/s3/sigv4.hpp"
#include "contentgen/adapters/filesystem_store.hpp"
#include "contentgen/adapters/s3_store.hpp"

namespace {

using namespace contentgen;

const s3::Credentials kCredentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};

s3::RequestToSign put_request() {
  s3::RequestToSign request;
  request.method = "PUT";
  request.path = "/images/workspaces/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/articles/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c/"
                 "images/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d.png";
  request.headers = {{"host", "s3.eu-central-1.amazonaws.com"}, {"content-type", "image/png"}};
  request.payload_hash = internal::sha256_hex(as_bytes("not the real payload"));
  return request;
}

void SigV4_SignPut_CachedKey(benchmark::State& state) {
  const s3::Signer signer(kCredentials, "eu-central-1", "s3");
  const auto request = put_request();
  s3::SigningOptions options;
  options.add_content_sha256_header = true;
  const Timestamp now = now_utc();
  for (auto _ : state) benchmark::DoNotOptimize(signer.sign(request, now, options));
}
BENCHMARK(SigV4_SignPut_CachedKey);

void SigV4_SignPut_DerivingKey(benchmark::State& state) {
  const auto request = put_request();
  s3::SigningOptions options;
  options.add_content_sha256_header = true;
  const Timestamp now = now_utc();
  for (auto _ : state) {
    const s3::Signer signer(kCredentials, "eu-central-1", "s3");  // fresh: 4 extra HMACs for the key
    benchmark::DoNotOptimize(signer.sign(request, now, options));
  }
}
BENCHMARK(SigV4_SignPut_DerivingKey);

void SigV4_PresignGet(benchmark::State& state) {
  const s3::Signer signer(kCredentials, "eu-central-1", "s3");
  auto request = put_request();
  request.method = "GET";
  request.headers.resize(1);
  request.payload_hash = std::string(s3::kUnsignedPayload);
  const Timestamp now = now_utc();
  for (auto _ : state) benchmark::DoNotOptimize(signer.presign(request, now, std::chrono::seconds(3600)));
}
BENCHMARK(SigV4_PresignGet);

Bytes random_payload(std::size_t size, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  Bytes bytes(size);
  for (auto& b : bytes) b = static_cast<std::byte>(random() & 0xFF);
  return bytes;
}

void Sha256_PayloadHash(benchmark::State& state) {
  const Bytes payload = random_payload(static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) benchmark::DoNotOptimize(internal::sha256_hex(payload));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(Sha256_PayloadHash)->Arg(1 << 20);

// One store per server for the whole run (connections are pooled and kept alive).
std::shared_ptr<S3ImageStore> store_for(const std::string& prefix) {
  const char* endpoint = std::getenv((prefix + "_ENDPOINT").c_str());
  if (endpoint == nullptr) return nullptr;
  S3StoreOptions options;
  options.endpoint = endpoint;
  options.bucket = std::getenv((prefix + "_BUCKET").c_str());
  options.region = std::getenv((prefix + "_REGION").c_str());
  options.access_key_id = std::getenv((prefix + "_ACCESS_KEY_ID").c_str());
  options.secret_access_key = std::getenv((prefix + "_SECRET_ACCESS_KEY").c_str());
  options.addressing = S3Addressing::path_style;
  return std::shared_ptr<S3ImageStore>(make_s3_store(std::move(options)));
}

void upload_loop(benchmark::State& state, ImageStore& store, const std::string& run) {
  constexpr std::size_t kImageBytes = 1 << 20;
  static const Bytes payload = random_payload(kImageBytes, 7);
  static std::atomic<std::int64_t> counter{0};
  for (auto _ : state) {
    const std::string key = "bench/" + run + "/" + std::to_string(counter.fetch_add(1)) + ".png";
    benchmark::DoNotOptimize(store.put(key, payload, "image/png"));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kImageBytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void S3Upload_1MB(benchmark::State& state, const char* prefix) {
  static std::map<std::string, std::shared_ptr<S3ImageStore>> stores;
  static std::mutex mutex;
  std::shared_ptr<S3ImageStore> store;
  {
    std::lock_guard lock(mutex);
    auto& slot = stores[prefix];
    if (!slot) slot = store_for(prefix);
    store = slot;
  }
  if (!store) {
    state.SkipWithError((std::string(prefix) + "_ENDPOINT is not set (use benchmarks/stores/run.sh)").c_str());
    return;
  }
  upload_loop(state, *store, prefix);
}
BENCHMARK_CAPTURE(S3Upload_1MB, moto, "CONTENTGEN_TEST_MOTO")->Threads(1)->Threads(4)->UseRealTime()->MinTime(3);
BENCHMARK_CAPTURE(S3Upload_1MB, s3rver, "CONTENTGEN_TEST_S3RVER")->Threads(1)->Threads(4)->UseRealTime()->MinTime(3);

void FsUpload_1MB(benchmark::State& state) {
  static const std::filesystem::path root = std::filesystem::temp_directory_path() / "contentgen-stores-bench";
  static FilesystemImageStore store(FilesystemStoreOptions{root, "", true});
  upload_loop(state, store, "fs");
  if (state.thread_index() == 0) {
    std::error_code ignored;
    std::filesystem::remove_all(root / "bench", ignored);
  }
}
BENCHMARK(FsUpload_1MB)->Threads(1)->UseRealTime()->MinTime(2);

}  // namespace

BENCHMARK_MAIN();
