// The transactional outbox. A claim is one UPDATE ... WHERE id IN (SELECT ... LIMIT n [FOR UPDATE
// SKIP LOCKED]) RETURNING ...: the due rows are leased (next_attempt_at = now + lease) in the same
// statement that picks them. On PostgreSQL a row another claimant holds is skipped, and one that
// claimant has just leased no longer qualifies when re-checked, so no row is handed out twice; on
// SQLite the claim runs under BEGIN IMMEDIATE, one writer at a time.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "adapters/soci/article_rows.hpp"
#include "adapters/soci/query.hpp"
#include "adapters/soci/soci_repository.hpp"

namespace contentgen::soci_adapter {
namespace {

constexpr std::size_t max_claim = 1000;
constexpr std::size_t mark_chunk = 100;  // ids per UPDATE (far below SQLite's and libpq's parameter limits)

// "id0" ... "id99": SOCI keeps a reference to each use() name until the statement runs.
const std::vector<std::string>& placeholder_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < mark_chunk; ++i) out.push_back("id" + std::to_string(i));
    return out;
  }();
  return names;
}

// "<prefix>:id0, :id1, ..., :id<n-1>)": only the count of bound parameters is in the text.
std::string with_id_list(const std::string& prefix, std::size_t n) {
  std::string text = prefix;
  for (std::size_t i = 0; i < n; ++i) text += (i == 0 ? ":" : ", :") + placeholder_names()[i];
  return text + ")";
}

}  // namespace

std::vector<OutboxEntry> SociArticleRepository::claim_outbox(std::size_t limit, Timestamp now,
                                                             std::chrono::seconds lease) {
  if (limit == 0) return {};
  const std::size_t capacity = std::min(limit, max_claim);
  const long long limit_value = static_cast<long long>(capacity);
  const std::string now_text = dialect().time_value(now);
  const std::string lease_until = dialect().time_value(now + lease);
  auto entries = pool_->write("claim outbox", [&](soci::session& sql) {
    const std::size_t rows = bulk_capacity(capacity);
    std::vector<std::string> ids(rows), workspaces(rows), types(rows), subjects(rows), payloads(rows),
        last_errors(rows);
    std::vector<long long> times(rows);
    std::vector<int> attempts(rows);
    Query claim(sql, statements_.claim_outbox);
    claim.use(lease_until, "lease_until").use(now_text, "now").use(limit_value, "limit");
    claim.into(ids).into(workspaces).into(types).into(subjects).into(payloads).into(times).into(attempts);
    claim.into(last_errors);
    claim.run();
    std::vector<OutboxEntry> claimed;
    claimed.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto type = parse_event_type(types[i]);
      if (!type) throw Error(ErrorCode::storage, "outbox row " + ids[i] + " has an unknown type \"" + types[i] + "\"");
      OutboxEntry entry;
      entry.event = Event{ids[i], *type, timestamp_from_micros(times[i]), workspaces[i], subjects[i], payloads[i]};
      entry.attempts = attempts[i];
      entry.last_error = last_errors[i];
      claimed.push_back(std::move(entry));
    }
    return claimed;
  });
  // RETURNING has no order: oldest first, as the port promises.
  std::sort(entries.begin(), entries.end(), [](const OutboxEntry& a, const OutboxEntry& b) {
    return std::tie(a.event.time, a.event.id) < std::tie(b.event.time, b.event.id);
  });
  return entries;
}

void SociArticleRepository::mark_delivered(std::string_view event_id, Timestamp now) {
  const std::string id(event_id);
  const std::string now_text = dialect().time_value(now);
  pool_->execute("mark outbox row delivered", [&](soci::session& sql) {
    Query mark(sql, statements_.mark_delivered);
    mark.use(now_text, "now").use(id, "id");
    mark.run();
  });
}

void SociArticleRepository::mark_delivered_many(std::span<const std::string> event_ids, Timestamp now) {
  if (event_ids.empty()) return;
  const std::string now_text = dialect().time_value(now);
  // One transaction, so one commit (one fsync on SQLite) for the whole batch a relay confirmed, and
  // one UPDATE ... id IN (...) per chunk, so one round trip per 100 rows on PostgreSQL.
  const std::string full_chunk = with_id_list(statements_.mark_delivered_in, mark_chunk);
  pool_->write("mark outbox rows delivered", [&](soci::session& sql) {
    for (std::size_t start = 0; start < event_ids.size(); start += mark_chunk) {
      const auto chunk = event_ids.subspan(start, std::min(mark_chunk, event_ids.size() - start));
      Query mark(sql, chunk.size() == mark_chunk ? full_chunk : with_id_list(statements_.mark_delivered_in, chunk.size()));
      mark.use(now_text, "now");
      for (std::size_t i = 0; i < chunk.size(); ++i) mark.use(chunk[i], placeholder_names()[i]);
      mark.run();
    }
  });
}

void SociArticleRepository::mark_failed(std::string_view event_id, std::string_view error, Timestamp next_attempt_at) {
  const std::string id(event_id);
  const std::string message(error);
  const std::string next = dialect().time_value(next_attempt_at);
  pool_->execute("mark outbox row failed", [&](soci::session& sql) {
    Query mark(sql, statements_.mark_failed);
    mark.use(message, "error").use(next, "next_attempt_at").use(id, "id");
    mark.run();
  });
}

std::size_t SociArticleRepository::pending_outbox_count() {
  return pool_->read("count pending outbox rows", [&](soci::session& sql) {
    long long count = 0;
    Query select(sql, statements_.count_pending);
    select.into(count);
    select.run();
    return static_cast<std::size_t>(count);
  });
}

}  // namespace contentgen::soci_adapter
