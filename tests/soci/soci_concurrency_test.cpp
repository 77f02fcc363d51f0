// Two PROCESSES x 8 threads on one database (soci_stress_worker, spawned twice), on PostgreSQL and
// on a SQLite file. What the workers report is cross-checked against the rows:
//  - creating and updating: no lost update (every successful increment is in the data, versions
//    count exactly the successful updates), every article and event is there once;
//  - claiming the outbox from both processes: no row is handed out twice, none is left behind;
//  - budgets: 16 concurrent reservations/settlements (and real ContentGenerator generations)
//    never spend past the limit.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "soci_test_support.hpp"

extern char** environ;

namespace contentgen::soci_test {
namespace {

namespace fs = std::filesystem;
constexpr int processes = 2;
constexpr int threads_per_process = 8;

class SociConcurrency : public SociBackendTest {
 protected:
  void SetUp() override {
    SociBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    dir_ = fs::path(fresh_sqlite_path()).replace_extension("dir");
    fs::create_directories(dir_);
  }

  // Runs MODE in two worker processes at once; returns each one's output lines.
  std::vector<std::vector<std::string>> run_workers(const std::string& mode, const std::vector<std::string>& args) {
    const std::string go = (dir_ / (mode + ".go")).string();
    std::vector<pid_t> pids;
    std::vector<std::string> outs;
    for (int p = 0; p < processes; ++p) {
      outs.push_back((dir_ / (mode + "-" + std::to_string(p) + ".out")).string());
      std::vector<std::string> argv_strings{SOCI_STRESS_WORKER, mode, url, outs.back(), go,
                                            std::to_string(threads_per_process)};
      argv_strings.insert(argv_strings.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& s : argv_strings) argv.push_back(s.data());
      argv.push_back(nullptr);
      pid_t pid = 0;
      EXPECT_EQ(posix_spawn(&pid, SOCI_STRESS_WORKER, nullptr, nullptr, argv.data(), environ), 0);
      pids.push_back(pid);
    }
    std::ofstream(go).put('\n');  // both processes start together
    for (const pid_t pid : pids) {
      int status = 0;
      EXPECT_EQ(waitpid(pid, &status, 0), pid);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << mode << " worker failed, status " << status;
    }
    std::vector<std::vector<std::string>> results;
    for (const auto& out : outs) {
      std::vector<std::string> lines;
      std::ifstream in(out);
      for (std::string line; std::getline(in, line);) lines.push_back(line);
      results.push_back(std::move(lines));
    }
    return results;
  }

  static long long sum_of(const std::vector<std::vector<std::string>>& results, const std::string& key) {
    long long total = 0;
    for (const auto& lines : results)
      for (const auto& line : lines)
        if (line.starts_with(key + "=")) total += std::stoll(line.substr(key.size() + 1));
    return total;
  }

  long long scalar(const std::string& query_without_user_data) {
    auto sql = admin_session(url);
    long long value = 0;
    *sql << query_without_user_data, soci::into(value);
    return value;
  }

  fs::path dir_;
};

Article seed(const std::string& workspace) {
  Article article;
  article.id = new_uuid_v7();
  article.workspace_id = workspace;
  article.title = "shared";
  article.created_at = now_utc();
  article.updated_at = article.created_at;
  return article;
}

TEST_P(SociConcurrency, CreateAndUpdateFromTwoProcessesLosesNothing) {
  constexpr int iterations = 25;
  constexpr int shared_count = 4;  // few shared rows: many version conflicts
  auto repo = open();
  std::vector<std::string> shared;
  {
    std::ofstream ids(dir_ / "shared.txt");
    for (int i = 0; i < shared_count; ++i) {
      const Article article = seed("stress");
      repo->create(NewArticle{article, {}, {}, "", "", ""});
      shared.push_back(article.id);
      ids << article.id << "\n";
    }
  }
  const auto results = run_workers("articles", {std::to_string(iterations), (dir_ / "shared.txt").string()});
  const long long creates = sum_of(results, "creates");
  const long long increments = sum_of(results, "increments");
  const long long expected_creates = static_cast<long long>(processes) * threads_per_process * iterations;
  EXPECT_EQ(creates, expected_creates);
  EXPECT_EQ(increments, expected_creates) << "every thread increments once per iteration";
  RecordProperty("version_conflicts_retried", std::to_string(sum_of(results, "conflicts")));

  long long versions = 0;
  long long words = 0;
  for (const auto& id : shared) {
    const auto article = repo->get("stress", id);
    ASSERT_TRUE(article.has_value());
    EXPECT_EQ(article->version - 1, article->word_count) << "a version without its increment, or the reverse";
    versions += article->version - 1;
    words += article->word_count;
  }
  EXPECT_EQ(words, increments) << "lost update";
  EXPECT_EQ(versions, increments);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM articles"), shared_count + expected_creates);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox"), expected_creates + increments) << "one event per successful write";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM spend_ledger"), expected_creates);
  EXPECT_EQ(repo->spend_total("stress", std::nullopt), Money::from_nanos(1000 * expected_creates));

