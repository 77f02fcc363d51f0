// ContentGenerator after generation: get / list / update / remove, images, and workspace scoping.
#include <boost/json.hpp>

#include "contentgen/error.hpp"
#include "core/text/sha256.hpp"
#include "unit/generator_fixture.hpp"
#include "unit/image_bytes.hpp"

namespace contentgen::testsupport {
namespace {

using fakes::MemoryArticleRepository;
using fakes::MemoryImageStore;
namespace img = testimages;

class ArticleManagementTest : public GeneratorTest {
 protected:
  Article generated(const std::string& plan_id = "plan-1") {
    llm->reply("# Original title\n\nOne two three.\n");
    return generator().generate(plan(plan_id));
  }
  ImageUpload upload(const Bytes& bytes, std::string filename = "cover.png", std::string declared = "image/png") {
    return ImageUpload{bytes, std::move(filename), std::move(declared), "Bìa"};
  }
  std::vector<Event> events_of(EventType type) {
    std::vector<Event> out;
    for (const auto& e : repo->outbox_events())
      if (e.type == type) out.push_back(e);
    return out;
  }
};

TEST_F(ArticleManagementTest, GetAndListThroughTheFacade) {
  const Article a = generated("a");
  now += std::chrono::seconds(1);
  const Article b = generated("b");
  EXPECT_EQ(generator().get("acme", a.id), a);
  ListQuery query;
  query.limit = 1;
  const auto page = generator().list("acme", query);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, b.id);  // newest first
  query.cursor = page.next_cursor;
  EXPECT_EQ(generator().list("acme", query).items.at(0).id, a.id);
  expect_error([&] { generator().list("acme/..", {}); }, ErrorCode::invalid_argument, "workspace_id");
}

TEST_F(ArticleManagementTest, UpdateRecomputesDerivedFieldsAndEmitsAnEvent) {
  const Article original = generated();
  now += std::chrono::minutes(5);
  ArticleUpdate changes;
  changes.content = "# Ignored heading\n\nBốn năm sáu bảy tám.\n";
  changes.title = "Grüße aus Köln";
  changes.status = ArticleStatus::published;
  changes.metadata_json = R"({"reviewed": true})";
  const Article updated = generator().update("acme", original.id, changes, 1);

  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.title, "Grüße aus Köln");
  EXPECT_EQ(updated.slug, "grusse-aus-koln");
  EXPECT_EQ(updated.word_count, 2 + 5);
  EXPECT_NE(updated.content_html.find("Bốn năm sáu"), std::string::npos);
  EXPECT_EQ(updated.status, ArticleStatus::published);
  EXPECT_EQ(updated.updated_at, now);
  EXPECT_EQ(updated.created_at, original.created_at);
  EXPECT_EQ(generator().get("acme", original.id), updated);

  const auto events = events_of(EventType::article_updated);
  ASSERT_EQ(events.size(), 1u);
  const auto data = boost::json::parse(events[0].data_json).as_object();
  EXPECT_EQ(data.at("version").as_int64(), 2);
  EXPECT_EQ(data.at("status").as_string(), "published");
}

TEST_F(ArticleManagementTest, UpdatingOnlyTheStatusKeepsTheRest) {
  const Article original = generated();
  ArticleUpdate changes;
  changes.status = ArticleStatus::archived;
  const Article updated = generator().update("acme", original.id, changes, 1);
  EXPECT_EQ(updated.title, original.title);
  EXPECT_EQ(updated.slug, original.slug);
  EXPECT_EQ(updated.content_html, original.content_html);
  EXPECT_EQ(updated.word_count, original.word_count);
}

TEST_F(ArticleManagementTest, UpdateChecksTheExpectedVersion) {
  const Article original = generated();
  ArticleUpdate changes;
  changes.title = "First";
  generator().update("acme", original.id, changes, 1);
  changes.title = "Lost update";
  expect_error([&] { generator().update("acme", original.id, changes, 1); }, ErrorCode::conflict);
  EXPECT_EQ(generator().get("acme", original.id).title, "First");
}

TEST_F(ArticleManagementTest, UpdateValidatesItsChanges) {
  const Article original = generated();
  ArticleUpdate changes;
  changes.metadata_json = "\"not an object\"";
  expect_error([&] { generator().update("acme", original.id, changes, 1); }, ErrorCode::invalid_argument,
               "changes.metadata_json");
  changes = {};
  changes.title = "";
  expect_error([&] { generator().update("acme", original.id, changes, 1); }, ErrorCode::invalid_argument, "changes.title");
  changes = {};
  changes.content = "bad \xFF utf-8";
  expect_error([&] { generator().update("acme", original.id, changes, 1); }, ErrorCode::invalid_argument,
               "changes.content");
}

