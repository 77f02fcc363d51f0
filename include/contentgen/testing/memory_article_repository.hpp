#pragma once
// MemoryArticleRepository: the full ArticleRepository contract (workspace scoping, versions,
// keyset cursors, idempotency keys, spend ledger with budget reservations, outbox with leases)
// kept in memory, for host applications' unit tests. It passes the same contract suite
// (tests/contract/) as the SQL repositories. Thread-safe: one mutex makes every call atomic.
//
// Fault injection: faults().fail_next(Op::create, Error(ErrorCode::storage, "disk full")) makes
// the next create() throw before it changes anything.
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contentgen/export.hpp"
#include "contentgen/ports/article_repository.hpp"
#include "contentgen/testing/fault_injection.hpp"

namespace contentgen::fakes {

class CONTENTGEN_API MemoryArticleRepository : public ArticleRepository {
 public:
  enum class Op {
    create, get, list, update, remove, add_image, remove_image, find_by_idempotency_key,
    claim_idempotency_key, release_idempotency_key, record_spend, begin_call, end_call, settle_lapsed_calls, spend_total, spend_summary, set_budget, get_budget, reserve_budget, release_reservation,
    claim_outbox, mark_delivered, mark_failed, pending_outbox_count
  };

  MemoryArticleRepository();
  ~MemoryArticleRepository() override;

  void create(const NewArticle& record) override;
  std::optional<Article> get(std::string_view workspace_id, std::string_view article_id) override;
  ArticlePage list(std::string_view workspace_id, const ListQuery& query) override;
  void update(const Article& article, std::int64_t expected_version, std::span<const Event> events) override;
  bool remove(std::string_view workspace_id, std::string_view article_id, std::span<const Event> events) override;
  void add_image(const ArticleImage& image, std::span<const Event> events) override;
  bool remove_image(std::string_view workspace_id, std::string_view article_id, std::string_view image_id,
                    std::span<const Event> events) override;
  std::optional<std::string> find_by_idempotency_key(std::string_view workspace_id, std::string_view key) override;
  IdempotencyClaim claim_idempotency_key(std::string_view workspace_id, std::string_view key,
                                         std::string_view fingerprint, Timestamp now,
                                         std::chrono::seconds ttl) override;
  void release_idempotency_key(std::string_view workspace_id, std::string_view key, std::string_view token) override;

  void record_spend(const SpendRecord& spend, std::string_view reservation_id) override;
  Money spend_total(std::string_view workspace_id, std::optional<Timestamp> since) override;
  SpendSummary spend_summary(std::string_view workspace_id, std::optional<Timestamp> since) override;
  void set_budget(std::string_view workspace_id, std::optional<Budget> budget) override;
  std::optional<Budget> get_budget(std::string_view workspace_id) override;
  std::optional<BudgetReservation> reserve_budget(std::string_view workspace_id, Money amount, Timestamp now,
                                                  std::chrono::seconds ttl) override;
  void release_reservation(std::string_view reservation_id) override;
  void begin_call(const PendingCall& call) override;
  void end_call(std::string_view workspace_id, std::string_view call_id) override;
  std::size_t settle_lapsed_calls(std::string_view workspace_id, Timestamp now) override;

  std::vector<OutboxEntry> claim_outbox(std::size_t limit, Timestamp now, std::chrono::seconds lease) override;
  void mark_delivered(std::string_view event_id, Timestamp now) override;
  void mark_failed(std::string_view event_id, std::string_view error, Timestamp next_attempt_at) override;
  std::size_t pending_outbox_count() override;

  // Inspection for tests (not part of the port).
  std::vector<SpendRecord> spend_records(std::string_view workspace_id) const;  // in recording order
  std::vector<Event> outbox_events() const;                                    // every row, in insertion order
  std::vector<BudgetReservation> live_reservations(std::string_view workspace_id, Timestamp now) const;
  std::size_t article_count() const;

  FaultInjector<Op>& faults() noexcept { return faults_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  mutable std::mutex mutex_;
  FaultInjector<Op> faults_;
};

}  // namespace contentgen::fakes
