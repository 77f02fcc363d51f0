// ContentGenerator over the REAL image stores (filesystem, and S3 against moto): the object store
// and the repository stay consistent when either side fails, and GeneratorOptions::export_html
// writes workspaces/{ws}/articles/{id}.html to the store (on generate and on content updates).
// The repository is the core's MemoryArticleRepository, whose fault injection fails the row insert.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>

#include "contentgen/adapters/filesystem_store.hpp"
#include "contentgen/adapters/s3_store.hpp"
#include "contentgen/error.hpp"
#include "contentgen/generator.hpp"
#include "contentgen/testing/memory_article_repository.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"
#include "support/services.hpp"
#include "support/temp_dir.hpp"

namespace contentgen {
namespace {

namespace fs = std::filesystem;
using Repo = fakes::MemoryArticleRepository;

// A 1x1 PNG header: enough for the generator's sniffer (signature + IHDR).
Bytes tiny_png() {
  const unsigned char bytes[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
                                 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
  return Bytes(reinterpret_cast<const std::byte*>(bytes), reinterpret_cast<const std::byte*>(bytes) + sizeof bytes);
}

// Forwards to a real store and remembers the keys it was asked to put (to look for them later).
class KeyRecordingStore final : public ImageStore {
 public:
  explicit KeyRecordingStore(std::shared_ptr<ImageStore> inner) : inner_(std::move(inner)) {}
  StoredObject put(std::string_view key, ByteView bytes, std::string_view type) override {
    {
      std::lock_guard lock(mutex_);
      keys_.emplace_back(key);
    }
    return inner_->put(key, bytes, type);
  }
  Bytes get(std::string_view key) override { return inner_->get(key); }
  void remove(std::string_view key) override { inner_->remove(key); }
  std::string url_for(std::string_view key) const override { return inner_->url_for(key); }
  std::vector<std::string> keys() const {
    std::lock_guard lock(mutex_);
    return keys_;
  }

 private:
  std::shared_ptr<ImageStore> inner_;
  mutable std::mutex mutex_;
  std::vector<std::string> keys_;
};

struct TempDir : testsupport::TempDir {
  TempDir() : testsupport::TempDir("contentgen-gen-stores") {}
};

struct Rig {
  std::shared_ptr<fakes::ScriptedLlmProvider> llm = std::make_shared<fakes::ScriptedLlmProvider>();
  std::shared_ptr<Repo> repo = std::make_shared<Repo>();
  std::shared_ptr<KeyRecordingStore> store;
  std::unique_ptr<ContentGenerator> generator;

  Rig(std::shared_ptr<ImageStore> images, bool export_html, std::shared_ptr<Repo> shared_repo = nullptr) {
    if (shared_repo) repo = std::move(shared_repo);
    store = std::make_shared<KeyRecordingStore>(std::move(images));
    GeneratorOptions options;
    options.export_html = export_html;
    generator = std::make_unique<ContentGenerator>(Ports{llm, repo, store, nullptr},
                                                   std::make_shared<const PriceTable>(PriceTable::builtin()), options);
  }

  Article generate(const std::string& workspace, const std::string& markdown) {
    llm->reply(markdown);
    ContentPlan plan;
    plan.workspace_id = workspace;
    plan.title = "Stores and consistency";
    plan.estimated_word_count = 300;
    return generator->generate(plan);
  }
};

ImageUpload upload_of(const Bytes& bytes) {
  ImageUpload upload;
  upload.bytes = bytes;
  upload.filename = "pixel.png";
  upload.alt_text = "a pixel";
  return upload;
}

std::vector<fs::path> files_under(const fs::path& root) {
  std::vector<fs::path> files;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

std::string text_of(const Bytes& bytes) { return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()); }

// ---------------------------------------------------------------------------------------------
// Filesystem store.

TEST(GeneratorWithFilesystemStore, FailingRowInsertLeavesNoObject) {
  TempDir dir;
  Rig rig(make_filesystem_store({dir.path(), "", true}), false);
  const Article article = rig.generate("ws-fs", "# Hello\n\nBody text.");
  const Bytes png = tiny_png();

  rig.repo->faults().fail_next(Repo::Op::add_image, Error(ErrorCode::storage, "row insert failed"));
  try {
    rig.generator->upload_image("ws-fs", article.id, upload_of(png));
    FAIL() << "expected the row insert to fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::storage);
  }
  ASSERT_EQ(rig.store->keys().size(), 1u) << "the object was put first";
  EXPECT_FALSE(fs::exists(dir.path() / rig.store->keys()[0])) << "and removed when the row failed";
  EXPECT_TRUE(files_under(dir.path()).empty());
  EXPECT_TRUE(rig.generator->get("ws-fs", article.id).images.empty());

  // Without the fault the same upload lands on disk and in the repository.
  const ArticleImage image = rig.generator->upload_image("ws-fs", article.id, upload_of(png));
  EXPECT_TRUE(fs::exists(dir.path() / image.storage_key));
  EXPECT_EQ(image.url, "file://" + (dir.path() / image.storage_key).string());
  EXPECT_EQ(rig.generator->get("ws-fs", article.id).images.size(), 1u);
  rig.generator->delete_image("ws-fs", article.id, image.id);
  EXPECT_FALSE(fs::exists(dir.path() / image.storage_key));
}

TEST(GeneratorWithFilesystemStore, FailingStoreLeavesNoRow) {
  TempDir dir;
  Rig rig(make_filesystem_store({dir.path(), "", true}), false);
  const Article article = rig.generate("ws-fs", "# Hello\n\nBody text.");
  // A real filesystem failure: the article's image directory cannot be created because a file
  // is in its way (ENOTDIR).
  fs::create_directories(dir.path() / "workspaces/ws-fs/articles");
  std::ofstream(dir.path() / "workspaces/ws-fs/articles" / article.id) << "in the way";
  try {
    rig.generator->upload_image("ws-fs", article.id, upload_of(tiny_png()));
    FAIL() << "expected the store to fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::storage) << e.what();
  }
  EXPECT_EQ(rig.repo->faults().calls(Repo::Op::add_image), 0) << "no row is written for a failed object";
  EXPECT_TRUE(rig.generator->get("ws-fs", article.id).images.empty());
}

TEST(GeneratorWithFilesystemStore, ExportHtmlWritesTheArticleDocument) {
  TempDir dir;
  auto store = make_filesystem_store({dir.path(), "https://static.example.com/content", true});
  const fs::path root = store->root();
  Rig rig(std::move(store), true);
  const Article article = rig.generate("ws-html", "# Export me\n\nFirst *version*.");
  const std::string key = "workspaces/ws-html/articles/" + article.id + ".html";
  EXPECT_EQ(article.html_url, "https://static.example.com/content/" + key);
  ASSERT_TRUE(fs::exists(root / key));
  std::string document = text_of(rig.store->get(key));
  EXPECT_NE(document.find(article.content_html), std::string::npos) << document;
  EXPECT_NE(document.find("<em>version</em>"), std::string::npos);

  ArticleUpdate change;
  change.content = "# Export me\n\nSecond **version**.";
  const Article updated = rig.generator->update("ws-html", article.id, change, article.version);
  document = text_of(rig.store->get(key));
  EXPECT_NE(document.find("<strong>version</strong>"), std::string::npos) << document;
  EXPECT_NE(document.find(updated.content_html), std::string::npos);

  rig.generator->remove("ws-html", article.id);
  EXPECT_FALSE(fs::exists(root / key));
}

TEST(GeneratorWithFilesystemStore, FailedArticleInsertLeavesNoExportedHtml) {
  TempDir dir;
  Rig rig(make_filesystem_store({dir.path(), "", true}), true);
  rig.repo->faults().fail_next(Repo::Op::create, Error(ErrorCode::storage, "insert failed"));
  EXPECT_THROW(rig.generate("ws-html", "# Lost\n\nNever saved."), Error);
  ASSERT_EQ(rig.store->keys().size(), 1u);
  EXPECT_FALSE(fs::exists(dir.path() / rig.store->keys()[0]));
  EXPECT_EQ(rig.repo->article_count(), 0u);
}

// ---------------------------------------------------------------------------------------------
// S3 store against moto (SigV4 verified).

S3StoreOptions moto_options(const std::string& endpoint) {
  S3StoreOptions options;
  options.endpoint = endpoint;
  options.bucket = std::getenv("CONTENTGEN_TEST_MOTO_BUCKET");
  options.region = std::getenv("CONTENTGEN_TEST_MOTO_REGION");
  options.access_key_id = std::getenv("CONTENTGEN_TEST_MOTO_ACCESS_KEY_ID");
  options.secret_access_key = std::getenv("CONTENTGEN_TEST_MOTO_SECRET_ACCESS_KEY");
  options.addressing = S3Addressing::path_style;
  options.retry.initial_backoff = std::chrono::milliseconds(10);
  options.retry.max_backoff = std::chrono::milliseconds(50);
  return options;
}

std::string unique_workspace(const char* name) { return std::string(name) + "-" + std::to_string(std::random_device{}()); }

TEST(GeneratorWithS3Store, FailingRowInsertLeavesNoObject) {
  CONTENTGEN_REQUIRE_SERVICE(endpoint, "CONTENTGEN_TEST_MOTO_ENDPOINT");
  auto s3 = std::shared_ptr<S3ImageStore>(make_s3_store(moto_options(endpoint)));
  Rig rig(s3, false);
  const std::string ws = unique_workspace("ws-s3");
  const Article article = rig.generate(ws, "# Hello\n\nBody text.");

  rig.repo->faults().fail_next(Repo::Op::add_image, Error(ErrorCode::storage, "row insert failed"));
  EXPECT_THROW(rig.generator->upload_image(ws, article.id, upload_of(tiny_png())), Error);
  ASSERT_EQ(rig.store->keys().size(), 1u);
  EXPECT_FALSE(s3->head(rig.store->keys()[0]).has_value()) << "the object was deleted again";
  EXPECT_TRUE(rig.generator->get(ws, article.id).images.empty());

  const ArticleImage image = rig.generator->upload_image(ws, article.id, upload_of(tiny_png()));
  EXPECT_EQ(s3->get(image.storage_key), tiny_png());
  EXPECT_EQ(image.url, s3->url_for(image.storage_key));
}

TEST(GeneratorWithS3Store, FailingStoreLeavesNoRow) {
  CONTENTGEN_REQUIRE_SERVICE(endpoint, "CONTENTGEN_TEST_MOTO_ENDPOINT");
  const std::string ws = unique_workspace("ws-s3");
  Rig good(std::shared_ptr<ImageStore>(make_s3_store(moto_options(endpoint))), false);
  const Article article = good.generate(ws, "# Hello\n\nBody text.");

  S3StoreOptions wrong = moto_options(endpoint);
  wrong.secret_access_key += "-wrong";
  Rig bad(std::shared_ptr<ImageStore>(make_s3_store(wrong)), false, good.repo);
  try {
    bad.generator->upload_image(ws, article.id, upload_of(tiny_png()));
    FAIL() << "expected the store to refuse the upload";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unauthorized) << e.what();
    EXPECT_EQ(e.details().provider_code, "SignatureDoesNotMatch");
  }
  EXPECT_EQ(good.repo->faults().calls(Repo::Op::add_image), 0);
  EXPECT_TRUE(good.generator->get(ws, article.id).images.empty());
}

TEST(GeneratorWithS3Store, ExportHtmlWritesTheArticleDocument) {
  CONTENTGEN_REQUIRE_SERVICE(endpoint, "CONTENTGEN_TEST_MOTO_ENDPOINT");
  auto s3 = std::shared_ptr<S3ImageStore>(make_s3_store(moto_options(endpoint)));
  Rig rig(s3, true);
  const std::string ws = unique_workspace("ws-s3-html");
  const Article article = rig.generate(ws, "# Export me\n\nFirst *version*.");
  const std::string key = "workspaces/" + ws + "/articles/" + article.id + ".html";
  EXPECT_EQ(article.html_url, s3->url_for(key));
  const auto info = s3->head(key);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->content_type, "text/html; charset=utf-8");
  EXPECT_NE(text_of(s3->get(key)).find(article.content_html), std::string::npos);

  ArticleUpdate change;
  change.content = "# Export me\n\nSecond **version**.";
  rig.generator->update(ws, article.id, change, article.version);
  EXPECT_NE(text_of(s3->get(key)).find("<strong>version</strong>"), std::string::npos);
  rig.generator->remove(ws, article.id);
  EXPECT_FALSE(s3->head(key).has_value());
}

}  // namespace
}  // namespace contentgen
