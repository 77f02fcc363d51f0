#pragma once
// Port (part of ArticleRepository): the per-workspace spend ledger and optional budgets.
// Every LLM call that cost money is recorded once -- with its article on success, on its own when
// the call failed but the provider billed it. Budgets are enforced by reserving the worst case
// before a call and settling to the actual cost after (atomic across processes where the backend
// allows it: PostgreSQL). Thread safety: as ArticleRepository.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "contentgen/export.hpp"
#include "contentgen/money.hpp"
#include "contentgen/time.hpp"
#include "contentgen/usage.hpp"

namespace contentgen {

struct SpendRecord {
  std::string id;            // UUIDv7
  std::string workspace_id;
  std::string article_id;    // empty for a failed generation
  std::string provider;
  std::string model;
  TokenUsage usage;
  Money cost;
  bool succeeded = true;
  Timestamp at{};
  friend bool operator==(const SpendRecord&, const SpendRecord&) = default;
};

// What a workspace's ledger holds. `estimated` is the part of `total` whose usage the provider did
// not report: a stream that ended without usage, or a call whose process died and that was settled
// at its worst case. total - estimated is what providers reported billing.
struct SpendSummary {
  Money total;
  Money estimated;
  std::int64_t calls = 0;            // spend records
  std::int64_t estimated_calls = 0;  // of which estimated
  friend bool operator==(const SpendSummary&, const SpendSummary&) = default;
};

struct Budget {
  enum class Period { monthly, total };  // monthly = calendar month in UTC
  Money limit;
  Period period = Period::monthly;
  friend bool operator==(const Budget&, const Budget&) = default;
};

struct BudgetReservation {
  std::string id;
  std::string workspace_id;
  Money amount;
  Timestamp expires_at{};  // a crashed process's reservation stops counting after this
};

// A paid call about to be sent. It is recorded before the request leaves, so that a process that
// dies between a provider's reply and the recording of its spend still leaves the call in the
// ledger: once `expires_at` passes, settle_lapsed_calls turns it into spend of unknown outcome at
// its worst case (docs/architecture.md#cost).
struct PendingCall {
  std::string id;            // one per generation: each call of it replaces the previous one
  std::string workspace_id;
  std::string provider;
  std::string model;
  Money worst_case;          // what the generation's calls so far cost + the worst case of this one
  Timestamp sent_at{};
  Timestamp expires_at{};
};

class CONTENTGEN_API SpendLedger {
 public:
  SpendLedger() = default;
  SpendLedger(const SpendLedger&) = delete;
  SpendLedger& operator=(const SpendLedger&) = delete;
  virtual ~SpendLedger();

  // Records spend that has no article (a failed or filtered call) and releases `reservation_id`
  // (empty: none) in the same transaction. Spend of a successful generation goes through
  // ArticleRepository::create instead.
  virtual void record_spend(const SpendRecord& spend, std::string_view reservation_id) = 0;
  // Sum of recorded spend of the workspace, optionally only at or after `since`.
  virtual Money spend_total(std::string_view workspace_id, std::optional<Timestamp> since) = 0;
  // The same sum with its estimated part and the record counts.
  virtual SpendSummary spend_summary(std::string_view workspace_id, std::optional<Timestamp> since) = 0;

  // nullopt removes the budget.
  virtual void set_budget(std::string_view workspace_id, std::optional<Budget> budget) = 0;
  virtual std::optional<Budget> get_budget(std::string_view workspace_id) = 0;
  // Reserves `amount` if spend in the budget's current period + live reservations + amount stays
  // within the limit; throws Error{budget_exceeded} otherwise. nullopt when the workspace has no
  // budget (nothing to reserve).
  virtual std::optional<BudgetReservation> reserve_budget(std::string_view workspace_id, Money amount,
                                                          Timestamp now, std::chrono::seconds ttl) = 0;
  // Releases a reservation without recording spend; releasing an unknown or expired one is a no-op.
  virtual void release_reservation(std::string_view reservation_id) = 0;

  // Records (or replaces, by id) a call about to be sent.
  virtual void begin_call(const PendingCall& call) = 0;
  // The call's spend is recorded, or nothing was billed: forget it. A no-op for an unknown id.
  virtual void end_call(std::string_view workspace_id, std::string_view call_id) = 0;
  // Each pending call of the workspace with expires_at <= now (its process died) becomes a spend
  // record -- id = the call's, no article, succeeded false, usage empty and `estimated`, cost =
  // worst_case, at = sent_at -- and is forgotten, atomically; concurrent settlers never record one
  // twice. Returns how many were settled.
  virtual std::size_t settle_lapsed_calls(std::string_view workspace_id, Timestamp now) = 0;
};

}  // namespace contentgen
