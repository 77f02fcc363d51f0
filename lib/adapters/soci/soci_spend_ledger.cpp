// Spend ledger and workspace budgets. A reservation is checked and inserted in one transaction
// that first locks the workspace's budget row (PostgreSQL FOR UPDATE; SQLite BEGIN IMMEDIATE), so
// concurrent reservations -- from any number of processes -- are serialized per workspace and the
// limit can never be overrun.
#include "adapters/soci/query.hpp"
#include "adapters/soci/soci_repository.hpp"
#include "contentgen/ids.hpp"
#include "core/cost/budget_period.hpp"
#include "core/cost/pending_call.hpp"

namespace contentgen::soci_adapter {
namespace {

std::string_view period_name(Budget::Period period) { return period == Budget::Period::monthly ? "monthly" : "total"; }

Budget::Period parse_period(const std::string& text) {
  if (text == "monthly") return Budget::Period::monthly;
  if (text == "total") return Budget::Period::total;
  throw Error(ErrorCode::storage, "stored budget has an unknown period \"" + text + "\"");
}

}  // namespace

void SociArticleRepository::check_spend(const SpendRecord& spend) {
  if (spend.id.empty()) throw Error::invalid_argument("spend.id", "spend records need an id");
  if (spend.workspace_id.empty()) throw Error::invalid_argument("spend.workspace_id", "spend needs a workspace");
}

void SociArticleRepository::insert_spend(soci::session& sql, const SpendRecord& spend) {
  const long long prompt = spend.usage.prompt_tokens;
  const long long cached = spend.usage.cached_tokens;
  const long long cache_write = spend.usage.cache_write_tokens;
  const long long completion = spend.usage.completion_tokens;
  const long long reasoning = spend.usage.reasoning_tokens;
  const int estimated = spend.usage.estimated ? 1 : 0;
  const long long cost = spend.cost.nanos();
  const int succeeded = spend.succeeded ? 1 : 0;
  const std::string recorded_at = dialect().time_value(spend.at);
  Query insert(sql, statements_.insert_spend);
  insert.use(spend.id, "id").use(spend.workspace_id, "workspace_id").use(spend.article_id, "article_id");
  insert.use(spend.provider, "provider").use(spend.model, "model").use(prompt, "prompt_tokens");
  insert.use(cached, "cached_tokens").use(cache_write, "cache_write_tokens").use(completion, "completion_tokens");
  insert.use(reasoning, "reasoning_tokens").use(estimated, "usage_estimated").use(cost, "cost_nanos");
  insert.use(succeeded, "succeeded").use(recorded_at, "recorded_at");
  insert.run();
}

void SociArticleRepository::release_in_workspace(soci::session& sql, const std::string& reservation_id,
                                                 const std::string& workspace_id) {
  Query release(sql, statements_.release_reservation_in_workspace);
  release.use(reservation_id, "reservation_id").use(workspace_id, "workspace_id");
  release.run();
}

void SociArticleRepository::record_spend(const SpendRecord& spend, std::string_view reservation_id) {
  check_spend(spend);
  const std::string reservation(reservation_id);
  pool_->write("record spend", [&](soci::session& sql) {
    insert_spend(sql, spend);
    if (!reservation.empty()) release_in_workspace(sql, reservation, spend.workspace_id);
  });
}

Money SociArticleRepository::spend_total(std::string_view workspace_id, std::optional<Timestamp> since) {
  return spend_summary(workspace_id, since).total;
}

SpendSummary SociArticleRepository::spend_summary(std::string_view workspace_id, std::optional<Timestamp> since) {
  const std::string workspace(workspace_id);
  const std::string since_text = since ? dialect().time_value(*since) : std::string();
  return pool_->read("spend summary", [&](soci::session& sql) {
    long long total = 0, estimated = 0, calls = 0, estimated_calls = 0;
    Query select(sql, since ? statements_.spend_summary_since : statements_.spend_summary);
    select.use(workspace, "workspace_id").into(total).into(estimated).into(calls).into(estimated_calls);
    if (since) select.use(since_text, "since");
    select.run();
    return SpendSummary{Money::from_nanos(total), Money::from_nanos(estimated), calls, estimated_calls};
  });
}

void SociArticleRepository::set_budget(std::string_view workspace_id, std::optional<Budget> budget) {
  if (budget && budget->limit < Money{}) throw Error::invalid_argument("budget.limit", "a budget cannot be negative");
  const std::string workspace(workspace_id);
  if (!budget) {
    pool_->execute("remove budget", [&](soci::session& sql) {
      Query remove(sql, statements_.delete_budget);
      remove.use(workspace, "workspace_id");
      remove.run();
    });
    return;
  }
  const long long limit = budget->limit.nanos();
  const std::string period(period_name(budget->period));
  const std::string updated_at = dialect().time_value(now_utc());
  pool_->execute("set budget", [&](soci::session& sql) {
    Query upsert(sql, statements_.upsert_budget);
    upsert.use(workspace, "workspace_id").use(limit, "limit_nanos").use(period, "period");
    upsert.use(updated_at, "updated_at");
    upsert.run();
  });
}

std::optional<Budget> SociArticleRepository::get_budget(std::string_view workspace_id) {
  const std::string workspace(workspace_id);
  return pool_->read("get budget", [&](soci::session& sql) -> std::optional<Budget> {
    long long limit = 0;
    std::string period;
    Query select(sql, statements_.select_budget);
    select.use(workspace, "workspace_id").into(limit).into(period);
    if (!select.run()) return std::nullopt;
    return Budget{Money::from_nanos(limit), parse_period(period)};
  });
}

std::optional<BudgetReservation> SociArticleRepository::reserve_budget(std::string_view workspace_id, Money amount,
                                                                       Timestamp now, std::chrono::seconds ttl) {
  if (amount < Money{}) throw Error::invalid_argument("amount", "a reservation cannot be negative");
  const std::string workspace(workspace_id);
  const std::string now_text = dialect().time_value(now);
  return pool_->write("reserve budget", [&](soci::session& sql) -> std::optional<BudgetReservation> {
    long long limit_nanos = 0;
    std::string period_text;
    Query lock(sql, statements_.lock_budget);
    lock.use(workspace, "workspace_id").into(limit_nanos).into(period_text);
    if (!lock.run()) return std::nullopt;  // no budget: nothing to reserve
    const Budget budget{Money::from_nanos(limit_nanos), parse_period(period_text)};

    Query expire(sql, statements_.delete_expired_reservations);
    expire.use(workspace, "workspace_id").use(now_text, "now");
    expire.run();

    const auto since = internal::budget_period_start(budget.period, now);
    const std::string since_text = since ? dialect().time_value(*since) : std::string();
    long long spent = 0;
    long long reserved = 0;
    Query sums(sql, since ? statements_.committed_total_since : statements_.committed_total);
    sums.use(workspace, "spend_workspace").use(workspace, "reservation_workspace").use(now_text, "now");
    if (since) sums.use(since_text, "since");
    sums.into(spent).into(reserved);
    sums.run();
    const Money committed = Money::from_nanos(spent) + Money::from_nanos(reserved);
    if (committed + amount > budget.limit)
      throw Error(ErrorCode::budget_exceeded, "the workspace's budget of " + budget.limit.to_string() +
                                                  " USD would be exceeded (spent and reserved: " +
                                                  committed.to_string() + ", asked: " + amount.to_string() + ")");

    BudgetReservation reservation{new_uuid_v7(now), workspace, amount, now + ttl};
    const long long amount_nanos = amount.nanos();
    const std::string expires_at = dialect().time_value(reservation.expires_at);
    Query insert(sql, statements_.insert_reservation);
    insert.use(reservation.id, "id").use(workspace, "workspace_id").use(amount_nanos, "amount_nanos");
    insert.use(now_text, "created_at").use(expires_at, "expires_at");
    insert.run();
    return reservation;
  });
}

void SociArticleRepository::release_reservation(std::string_view reservation_id) {
  const std::string id(reservation_id);
  pool_->execute("release reservation", [&](soci::session& sql) {
    Query release(sql, statements_.release_reservation);
    release.use(id, "reservation_id");
    release.run();
  });
}

void SociArticleRepository::begin_call(const PendingCall& call) {
  if (call.id.empty()) throw Error::invalid_argument("call.id", "pending calls need an id");
  const long long worst_case = call.worst_case.nanos();
  const std::string sent_at = dialect().time_value(call.sent_at);
  const std::string expires_at = dialect().time_value(call.expires_at);
  pool_->execute("begin call", [&](soci::session& sql) {
    Query upsert(sql, statements_.upsert_pending_call);
    upsert.use(call.id, "id").use(call.workspace_id, "workspace_id").use(call.provider, "provider");
    upsert.use(call.model, "model").use(worst_case, "worst_case_nanos").use(sent_at, "sent_at");
    upsert.use(expires_at, "expires_at");
    upsert.run();
  });
}

void SociArticleRepository::end_call(std::string_view workspace_id, std::string_view call_id) {
  const std::string workspace(workspace_id);
  const std::string id(call_id);
  pool_->execute("end call", [&](soci::session& sql) {
    Query remove(sql, statements_.delete_pending_call);
    remove.use(workspace, "workspace_id").use(id, "id");
    remove.run();
  });
}

// One lapsed call per transaction (they are rare: each is a process that died mid-call); on
// PostgreSQL a concurrent settler skips the row this one holds, so none is recorded twice.
std::size_t SociArticleRepository::settle_lapsed_calls(std::string_view workspace_id, Timestamp now) {
  const std::string workspace(workspace_id);
  const std::string now_text = dialect().time_value(now);
  std::size_t settled = 0;
  for (;;) {
    const bool found = pool_->write("settle lapsed call", [&](soci::session& sql) {
      PendingCall call;
      call.workspace_id = workspace;
      long long worst_case = 0;
      long long sent_at = 0;
      Query select(sql, statements_.select_lapsed_call);
      select.use(workspace, "workspace_id").use(now_text, "now");
      select.into(call.id).into(call.provider).into(call.model).into(worst_case).into(sent_at);
      if (!select.run()) return false;
      call.worst_case = Money::from_nanos(worst_case);
      call.sent_at = timestamp_from_micros(sent_at);
      insert_spend(sql, internal::lapsed_call_spend(call));
      Query remove(sql, statements_.delete_pending_call_by_id);
      remove.use(call.id, "id");
      remove.run();
      return true;
    });
    if (!found) return settled;
    ++settled;
  }
}

}  // namespace contentgen::soci_adapter
