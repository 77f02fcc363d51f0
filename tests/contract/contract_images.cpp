// Contract: article images.
#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "contract/article_repository_contract.hpp"
#include "contract/contract_support.hpp"

namespace contentgen::contract {
namespace {

TEST_P(ArticleRepositoryContract, ImagesRoundTripOrderedByCreatedAtThenId) {
  const Article article = make_article(ws_a, base_time());
  repo->create(new_article(article));
  ArticleImage late = make_image(article, seconds_after_base(30));
  late.content_type = "image/webp";
  late.width = 1;
  late.height = 65'535;
  late.alt_text.clear();
  late.original_filename.clear();
  ArticleImage early_a = make_image(article, seconds_after_base(10));
  ArticleImage early_b = make_image(article, seconds_after_base(10));
  if (early_b.id < early_a.id) std::swap(early_a, early_b);
  repo->add_image(late, {});
  repo->add_image(early_b, {});
  repo->add_image(early_a, {});
  const auto stored = repo->get(ws_a, article.id);
  ASSERT_TRUE(stored.has_value());
  ASSERT_EQ(stored->images.size(), 3u);
  EXPECT_EQ(stored->images[0], early_a);
  EXPECT_EQ(stored->images[1], early_b);
  EXPECT_EQ(stored->images[2], late);
}

TEST_P(ArticleRepositoryContract, AddImageToMissingArticleIsNotFound) {
  const Article ghost = make_article(ws_a, base_time());
  const Event event = make_event(ws_a, ghost.id, EventType::image_uploaded, base_time());
  CONTRACT_EXPECT_ERROR(repo->add_image(make_image(ghost, base_time()), std::span(&event, 1)), ErrorCode::not_found, "");
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
}

TEST_P(ArticleRepositoryContract, DuplicateImageIdIsConflict) {
  const Article one = make_article(ws_a, base_time());
  const Article two = make_article(ws_a, seconds_after_base(1));
  repo->create(new_article(one));
  repo->create(new_article(two));
  const ArticleImage image = make_image(one, base_time());
  repo->add_image(image, {});
  CONTRACT_EXPECT_ERROR(repo->add_image(image, {}), ErrorCode::conflict, "");
  ArticleImage moved = image;
  moved.article_id = two.id;
  CONTRACT_EXPECT_ERROR(repo->add_image(moved, {}), ErrorCode::conflict, "");
  EXPECT_EQ(repo->get(ws_a, one.id)->images.size(), 1u);
  EXPECT_TRUE(repo->get(ws_a, two.id)->images.empty());
}

TEST_P(ArticleRepositoryContract, AddAndRemoveImageWriteTheirEvents) {
  const Article article = make_article(ws_a, base_time());
  repo->create(new_article(article));
  const ArticleImage image = make_image(article, seconds_after_base(1));
  const Event uploaded = make_event(ws_a, article.id, EventType::image_uploaded, seconds_after_base(1));
  repo->add_image(image, std::span(&uploaded, 1));
  EXPECT_EQ(repo->pending_outbox_count(), 2u);
  const Event deleted = make_event(ws_a, article.id, EventType::image_deleted, seconds_after_base(2));
  EXPECT_TRUE(repo->remove_image(ws_a, article.id, image.id, std::span(&deleted, 1)));
  EXPECT_EQ(repo->pending_outbox_count(), 3u);
  EXPECT_TRUE(repo->get(ws_a, article.id)->images.empty());
}

TEST_P(ArticleRepositoryContract, RemoveImageOfMissingImageOrWrongArticleIsFalseAndWritesNothing) {
  const Article one = make_article(ws_a, base_time());
  const Article two = make_article(ws_a, seconds_after_base(1));
  repo->create(new_article(one));
  repo->create(new_article(two));
  const ArticleImage image = make_image(one, seconds_after_base(2));
  repo->add_image(image, {});
  const Event event = make_event(ws_a, one.id, EventType::image_deleted, seconds_after_base(3));
  EXPECT_FALSE(repo->remove_image(ws_a, two.id, image.id, std::span(&event, 1)));        // wrong article
  EXPECT_FALSE(repo->remove_image(ws_a, one.id, new_uuid_v7(), std::span(&event, 1)));   // missing image
  EXPECT_FALSE(repo->remove_image(ws_a, new_uuid_v7(), image.id, std::span(&event, 1))); // missing article
  EXPECT_EQ(repo->pending_outbox_count(), 2u);
  EXPECT_EQ(repo->get(ws_a, one.id)->images.size(), 1u);
}

TEST_P(ArticleRepositoryContract, RemovingAnArticleRemovesItsImageRows) {
  const Article article = make_article(ws_a, base_time());
  repo->create(new_article(article));
  const ArticleImage image = make_image(article, seconds_after_base(1));
  repo->add_image(image, {});
  ASSERT_TRUE(repo->remove(ws_a, article.id, {}));
  EXPECT_FALSE(repo->remove_image(ws_a, article.id, image.id, {}));
  // The image id is free again: its row is really gone, not just hidden.
  const Article other = make_article(ws_a, seconds_after_base(2));
  repo->create(new_article(other));
  ArticleImage reused = image;
  reused.article_id = other.id;
  EXPECT_NO_THROW(repo->add_image(reused, {}));
  EXPECT_EQ(repo->get(ws_a, other.id)->images.size(), 1u);
}

}  // namespace
}  // namespace contentgen::contract
