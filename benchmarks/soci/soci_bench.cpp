// soci_bench: the SOCI repository's hot paths on SQLite and PostgreSQL.
//   Create/*     articles persisted per second: article + article.generated outbox row + spend row
//                + idempotency key, one transaction each (1 and 8 threads)
//   List*/*      list-page latency in a workspace of 100,000 articles: first page, a deep page
//                (cursor ~90,000 rows in), first page filtered by status; 20 per page
//   Get/*        one article by id (with its images)
//   ClaimOutbox  claim 100 rows + mark each delivered (the relay's work per batch)
// PostgreSQL comes from CONTENTGEN_BENCH_PG_URL or CONTENTGEN_TEST_PG_URL (a fresh schema is made
// in it); without either the PostgreSQL benchmarks are skipped. Run with benchmarks/soci/run.sh.
#include <benchmark/benchmark.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "adapters/soci/database_url.hpp"
#include "contentgen/adapters/soci_repository.hpp"
#include "contentgen/ids.hpp"
#include "core/domain/cursor.hpp"

namespace {

using namespace contentgen;

constexpr int list_rows = 100'000;
const std::string list_workspace = "bench-list";

enum class Backend { sqlite_full, sqlite_normal, postgresql };

std::string name_of(Backend backend) {
  switch (backend) {
    case Backend::sqlite_full: return "sqlite_full";
    case Backend::sqlite_normal: return "sqlite_normal";
    case Backend::postgresql: return "postgresql";
  }
  return "?";
}

std::string pg_base_url() {
  for (const char* variable : {"CONTENTGEN_BENCH_PG_URL", "CONTENTGEN_TEST_PG_URL"})
    if (const char* value = std::getenv(variable); value != nullptr && *value != '\0') return value;
  return {};
}

std::unique_ptr<soci::session> raw_session(const std::string& url) {
  const auto target = soci_adapter::parse_database_url(url);
  const std::string connect = soci_adapter::to_soci_connect_string(target);
  if (target.backend == soci_adapter::Backend::postgresql)
    return std::make_unique<soci::session>(soci::postgresql, connect);
  return std::make_unique<soci::session>(soci::sqlite3, connect);
}

struct Database {
  std::string url;
  std::shared_ptr<ArticleRepository> repo;
  bool seeded = false;
  std::string deep_cursor;
  std::vector<std::string> sample_ids;
};

std::mutex databases_mutex;
std::map<Backend, std::unique_ptr<Database>> databases;
std::filesystem::path bench_dir;

void remove_bench_files() {
  if (!bench_dir.empty()) std::filesystem::remove_all(bench_dir);
}

// nullptr when the backend is not available (PostgreSQL without a URL).
Database* database(Backend backend) {
  std::lock_guard lock(databases_mutex);
  if (auto it = databases.find(backend); it != databases.end()) return it->second.get();
  auto db = std::make_unique<Database>();
  SociRepositoryOptions options;
  options.pool_size = 8;
  options.lock_timeout = std::chrono::seconds(60);
  if (backend == Backend::postgresql) {
    const std::string base = pg_base_url();
    if (base.empty()) return nullptr;
    const std::string schema = "cg_bench_" + std::to_string(::getpid());
    *raw_session(base) << "CREATE SCHEMA " + schema;
    db->url = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  } else {
    if (bench_dir.empty()) {
      bench_dir = std::filesystem::temp_directory_path() / ("contentgen-soci-bench-" + std::to_string(::getpid()));
      std::filesystem::create_directories(bench_dir);
      std::atexit(remove_bench_files);
    }
    db->url = "sqlite:" + (bench_dir / (name_of(backend) + ".db")).string();
    options.sqlite_synchronous = backend == Backend::sqlite_full ? "FULL" : "NORMAL";
  }
  options.url = db->url;
  db->repo = open_soci_repository(options);
  return (databases[backend] = std::move(db)).get();
}

// A realistic generated article: ~1,500 words of Markdown and its HTML.
const std::string& article_body() {
  static const std::string body = [] {
    std::string text = "# A benchmark article\n\n";
    while (text.size() < 9'000) text += "Search engines reward pages that answer the question plainly. ";
    return text;
  }();
  return body;
}

NewArticle generated_article(const std::string& workspace) {
  NewArticle record;
  Article& a = record.article;
  a.id = new_uuid_v7();
  a.workspace_id = workspace;
  a.plan_id = "plan-" + a.id.substr(24);
  a.title = "A benchmark article";
  a.slug = "a-benchmark-article";
  a.content = article_body();
  a.content_html = "<p>" + article_body() + "</p>";
  a.provider = "openai";
  a.model = "gpt-4o-mini";
  a.llm_calls = 1;
  a.usage = TokenUsage{1200, 0, 0, 2100, 0, false};
  a.cost = Money::from_nanos(1'440'000);
  a.word_count = 1500;
  a.metadata_json = R"({"campaign":"bench"})";
  a.created_at = now_utc();
  a.updated_at = a.created_at;
  record.events.push_back(Event{new_uuid_v7(), EventType::article_generated, a.created_at, workspace, a.id,
                                R"({"article_id":")" + a.id + R"(","cost_usd":"0.001440000"})"});
  SpendRecord spend;
  spend.id = new_uuid_v7();
  spend.workspace_id = workspace;
  spend.article_id = a.id;
  spend.provider = "openai";
  spend.model = "gpt-4o-mini";
  spend.usage = a.usage;
  spend.cost = a.cost;
  spend.at = a.created_at;
  record.spend.push_back(spend);
  record.idempotency_key = "plan:" + a.plan_id;
  return record;
}

void BM_Create(benchmark::State& state, Backend backend) {
  Database* db = database(backend);
  if (db == nullptr) {
    state.SkipWithError("no PostgreSQL (set CONTENTGEN_BENCH_PG_URL)");
    return;
  }
  const std::string workspace = "bench-create-" + std::to_string(state.thread_index());
  for (auto _ : state) {
    state.PauseTiming();
    const NewArticle record = generated_article(workspace);
    state.ResumeTiming();
    db->repo->create(record);
  }
  state.SetItemsProcessed(state.iterations());
}

// 100,000 articles in one workspace, inserted with one INSERT ... SELECT (benchmark setup only;
// every value is a constant of this file). 1 in 10 is published; created_at 1 ms apart.
void seed_list_workspace(Database& db, Backend backend) {
  if (db.seeded) return;
  auto sql = raw_session(db.url);
  const std::string common =
      "'bench-list', NULL, 'Seeded article', 'seeded-article', repeat('x', 2000), repeat('y', 2500), "
      "CASE WHEN i % 10 = 0 THEN 'published' ELSE 'draft' END, 'openai', 'gpt-4o-mini', 'stop', 1, 1200, 0, 0, "
      "2100, 0, ";
  if (backend == Backend::postgresql) {
    *sql << "INSERT INTO articles (id, workspace_id, plan_id, title, slug, content, content_html, status, provider, "
            "model, finish_reason, llm_calls, prompt_tokens, cached_tokens, cache_write_tokens, completion_tokens, "
            "reasoning_tokens, usage_estimated, cost_nanos, word_count, metadata, html_url, version, created_at, "
            "updated_at) SELECT 'seed-' || lpad(i::text, 8, '0'), " +
                common +
                "false, 1440000, 1500, CAST('{}' AS JSONB), NULL, 1, to_timestamp(1767225600) + i * INTERVAL '1 "
                "millisecond', to_timestamp(1767225600) + i * INTERVAL '1 millisecond' FROM generate_series(1, "
                "100000) AS i";
    *sql << "ANALYZE articles";
  } else {
    // SQLite has no repeat(): hex(zeroblob(n)) is 2n zeros.
    std::string sqlite_common = common;
    sqlite_common.replace(sqlite_common.find("repeat('x', 2000)"), 17, "replace(hex(zeroblob(1000)), '0', 'x')");
    sqlite_common.replace(sqlite_common.find("repeat('y', 2500)"), 17, "replace(hex(zeroblob(1250)), '0', 'y')");
    *sql << "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
            "INSERT INTO articles (id, workspace_id, plan_id, title, slug, content, content_html, status, provider, "
            "model, finish_reason, llm_calls, prompt_tokens, cached_tokens, cache_write_tokens, completion_tokens, "
            "reasoning_tokens, usage_estimated, cost_nanos, word_count, metadata, html_url, version, created_at, "
            "updated_at) SELECT 'seed-' || printf('%08d', i), " +
                sqlite_common +
                "0, 1440000, 1500, '{}', NULL, 1, 1767225600000000 + i * 1000, 1767225600000000 + i * 1000 FROM n";
    *sql << "ANALYZE";
  }
  // The cursor of a page ~90,000 rows deep: the row at that position in (created_at desc, id desc).
  const int deep = 90'000;
  long long created = 0;
  std::string id;
  if (backend == Backend::postgresql) {
    *sql << "SELECT CAST(EXTRACT(EPOCH FROM created_at) * 1000000 AS BIGINT), id FROM articles WHERE workspace_id = "
            "'bench-list' ORDER BY created_at DESC, id DESC OFFSET :deep LIMIT 1",
        soci::into(created), soci::into(id), soci::use(deep, "deep");
  } else {
    *sql << "SELECT created_at, id FROM articles WHERE workspace_id = 'bench-list' ORDER BY created_at DESC, id DESC "
            "LIMIT 1 OFFSET :deep",
        soci::into(created), soci::into(id), soci::use(deep, "deep");
  }
  db.deep_cursor = internal::encode_cursor({Timestamp{std::chrono::microseconds{created}}, id});
  for (int i = 1; i <= list_rows; i += list_rows / 64) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "seed-%08d", i);
    db.sample_ids.emplace_back(buffer);
  }
  db.seeded = true;
}

