// Contract: a paid call is recorded before it is sent; one whose process died is settled, once it
// lapses, as estimated spend at its worst case -- exactly once, and only in its workspace.
#include "contract/article_repository_contract.hpp"
#include "contract/contract_support.hpp"

namespace contentgen::contract {
namespace {

PendingCall pending(const std::string& workspace, const std::string& id, const char* worst_case, Timestamp sent_at) {
  return PendingCall{id, workspace, "openai", "gpt-4o", Money::parse(worst_case), sent_at,
                     sent_at + std::chrono::seconds(60)};
}

TEST_P(ArticleRepositoryContract, LapsedCallsAreSettledOnceAtTheirWorstCase) {
  const Timestamp t0 = base_time();
  repo->begin_call(pending(ws_a, "call-1", "0.010000000", t0));
  repo->begin_call(pending(ws_a, "call-1", "0.025000000", t0));  // the next call of the generation replaces it
  repo->begin_call(pending(ws_a, "call-2", "0.003000000", t0));
  repo->begin_call(pending(ws_b, "call-3", "1.000000000", t0));
  EXPECT_EQ(repo->settle_lapsed_calls(ws_a, t0 + std::chrono::seconds(59)), 0u) << "not lapsed yet";
  EXPECT_EQ(repo->spend_total(ws_a, std::nullopt), Money{});

  repo->end_call(ws_a, "call-2");           // its spend was recorded: never settled
  repo->end_call(ws_b, "call-1");           // another workspace's id: nothing happens
  EXPECT_EQ(repo->settle_lapsed_calls(ws_a, t0 + std::chrono::seconds(60)), 1u);
  EXPECT_EQ(repo->spend_total(ws_a, std::nullopt).to_string(), "0.025000000");
  EXPECT_EQ(repo->spend_total(ws_a, t0).to_string(), "0.025000000") << "recorded at the time it was sent";
  EXPECT_EQ(repo->settle_lapsed_calls(ws_a, t0 + std::chrono::seconds(120)), 0u) << "settled once";
  EXPECT_EQ(repo->spend_total(ws_b, std::nullopt), Money{}) << "another workspace's calls stay pending";
  EXPECT_EQ(repo->settle_lapsed_calls(ws_b, t0 + std::chrono::seconds(60)), 1u);
  EXPECT_EQ(repo->spend_total(ws_b, std::nullopt).to_string(), "1.000000000");
  EXPECT_EQ(repo->spend_summary(ws_a, std::nullopt), (SpendSummary{Money::parse("0.025"), Money::parse("0.025"), 1, 1}))
      << "a settled call is reported as estimated spend";
}

}  // namespace
}  // namespace contentgen::contract
