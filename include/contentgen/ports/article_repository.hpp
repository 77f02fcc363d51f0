#pragma once
// Port: durable storage of articles, their images, idempotency keys, spend and outbox.
// Adapters: SOCI (SQLite embedded default, PostgreSQL), MemoryArticleRepository (testing/).
// One contract suite (tests/contract/) runs against every implementation.
//
// Workspace scoping: every call takes the workspace; a row of another workspace behaves exactly
// like a missing one. Atomicity: a call that throws or reports "missing" changes nothing and writes
// none of its events. The contract suite (tests/contract/article_repository_contract.hpp) spells
// out every rule. Ownership: held as std::shared_ptr. Thread safety: all methods may be called
// concurrently from any thread.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "contentgen/article.hpp"
#include "contentgen/event.hpp"
#include "contentgen/export.hpp"
#include "contentgen/ports/outbox.hpp"
#include "contentgen/ports/spend_ledger.hpp"

namespace contentgen {

// Everything a successful generation writes, in one transaction.
struct NewArticle {
  Article article;                 // version 1, images empty
  std::vector<Event> events;       // outbox rows (article.generated)
  std::vector<SpendRecord> spend;  // one per LLM call
  std::string idempotency_key;     // empty: none; else unique per workspace; ends its claim
  std::string reservation_id;      // budget reservation to release; empty: none
  std::string idempotency_fingerprint;  // of the request that claimed the key (kept with it)
};

// The answer to claiming an idempotency key before a paid call (claim_idempotency_key).
struct IdempotencyClaim {
  enum class Outcome {
    claimed,      // the key is this caller's until `expires_at` (or create / release)
    in_progress,  // another live claim with the same fingerprint: that generation is running
    completed,    // an article was created under the key with the same fingerprint: `article_id`
    mismatch,     // the key was claimed or used with a different fingerprint
  };
  Outcome outcome = Outcome::claimed;
  std::string token;        // claimed: what release_idempotency_key takes
  std::string article_id;   // completed
  Timestamp expires_at{};   // claimed / in_progress: when the claim lapses
};

struct ListQuery {
  std::optional<ArticleStatus> status;
  std::int32_t limit = 20;         // 1-100
  std::string cursor;              // opaque, from a previous page; empty: first page
};

struct ArticlePage {
  std::vector<Article> items;      // ordered by (created_at desc, id desc), images not loaded
  std::string next_cursor;         // empty on the last page
};

class CONTENTGEN_API ArticleRepository : public SpendLedger, public Outbox {
 public:
  ~ArticleRepository() override;

  // Throws Error{conflict} when the id or the (workspace, idempotency key) already exists.
  virtual void create(const NewArticle& record) = 0;
  // With images (ordered by created_at, id). nullopt when missing or of another workspace.
  virtual std::optional<Article> get(std::string_view workspace_id, std::string_view article_id) = 0;
  // Throws Error{invalid_argument, field "cursor"|"limit"} for a malformed cursor or bad limit.
  virtual ArticlePage list(std::string_view workspace_id, const ListQuery& query) = 0;
  // Replaces the stored fields with `article`'s (id/workspace/created_at unchanged) and stores
  // version expected_version + 1, with `events` in the same transaction. Throws Error{not_found}
  // or Error{conflict} (stored version != expected_version).
  virtual void update(const Article& article, std::int64_t expected_version, std::span<const Event> events) = 0;
  // Deletes the article and its image rows, with `events`, and frees its idempotency key. false
  // (and no events written) when it did not exist.
  virtual bool remove(std::string_view workspace_id, std::string_view article_id, std::span<const Event> events) = 0;

  // Throws Error{not_found} when the article does not exist in image.workspace_id.
  virtual void add_image(const ArticleImage& image, std::span<const Event> events) = 0;
  // false when the image does not exist (in that article and workspace).
  virtual bool remove_image(std::string_view workspace_id, std::string_view article_id,
                            std::string_view image_id, std::span<const Event> events) = 0;

  // The article created under this key, if any (keys are freed when their article is removed).
  virtual std::optional<std::string> find_by_idempotency_key(std::string_view workspace_id, std::string_view key) = 0;

  // Atomically (across processes where the backend allows it): the outcome for (workspace, key)
  // and a request `fingerprint`. A live claim or a created article with another fingerprint is a
  // mismatch; a claim past its expiry (a process that died) is taken over. create() with the key
  // ends the claim; an article created without a claim (empty fingerprint) matches any.
  virtual IdempotencyClaim claim_idempotency_key(std::string_view workspace_id, std::string_view key,
                                                 std::string_view fingerprint, Timestamp now,
                                                 std::chrono::seconds ttl) = 0;
  // Gives up a claim (the generation failed, a retry may claim again); a no-op when `token` no
  // longer holds it.
  virtual void release_idempotency_key(std::string_view workspace_id, std::string_view key, std::string_view token) = 0;

  // Optional: checks the database is reachable (for health checks). Throws on failure.
  virtual void ping() {}
};

}  // namespace contentgen