Database* list_database(benchmark::State& state, Backend backend) {
  Database* db = database(backend);
  if (db == nullptr) {
    state.SkipWithError("no PostgreSQL (set CONTENTGEN_BENCH_PG_URL)");
    return nullptr;
  }
  std::lock_guard lock(databases_mutex);
  seed_list_workspace(*db, backend);
  return db;
}

void BM_ListFirstPage(benchmark::State& state, Backend backend) {
  Database* db = list_database(state, backend);
  if (db == nullptr) return;
  std::size_t rows = 0;
  for (auto _ : state) rows += db->repo->list(list_workspace, ListQuery{std::nullopt, 20, ""}).items.size();
  state.counters["rows/page"] = benchmark::Counter(static_cast<double>(rows) / static_cast<double>(state.iterations()));
}

void BM_ListDeepPage(benchmark::State& state, Backend backend) {
  Database* db = list_database(state, backend);
  if (db == nullptr) return;
  std::size_t rows = 0;
  for (auto _ : state) rows += db->repo->list(list_workspace, ListQuery{std::nullopt, 20, db->deep_cursor}).items.size();
  state.counters["rows/page"] = benchmark::Counter(static_cast<double>(rows) / static_cast<double>(state.iterations()));
}

void BM_ListPublishedFirstPage(benchmark::State& state, Backend backend) {
  Database* db = list_database(state, backend);
  if (db == nullptr) return;
  std::size_t rows = 0;
  for (auto _ : state)
    rows += db->repo->list(list_workspace, ListQuery{ArticleStatus::published, 20, ""}).items.size();
  state.counters["rows/page"] = benchmark::Counter(static_cast<double>(rows) / static_cast<double>(state.iterations()));
}

