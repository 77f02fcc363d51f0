// Contract: the transactional outbox.
#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include "contentgen/ids.hpp"
#include "contract/article_repository_contract.hpp"
#include "contract/contract_support.hpp"

namespace contentgen::contract {
namespace {

using std::chrono::seconds;

// Creates one article per event time; returns the events in (time, id) order.
std::vector<Event> seed_events(ArticleRepository& repo, std::initializer_list<int> seconds_offsets) {
  std::vector<Event> events;
  for (const int offset : seconds_offsets) {
    const NewArticle record = new_article(make_article(ws_a, seconds_after_base(offset)));
    repo.create(record);
    events.push_back(record.events.front());
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.time != b.time ? a.time < b.time : a.id < b.id; });
  return events;
}

std::vector<std::string> event_ids(const std::vector<OutboxEntry>& entries) {
  std::vector<std::string> ids;
  for (const auto& e : entries) ids.push_back(e.event.id);
  return ids;
}

TEST_P(ArticleRepositoryContract, ClaimReturnsEventsRoundTrippedOldestFirst) {
  const auto events = seed_events(*repo, {30, 10, 20});
  EXPECT_EQ(repo->pending_outbox_count(), 3u);
  const auto claimed = repo->claim_outbox(10, seconds_after_base(60), seconds(30));
  ASSERT_EQ(claimed.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    expect_same_event(events[i], claimed[i].event);
    EXPECT_EQ(claimed[i].attempts, 0);
    EXPECT_EQ(claimed[i].last_error, "");
  }
}

TEST_P(ArticleRepositoryContract, ClaimOrdersEqualTimesById) {
  const Article article = make_article(ws_a, base_time());
  NewArticle record = new_article(article);
  for (int i = 0; i < 4; ++i) record.events.push_back(make_event(ws_a, article.id, EventType::article_updated, base_time()));
  repo->create(record);
  std::vector<std::string> expected;
  for (const auto& e : record.events) expected.push_back(e.id);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(event_ids(repo->claim_outbox(10, base_time(), seconds(30))), expected);
}

TEST_P(ArticleRepositoryContract, ClaimRespectsTheLimit) {
  const auto events = seed_events(*repo, {1, 2, 3, 4, 5});
  const auto first = repo->claim_outbox(2, seconds_after_base(60), seconds(30));
  EXPECT_EQ(event_ids(first), (std::vector<std::string>{events[0].id, events[1].id}));
  const auto second = repo->claim_outbox(2, seconds_after_base(60), seconds(30));
  EXPECT_EQ(event_ids(second), (std::vector<std::string>{events[2].id, events[3].id}));
  EXPECT_EQ(repo->claim_outbox(0, seconds_after_base(60), seconds(30)).size(), 0u);
}

TEST_P(ArticleRepositoryContract, NewRowsAreDueAtOnceWhateverNowSays) {
  seed_events(*repo, {100});
  EXPECT_EQ(repo->claim_outbox(10, seconds_after_base(-3600), seconds(30)).size(), 1u);
}

TEST_P(ArticleRepositoryContract, LeasedRowsAreNotClaimedAgainUntilTheLeaseEnds) {
  seed_events(*repo, {1, 2});
  const Timestamp now = seconds_after_base(60);
  ASSERT_EQ(repo->claim_outbox(10, now, seconds(30)).size(), 2u);
  EXPECT_TRUE(repo->claim_outbox(10, now, seconds(30)).empty());
  EXPECT_TRUE(repo->claim_outbox(10, now + seconds(29), seconds(30)).empty());
  EXPECT_EQ(repo->pending_outbox_count(), 2u);  // leased rows are still pending
  EXPECT_EQ(repo->claim_outbox(10, now + seconds(30), seconds(30)).size(), 2u);
}

TEST_P(ArticleRepositoryContract, DeliveredRowsAreNeverClaimedAgain) {
  const auto events = seed_events(*repo, {1, 2});
  const Timestamp now = seconds_after_base(60);
  repo->claim_outbox(10, now, seconds(30));
  repo->mark_delivered(events[0].id, now);
  EXPECT_EQ(repo->pending_outbox_count(), 1u);
  const auto later = repo->claim_outbox(10, now + seconds(3600), seconds(30));
  EXPECT_EQ(event_ids(later), std::vector<std::string>{events[1].id});
  repo->mark_delivered(events[1].id, now);
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
  EXPECT_TRUE(repo->claim_outbox(10, now + seconds(7200), seconds(30)).empty());
}

TEST_P(ArticleRepositoryContract, MarkDeliveredManyMarksExactlyThoseRows) {
  const auto events = seed_events(*repo, {1, 2, 3, 4});
  const Timestamp now = seconds_after_base(60);
  ASSERT_EQ(repo->claim_outbox(10, now, seconds(30)).size(), 4u);
  const std::vector<std::string> confirmed{events[0].id, events[2].id, new_uuid_v7()};  // + an unknown id
  repo->mark_delivered_many(confirmed, now);
  repo->mark_delivered_many({}, now);  // nothing to mark: a no-op
  EXPECT_EQ(repo->pending_outbox_count(), 2u);
  const auto later = repo->claim_outbox(10, now + seconds(3600), seconds(30));
  EXPECT_EQ(event_ids(later), (std::vector<std::string>{events[1].id, events[3].id}));
}

TEST_P(ArticleRepositoryContract, MarkDeliveredManyHandlesBatchesLargerThanOneStatement) {
  // 250 rows: more than one chunk of the SOCI statement (100 ids), and one left pending.
  std::vector<Event> events;
  for (int i = 0; i < 250; ++i) {
    const NewArticle record = new_article(make_article(ws_a, seconds_after_base(i)));
    repo->create(record);
    events.push_back(record.events.front());
  }
  const Timestamp now = seconds_after_base(600);
  ASSERT_EQ(repo->claim_outbox(1000, now, seconds(30)).size(), 250u);
  std::vector<std::string> confirmed;
  for (std::size_t i = 0; i + 1 < events.size(); ++i) confirmed.push_back(events[i].id);
  repo->mark_delivered_many(confirmed, now);
  EXPECT_EQ(repo->pending_outbox_count(), 1u);
  const auto later = repo->claim_outbox(1000, now + seconds(3600), seconds(30));
  EXPECT_EQ(event_ids(later), (std::vector<std::string>{events.back().id}));
}

TEST_P(ArticleRepositoryContract, MarkFailedCountsAttemptsAndDelaysTheNextOne) {
  const auto events = seed_events(*repo, {1});
  const Timestamp now = seconds_after_base(60);
  repo->claim_outbox(10, now, seconds(300));
  repo->mark_failed(events[0].id, "broker unreachable: connection refused", now + seconds(5));
  EXPECT_EQ(repo->pending_outbox_count(), 1u);
  EXPECT_TRUE(repo->claim_outbox(10, now + seconds(4), seconds(300)).empty());
  // Due at next_attempt_at although the 300 s lease of the failed attempt would still run.
  auto retry = repo->claim_outbox(10, now + seconds(5), seconds(300));
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].attempts, 1);
  EXPECT_EQ(retry[0].last_error, "broker unreachable: connection refused");

  repo->mark_failed(events[0].id, "nack", now + seconds(20));
  retry = repo->claim_outbox(10, now + seconds(20), seconds(300));
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].attempts, 2);
  EXPECT_EQ(retry[0].last_error, "nack");
}

