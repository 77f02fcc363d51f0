// MemoryArticleRepository: every operation validates first and mutates after, under one mutex, so
// a call that throws leaves the state untouched -- the in-memory form of a transaction.
#include "contentgen/testing/memory_article_repository.hpp"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "core/cost/budget_period.hpp"
#include "core/domain/cursor.hpp"
#include "core/cost/pending_call.hpp"

namespace contentgen::fakes {

struct MemoryArticleRepository::State {
  struct ArticleRow {
    Article article;  // images sorted by (created_at, id)
    std::string idempotency_key;
  };
  struct OutboxRow {
    Event event;
    std::int32_t attempts = 0;
    std::string last_error;
    std::optional<Timestamp> next_attempt_at;  // nullopt: due at once
    std::optional<Timestamp> leased_until;
    bool delivered = false;
  };
  using ListKey = std::pair<Timestamp, std::string>;  // (created_at, id), ascending

  std::map<std::string, ArticleRow, std::less<>> articles;
  std::map<std::string, std::set<ListKey>, std::less<>> by_workspace;
  struct UsedKey {
    std::string article_id;
    std::string fingerprint;  // empty: created without a claim, matches any
  };
  struct Claim {
    std::string fingerprint;
    std::string token;
    Timestamp expires_at{};
  };
  using KeyOf = std::pair<std::string, std::string>;  // (workspace, key)
  std::map<KeyOf, UsedKey, std::less<>> idempotency;
  std::map<KeyOf, Claim, std::less<>> claims;
  std::set<std::string, std::less<>> image_ids;
  std::vector<OutboxRow> outbox;
  std::map<std::string, std::size_t, std::less<>> outbox_index;
  std::vector<SpendRecord> spend;
  std::set<std::string, std::less<>> spend_ids;
  std::map<std::string, Budget, std::less<>> budgets;
  std::map<std::string, BudgetReservation, std::less<>> reservations;
  std::map<std::string, PendingCall, std::less<>> pending_calls;

  ArticleRow* find(std::string_view workspace_id, std::string_view article_id) {
    const auto it = articles.find(article_id);
    if (it == articles.end() || it->second.article.workspace_id != workspace_id) return nullptr;
    return &it->second;
  }

  void check_new_events(std::span<const Event> events) const {
    std::set<std::string_view> batch;
    for (const auto& event : events) {
      if (event.id.empty()) throw Error::invalid_argument("event.id", "events need an id");
      if (outbox_index.contains(event.id) || !batch.insert(event.id).second)
        throw Error(ErrorCode::conflict, "event " + event.id + " already exists");
    }
  }
  void append_events(std::span<const Event> events) {
    for (const auto& event : events) {
      outbox_index.emplace(event.id, outbox.size());
      outbox.push_back(OutboxRow{event, 0, {}, std::nullopt, std::nullopt, false});
    }
  }

  void check_new_spend(std::span<const SpendRecord> records) const {
    std::set<std::string_view> batch;
    for (const auto& record : records) {
      if (record.id.empty()) throw Error::invalid_argument("spend.id", "spend records need an id");
      if (record.workspace_id.empty()) throw Error::invalid_argument("spend.workspace_id", "spend needs a workspace");
      if (spend_ids.contains(record.id) || !batch.insert(record.id).second)
        throw Error(ErrorCode::conflict, "spend record " + record.id + " already exists");
    }
  }
  void append_spend(std::span<const SpendRecord> records) {
    for (const auto& record : records) {
      spend_ids.insert(record.id);
      spend.push_back(record);
    }
  }