TEST_F(ArticleManagementTest, UpdateReexportsTheHtml) {
  GeneratorOptions o = options();
  o.export_html = true;
  generator_ = make(o);
  const Article original = generated();
  ArticleUpdate changes;
  changes.content = "# New\n\nFresh words.";
  generator().update("acme", original.id, changes, 1);
  const std::string document(as_chars(store->get("workspaces/acme/articles/" + original.id + ".html")));
  EXPECT_NE(document.find("Fresh words."), std::string::npos);
}

TEST_F(ArticleManagementTest, AFailedUpdateRestoresTheExportedHtml) {
  // The export is written before the row; when the row update then fails, the previous document
  // is written back, so store and database still agree.
  GeneratorOptions o = options();
  o.export_html = true;
  generator_ = make(o);
  const Article original = generated();
  const std::string key = "workspaces/acme/articles/" + original.id + ".html";
  const std::string before(as_chars(store->get(key)));
  repo->faults().fail_next(MemoryArticleRepository::Op::update, Error(ErrorCode::storage, "disk full"));
  ArticleUpdate changes;
  changes.content = "# New\n\nFresh words.";
  expect_error([&] { generator().update("acme", original.id, changes, 1); }, ErrorCode::storage);
  EXPECT_EQ(std::string(as_chars(store->get(key))), before);
  EXPECT_EQ(repo->get("acme", original.id)->version, 1);
  EXPECT_TRUE(events_of(EventType::article_updated).empty());

  // A failed export leaves the row as it was.
  store->faults().fail_next(MemoryImageStore::Op::put, Error(ErrorCode::unavailable, "store down"));
  expect_error([&] { generator().update("acme", original.id, changes, 1); }, ErrorCode::unavailable);
  EXPECT_EQ(repo->get("acme", original.id)->content, original.content);
}

TEST_F(ArticleManagementTest, RemoveDeletesObjectsThenRowsAndEmitsAnEvent) {
  GeneratorOptions o = options();
  o.export_html = true;
  generator_ = make(o);
  const Article article = generated();
  generator().upload_image("acme", article.id, upload(img::png(4, 4)));
  ASSERT_EQ(store->size(), 2u);  // the image and the exported HTML
  generator().remove("acme", article.id);
  EXPECT_EQ(store->size(), 0u);
  EXPECT_FALSE(repo->get("acme", article.id).has_value());
  ASSERT_EQ(events_of(EventType::article_deleted).size(), 1u);
  EXPECT_EQ(events_of(EventType::article_deleted)[0].subject, article.id);
  expect_error([&] { generator().remove("acme", article.id); }, ErrorCode::not_found);
}

TEST_F(ArticleManagementTest, RemoveKeepsTheRowWhenAnObjectCannotBeDeleted) {
  const Article article = generated();
  generator().upload_image("acme", article.id, upload(img::png(4, 4)));
  store->faults().fail_next(MemoryImageStore::Op::remove, Error(ErrorCode::unavailable, "store down"));
  expect_error([&] { generator().remove("acme", article.id); }, ErrorCode::unavailable);
  EXPECT_TRUE(repo->get("acme", article.id).has_value()) << "rows stay until every object is gone";
  generator().remove("acme", article.id);  // a retry finishes the job
  EXPECT_EQ(store->size(), 0u);
}

TEST_F(ArticleManagementTest, UploadImageStoresSniffedTypeDimensionsAndHash) {
  const Article article = generated();
  const Bytes bytes = img::jpeg(40, 30);
  const ArticleImage image = generator().upload_image("acme", article.id, upload(bytes, "ảnh bìa.JPEG", "image/jpeg"));

  EXPECT_EQ(image.storage_key, "workspaces/acme/articles/" + article.id + "/images/" + image.id + ".jpg");
  EXPECT_EQ(image.url, "memory://images/" + image.storage_key);
  EXPECT_EQ(image.content_type, "image/jpeg");
  EXPECT_EQ(image.width, 40);
  EXPECT_EQ(image.height, 30);
  EXPECT_EQ(image.size_bytes, static_cast<std::int64_t>(bytes.size()));
  EXPECT_EQ(image.sha256, internal::sha256_hex(bytes));
  EXPECT_EQ(image.original_filename, "ảnh bìa.JPEG");
  EXPECT_EQ(image.alt_text, "Bìa");
  EXPECT_EQ(store->get(image.storage_key), bytes);
  EXPECT_EQ(store->content_type_of(image.storage_key), "image/jpeg");
  EXPECT_EQ(generator().get("acme", article.id).images, std::vector<ArticleImage>{image});

  const auto events = events_of(EventType::image_uploaded);
  ASSERT_EQ(events.size(), 1u);
  const auto data = boost::json::parse(events[0].data_json).as_object();
  EXPECT_EQ(data.at("image_id").as_string(), image.id);
  EXPECT_EQ(data.at("sha256").as_string(), image.sha256);
}

TEST_F(ArticleManagementTest, UploadRejectsOversizedImagesBeforeReadingThem) {
  GeneratorOptions o = options();
  o.max_image_bytes = 100;
  generator_ = make(o);
  const Article article = generated();
  expect_error([&] { generator().upload_image("acme", article.id, upload(img::png(20, 20))); },
               ErrorCode::invalid_argument, "image");
  EXPECT_EQ(store->faults().calls(MemoryImageStore::Op::put), 0);
  EXPECT_NO_THROW(generator().upload_image("acme", article.id, upload(img::png(1, 1))));  // 72 bytes
}

