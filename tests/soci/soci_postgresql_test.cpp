// PostgreSQL specifics: a backend killed mid-transaction (pg_terminate_backend) leaves no orphan
// and the next call succeeds; idle pooled connections that died are replaced transparently; lock
// and statement timeouts map to unavailable / timeout; pool exhaustion; unreachable servers and
// passwords in errors; the reporting columns (NUMERIC, JSONB, TIMESTAMPTZ).
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

NewArticle article_in(const std::string& workspace, Money cost = Money::from_nanos(1'500'000'000)) {
  Article article;
  article.id = new_uuid_v7();
  article.workspace_id = workspace;
  article.title = "pg";
  article.cost = cost;
  article.metadata_json = R"({"campaign":"spring","n":2})";
  article.created_at = now_utc();
  article.updated_at = article.created_at;
  SpendRecord spend;
  spend.id = new_uuid_v7();
  spend.workspace_id = workspace;
  spend.article_id = article.id;
  spend.provider = "openai";
  spend.model = "gpt-4o-mini";
  spend.cost = cost;
  spend.at = article.created_at;
  return NewArticle{article,
                    {Event{new_uuid_v7(), EventType::article_generated, article.created_at, workspace, article.id, "{}"}},
                    {spend},
                    "",
                    "",
                    ""};
}

class SociPostgresql : public ::testing::Test {
 protected:
  void SetUp() override {
    base_url_ = pg_base_url();
    if (base_url_.empty()) {
      if (HasFailure()) FAIL() << pg_url_variable << " is required";
      GTEST_SKIP() << pg_url_variable << " not set";
    }
    app_ = "cg_pg_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter_);
    url_ = fresh_pg_schema_url(base_url_, "application_name=" + app_);
    admin_ = admin_session(url_);
  }

  std::shared_ptr<ArticleRepository> open(std::size_t pool_size, std::chrono::milliseconds lock_timeout = 30s,
                                          std::chrono::milliseconds statement_timeout = 0ms,
                                          std::chrono::milliseconds acquire_timeout = 10s) {
    SociRepositoryOptions options;
    options.url = url_;
    options.pool_size = pool_size;
    options.lock_timeout = lock_timeout;
    options.statement_timeout = statement_timeout;
    options.acquire_timeout = acquire_timeout;
    return open_soci_repository(options);
  }

  // The repository's backend that waits on a lock (polls up to 10 s); 0 if none showed up.
  int blocked_backend() {
    for (int i = 0; i < 1000; ++i) {
      int pid = 0;
      soci::indicator indicator = soci::i_null;
      *admin_ << "SELECT pid FROM pg_stat_activity WHERE application_name = :app AND wait_event_type = 'Lock' "
                 "LIMIT 1",
          soci::into(pid, indicator), soci::use(app_, "app");
      if (admin_->got_data() && indicator == soci::i_ok) return pid;
      std::this_thread::sleep_for(10ms);
    }
    return 0;
  }

  long long scalar(const std::string& query_without_user_data) {
    long long value = 0;
    *admin_ << query_without_user_data, soci::into(value);
    return value;
  }

  std::string base_url_;
  std::string url_;
  std::string app_;
  std::unique_ptr<soci::session> admin_;
  static inline int counter_ = 0;
};

// Kills the repository's connection while create() waits for the lock `lock_statement` takes,
// i.e. after the rows written before that table in the same transaction, and checks that nothing
// of the transaction remains and the error is typed.
void kill_create_while_blocked(ArticleRepository& repo, soci::session& blocker, const char* lock_statement,
                               const std::function<int()>& find_blocked, const std::string& url) {
  blocker << "BEGIN";
  blocker << lock_statement;
  const NewArticle doomed = article_in("ws");
  auto attempt = std::async(std::launch::async, [&] { repo.create(doomed); });
  const int pid = find_blocked();
  EXPECT_NE(pid, 0) << "create() never blocked on the lock";
  if (pid != 0) {
    auto killer = admin_session(url);
    int terminated = 0;
    *killer << "SELECT CASE WHEN pg_terminate_backend(:pid) THEN 1 ELSE 0 END", soci::into(terminated),
        soci::use(pid, "pid");
    EXPECT_EQ(terminated, 1);
  } else {
    blocker << "ROLLBACK";
  }
  try {
    attempt.get();
    ADD_FAILURE() << "create() succeeded on a killed connection";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::unavailable) << error.what();
    EXPECT_EQ(error.details().provider, "postgresql");
  }
  if (pid != 0) blocker << "ROLLBACK";
  EXPECT_FALSE(repo.get("ws", doomed.article.id).has_value()) << "the killed transaction left its article";
}

TEST_F(SociPostgresql, KilledMidTransactionLeavesNoOrphanAndTheNextCallSucceeds) {
  auto repo = open(1);  // one connection: the next call must reuse (reconnect) the killed slot
  auto blocker = admin_session(url_);
  // Killed after the article row, before its outbox row.
  kill_create_while_blocked(*repo, *blocker, "LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE",
                            [this] { return blocked_backend(); }, url_);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM articles"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox"), 0);
  // Killed after the article AND outbox rows, before the spend row.
  kill_create_while_blocked(*repo, *blocker, "LOCK TABLE spend_ledger IN ACCESS EXCLUSIVE MODE",
                            [this] { return blocked_backend(); }, url_);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM articles"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox"), 0) << "outbox row without its article";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM spend_ledger"), 0);

  const NewArticle next = article_in("ws");
  EXPECT_NO_THROW(repo->create(next));
  EXPECT_TRUE(repo->get("ws", next.article.id).has_value());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM spend_ledger"), 1);
}