  SpendSummary summary(std::string_view workspace_id, std::optional<Timestamp> since) const {
    SpendSummary sum;
    for (const auto& record : spend) {
      if (record.workspace_id != workspace_id || (since && record.at < *since)) continue;
      sum.total += record.cost;
      ++sum.calls;
      if (record.usage.estimated) {
        sum.estimated += record.cost;
        ++sum.estimated_calls;
      }
    }
    return sum;
  }
  Money reserved(std::string_view workspace_id, Timestamp now) const {
    Money sum;
    for (const auto& [id, reservation] : reservations)
      if (reservation.workspace_id == workspace_id && reservation.expires_at > now) sum += reservation.amount;
    return sum;
  }
};

namespace {

void sort_images(std::vector<ArticleImage>& images) {
  std::sort(images.begin(), images.end(), [](const ArticleImage& a, const ArticleImage& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
}

}  // namespace

MemoryArticleRepository::MemoryArticleRepository() : state_(std::make_unique<State>()) {}
MemoryArticleRepository::~MemoryArticleRepository() = default;

void MemoryArticleRepository::create(const NewArticle& record) {
  faults_.on_call(Op::create);
  const Article& article = record.article;
  if (article.id.empty()) throw Error::invalid_argument("article.id", "articles need an id");
  if (article.workspace_id.empty()) throw Error::invalid_argument("article.workspace_id", "articles need a workspace");
  std::lock_guard lock(mutex_);
  auto& s = *state_;
  if (s.articles.contains(article.id)) throw Error(ErrorCode::conflict, "article " + article.id + " already exists");
  if (!record.idempotency_key.empty() && s.idempotency.contains(std::pair(article.workspace_id, record.idempotency_key)))
    throw Error(ErrorCode::conflict, "idempotency key already used in this workspace");
  s.check_new_events(record.events);
  s.check_new_spend(record.spend);

  State::ArticleRow row{article, record.idempotency_key};
  row.article.images.clear();
  s.articles.emplace(article.id, std::move(row));
  s.by_workspace[article.workspace_id].emplace(article.created_at, article.id);
  if (!record.idempotency_key.empty()) {
    const State::KeyOf key(article.workspace_id, record.idempotency_key);
    s.idempotency.emplace(key, State::UsedKey{article.id, record.idempotency_fingerprint});
    s.claims.erase(key);
  }
  s.append_events(record.events);
  s.append_spend(record.spend);
  if (!record.reservation_id.empty()) s.reservations.erase(record.reservation_id);
}

std::optional<Article> MemoryArticleRepository::get(std::string_view workspace_id, std::string_view article_id) {
  faults_.on_call(Op::get);
  std::lock_guard lock(mutex_);
  const auto* row = state_->find(workspace_id, article_id);
  if (row == nullptr) return std::nullopt;
  return row->article;
}

ArticlePage MemoryArticleRepository::list(std::string_view workspace_id, const ListQuery& query) {
  faults_.on_call(Op::list);
  if (query.limit < 1 || query.limit > 100) throw Error::invalid_argument("limit", "page size must be 1-100");
  std::optional<internal::KeysetCursor> cursor;
  if (!query.cursor.empty()) cursor = internal::decode_cursor(query.cursor);

  std::lock_guard lock(mutex_);
  auto& s = *state_;
  ArticlePage page;
  const auto keys = s.by_workspace.find(workspace_id);
  if (keys == s.by_workspace.end()) return page;
  // Walk (created_at, id) descending, starting strictly after the cursor.
  auto it = cursor ? std::make_reverse_iterator(keys->second.lower_bound(State::ListKey(cursor->created_at, cursor->id)))
                   : keys->second.rbegin();
  const auto limit = static_cast<std::size_t>(query.limit);
  for (; it != keys->second.rend(); ++it) {
    const Article& article = s.articles.at(it->second).article;
    if (query.status && article.status != *query.status) continue;
    if (page.items.size() == limit) {  // one more row exists: there is a next page
      const Article& last = page.items.back();
      page.next_cursor = internal::encode_cursor({last.created_at, last.id});
      break;
    }
    page.items.push_back(article);
    page.items.back().images.clear();
  }
  return page;
}

void MemoryArticleRepository::update(const Article& article, std::int64_t expected_version,
                                     std::span<const Event> events) {
  faults_.on_call(Op::update);
  std::lock_guard lock(mutex_);
  auto& s = *state_;
  auto* row = s.find(article.workspace_id, article.id);
  if (row == nullptr) throw Error::not_found("article " + article.id);
  if (row->article.version != expected_version)
    throw Error(ErrorCode::conflict, "article " + article.id + " is at version " +
                                         std::to_string(row->article.version) + ", not " +
                                         std::to_string(expected_version));
  s.check_new_events(events);
  Article updated = article;
  updated.created_at = row->article.created_at;
  updated.images = std::move(row->article.images);
  updated.version = expected_version + 1;
  row->article = std::move(updated);
  s.append_events(events);
}

bool MemoryArticleRepository::remove(std::string_view workspace_id, std::string_view article_id,
                                     std::span<const Event> events) {
  faults_.on_call(Op::remove);
  std::lock_guard lock(mutex_);
  auto& s = *state_;
  auto* row = s.find(workspace_id, article_id);
  if (row == nullptr) return false;
  s.check_new_events(events);
  for (const auto& image : row->article.images) s.image_ids.erase(image.id);
  if (!row->idempotency_key.empty()) s.idempotency.erase(std::pair(row->article.workspace_id, row->idempotency_key));
  s.by_workspace[row->article.workspace_id].erase(State::ListKey(row->article.created_at, row->article.id));
  s.articles.erase(s.articles.find(article_id));
  s.append_events(events);
  return true;
}

void MemoryArticleRepository::add_image(const ArticleImage& image, std::span<const Event> events) {
  faults_.on_call(Op::add_image);
  if (image.id.empty()) throw Error::invalid_argument("image.id", "images need an id");
  std::lock_guard lock(mutex_);
  auto& s = *state_;
  auto* row = s.find(image.workspace_id, image.article_id);
  if (row == nullptr) throw Error::not_found("article " + image.article_id);
  if (s.image_ids.contains(image.id)) throw Error(ErrorCode::conflict, "image " + image.id + " already exists");
  s.check_new_events(events);
  s.image_ids.insert(image.id);
  row->article.images.push_back(image);
  sort_images(row->article.images);
  s.append_events(events);
}

bool MemoryArticleRepository::remove_image(std::string_view workspace_id, std::string_view article_id,
                                           std::string_view image_id, std::span<const Event> events) {
  faults_.on_call(Op::remove_image);
  std::lock_guard lock(mutex_);
  auto& s = *state_;
  auto* row = s.find(workspace_id, article_id);
  if (row == nullptr) return false;
  auto& images = row->article.images;
  const auto it = std::find_if(images.begin(), images.end(), [&](const ArticleImage& i) { return i.id == image_id; });
  if (it == images.end()) return false;
  s.check_new_events(events);
  s.image_ids.erase(it->id);
  images.erase(it);
  s.append_events(events);
  return true;
}

void MemoryArticleRepository::begin_call(const PendingCall& call) {
  faults_.on_call(Op::begin_call);
  if (call.id.empty()) throw Error::invalid_argument("call.id", "pending calls need an id");
  std::lock_guard lock(mutex_);
  state_->pending_calls[call.id] = call;
}

void MemoryArticleRepository::end_call(std::string_view workspace_id, std::string_view call_id) {
  faults_.on_call(Op::end_call);
  std::lock_guard lock(mutex_);
  const auto it = state_->pending_calls.find(call_id);
  if (it != state_->pending_calls.end() && it->second.workspace_id == workspace_id) state_->pending_calls.erase(it);
}

std::size_t MemoryArticleRepository::settle_lapsed_calls(std::string_view workspace_id, Timestamp now) {
  faults_.on_call(Op::settle_lapsed_calls);
  std::lock_guard lock(mutex_);
  auto& s = *state_;
  std::size_t settled = 0;
  for (auto it = s.pending_calls.begin(); it != s.pending_calls.end();) {
    if (it->second.workspace_id != workspace_id || it->second.expires_at > now) {
      ++it;
      continue;
    }
    if (!s.spend_ids.contains(it->first)) {
      const SpendRecord spend = internal::lapsed_call_spend(it->second);
      s.append_spend(std::span(&spend, 1));
      ++settled;
    }
    it = s.pending_calls.erase(it);
  }
  return settled;
}

std::optional<std::string> MemoryArticleRepository::find_by_idempotency_key(std::string_view workspace_id,
                                                                            std::string_view key) {
  faults_.on_call(Op::find_by_idempotency_key);
  std::lock_guard lock(mutex_);
  const auto it = state_->idempotency.find(std::pair(std::string(workspace_id), std::string(key)));
  if (it == state_->idempotency.end()) return std::nullopt;
  return it->second.article_id;
}

IdempotencyClaim MemoryArticleRepository::claim_idempotency_key(std::string_view workspace_id, std::string_view key,
                                                                std::string_view fingerprint, Timestamp now,
                                                                std::chrono::seconds ttl) {
  faults_.on_call(Op::claim_idempotency_key);
  std::lock_guard lock(mutex_);
  auto& s = *state_;
  const State::KeyOf id{std::string(workspace_id), std::string(key)};
  IdempotencyClaim result;
  if (const auto used = s.idempotency.find(id); used != s.idempotency.end()) {
    const bool same = used->second.fingerprint.empty() || used->second.fingerprint == fingerprint;
    result.outcome = same ? IdempotencyClaim::Outcome::completed : IdempotencyClaim::Outcome::mismatch;
    if (same) result.article_id = used->second.article_id;
    return result;
  }
  if (const auto held = s.claims.find(id); held != s.claims.end() && held->second.expires_at > now) {
    result.outcome = held->second.fingerprint == fingerprint ? IdempotencyClaim::Outcome::in_progress
                                                             : IdempotencyClaim::Outcome::mismatch;
    result.expires_at = held->second.expires_at;
    return result;
  }
  result.token = new_uuid_v7(now);
  result.expires_at = now + ttl;
  s.claims[id] = State::Claim{std::string(fingerprint), result.token, result.expires_at};
  return result;
}

void MemoryArticleRepository::release_idempotency_key(std::string_view workspace_id, std::string_view key,
                                                      std::string_view token) {
  faults_.on_call(Op::release_idempotency_key);
  std::lock_guard lock(mutex_);
  const auto it = state_->claims.find(State::KeyOf(std::string(workspace_id), std::string(key)));
  if (it != state_->claims.end() && it->second.token == token) state_->claims.erase(it);
}

void MemoryArticleRepository::record_spend(const SpendRecord& spend, std::string_view reservation_id) {
  faults_.on_call(Op::record_spend);
  std::lock_guard lock(mutex_);
  auto& s = *state_;
  s.check_new_spend(std::span(&spend, 1));
  s.append_spend(std::span(&spend, 1));
  if (!reservation_id.empty())
    if (const auto it = s.reservations.find(reservation_id); it != s.reservations.end()) s.reservations.erase(it);
}

Money MemoryArticleRepository::spend_total(std::string_view workspace_id, std::optional<Timestamp> since) {
  faults_.on_call(Op::spend_total);
  std::lock_guard lock(mutex_);
  return state_->summary(workspace_id, since).total;
}

SpendSummary MemoryArticleRepository::spend_summary(std::string_view workspace_id, std::optional<Timestamp> since) {
  faults_.on_call(Op::spend_summary);
  std::lock_guard lock(mutex_);
  return state_->summary(workspace_id, since);
}

void MemoryArticleRepository::set_budget(std::string_view workspace_id, std::optional<Budget> budget) {
  faults_.on_call(Op::set_budget);
  if (budget && budget->limit < Money{}) throw Error::invalid_argument("budget.limit", "a budget cannot be negative");
  std::lock_guard lock(mutex_);
  auto& budgets = state_->budgets;
  if (!budget) {
    if (const auto it = budgets.find(workspace_id); it != budgets.end()) budgets.erase(it);
    return;
  }
  budgets.insert_or_assign(std::string(workspace_id), *budget);
}

std::optional<Budget> MemoryArticleRepository::get_budget(std::string_view workspace_id) {
  faults_.on_call(Op::get_budget);
  std::lock_guard lock(mutex_);
  const auto it = state_->budgets.find(workspace_id);
  if (it == state_->budgets.end()) return std::nullopt;
  return it->second;
}

std::optional<BudgetReservation> MemoryArticleRepository::reserve_budget(std::string_view workspace_id, Money amount,
                                                                         Timestamp now, std::chrono::seconds ttl) {
  faults_.on_call(Op::reserve_budget);
  if (amount < Money{}) throw Error::invalid_argument("amount", "a reservation cannot be negative");
  std::lock_guard lock(mutex_);
  auto& s = *state_;
  const auto budget = s.budgets.find(workspace_id);
  if (budget == s.budgets.end()) return std::nullopt;
  const Money committed =
      s.summary(workspace_id, internal::budget_period_start(budget->second.period, now)).total + s.reserved(workspace_id, now);
  if (committed + amount > budget->second.limit)
    throw Error(ErrorCode::budget_exceeded, "the workspace's budget of " + budget->second.limit.to_string() +
                                                " USD would be exceeded (spent and reserved: " +
                                                committed.to_string() + ", asked: " + amount.to_string() + ")");
  BudgetReservation reservation{new_uuid_v7(now), std::string(workspace_id), amount, now + ttl};
  s.reservations.emplace(reservation.id, reservation);
  return reservation;
}

void MemoryArticleRepository::release_reservation(std::string_view reservation_id) {
  faults_.on_call(Op::release_reservation);
  std::lock_guard lock(mutex_);
  if (const auto it = state_->reservations.find(reservation_id); it != state_->reservations.end())
    state_->reservations.erase(it);
}

std::vector<OutboxEntry> MemoryArticleRepository::claim_outbox(std::size_t limit, Timestamp now,
                                                               std::chrono::seconds lease) {
  faults_.on_call(Op::claim_outbox);
  std::lock_guard lock(mutex_);
  std::vector<State::OutboxRow*> due;
  for (auto& row : state_->outbox) {
    if (row.delivered) continue;
    if (row.next_attempt_at && *row.next_attempt_at > now) continue;
    if (row.leased_until && *row.leased_until > now) continue;
    due.push_back(&row);
  }
  std::sort(due.begin(), due.end(), [](const State::OutboxRow* a, const State::OutboxRow* b) {
    return std::tie(a->event.time, a->event.id) < std::tie(b->event.time, b->event.id);
  });
  if (due.size() > limit) due.resize(limit);
  std::vector<OutboxEntry> claimed;
  claimed.reserve(due.size());
  for (auto* row : due) {
    row->leased_until = now + lease;
    claimed.push_back(OutboxEntry{row->event, row->attempts, row->last_error});
  }
  return claimed;
}

void MemoryArticleRepository::mark_delivered(std::string_view event_id, Timestamp /*now*/) {
  faults_.on_call(Op::mark_delivered);
  std::lock_guard lock(mutex_);
  const auto it = state_->outbox_index.find(event_id);
  if (it == state_->outbox_index.end()) return;
  auto& row = state_->outbox[it->second];
  row.delivered = true;
  row.leased_until.reset();
}

void MemoryArticleRepository::mark_failed(std::string_view event_id, std::string_view error,
                                          Timestamp next_attempt_at) {
  faults_.on_call(Op::mark_failed);
  std::lock_guard lock(mutex_);
  const auto it = state_->outbox_index.find(event_id);
  if (it == state_->outbox_index.end()) return;
  auto& row = state_->outbox[it->second];
  if (row.delivered) return;
  ++row.attempts;
  row.last_error = error;
  row.next_attempt_at = next_attempt_at;
  row.leased_until.reset();
}

std::size_t MemoryArticleRepository::pending_outbox_count() {
  faults_.on_call(Op::pending_outbox_count);
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(state_->outbox.begin(), state_->outbox.end(), [](const auto& row) { return !row.delivered; }));
}

std::vector<SpendRecord> MemoryArticleRepository::spend_records(std::string_view workspace_id) const {
  std::lock_guard lock(mutex_);
  std::vector<SpendRecord> out;
  for (const auto& record : state_->spend)
    if (record.workspace_id == workspace_id) out.push_back(record);
  return out;
}

std::vector<Event> MemoryArticleRepository::outbox_events() const {
  std::lock_guard lock(mutex_);
  std::vector<Event> out;
  out.reserve(state_->outbox.size());
  for (const auto& row : state_->outbox) out.push_back(row.event);
  return out;
}

std::vector<BudgetReservation> MemoryArticleRepository::live_reservations(std::string_view workspace_id,
                                                                          Timestamp now) const {
  std::lock_guard lock(mutex_);
  std::vector<BudgetReservation> out;
  for (const auto& [id, reservation] : state_->reservations)
    if (reservation.workspace_id == workspace_id && reservation.expires_at > now) out.push_back(reservation);
  return out;
}

std::size_t MemoryArticleRepository::article_count() const {
  std::lock_guard lock(mutex_);
  return state_->articles.size();
}

}  // namespace contentgen::fakes