void BM_Get(benchmark::State& state, Backend backend) {
  Database* db = list_database(state, backend);
  if (db == nullptr) return;
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(db->repo->get(list_workspace, db->sample_ids[i++ % db->sample_ids.size()]));
}

// What a relay does per batch: claim 100 rows, then mark them delivered -- one by one
// (mark_delivered: one commit each) or together (mark_delivered_many: one transaction).
void BM_ClaimOutbox(benchmark::State& state, Backend backend, bool batched_marks) {
  Database* db = database(backend);
  if (db == nullptr) {
    state.SkipWithError("no PostgreSQL (set CONTENTGEN_BENCH_PG_URL)");
    return;
  }
  std::size_t claimed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (int i = 0; i < 100; ++i) {
      NewArticle record = generated_article("bench-outbox");
      record.idempotency_key.clear();
      db->repo->create(record);
    }
    state.ResumeTiming();
    const auto batch = db->repo->claim_outbox(100, now_utc(), std::chrono::seconds(60));
    if (batched_marks) {
      std::vector<std::string> ids;
      for (const auto& entry : batch) ids.push_back(entry.event.id);
      db->repo->mark_delivered_many(ids, now_utc());
    } else {
      for (const auto& entry : batch) db->repo->mark_delivered(entry.event.id, now_utc());
    }
    claimed += batch.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(claimed));
}

void register_all() {
  for (const Backend backend : {Backend::sqlite_full, Backend::sqlite_normal, Backend::postgresql}) {
    const std::string n = name_of(backend);
    for (const int threads : {1, 8})
      benchmark::RegisterBenchmark(("Create/" + n).c_str(), BM_Create, backend)->Threads(threads)->UseRealTime();
    benchmark::RegisterBenchmark(("ClaimOutbox100/" + n).c_str(), BM_ClaimOutbox, backend, false)->UseRealTime();
    benchmark::RegisterBenchmark(("ClaimOutbox100BatchedMarks/" + n).c_str(), BM_ClaimOutbox, backend, true)
        ->UseRealTime();
    if (backend == Backend::sqlite_normal) continue;  // reads do not depend on synchronous
    benchmark::RegisterBenchmark(("ListFirstPage/" + n).c_str(), BM_ListFirstPage, backend)->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("ListDeepPage/" + n).c_str(), BM_ListDeepPage, backend)->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("ListPublishedFirstPage/" + n).c_str(), BM_ListPublishedFirstPage, backend)
        ->UseRealTime()->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("Get/" + n).c_str(), BM_Get, backend)->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (const std::string base = pg_base_url(); !base.empty() && databases.contains(Backend::postgresql)) {
    databases.clear();
    auto sql = raw_session(base);
    *sql << "SET client_min_messages TO WARNING";
    *sql << "DROP SCHEMA IF EXISTS cg_bench_" + std::to_string(::getpid()) + " CASCADE";
  }
  return 0;
}