  // Phase 2: both processes drain the outbox at once.
  const long long rows = scalar("SELECT COUNT(*) FROM outbox");
  const auto claims = run_workers("claim", {});
  std::map<std::string, int> claimed;
  for (const auto& lines : claims)
    for (const auto& id : lines) ++claimed[id];
  for (const auto& [id, times] : claimed) EXPECT_EQ(times, 1) << "outbox row " << id << " claimed " << times << " times";
  EXPECT_EQ(static_cast<long long>(claimed.size()), rows) << "rows left unclaimed";
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL"), 0);
}

TEST_P(SociConcurrency, SixteenConcurrentReservationsNeverOverspend) {
  constexpr long long amount = 30'000'000;     // 0.03 USD worst case per call
  constexpr long long limit = 1'000'000'000;   // 1 USD: about 40-60 settlements fit
  auto repo = open();
  repo->set_budget("budget-ws", Budget{Money::from_nanos(limit), Budget::Period::monthly});
  const auto results = run_workers("budget", {"budget-ws", std::to_string(amount)});
  const Money total = repo->spend_total("budget-ws", std::nullopt);
  RecordProperty("reservations", std::to_string(sum_of(results, "reservations")));
  EXPECT_LE(total.nanos(), limit) << "the budget was overrun";
  EXPECT_EQ(total.nanos(), sum_of(results, "spent_nanos")) << "spend recorded differs from what the workers settled";
  EXPECT_EQ(sum_of(results, "exceeded"), processes * threads_per_process) << "every thread ends on budget_exceeded";
  EXPECT_GT(total.nanos(), limit - processes * threads_per_process * amount) << "the budget was not used up";
  EXPECT_GE(sum_of(results, "reservations"), limit / amount);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM budget_reservations"), 0) << "every reservation was settled or released";
}

TEST_P(SociConcurrency, SixteenConcurrentGenerationsNeverOverspend) {
  auto repo = open();
  // gpt-4o-mini: each generation costs 1200 input + 800 output tokens; the generator reserves the
  // worst case (prompt estimate + 1000 output tokens) first.
  constexpr long long limit = 20'000'000;  // 0.02 USD
  repo->set_budget("gen-ws", Budget{Money::from_nanos(limit), Budget::Period::total});
  const auto results = run_workers("generate", {"gen-ws"});
  const long long generated = sum_of(results, "generated");
  RecordProperty("generated", std::to_string(generated));
  const Money total = repo->spend_total("gen-ws", std::nullopt);
  EXPECT_LE(total.nanos(), limit) << "the budget was overrun";
  EXPECT_GT(generated, 0);
  EXPECT_EQ(sum_of(results, "exceeded"), processes * threads_per_process);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM articles"), generated);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM spend_ledger"), generated);
  EXPECT_EQ(static_cast<long long>(repo->pending_outbox_count()), generated);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM budget_reservations"), 0);
  if (generated > 0) {
    EXPECT_EQ(total.nanos() % generated, 0) << "every generation costs the same";
  }
}

INSTANTIATE_TEST_SUITE_P(Soci, SociConcurrency, ::testing::Values(Db::sqlite, Db::postgresql), db_name);

}  // namespace
}  // namespace contentgen::soci_test
