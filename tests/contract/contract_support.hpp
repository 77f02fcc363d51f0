#pragma once
// Builders and comparisons shared by the contract suite's files (internal to tests/contract).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string_view>
#include <string>
#include <vector>

#include "contentgen/article.hpp"
#include "contentgen/error.hpp"
#include "contentgen/event.hpp"
#include "contentgen/ports/article_repository.hpp"

namespace contentgen::contract {

inline const std::string ws_a = "ws-alpha";
inline const std::string ws_b = "ws-beta";

// 2026-03-14T15:09:26.535897Z: a timestamp with all six fraction digits significant.
Timestamp base_time();
inline Timestamp seconds_after_base(std::int64_t seconds) { return base_time() + std::chrono::seconds(seconds); }

// An article with every field set to something non-default (unique UUIDv7 id).
Article make_article(const std::string& workspace_id, Timestamp created_at,
                     ArticleStatus status = ArticleStatus::draft);
Event make_event(const std::string& workspace_id, const std::string& subject, EventType type, Timestamp time);
ArticleImage make_image(const Article& article, Timestamp created_at);
SpendRecord make_spend(const std::string& workspace_id, Money cost, Timestamp at, const std::string& article_id = "");
// The article with one article.generated event and no spend.
NewArticle new_article(const Article& article);

// Field-by-field comparison (metadata_json compared as JSON values). `with_images`: also the
// images, element by element.
void expect_same_article(const Article& expected, const Article& actual, bool with_images = true);
void expect_same_event(const Event& expected, const Event& actual);
bool same_json(const std::string& a, const std::string& b);

std::vector<std::string> ids_of(const std::vector<Article>& articles);
// Every page of the workspace's list, following next_cursor (fails the test after 1000 pages).
std::vector<Article> list_all(ArticleRepository& repo, const std::string& workspace_id, ListQuery query);

// Expects `action` to throw an Error with `code` (and, when `field` is non-empty, that field).
void expect_error(const std::function<void()>& action, ErrorCode code, std::string_view field);
#define CONTRACT_EXPECT_ERROR(statement, expected_code, expected_field)                             \
  do {                                                                                              \
    SCOPED_TRACE(#statement);                                                                       \
    ::contentgen::contract::expect_error([&] { static_cast<void>(statement); }, expected_code, expected_field); \
  } while (false)

}  // namespace contentgen::contract
