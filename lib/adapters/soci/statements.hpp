#pragma once
// Every SQL statement of the repository, built once per backend from dialect.hpp's fragments
// (internal). Values are always bound (:name), never spliced in; every statement on articles and
// images names the workspace.
#include <string>

#include "adapters/soci/dialect.hpp"

namespace contentgen::soci_adapter {

struct Statements {
  explicit Statements(const Dialect& dialect);

  // The 25 columns of an article, in the order article_rows.hpp reads them.
  std::string article_columns;

  std::string insert_article;
  std::string select_article;
  std::string list_first_page;
  std::string list_first_page_by_status;
  std::string list_after_cursor;
  std::string list_after_cursor_by_status;
  std::string update_article;
  std::string select_article_version;
  std::string delete_article;
  std::string article_exists;

  std::string insert_image;
  std::string select_images;
  std::string select_images_after;
  std::string delete_image;

  std::string insert_idempotency_key;
  std::string select_idempotency_key;
  std::string select_idempotency_key_fingerprint;
  std::string delete_expired_claim;
  std::string insert_claim;  // does nothing when the key is claimed already
  std::string select_claim;
  std::string delete_claim;
  std::string delete_claim_of_token;

  std::string insert_event;
  std::string claim_outbox;
  std::string mark_delivered;
  // Followed by ":id0, :id1, ...)" for a batch (bound parameters; only their count is in the text).
  std::string mark_delivered_in;
  std::string mark_failed;
  std::string count_pending;

  std::string insert_spend;
  std::string spend_summary;
  std::string spend_summary_since;
  std::string release_reservation_in_workspace;
  std::string release_reservation;
  std::string upsert_budget;
  std::string delete_budget;
  std::string select_budget;
  std::string lock_budget;
  std::string committed_total;        // spend in the period + live reservations (one snapshot)
  std::string committed_total_since;
  std::string delete_expired_reservations;
  std::string insert_reservation;

  std::string upsert_pending_call;
  std::string delete_pending_call;
  std::string select_lapsed_call;  // one at a time, skipping rows a concurrent settler holds
  std::string delete_pending_call_by_id;
};

}  // namespace contentgen::soci_adapter
