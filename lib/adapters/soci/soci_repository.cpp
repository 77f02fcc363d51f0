// Articles, images and idempotency keys. Every statement names the workspace, so another
// workspace's row is indistinguishable from a missing one.
#include "adapters/soci/soci_repository.hpp"

#include "adapters/soci/article_rows.hpp"
#include "adapters/soci/json_check.hpp"
#include "adapters/soci/query.hpp"
#include "contentgen/ids.hpp"
#include "core/domain/cursor.hpp"

namespace contentgen::soci_adapter {
namespace {

void require(const std::string& value, const char* field, const char* message) {
  if (value.empty()) throw Error::invalid_argument(field, message);
}

// The article fields insert and update share, converted to what SOCI binds.
struct ArticleParams {
  ArticleParams(const Article& a, const Dialect& d)
      : article(a),
        status(to_string(a.status)),
        finish_reason(to_string(a.finish_reason)),
        updated_at(d.time_value(a.updated_at)),
        llm_calls(a.llm_calls),
        usage_estimated(a.usage.estimated ? 1 : 0),
        prompt_tokens(a.usage.prompt_tokens),
        cached_tokens(a.usage.cached_tokens),
        cache_write_tokens(a.usage.cache_write_tokens),
        completion_tokens(a.usage.completion_tokens),
        reasoning_tokens(a.usage.reasoning_tokens),
        cost_nanos(a.cost.nanos()),
        word_count(a.word_count) {}

  void bind(Query& q) const {
    q.use(article.id, "id").use(article.workspace_id, "workspace_id").use(article.plan_id, "plan_id");
    q.use(article.title, "title").use(article.slug, "slug").use(article.content, "content");
    q.use(article.content_html, "content_html").use(status, "status").use(article.provider, "provider");
    q.use(article.model, "model").use(finish_reason, "finish_reason").use(llm_calls, "llm_calls");
    q.use(prompt_tokens, "prompt_tokens").use(cached_tokens, "cached_tokens");
    q.use(cache_write_tokens, "cache_write_tokens").use(completion_tokens, "completion_tokens");
    q.use(reasoning_tokens, "reasoning_tokens").use(usage_estimated, "usage_estimated");
    q.use(cost_nanos, "cost_nanos").use(word_count, "word_count").use(article.metadata_json, "metadata");
    q.use(article.html_url, "html_url").use(updated_at, "updated_at");
  }

