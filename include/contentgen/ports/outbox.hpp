#pragma once
// Port (part of ArticleRepository): the transactional outbox. Events are inserted with the change
// they announce (ArticleRepository); an EventRelay claims due rows, publishes them to an EventSink
// and marks them. Several relays -- threads or processes -- may share one outbox: a claimed row is
// leased to one claimant until `now + lease`, and no row is handed to two claimants at once
// (PostgreSQL: FOR UPDATE SKIP LOCKED). Delivery is at-least-once. Thread safety: as
// ArticleRepository.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "contentgen/event.hpp"
#include "contentgen/export.hpp"
#include "contentgen/time.hpp"

namespace contentgen {

struct OutboxEntry {
  Event event;
  std::int32_t attempts = 0;   // failed delivery attempts so far
  std::string last_error;
};

class CONTENTGEN_API Outbox {
 public:
  Outbox() = default;
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;
  virtual ~Outbox();

  // Claims up to `limit` undelivered rows whose next attempt is due at `now`, oldest first (by
  // event time, then id), and leases them until now + lease so other claimants skip them (a row is
  // claimable again once now >= lease end). A new row is due at once.
  virtual std::vector<OutboxEntry> claim_outbox(std::size_t limit, Timestamp now, std::chrono::seconds lease) = 0;
  // Marks a row delivered at `now`; it is never claimed again. Unknown ids: no-op.
  virtual void mark_delivered(std::string_view event_id, Timestamp now) = 0;
  // Optional: marks several rows delivered at `now` -- in one transaction where the backend has
  // them (one commit instead of one per row, all or nothing). The default calls mark_delivered()
  // for each id; a failure part-way leaves the rest leased, to be redelivered after the lease (as
  // at-least-once delivery allows).
  virtual void mark_delivered_many(std::span<const std::string> event_ids, Timestamp now);
  // Records a failed attempt: attempts + 1, last_error, next attempt at `next_attempt_at`, lease
  // cleared. Unknown or already delivered ids: no-op.
  virtual void mark_failed(std::string_view event_id, std::string_view error, Timestamp next_attempt_at) = 0;
  // Rows not yet delivered (for health checks, tests and the CLI).
  virtual std::size_t pending_outbox_count() = 0;
};

}  // namespace contentgen
