// The PostgreSQL schema, as migrations. Never edit an applied migration: add a new version.
// Ids are TEXT COLLATE "C" (byte order, whatever the database's collation) so keyset pagination
// and the outbox order match the in-memory and SQLite repositories exactly.
#include <array>

#include "adapters/soci/migrations.hpp"

namespace contentgen::soci_adapter {
namespace {

constexpr std::array<std::string_view, 16> v1_statements{
    R"sql(CREATE TABLE articles (
  id                 TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  workspace_id       TEXT COLLATE "C" NOT NULL,
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
  usage_estimated    BOOLEAN NOT NULL,
  cost_nanos         BIGINT NOT NULL,
  cost_usd           NUMERIC(20, 9) GENERATED ALWAYS AS (cost_nanos::numeric / 1000000000) STORED,
  word_count         BIGINT NOT NULL,
  metadata           JSONB NOT NULL CHECK (jsonb_typeof(metadata) = 'object'),
  html_url           TEXT,
  version            BIGINT NOT NULL CHECK (version >= 1),
  created_at         TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL,
  UNIQUE (workspace_id, id)
))sql",
    R"sql(CREATE INDEX articles_workspace_page ON articles (workspace_id, created_at DESC, id DESC))sql",
    R"sql(CREATE INDEX articles_workspace_status_page ON articles (workspace_id, status, created_at DESC, id DESC))sql",
    R"sql(CREATE TABLE article_images (
  id                TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  workspace_id      TEXT COLLATE "C" NOT NULL,
  article_id        TEXT COLLATE "C" NOT NULL,
  storage_key       TEXT NOT NULL,
  url               TEXT NOT NULL,
  content_type      TEXT NOT NULL,
  size_bytes        BIGINT NOT NULL,
  width             INTEGER NOT NULL,
  height            INTEGER NOT NULL,
  sha256            TEXT NOT NULL,
  original_filename TEXT NOT NULL,
  alt_text          TEXT NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL,
  FOREIGN KEY (workspace_id, article_id) REFERENCES articles (workspace_id, id) ON DELETE CASCADE
))sql",
    R"sql(CREATE INDEX article_images_article ON article_images (workspace_id, article_id, created_at, id))sql",
    R"sql(CREATE TABLE idempotency_keys (
  workspace_id    TEXT COLLATE "C" NOT NULL,
  idempotency_key TEXT COLLATE "C" NOT NULL,
  article_id      TEXT COLLATE "C" NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (workspace_id, idempotency_key),
  FOREIGN KEY (workspace_id, article_id) REFERENCES articles (workspace_id, id) ON DELETE CASCADE
))sql",
    R"sql(CREATE INDEX idempotency_keys_article ON idempotency_keys (workspace_id, article_id))sql",
    // The transactional outbox. created_at is the event's time (claim order); next_attempt_at is
    // NULL while the row is due at once, else the end of a claim's lease or of a retry backoff.
    R"sql(CREATE TABLE outbox (
  id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  workspace_id    TEXT COLLATE "C" NOT NULL,
  type            TEXT NOT NULL,
  subject         TEXT NOT NULL,
  payload         TEXT NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ,
  delivered_at    TIMESTAMPTZ,
  last_error      TEXT
))sql",
    R"sql(CREATE INDEX outbox_pending ON outbox (created_at, id) WHERE delivered_at IS NULL)sql",
    // Every LLM call that cost money, with or without an article. No foreign key: spend outlives
    // the article it paid for.
    R"sql(CREATE TABLE spend_ledger (
  id                 TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  workspace_id       TEXT COLLATE "C" NOT NULL,
  article_id         TEXT COLLATE "C",
  provider           TEXT NOT NULL,
  model              TEXT NOT NULL,
  prompt_tokens      BIGINT NOT NULL,
  cached_tokens      BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  completion_tokens  BIGINT NOT NULL,
  reasoning_tokens   BIGINT NOT NULL,
  usage_estimated    BOOLEAN NOT NULL,
  cost_nanos         BIGINT NOT NULL,
  cost_usd           NUMERIC(20, 9) GENERATED ALWAYS AS (cost_nanos::numeric / 1000000000) STORED,
  succeeded          BOOLEAN NOT NULL,
  recorded_at        TIMESTAMPTZ NOT NULL
))sql",
    R"sql(CREATE INDEX spend_ledger_workspace_time ON spend_ledger (workspace_id, recorded_at) INCLUDE (cost_nanos))sql",
    R"sql(CREATE TABLE workspace_budgets (
  workspace_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  limit_nanos  BIGINT NOT NULL CHECK (limit_nanos >= 0),
  limit_usd    NUMERIC(20, 9) GENERATED ALWAYS AS (limit_nanos::numeric / 1000000000) STORED,
  period       TEXT NOT NULL CHECK (period IN ('monthly', 'total')),
  updated_at   TIMESTAMPTZ NOT NULL
))sql",
    // Worst-case amounts held by generations in flight; rows past expires_at no longer count.
    R"sql(CREATE TABLE budget_reservations (
  id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  workspace_id TEXT COLLATE "C" NOT NULL,
  amount_nanos BIGINT NOT NULL CHECK (amount_nanos >= 0),
  created_at   TIMESTAMPTZ NOT NULL,
  expires_at   TIMESTAMPTZ NOT NULL
))sql",
    R"sql(CREATE INDEX budget_reservations_workspace ON budget_reservations (workspace_id, expires_at) INCLUDE (amount_nanos))sql",
    R"sql(COMMENT ON COLUMN articles.cost_nanos IS 'exact cost in nano-USD (1e-9 USD); cost_usd is derived from it')sql",
    R"sql(COMMENT ON TABLE outbox IS 'transactional outbox; events written with the change they announce, relayed by EventRelay')sql",
};

// Idempotency as a claim: a key is taken, with the fingerprint of its request, before the paid call.
// Pending calls: a paid call recorded before it is sent (settled as estimated spend if it lapses).
constexpr std::array<std::string_view, 4> v2_statements{
    R"sql(ALTER TABLE idempotency_keys ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '')sql",
    R"sql(CREATE TABLE idempotency_claims (
  workspace_id    TEXT COLLATE "C" NOT NULL,
  idempotency_key TEXT COLLATE "C" NOT NULL,
  fingerprint     TEXT NOT NULL,
  token           TEXT NOT NULL,
  expires_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (workspace_id, idempotency_key)
))sql",
    R"sql(CREATE TABLE pending_calls (
  id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  workspace_id     TEXT COLLATE "C" NOT NULL,
  provider         TEXT NOT NULL,
  model            TEXT NOT NULL,
  worst_case_nanos BIGINT NOT NULL CHECK (worst_case_nanos >= 0),
  sent_at          TIMESTAMPTZ NOT NULL,
  expires_at       TIMESTAMPTZ NOT NULL
))sql",
    R"sql(CREATE INDEX pending_calls_lapse ON pending_calls (workspace_id, expires_at))sql",
};

constexpr std::array<Migration, 2> migrations{{
    {1, "initial schema: articles, images, idempotency keys, outbox, spend ledger, budgets", v1_statements},
    {2, "idempotency claims with request fingerprints; pending calls", v2_statements},
}};

}  // namespace

std::span<const Migration> postgresql_migrations() { return migrations; }

}  // namespace contentgen::soci_adapter