  const Article& article;
  std::string status, finish_reason, updated_at;
  int llm_calls, usage_estimated;
  long long prompt_tokens, cached_tokens, cache_write_tokens, completion_tokens, reasoning_tokens, cost_nanos,
      word_count;
};

void check_events(std::span<const Event> events) {
  for (const auto& event : events) require(event.id, "event.id", "events need an id");
}

constexpr std::size_t image_batch = 256;

}  // namespace

SociArticleRepository::SociArticleRepository(std::unique_ptr<SessionPool> pool)
    : pool_(std::move(pool)), statements_(pool_->dialect()) {}

void SociArticleRepository::create(const NewArticle& record) {
  const Article& article = record.article;
  require(article.id, "article.id", "articles need an id");
  require(article.workspace_id, "article.workspace_id", "articles need a workspace");
  require_json_object(article.metadata_json, "article.metadata_json");
  check_events(record.events);
  for (const auto& spend : record.spend) check_spend(spend);

  pool_->write("create article", [&](soci::session& sql) {
    const ArticleParams params(article, dialect());
    const long long version = article.version;
    const std::string created_at = dialect().time_value(article.created_at);
    Query insert(sql, statements_.insert_article);
    params.bind(insert);
    insert.use(version, "version").use(created_at, "created_at");
    insert.run();
    if (!record.idempotency_key.empty()) {
      Query key(sql, statements_.insert_idempotency_key);
      key.use(article.workspace_id, "workspace_id").use(record.idempotency_key, "idempotency_key");
      key.use(article.id, "article_id").use(created_at, "created_at").use(record.idempotency_fingerprint, "fingerprint");
      key.run();
      Query claim(sql, statements_.delete_claim);
      claim.use(article.workspace_id, "workspace_id").use(record.idempotency_key, "idempotency_key");
      claim.run();
    }
    insert_events(sql, record.events);
    for (const auto& spend : record.spend) insert_spend(sql, spend);
    if (!record.reservation_id.empty()) release_in_workspace(sql, record.reservation_id, article.workspace_id);
  });
}

std::optional<Article> SociArticleRepository::get(std::string_view workspace_id, std::string_view article_id) {
  const std::string workspace(workspace_id);
  const std::string id(article_id);
  return pool_->read("get article", [&](soci::session& sql) -> std::optional<Article> {
    ArticleRows rows(1);
    Query select(sql, statements_.select_article);
    rows.bind(select);
    select.use(workspace, "workspace_id").use(id, "id");
    if (!select.run() || rows.size() == 0) return std::nullopt;
    Article article = rows.article(0);
    load_images(sql, article);
    return article;
  });
}

void SociArticleRepository::load_images(soci::session& sql, Article& article) {
  const long long limit = static_cast<long long>(image_batch);
  std::string after_created_at;
  std::string after_id;
  for (bool first = true;; first = false) {
    ImageRows rows(image_batch);
    Query select(sql, first ? statements_.select_images : statements_.select_images_after);
    rows.bind(select);
    select.use(article.workspace_id, "workspace_id").use(article.id, "article_id").use(limit, "limit");
    if (!first) select.use(after_created_at, "after_created_at").use(after_id, "after_id");
    select.run();
    for (std::size_t i = 0; i < rows.size(); ++i) article.images.push_back(rows.image(i));
    if (rows.size() < image_batch) return;
    after_created_at = dialect().time_value(article.images.back().created_at);
    after_id = article.images.back().id;
  }
}

ArticlePage SociArticleRepository::list(std::string_view workspace_id, const ListQuery& query) {
  if (query.limit < 1 || query.limit > 100) throw Error::invalid_argument("limit", "page size must be 1-100");
  std::optional<internal::KeysetCursor> cursor;
  if (!query.cursor.empty()) cursor = internal::decode_cursor(query.cursor);
  const std::string workspace(workspace_id);
  const std::string status = query.status ? std::string(to_string(*query.status)) : std::string();
  const std::string cursor_created_at = cursor ? dialect().time_value(cursor->created_at) : std::string();
  const std::string cursor_id = cursor ? cursor->id : std::string();
  const auto page_size = static_cast<std::size_t>(query.limit);
  const long long fetch = query.limit + 1;  // one extra row tells whether a next page exists

  const std::string& text = cursor ? (query.status ? statements_.list_after_cursor_by_status : statements_.list_after_cursor)
                                   : (query.status ? statements_.list_first_page_by_status : statements_.list_first_page);
  return pool_->read("list articles", [&](soci::session& sql) {
    ArticleRows rows(page_size + 1);
    Query select(sql, text);
    rows.bind(select);
    select.use(workspace, "workspace_id").use(fetch, "limit");
    if (query.status) select.use(status, "status");
    if (cursor) select.use(cursor_created_at, "cursor_created_at").use(cursor_id, "cursor_id");
    select.run();
    ArticlePage page;
    const std::size_t shown = std::min(rows.size(), page_size);
    page.items.reserve(shown);
    for (std::size_t i = 0; i < shown; ++i) page.items.push_back(rows.article(i));
    if (rows.size() > page_size)
      page.next_cursor = internal::encode_cursor({page.items.back().created_at, page.items.back().id});
    return page;
  });
}

void SociArticleRepository::update(const Article& article, std::int64_t expected_version,
                                   std::span<const Event> events) {
  require_json_object(article.metadata_json, "article.metadata_json");
  check_events(events);
  pool_->write("update article", [&](soci::session& sql) {
    const ArticleParams params(article, dialect());
    const long long expected = expected_version;
    long long stored_version = 0;
    Query update(sql, statements_.update_article);
    params.bind(update);
    update.use(expected, "expected_version").into(stored_version);
    if (!update.run()) {
      // Nothing matched: missing (or another workspace's), or a stale version.
      long long current = 0;
      Query check(sql, statements_.select_article_version);
      check.use(article.workspace_id, "workspace_id").use(article.id, "id").into(current);
      if (!check.run()) throw Error::not_found("article " + article.id);
      throw Error(ErrorCode::conflict, "article " + article.id + " is at version " + std::to_string(current) +
                                           ", not " + std::to_string(expected_version));
    }
    insert_events(sql, events);
  });
}

bool SociArticleRepository::remove(std::string_view workspace_id, std::string_view article_id,
                                   std::span<const Event> events) {
  check_events(events);
  const std::string workspace(workspace_id);
  const std::string id(article_id);
  return pool_->write("delete article", [&](soci::session& sql) {
    std::string deleted;
    Query remove(sql, statements_.delete_article);  // images and idempotency keys cascade
    remove.use(workspace, "workspace_id").use(id, "id").into(deleted);
    if (!remove.run()) return false;
    insert_events(sql, events);
    return true;
  });
}

void SociArticleRepository::add_image(const ArticleImage& image, std::span<const Event> events) {
  require(image.id, "image.id", "images need an id");
  check_events(events);
  pool_->write("add image", [&](soci::session& sql) {
    int found = 0;
    Query exists(sql, statements_.article_exists);
    exists.use(image.workspace_id, "workspace_id").use(image.article_id, "id").into(found);
    if (!exists.run()) throw Error::not_found("article " + image.article_id);
    const long long size_bytes = image.size_bytes;
    const int width = image.width;
    const int height = image.height;
    const std::string created_at = dialect().time_value(image.created_at);
    Query insert(sql, statements_.insert_image);
    insert.use(image.id, "id").use(image.workspace_id, "workspace_id").use(image.article_id, "article_id");
    insert.use(image.storage_key, "storage_key").use(image.url, "url").use(image.content_type, "content_type");
    insert.use(size_bytes, "size_bytes").use(width, "width").use(height, "height").use(image.sha256, "sha256");
    insert.use(image.original_filename, "original_filename").use(image.alt_text, "alt_text");
    insert.use(created_at, "created_at");
    insert.run();
    insert_events(sql, events);
  });
}

bool SociArticleRepository::remove_image(std::string_view workspace_id, std::string_view article_id,
                                         std::string_view image_id, std::span<const Event> events) {
  check_events(events);
  const std::string workspace(workspace_id);
  const std::string article(article_id);
  const std::string id(image_id);
  return pool_->write("delete image", [&](soci::session& sql) {
    std::string deleted;
    Query remove(sql, statements_.delete_image);
    remove.use(workspace, "workspace_id").use(article, "article_id").use(id, "id").into(deleted);
    if (!remove.run()) return false;
    insert_events(sql, events);
    return true;
  });
}

std::optional<std::string> SociArticleRepository::find_by_idempotency_key(std::string_view workspace_id,
                                                                          std::string_view key) {
  const std::string workspace(workspace_id);
  const std::string idempotency_key(key);
  return pool_->read("find idempotency key", [&](soci::session& sql) -> std::optional<std::string> {
    std::string article_id;
    Query select(sql, statements_.select_idempotency_key);
    select.use(workspace, "workspace_id").use(idempotency_key, "idempotency_key").into(article_id);
    if (!select.run()) return std::nullopt;
    return article_id;
  });
}

IdempotencyClaim SociArticleRepository::claim_idempotency_key(std::string_view workspace_id, std::string_view key,
                                                             std::string_view fingerprint, Timestamp now,
                                                             std::chrono::seconds ttl) {
  const std::string workspace(workspace_id);
  const std::string idempotency_key(key);
  const std::string print(fingerprint);
  const std::string token = new_uuid_v7(now);
  const std::string now_text = dialect().time_value(now);
  const std::string expires_text = dialect().time_value(now + ttl);
  return pool_->write("claim idempotency key", [&](soci::session& sql) {
    IdempotencyClaim result;
    // An article already created under the key: completed, or a mismatch.
    const auto completed = [&] {
      std::string article_id;
      std::string used_print;
      Query used(sql, statements_.select_idempotency_key_fingerprint);
      used.use(workspace, "workspace_id").use(idempotency_key, "idempotency_key").into(article_id).into(used_print);
      if (!used.run()) return false;
      const bool same = used_print.empty() || used_print == print;
      result = IdempotencyClaim{same ? IdempotencyClaim::Outcome::completed : IdempotencyClaim::Outcome::mismatch, "",
                                same ? article_id : "", {}};
      return true;
    };
    if (completed()) return result;
    Query expire(sql, statements_.delete_expired_claim);  // its process died: the key is free again
    expire.use(workspace, "workspace_id").use(idempotency_key, "idempotency_key").use(now_text, "now");
    expire.run();
    Query insert(sql, statements_.insert_claim);  // on PostgreSQL, waits for a concurrent claimant's commit
    insert.use(workspace, "workspace_id").use(idempotency_key, "idempotency_key").use(print, "fingerprint");
    insert.use(token, "token").use(expires_text, "expires_at");
    insert.run();
    std::string held_print;
    std::string held_token;
    long long held_until = 0;
    Query held(sql, statements_.select_claim);
    held.use(workspace, "workspace_id").use(idempotency_key, "idempotency_key");
    held.into(held_print).into(held_token).into(held_until);
    held.run();
    if (held_token == token) {
      // PostgreSQL: a claimant that finished between the first look and the insert freed its
      // claim and left the key: take that article instead of generating again.
      if (completed()) {
        Query drop(sql, statements_.delete_claim);
        drop.use(workspace, "workspace_id").use(idempotency_key, "idempotency_key");
        drop.run();
        return result;
      }
      return IdempotencyClaim{IdempotencyClaim::Outcome::claimed, token, "", now + ttl};
    }
    return IdempotencyClaim{held_print == print ? IdempotencyClaim::Outcome::in_progress
                                                : IdempotencyClaim::Outcome::mismatch,
                            "", "", timestamp_from_micros(held_until)};
  });
}

void SociArticleRepository::release_idempotency_key(std::string_view workspace_id, std::string_view key,
                                                    std::string_view token) {
  const std::string workspace(workspace_id);
  const std::string idempotency_key(key);
  const std::string held_by(token);
  pool_->execute("release idempotency key", [&](soci::session& sql) {
    Query release(sql, statements_.delete_claim_of_token);
    release.use(workspace, "workspace_id").use(idempotency_key, "idempotency_key").use(held_by, "token");
    release.run();
  });
}

void SociArticleRepository::ping() {
  pool_->read("ping", [](soci::session& sql) {
    int one = 0;
    Query select(sql, "SELECT 1");
    select.into(one);
    select.run();
  });
}

void SociArticleRepository::insert_events(soci::session& sql, std::span<const Event> events) {
  for (const auto& event : events) {
    const std::string type(to_string(event.type));
    const std::string created_at = dialect().time_value(event.time);
    Query insert(sql, statements_.insert_event);
    insert.use(event.id, "id").use(event.workspace_id, "workspace_id").use(type, "type");
    insert.use(event.subject, "subject").use(event.data_json, "payload").use(created_at, "created_at");
    insert.run();
  }
}

}  // namespace contentgen::soci_adapter