TEST_F(ArticleManagementTest, UploadRejectsImagesDeclaringTooManyPixels) {
  GeneratorOptions o = options();
  o.max_image_pixels = 100;
  generator_ = make(o);
  const Article other = generated();
  expect_error([&] { generator().upload_image("acme", other.id, upload(img::png(11, 10))); },
               ErrorCode::invalid_argument, "image.pixels");
  expect_error([&] { generator().upload_image("acme", other.id, upload(img::jpeg(10, 11))); },
               ErrorCode::invalid_argument, "image.pixels");
  EXPECT_EQ(store->faults().calls(MemoryImageStore::Op::put), 0);
  EXPECT_EQ(generator().upload_image("acme", other.id, upload(img::png(10, 10))).width, 10);
}

TEST_F(ArticleManagementTest, UploadRejectsForgedAndMislabelledImages) {
  const Article article = generated();
  expect_error([&] { generator().upload_image("acme", article.id, upload(img::bytes_of("<?php system($_GET[0]);"))); },
               ErrorCode::invalid_argument, "image");
  expect_error([&] { generator().upload_image("acme", article.id, upload(img::gif(2, 2), "x.png", "")); },
               ErrorCode::invalid_argument, "filename");
  expect_error([&] { generator().upload_image("acme", article.id, upload(img::gif(2, 2), "x", "image/png")); },
               ErrorCode::invalid_argument, "declared_content_type");
  EXPECT_EQ(store->size(), 0u);
}

TEST_F(ArticleManagementTest, StoreFailureLeavesNoRow) {
  const Article article = generated();
  store->faults().fail_next(MemoryImageStore::Op::put, Error(ErrorCode::storage, "bucket full"));
  expect_error([&] { generator().upload_image("acme", article.id, upload(img::png(2, 2))); }, ErrorCode::storage);
  EXPECT_TRUE(generator().get("acme", article.id).images.empty());
  EXPECT_TRUE(events_of(EventType::image_uploaded).empty());
}

TEST_F(ArticleManagementTest, RowFailureDeletesTheObjectJustPut) {
  const Article article = generated();
  repo->faults().fail_next(MemoryArticleRepository::Op::add_image, Error(ErrorCode::storage, "db down"));
  expect_error([&] { generator().upload_image("acme", article.id, upload(img::webp_lossless(8, 8), "a.webp", "image/webp")); },
               ErrorCode::storage);
  EXPECT_EQ(store->faults().calls(MemoryImageStore::Op::put), 1);
  EXPECT_EQ(store->size(), 0u) << "the object was deleted again";
}

TEST_F(ArticleManagementTest, UploadToAMissingArticlePutsNothing) {
  expect_error([&] { generator().upload_image("acme", new_uuid_v7(), upload(img::png(2, 2))); }, ErrorCode::not_found);
  EXPECT_EQ(store->faults().calls(MemoryImageStore::Op::put), 0);
}

TEST_F(ArticleManagementTest, DeleteImageRemovesObjectRowAndEmitsAnEvent) {
  const Article article = generated();
  const ArticleImage image = generator().upload_image("acme", article.id, upload(img::png(2, 2)));
  generator().delete_image("acme", article.id, image.id);
  EXPECT_FALSE(store->contains(image.storage_key));
  EXPECT_TRUE(generator().get("acme", article.id).images.empty());
  EXPECT_EQ(events_of(EventType::image_deleted).size(), 1u);
  expect_error([&] { generator().delete_image("acme", article.id, image.id); }, ErrorCode::not_found);
}

TEST_F(ArticleManagementTest, AnotherWorkspaceSeesNothing) {
  const Article article = generated();
  const ArticleImage image = generator().upload_image("acme", article.id, upload(img::png(2, 2)));
  ArticleUpdate changes;
  changes.title = "hijack";
  expect_error([&] { generator().get("globex", article.id); }, ErrorCode::not_found);
  expect_error([&] { generator().update("globex", article.id, changes, 1); }, ErrorCode::not_found);
  expect_error([&] { generator().remove("globex", article.id); }, ErrorCode::not_found);
  expect_error([&] { generator().upload_image("globex", article.id, upload(img::png(2, 2))); }, ErrorCode::not_found);
  expect_error([&] { generator().delete_image("globex", article.id, image.id); }, ErrorCode::not_found);
  EXPECT_TRUE(generator().list("globex", {}).items.empty());
  // Untouched in its own workspace.
  const Article same = generator().get("acme", article.id);
  EXPECT_EQ(same.title, article.title);
  EXPECT_EQ(same.images.size(), 1u);
  EXPECT_TRUE(store->contains(image.storage_key));
}

}  // namespace
}  // namespace contentgen::testsupport
