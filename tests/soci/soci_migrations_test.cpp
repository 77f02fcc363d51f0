// Versioned migrations on both backends: applied once, re-running is a no-op, a newer schema is
// refused, migrate=false only checks, concurrent openers apply each version once.
#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "adapters/soci/migrations.hpp"
#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "soci_test_support.hpp"

namespace contentgen::soci_test {
namespace {

using soci_adapter::latest_schema_version;

int migration_rows(soci::session& sql) {
  int rows = 0;
  sql << "SELECT COUNT(*) FROM schema_migrations", soci::into(rows);
  return rows;
}

std::set<std::string> index_names(soci::session& sql, bool postgresql) {
  std::vector<std::string> names(200);
  if (postgresql) {
    sql << "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()", soci::into(names);
  } else {
    sql << "SELECT name FROM sqlite_master WHERE type = 'index'", soci::into(names);
  }
  return {names.begin(), names.end()};
}

Article sample_article() {
  Article article;
  article.id = new_uuid_v7();
  article.workspace_id = "ws";
  article.title = "kept across re-opens";
  article.created_at = now_utc();
  article.updated_at = article.created_at;
  return article;
}

using SociMigrations = SociBackendTest;

TEST_P(SociMigrations, FirstOpenAppliesEveryVersionAndReopenIsANoOp) {
  const Article article = sample_article();
  {
    auto repo = open();
    repo->create(NewArticle{article, {}, {}, "", "", ""});
  }
  auto sql = admin_session(url);
  EXPECT_EQ(migration_rows(*sql), latest_schema_version());
  for (int i = 0; i < 2; ++i) {
    auto again = open();
    ASSERT_TRUE(again->get("ws", article.id).has_value()) << "re-open lost data";
  }
  EXPECT_EQ(migration_rows(*sql), latest_schema_version());
  int max_version = 0;
  *sql << "SELECT MAX(version) FROM schema_migrations", soci::into(max_version);
  EXPECT_EQ(max_version, soci_schema_version());
}

TEST_P(SociMigrations, NewerSchemaIsRefusedClearly) {
  open();
  {
    auto sql = admin_session(url);
    if (postgresql()) {
      *sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', now())";
    } else {
      *sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)";
    }
  }
  try {
    open();
    FAIL() << "a database at schema version 999 was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::storage);
    const std::string message = error.what();
    EXPECT_NE(message.find("999"), std::string::npos) << message;
    EXPECT_NE(message.find("newer"), std::string::npos) << message;
  }
}

TEST_P(SociMigrations, MigrateFalseOnlyChecks) {
  SociRepositoryOptions options;
  options.url = url;
  options.migrate = false;
  try {
    open_soci_repository(options);
    FAIL() << "an empty database was accepted without migrations";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::storage) << error.what();
  }
  {
    auto sql = admin_session(url);
    bool exists = true;
    try {
      migration_rows(*sql);
    } catch (const soci::soci_error&) {
      exists = false;
    }
    EXPECT_FALSE(exists) << "migrate=false must not create anything";
  }
  open();  // migrates
  EXPECT_NO_THROW(open_soci_repository(options));
}

TEST_P(SociMigrations, ConcurrentOpenersApplyEachVersionOnce) {
  std::vector<std::thread> openers;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    openers.emplace_back([&] {
      try {
        open(2);
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : openers) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto sql = admin_session(url);
  EXPECT_EQ(migration_rows(*sql), latest_schema_version());
}

TEST_P(SociMigrations, HotPathIndexesExist) {
  open();
  auto sql = admin_session(url);
  const auto names = index_names(*sql, postgresql());
  for (const char* expected : {"articles_workspace_page", "articles_workspace_status_page", "outbox_pending",
                               "article_images_article", "spend_ledger_workspace_time",
                               "budget_reservations_workspace"})
    EXPECT_TRUE(names.contains(expected)) << expected;
}

INSTANTIATE_TEST_SUITE_P(Soci, SociMigrations, ::testing::Values(Db::sqlite, Db::postgresql), db_name);

TEST(SociMigrationLists, BothBackendsHaveTheSameVersionsAndNames) {
  const auto sqlite = soci_adapter::sqlite_migrations();
  const auto postgresql = soci_adapter::postgresql_migrations();
  ASSERT_EQ(sqlite.size(), postgresql.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ(sqlite[i].version, postgresql[i].version);
    EXPECT_EQ(sqlite[i].name, postgresql[i].name);
  }
}

}  // namespace
}  // namespace contentgen::soci_test
