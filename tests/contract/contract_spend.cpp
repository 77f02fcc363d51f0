// Contract: spend ledger, budgets and reservations.
#include <atomic>
#include <thread>

#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "contract/article_repository_contract.hpp"
#include "contract/contract_support.hpp"

namespace contentgen::contract {
namespace {

using std::chrono::seconds;

Money usd(const char* text) { return Money::parse(text); }
Budget monthly(const char* limit) { return Budget{usd(limit), Budget::Period::monthly}; }
Budget total(const char* limit) { return Budget{usd(limit), Budget::Period::total}; }

// base_time() is 2026-03-14; these are in February and in March.
Timestamp february() { return *parse_rfc3339("2026-02-28T23:59:59.999999Z"); }
Timestamp march_first() { return *parse_rfc3339("2026-03-01T00:00:00.000000Z"); }

TEST_P(ArticleRepositoryContract, SpendTotalSumsTheWorkspacesRecordsSinceAnInclusiveBound) {
  repo->record_spend(make_spend(ws_a, usd("0.000000001"), february()), "");
  repo->record_spend(make_spend(ws_a, usd("0.004225"), march_first()), "");
  repo->record_spend(make_spend(ws_a, usd("1.5"), base_time()), "");
  repo->record_spend(make_spend(ws_b, usd("100"), base_time()), "");
  EXPECT_EQ(repo->spend_total(ws_a, std::nullopt), usd("1.504225001"));
  EXPECT_EQ(repo->spend_total(ws_a, march_first()), usd("1.504225"));
  EXPECT_EQ(repo->spend_total(ws_a, march_first() + std::chrono::microseconds(1)), usd("1.5"));
  EXPECT_EQ(repo->spend_total(ws_a, seconds_after_base(1)), Money{});
  EXPECT_EQ(repo->spend_total(ws_b, std::nullopt), usd("100"));
  EXPECT_EQ(repo->spend_total("ws-gamma", std::nullopt), Money{});
}

TEST_P(ArticleRepositoryContract, SpendSummarySeparatesEstimatedSpend) {
  repo->record_spend(make_spend(ws_a, usd("0.004225"), march_first()), "");
  SpendRecord estimated = make_spend(ws_a, usd("0.25"), base_time());
  estimated.usage.estimated = true;
  repo->record_spend(estimated, "");
  repo->record_spend(make_spend(ws_a, usd("1.5"), base_time()), "");
  repo->record_spend(make_spend(ws_b, usd("100"), base_time()), "");
  EXPECT_EQ(repo->spend_summary(ws_a, std::nullopt), (SpendSummary{usd("1.754225"), usd("0.25"), 3, 1}));
  EXPECT_EQ(repo->spend_summary(ws_a, base_time()), (SpendSummary{usd("1.75"), usd("0.25"), 2, 1}));
  EXPECT_EQ(repo->spend_summary(ws_a, seconds_after_base(1)), SpendSummary{});
  EXPECT_EQ(repo->spend_summary(ws_b, std::nullopt), (SpendSummary{usd("100"), Money{}, 1, 0}));
  EXPECT_EQ(repo->spend_summary("ws-gamma", std::nullopt), SpendSummary{});
}

TEST_P(ArticleRepositoryContract, SpendIdIsUniqueAndCountsOnce) {
  const SpendRecord spend = make_spend(ws_a, usd("0.75"), base_time());
  repo->record_spend(spend, "");
  CONTRACT_EXPECT_ERROR(repo->record_spend(spend, ""), ErrorCode::conflict, "");
  EXPECT_EQ(repo->spend_total(ws_a, std::nullopt), usd("0.75"));
}

TEST_P(ArticleRepositoryContract, LargeSpendSumsExactly) {
  for (int i = 0; i < 10; ++i) repo->record_spend(make_spend(ws_a, usd("123456.789012345"), base_time()), "");
  EXPECT_EQ(repo->spend_total(ws_a, std::nullopt), usd("1234567.89012345"));
}

TEST_P(ArticleRepositoryContract, BudgetsRoundTripPerWorkspace) {
  EXPECT_FALSE(repo->get_budget(ws_a).has_value());
  repo->set_budget(ws_a, monthly("25.123456789"));
  repo->set_budget(ws_b, total("0"));
  EXPECT_EQ(repo->get_budget(ws_a), monthly("25.123456789"));
  EXPECT_EQ(repo->get_budget(ws_b), total("0"));
  repo->set_budget(ws_a, total("3"));
  EXPECT_EQ(repo->get_budget(ws_a), total("3"));
  repo->set_budget(ws_a, std::nullopt);
  EXPECT_FALSE(repo->get_budget(ws_a).has_value());
  EXPECT_EQ(repo->get_budget(ws_b), total("0"));
  CONTRACT_EXPECT_ERROR(repo->set_budget(ws_a, total("-1")), ErrorCode::invalid_argument, "budget.limit");
}

TEST_P(ArticleRepositoryContract, WithoutABudgetNothingIsReserved) {
  repo->set_budget(ws_b, total("1"));
  EXPECT_FALSE(repo->reserve_budget(ws_a, usd("1000000"), base_time(), seconds(60)).has_value());
}

TEST_P(ArticleRepositoryContract, ReservationCarriesItsFields) {
  repo->set_budget(ws_a, total("1"));
  const auto reservation = repo->reserve_budget(ws_a, usd("0.25"), base_time(), seconds(90));
  ASSERT_TRUE(reservation.has_value());
  EXPECT_FALSE(reservation->id.empty());
  EXPECT_EQ(reservation->workspace_id, ws_a);
  EXPECT_EQ(reservation->amount, usd("0.25"));
  EXPECT_EQ(reservation->expires_at, base_time() + seconds(90));
}

TEST_P(ArticleRepositoryContract, MonthlyBudgetCountsOnlyThisCalendarMonth) {
  repo->set_budget(ws_a, monthly("1"));
  repo->record_spend(make_spend(ws_a, usd("5"), february()), "");    // last month: ignored
  repo->record_spend(make_spend(ws_a, usd("0.4"), march_first()), "");  // this month
  repo->record_spend(make_spend(ws_b, usd("5"), base_time()), "");   // another workspace
  EXPECT_TRUE(repo->reserve_budget(ws_a, usd("0.6"), base_time(), seconds(60)).has_value());  // exactly 1.0
  CONTRACT_EXPECT_ERROR(repo->reserve_budget(ws_a, usd("0.000000001"), base_time(), seconds(60)),
                        ErrorCode::budget_exceeded, "");
}

TEST_P(ArticleRepositoryContract, TotalBudgetCountsAllTime) {
  repo->set_budget(ws_a, total("1"));
  repo->record_spend(make_spend(ws_a, usd("0.7"), february()), "");
  repo->record_spend(make_spend(ws_a, usd("0.2"), base_time()), "");
  CONTRACT_EXPECT_ERROR(repo->reserve_budget(ws_a, usd("0.2"), base_time(), seconds(60)), ErrorCode::budget_exceeded, "");
  EXPECT_TRUE(repo->reserve_budget(ws_a, usd("0.1"), base_time(), seconds(60)).has_value());
}

TEST_P(ArticleRepositoryContract, LiveReservationsCountAndRefusalsReserveNothing) {
  repo->set_budget(ws_a, total("1"));
  const auto first = repo->reserve_budget(ws_a, usd("0.6"), base_time(), seconds(60));
  ASSERT_TRUE(first.has_value());
  CONTRACT_EXPECT_ERROR(repo->reserve_budget(ws_a, usd("0.5"), base_time(), seconds(60)), ErrorCode::budget_exceeded, "");
  // The refused 0.5 reserved nothing: 0.4 still fits.
  const auto second = repo->reserve_budget(ws_a, usd("0.4"), base_time(), seconds(60));
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(first->id, second->id);
  repo->release_reservation(first->id);
  EXPECT_TRUE(repo->reserve_budget(ws_a, usd("0.6"), base_time(), seconds(60)).has_value());
  EXPECT_NO_THROW(repo->release_reservation(new_uuid_v7()));
  EXPECT_NO_THROW(repo->release_reservation(first->id));  // already released
}

TEST_P(ArticleRepositoryContract, ExpiredReservationsStopCounting) {
  repo->set_budget(ws_a, total("1"));
  ASSERT_TRUE(repo->reserve_budget(ws_a, usd("0.9"), base_time(), seconds(60)).has_value());
  CONTRACT_EXPECT_ERROR(repo->reserve_budget(ws_a, usd("0.2"), base_time() + seconds(59), seconds(60)),
                        ErrorCode::budget_exceeded, "");
  EXPECT_TRUE(repo->reserve_budget(ws_a, usd("0.2"), base_time() + seconds(60), seconds(60)).has_value());
}

TEST_P(ArticleRepositoryContract, RecordSpendReleasesItsReservation) {
  repo->set_budget(ws_a, total("1"));
  const auto reservation = repo->reserve_budget(ws_a, usd("0.9"), base_time(), seconds(600));
  ASSERT_TRUE(reservation.has_value());
  repo->record_spend(make_spend(ws_a, usd("0.1"), base_time()), reservation->id);
  // 0.1 spent, nothing reserved: 0.9 fits again.
  EXPECT_TRUE(repo->reserve_budget(ws_a, usd("0.9"), base_time(), seconds(600)).has_value());
}

TEST_P(ArticleRepositoryContract, CreateSettlesItsReservation) {
  repo->set_budget(ws_a, total("1"));
  const auto reservation = repo->reserve_budget(ws_a, usd("0.9"), base_time(), seconds(600));
  ASSERT_TRUE(reservation.has_value());
  NewArticle record = new_article(make_article(ws_a, base_time()));
  record.spend.push_back(make_spend(ws_a, usd("0.3"), base_time(), record.article.id));
  record.reservation_id = reservation->id;
  repo->create(record);
  EXPECT_EQ(repo->spend_total(ws_a, std::nullopt), usd("0.3"));
  EXPECT_TRUE(repo->reserve_budget(ws_a, usd("0.7"), base_time(), seconds(600)).has_value());
}

TEST_P(ArticleRepositoryContract, AFailedCreateKeepsItsReservation) {
  repo->set_budget(ws_a, total("1"));
  NewArticle first = new_article(make_article(ws_a, base_time()));
  first.idempotency_key = "k";
  repo->create(first);
  const auto reservation = repo->reserve_budget(ws_a, usd("0.9"), base_time(), seconds(600));
  ASSERT_TRUE(reservation.has_value());
  NewArticle second = new_article(make_article(ws_a, base_time()));
  second.idempotency_key = "k";
  second.reservation_id = reservation->id;
  CONTRACT_EXPECT_ERROR(repo->create(second), ErrorCode::conflict, "");
  CONTRACT_EXPECT_ERROR(repo->reserve_budget(ws_a, usd("0.2"), base_time(), seconds(600)), ErrorCode::budget_exceeded, "");
}

TEST_P(ArticleRepositoryContract, NegativeReservationIsInvalid) {
  repo->set_budget(ws_a, total("1"));
  CONTRACT_EXPECT_ERROR(repo->reserve_budget(ws_a, usd("-0.1"), base_time(), seconds(60)), ErrorCode::invalid_argument,
                        "amount");
}

TEST_P(ArticleRepositoryContract, ConcurrentReservationsNeverOvershootTheLimit) {
  repo->set_budget(ws_a, total("1"));
  std::atomic<int> granted{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        try {
          if (repo->reserve_budget(ws_a, usd("0.1"), base_time(), seconds(600))) ++granted;
        } catch (const Error& e) {
          if (e.code() == ErrorCode::budget_exceeded) ++refused;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), 10);
  EXPECT_EQ(refused.load(), 30);
}

}  // namespace
}  // namespace contentgen::contract
