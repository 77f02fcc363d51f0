// The SQLite schema, as migrations: the same tables and columns as schema_postgresql.cpp.
// Timestamps are BIGINT microseconds since the Unix epoch (UTC), booleans 0/1, JSON is TEXT checked
// with json_valid(). 64-bit columns are declared BIGINT, not INTEGER, and the tables are not STRICT
// (which allows only INTEGER): SOCI 4.0.3 reads a column declared INTEGER into a vector<long long>
// through a 32-bit int, truncating timestamps and nano-USD amounts.
// Never edit an applied migration: add a new version.
#include <array>

#include "adapters/soci/migrations.hpp"

namespace contentgen::soci_adapter {
namespace {

constexpr std::array<std::string_view, 14> v1_statements{
    R"sql(CREATE TABLE articles (
  id                 TEXT NOT NULL PRIMARY KEY,
  workspace_id       TEXT NOT NULL,
  plan_id            TEXT,
  title              TEXT NOT NULL,
  slug               TEXT NOT NULL,
  content            TEXT NOT NULL,
  content_html       TEXT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  provider           TEXT NOT NULL,
  model              TEXT NOT NULL,
  finish_reason      TEXT NOT NULL CHECK (finish_reason IN ('stop', 'length', 'content_filter', 'other')),
  llm_calls          INTEGER NOT NULL CHECK (llm_calls >= 0),
  prompt_tokens      BIGINT NOT NULL,
  cached_tokens      BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  completion_tokens  BIGINT NOT NULL,
  reasoning_tokens   BIGINT NOT NULL,
  usage_estimated    INTEGER NOT NULL CHECK (usage_estimated IN (0, 1)),
  cost_nanos         BIGINT NOT NULL,
  word_count         BIGINT NOT NULL,
  metadata           TEXT NOT NULL CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
  html_url           TEXT,
  version            BIGINT NOT NULL CHECK (version >= 1),
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  UNIQUE (workspace_id, id)
))sql",
    R"sql(CREATE INDEX articles_workspace_page ON articles (workspace_id, created_at DESC, id DESC))sql",
    R"sql(CREATE INDEX articles_workspace_status_page ON articles (workspace_id, status, created_at DESC, id DESC))sql",
    R"sql(CREATE TABLE article_images (
  id                TEXT NOT NULL PRIMARY KEY,
  workspace_id      TEXT NOT NULL,
  article_id        TEXT NOT NULL,
  storage_key       TEXT NOT NULL,
  url               TEXT NOT NULL,
  content_type      TEXT NOT NULL,
  size_bytes        BIGINT NOT NULL,
  width             INTEGER NOT NULL,
  height            INTEGER NOT NULL,
  sha256            TEXT NOT NULL,
  original_filename TEXT NOT NULL,
  alt_text          TEXT NOT NULL,
  created_at        BIGINT NOT NULL,
  FOREIGN KEY (workspace_id, article_id) REFERENCES articles (workspace_id, id) ON DELETE CASCADE
))sql",
    R"sql(CREATE INDEX article_images_article ON article_images (workspace_id, article_id, created_at, id))sql",
    R"sql(CREATE TABLE idempotency_keys (
  workspace_id    TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  article_id      TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, idempotency_key),
  FOREIGN KEY (workspace_id, article_id) REFERENCES articles (workspace_id, id) ON DELETE CASCADE
))sql",
    R"sql(CREATE INDEX idempotency_keys_article ON idempotency_keys (workspace_id, article_id))sql",
    R"sql(CREATE TABLE outbox (
  id              TEXT NOT NULL PRIMARY KEY,
  workspace_id    TEXT NOT NULL,
  type            TEXT NOT NULL,
  subject         TEXT NOT NULL,
  payload         TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT,
  delivered_at    BIGINT,
  last_error      TEXT
))sql",
    R"sql(CREATE INDEX outbox_pending ON outbox (created_at, id) WHERE delivered_at IS NULL)sql",
    R"sql(CREATE TABLE spend_ledger (
  id                 TEXT NOT NULL PRIMARY KEY,
  workspace_id       TEXT NOT NULL,
  article_id         TEXT,
  provider           TEXT NOT NULL,
  model              TEXT NOT NULL,
  prompt_tokens      BIGINT NOT NULL,
  cached_tokens      BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  completion_tokens  BIGINT NOT NULL,
  reasoning_tokens   BIGINT NOT NULL,
  usage_estimated    INTEGER NOT NULL CHECK (usage_estimated IN (0, 1)),
  cost_nanos         BIGINT NOT NULL,
  succeeded          INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
  recorded_at        BIGINT NOT NULL
))sql",
    R"sql(CREATE INDEX spend_ledger_workspace_time ON spend_ledger (workspace_id, recorded_at, cost_nanos))sql",
    R"sql(CREATE TABLE workspace_budgets (
  workspace_id TEXT NOT NULL PRIMARY KEY,
  limit_nanos  BIGINT NOT NULL CHECK (limit_nanos >= 0),
  period       TEXT NOT NULL CHECK (period IN ('monthly', 'total')),
  updated_at   BIGINT NOT NULL
))sql",
    R"sql(CREATE TABLE budget_reservations (
  id           TEXT NOT NULL PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  amount_nanos BIGINT NOT NULL CHECK (amount_nanos >= 0),
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
))sql",
    R"sql(CREATE INDEX budget_reservations_workspace ON budget_reservations (workspace_id, expires_at, amount_nanos))sql",
};

// Idempotency as a claim: a key is taken, with the fingerprint of its request, before the paid call.
// Pending calls: a paid call recorded before it is sent (settled as estimated spend if it lapses).
constexpr std::array<std::string_view, 4> v2_statements{
    R"sql(ALTER TABLE idempotency_keys ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '')sql",
    R"sql(CREATE TABLE idempotency_claims (
  workspace_id    TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  fingerprint     TEXT NOT NULL,
  token           TEXT NOT NULL,
  expires_at      BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, idempotency_key)
))sql",
    R"sql(CREATE TABLE pending_calls (
  id               TEXT NOT NULL PRIMARY KEY,
  workspace_id     TEXT NOT NULL,
  provider         TEXT NOT NULL,
  model            TEXT NOT NULL,
  worst_case_nanos BIGINT NOT NULL CHECK (worst_case_nanos >= 0),
  sent_at          BIGINT NOT NULL,
  expires_at       BIGINT NOT NULL
))sql",
    R"sql(CREATE INDEX pending_calls_lapse ON pending_calls (workspace_id, expires_at))sql",
};

constexpr std::array<Migration, 2> migrations{{
    {1, "initial schema: articles, images, idempotency keys, outbox, spend ledger, budgets", v1_statements},
    {2, "idempotency claims with request fingerprints; pending calls", v2_statements},
}};

}  // namespace

std::span<const Migration> sqlite_migrations() { return migrations; }

}  // namespace contentgen::soci_adapter