TEST_P(ArticleRepositoryContract, MarkingUnknownOrDeliveredRowsIsANoOp) {
  const auto events = seed_events(*repo, {1});
  EXPECT_NO_THROW(repo->mark_delivered(new_uuid_v7(), base_time()));
  EXPECT_NO_THROW(repo->mark_failed(new_uuid_v7(), "x", base_time()));
  repo->mark_delivered(events[0].id, base_time());
  repo->mark_failed(events[0].id, "late failure report", base_time());
  EXPECT_EQ(repo->pending_outbox_count(), 0u);
  EXPECT_TRUE(repo->claim_outbox(10, seconds_after_base(3600), seconds(30)).empty());
}

TEST_P(ArticleRepositoryContract, ConcurrentClaimantsNeverReceiveTheSameRow) {
  const Article article = make_article(ws_a, base_time());
  NewArticle record = new_article(article);
  for (int i = 0; i < 39; ++i)
    record.events.push_back(make_event(ws_a, article.id, EventType::article_updated, seconds_after_base(i)));
  repo->create(record);

  std::mutex mutex;
  std::vector<std::string> all;
  std::vector<std::thread> claimants;
  for (int t = 0; t < 4; ++t) {
    claimants.emplace_back([&] {
      for (;;) {
        const auto batch = repo->claim_outbox(3, seconds_after_base(100), seconds(600));
        if (batch.empty()) return;
        std::lock_guard lock(mutex);
        for (const auto& entry : batch) all.push_back(entry.event.id);
      }
    });
  }
  for (auto& t : claimants) t.join();
  EXPECT_EQ(all.size(), 40u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 40u);
}

}  // namespace
}  // namespace contentgen::contract
