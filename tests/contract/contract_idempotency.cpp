// Contract: idempotency keys are claimed, with the fingerprint of their request, before the paid
// call -- at most one claimant wins, a different request under the same key is a mismatch, and a
// claim lapses when its process died.
#include <atomic>
#include <thread>

#include "contentgen/error.hpp"
#include "contract/article_repository_contract.hpp"
#include "contract/contract_support.hpp"

namespace contentgen::contract {
namespace {

using Outcome = IdempotencyClaim::Outcome;
constexpr std::chrono::seconds kTtl{60};

TEST_P(ArticleRepositoryContract, ClaimOfAKeyIsExclusiveUntilCreateOrRelease) {
  const Timestamp t0 = base_time();
  const auto first = repo->claim_idempotency_key(ws_a, "k", "fp1", t0, kTtl);
  ASSERT_EQ(first.outcome, Outcome::claimed);
  EXPECT_FALSE(first.token.empty());
  EXPECT_EQ(first.expires_at, t0 + kTtl);

  const auto again = repo->claim_idempotency_key(ws_a, "k", "fp1", t0, kTtl);
  EXPECT_EQ(again.outcome, Outcome::in_progress);
  EXPECT_EQ(again.expires_at, t0 + kTtl);
  EXPECT_TRUE(again.token.empty());
  EXPECT_EQ(repo->claim_idempotency_key(ws_a, "k", "fp2", t0, kTtl).outcome, Outcome::mismatch);
  EXPECT_EQ(repo->claim_idempotency_key(ws_b, "k", "fp2", t0, kTtl).outcome, Outcome::claimed)
      << "another workspace's key is independent";

  repo->release_idempotency_key(ws_a, "k", "not-the-token");
  EXPECT_EQ(repo->claim_idempotency_key(ws_a, "k", "fp1", t0, kTtl).outcome, Outcome::in_progress);
  repo->release_idempotency_key(ws_a, "k", first.token);
  const auto retry = repo->claim_idempotency_key(ws_a, "k", "fp2", t0, kTtl);
  ASSERT_EQ(retry.outcome, Outcome::claimed) << "a released key can be claimed by any request";

  NewArticle record = new_article(make_article(ws_a, t0));
  record.idempotency_key = "k";
  record.idempotency_fingerprint = "fp2";
  repo->create(record);
  const auto done = repo->claim_idempotency_key(ws_a, "k", "fp2", t0, kTtl);
  EXPECT_EQ(done.outcome, Outcome::completed);
  EXPECT_EQ(done.article_id, record.article.id);
  EXPECT_EQ(repo->claim_idempotency_key(ws_a, "k", "fp1", t0, kTtl).outcome, Outcome::mismatch);
  repo->release_idempotency_key(ws_a, "k", retry.token);  // after create: changes nothing
  EXPECT_EQ(repo->claim_idempotency_key(ws_a, "k", "fp2", t0, kTtl).outcome, Outcome::completed);

  ASSERT_TRUE(repo->remove(ws_a, record.article.id, {}));
  EXPECT_EQ(repo->claim_idempotency_key(ws_a, "k", "fp1", t0, kTtl).outcome, Outcome::claimed)
      << "removing the article frees its key";
}

TEST_P(ArticleRepositoryContract, ExpiredClaimIsTakenOverAndKeysWithoutFingerprintMatchAny) {
  const Timestamp t0 = base_time();
  ASSERT_EQ(repo->claim_idempotency_key(ws_a, "dead", "fp1", t0, std::chrono::seconds(10)).outcome, Outcome::claimed);
  EXPECT_EQ(repo->claim_idempotency_key(ws_a, "dead", "fp2", t0 + std::chrono::seconds(9), kTtl).outcome,
            Outcome::mismatch);
  const auto taken = repo->claim_idempotency_key(ws_a, "dead", "fp2", t0 + std::chrono::seconds(10), kTtl);
  EXPECT_EQ(taken.outcome, Outcome::claimed) << "a claim whose process died lapses at expires_at";

  NewArticle legacy = new_article(make_article(ws_a, t0));
  legacy.idempotency_key = "legacy";  // created without a claim: no fingerprint
  repo->create(legacy);
  const auto done = repo->claim_idempotency_key(ws_a, "legacy", "anything", t0, kTtl);
  EXPECT_EQ(done.outcome, Outcome::completed);
  EXPECT_EQ(done.article_id, legacy.article.id);
}

TEST_P(ArticleRepositoryContract, ConcurrentClaimsOfOneKeyHaveExactlyOneWinner) {
  constexpr int kThreads = 8;
  std::atomic<int> claimed{0};
  std::atomic<int> in_progress{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      try {
        const auto claim = repo->claim_idempotency_key(ws_a, "race", "fp", base_time(), kTtl);
        (claim.outcome == Outcome::claimed ? claimed : in_progress)++;
      } catch (...) {
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(claimed.load(), 1);
  EXPECT_EQ(in_progress.load(), kThreads - 1);
}

}  // namespace
}  // namespace contentgen::contract