TEST_F(SociPostgresql, IdleConnectionsThatDiedAreReplacedTransparently) {
  auto repo = open(2);
  const NewArticle first = article_in("ws");
  repo->create(first);
  int killed = 0;
  *admin_ << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :app AND pid <> pg_backend_pid()",
      soci::into(killed), soci::use(app_, "app");
  EXPECT_EQ(killed, 2);
  // Reads retry on a fresh connection; writes retry when BEGIN finds the connection dead.
  EXPECT_TRUE(repo->get("ws", first.article.id).has_value());
  EXPECT_NO_THROW(repo->create(article_in("ws")));
  EXPECT_EQ(repo->list("ws", ListQuery{}).items.size(), 2u);
}

TEST_F(SociPostgresql, LockTimeoutIsUnavailableAndTheNextCallSucceeds) {
  auto repo = open(1, 200ms);
  auto blocker = admin_session(url_);
  *blocker << "BEGIN";
  *blocker << "LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE";
  const auto started = std::chrono::steady_clock::now();
  try {
    repo->create(article_in("ws"));
    FAIL() << "create() went through a held lock";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::unavailable) << error.what();
    EXPECT_EQ(error.details().provider_code, "55P03");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  *blocker << "ROLLBACK";
  EXPECT_NO_THROW(repo->create(article_in("ws")));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM articles"), 1);
}

TEST_F(SociPostgresql, StatementTimeoutIsTimeout) {
  auto repo = open(1, 10s, 200ms);
  auto blocker = admin_session(url_);
  *blocker << "BEGIN";
  *blocker << "LOCK TABLE articles IN ACCESS EXCLUSIVE MODE";
  try {
    repo->list("ws", ListQuery{});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::timeout) << error.what();
    EXPECT_EQ(error.details().provider_code, "57014");
  }
  *blocker << "ROLLBACK";
  EXPECT_NO_THROW(repo->list("ws", ListQuery{}));
}

TEST_F(SociPostgresql, ExhaustedPoolIsUnavailable) {
  auto repo = open(1, 30s, 0ms, 100ms);
  auto blocker = admin_session(url_);
  *blocker << "BEGIN";
  *blocker << "LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE";
  auto holder = std::async(std::launch::async, [&] { repo->create(article_in("ws")); });  // holds the connection
  ASSERT_NE(blocked_backend(), 0);
  try {
    repo->get("ws", "anything");
    FAIL() << "a second call got a connection from a pool of one";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::unavailable) << error.what();
  }
  *blocker << "ROLLBACK";
  EXPECT_NO_THROW(holder.get());
}

TEST_F(SociPostgresql, ServerErrorsBecomeTypedOneLineErrors) {
  auto repo = open(1);
  const NewArticle record = article_in("ws");
  repo->create(record);
  try {
    repo->create(record);
    FAIL() << "a duplicate id must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
    EXPECT_EQ(e.details().provider, "postgresql");
    EXPECT_EQ(e.details().provider_code, "23505");
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("create article: ERROR: duplicate key value", 0), 0u) << message;
    EXPECT_NE(message.find(" DETAIL: Key (id)="), std::string::npos) << "the server's detail, on the same line";
    EXPECT_EQ(message.find_first_of("\r\n\t"), std::string::npos) << message;
    EXPECT_EQ(message.find("  "), std::string::npos) << message;
    EXPECT_EQ(message.find("Cannot execute query"), std::string::npos) << message;
    EXPECT_NE(message.back(), ' ') << message;
  }
}

TEST_F(SociPostgresql, UnreachableServerIsUnavailableAndNeverShowsThePassword) {
  SociRepositoryOptions options;
  options.url = "postgresql://app:Sup3r%20Secr3t@127.0.0.1:1/contentgen";
  options.connect_timeout = 2s;
  try {
    open_soci_repository(options);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::unavailable) << error.what();
    const std::string message = error.what();
    EXPECT_EQ(message.find("Sup3r"), std::string::npos) << message;
    EXPECT_NE(message.find("app:***@127.0.0.1:1"), std::string::npos) << message;
  }
  // Reachable server, wrong database: the password (ignored by trust auth) is still not echoed.
  std::string url = base_url_;
  url.replace(url.find("postgres@"), 9, "postgres:Sup3rSecr3t@");
  url = url.substr(0, url.rfind('/')) + "/no_such_database_xyz";
  options.url = url;
  try {
    open_soci_repository(options);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()).find("Sup3rSecr3t"), std::string::npos) << error.what();
  }
}

TEST_F(SociPostgresql, ReportingColumnsAreExactAndQueryable) {
  auto repo = open(1);
  const NewArticle record = article_in("ws", Money::from_nanos(123'456'789'012));
  repo->create(record);
  std::string cost_usd, campaign, spend_usd;
  *admin_ << "SELECT CAST(cost_usd AS TEXT), metadata->>'campaign' FROM articles", soci::into(cost_usd),
      soci::into(campaign);
  EXPECT_EQ(cost_usd, "123.456789012");
  EXPECT_EQ(campaign, "spring");
  *admin_ << "SELECT CAST(SUM(cost_usd) AS TEXT) FROM spend_ledger", soci::into(spend_usd);
  EXPECT_EQ(spend_usd, "123.456789012");
  int same_instant = 0;
  const std::string created = format_rfc3339(record.article.created_at);
  *admin_ << "SELECT CASE WHEN created_at = CAST(:created AS TIMESTAMPTZ) THEN 1 ELSE 0 END FROM articles",
      soci::into(same_instant), soci::use(created, "created");
  EXPECT_EQ(same_instant, 1) << "created_at is a real TIMESTAMPTZ at microsecond precision";
}

}  // namespace
}  // namespace contentgen::soci_test
