#pragma once
// SociArticleRepository: ArticleRepository over a SessionPool (internal; built by
// open_soci_repository). Split by concern: articles and images (soci_repository.cpp), outbox
// (soci_outbox.cpp), spend ledger and budgets (soci_spend_ledger.cpp).
#include <memory>
#include <span>

#include "adapters/soci/session_pool.hpp"
#include "adapters/soci/statements.hpp"
#include "contentgen/ports/article_repository.hpp"

namespace contentgen::soci_adapter {

class SociArticleRepository final : public ArticleRepository {
 public:
  explicit SociArticleRepository(std::unique_ptr<SessionPool> pool);

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
  void ping() override;

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
  void mark_delivered_many(std::span<const std::string> event_ids, Timestamp now) override;
  void mark_failed(std::string_view event_id, std::string_view error, Timestamp next_attempt_at) override;
  std::size_t pending_outbox_count() override;

 private:
  // Throws Error{invalid_argument} for a spend record without id or workspace.
  static void check_spend(const SpendRecord& spend);
  // Pieces of the write transactions (called with the transaction's session).
  void insert_events(soci::session& sql, std::span<const Event> events);
  void insert_spend(soci::session& sql, const SpendRecord& spend);
  void release_in_workspace(soci::session& sql, const std::string& reservation_id, const std::string& workspace_id);
  void load_images(soci::session& sql, Article& article);

  const Dialect& dialect() const { return pool_->dialect(); }

  std::unique_ptr<SessionPool> pool_;
  Statements statements_;
};

}  // namespace contentgen::soci_adapter
