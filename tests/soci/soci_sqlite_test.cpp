// SQLite specifics: WAL, busy handling between connections (another connection or process holding
// the write lock), the single-connection in-memory database under concurrent use, JSON checks.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "soci_test_support.hpp"

namespace contentgen::soci_test {
namespace {

using namespace std::chrono_literals;

NewArticle article_in(const std::string& workspace) {
  Article article;
  article.id = new_uuid_v7();
  article.workspace_id = workspace;
  article.title = "sqlite";
  article.created_at = now_utc();
  article.updated_at = article.created_at;
  return NewArticle{article, {Event{new_uuid_v7(), EventType::article_generated, article.created_at, workspace, article.id, "{}"}}, {}, "", "", ""};
}

std::shared_ptr<ArticleRepository> open_with_lock_timeout(const std::string& url, std::chrono::milliseconds timeout) {
  SociRepositoryOptions options;
  options.url = url;
  options.lock_timeout = timeout;
  return open_soci_repository(options);
}

TEST(SociSqlite, FileDatabasesUseWal) {
  const std::string url = "sqlite:" + fresh_sqlite_path();
  auto repo = open_fresh(url);
  auto sql = admin_session(url);
  std::string mode;
  *sql << "PRAGMA journal_mode", soci::into(mode);
  EXPECT_EQ(mode, "wal");
}

TEST(SociSqlite, BadPoolOptionsAreNamed) {
  const auto field_of = [](const std::function<void(SociRepositoryOptions&)>& change) -> std::string {
    SociRepositoryOptions options;
    options.url = "sqlite:" + fresh_sqlite_path();
    change(options);
    try {
      (void)open_soci_repository(options);
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::invalid_argument) << error.what();
      return error.details().field;
    }
    ADD_FAILURE() << "accepted";
    return "";
  };
  EXPECT_EQ(field_of([](SociRepositoryOptions& o) { o.pool_size = 0; }), "pool_size");
  EXPECT_EQ(field_of([](SociRepositoryOptions& o) { o.sqlite_synchronous = "full "; }), "sqlite_synchronous");
  EXPECT_EQ(field_of([](SociRepositoryOptions& o) { o.sqlite_synchronous = "NORMAL; DROP TABLE x"; }),
            "sqlite_synchronous");
}

TEST(SociSqlite, AWriterHoldingTheLockMakesWritesUnavailableButNotReads) {
  const std::string url = "sqlite:" + fresh_sqlite_path();
  auto repo = open_with_lock_timeout(url, 200ms);
  const NewArticle existing = article_in("ws");
  repo->create(existing);

  auto other = admin_session(url);  // another connection, as another process would have
  *other << "BEGIN IMMEDIATE";
  const auto started = std::chrono::steady_clock::now();
  try {
    repo->create(article_in("ws"));
    FAIL() << "a write went through while another connection held the write lock";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::unavailable) << error.what();
    EXPECT_TRUE(is_retryable(error.code()));
    EXPECT_EQ(error.details().provider, "sqlite");
  }
  EXPECT_GE(std::chrono::steady_clock::now() - started, 190ms) << "did not wait for the busy timeout";
  EXPECT_TRUE(repo->get("ws", existing.article.id).has_value()) << "WAL readers must not block on a writer";
  *other << "COMMIT";

  EXPECT_NO_THROW(repo->create(article_in("ws"))) << "the next call must succeed once the lock is free";
  EXPECT_EQ(repo->pending_outbox_count(), 2u) << "the failed create left an event behind";
}

TEST(SociSqlite, AWriterWaitsWithinTheBusyTimeout) {
  const std::string url = "sqlite:" + fresh_sqlite_path();
  auto repo = open_with_lock_timeout(url, 5000ms);
  auto other = admin_session(url);
  *other << "BEGIN IMMEDIATE";
  auto release = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(300ms);
    *other << "COMMIT";
  });
  EXPECT_NO_THROW(repo->create(article_in("ws")));
  release.get();
}

TEST(SociSqlite, TwoRepositoriesOnOneFileInterleaveWrites) {
  const std::string url = "sqlite:" + fresh_sqlite_path();
  auto first = open_fresh(url, 4);
  auto second = open_fresh(url, 4);
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      auto& repo = (t % 2 == 0) ? first : second;
      for (int i = 0; i < 25; ++i) repo->create(article_in("ws"));
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(first->pending_outbox_count(), 200u);
  EXPECT_EQ(second->list("ws", ListQuery{std::nullopt, 100, ""}).items.size(), 100u);
}

TEST(SociSqlite, InMemoryDatabaseServesManyThreadsOnItsOneConnection) {
  auto repo = open_fresh("sqlite::memory:", 8);  // forced to one connection
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) repo->create(article_in("ws"));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(repo->pending_outbox_count(), 160u);
}

TEST(SociSqlite, MetadataMustBeAJsonObject) {
  auto repo = open_fresh("sqlite::memory:");
  NewArticle record = article_in("ws");
  record.article.metadata_json = "[1, 2]";
  try {
    repo->create(record);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(error.details().field, "article.metadata_json");
  }
  record.article.metadata_json = "{not json";
  EXPECT_THROW(repo->create(record), Error);
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
}

TEST(SociSqlite, SpendWithoutIdOrWorkspaceIsRefusedBeforeAnySql) {
  auto repo = open_fresh("sqlite::memory:");
  SpendRecord spend;
  spend.id = new_uuid_v7();
  spend.workspace_id = "ws";
  spend.provider = "openai";
  spend.model = "gpt-4o-mini";
  spend.cost = Money::from_nanos(7);
  const auto field_of = [](const std::function<void()>& call) -> std::string {
    try {
      call();
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::invalid_argument) << error.what();
      return error.details().field;
    }
    return "accepted";
  };
  for (const auto& [broken, field] : {std::pair{SpendRecord{spend}, std::string("spend.id")},
                                      std::pair{SpendRecord{spend}, std::string("spend.workspace_id")}}) {
    SpendRecord bad = broken;
    (field == "spend.id" ? bad.id : bad.workspace_id).clear();
    EXPECT_EQ(field_of([&] { repo->record_spend(bad, ""); }), field);
    NewArticle record = article_in("ws");
    record.spend = {bad};
    EXPECT_EQ(field_of([&] { repo->create(record); }), field) << "create checks its spend rows too";
  }
  EXPECT_EQ(repo->spend_total("ws", std::nullopt), Money{});
  EXPECT_EQ(repo->pending_outbox_count(), 0u) << "nothing of a refused create was written";
}

TEST(SociSqlite, UnopenableFileIsAStorageError) {
  SociRepositoryOptions options;
  options.url = "sqlite:/nonexistent-dir/for/sure/contentgen.db";
  try {
    open_soci_repository(options);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::storage) << error.what();
  }
}

}  // namespace
}  // namespace contentgen::soci_test
