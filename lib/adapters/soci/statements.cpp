#include "adapters/soci/statements.hpp"

namespace contentgen::soci_adapter {

Statements::Statements(const Dialect& d) {
  const auto t = [&](const char* name) { return d.time_in(name); };

  article_columns =
      "id, workspace_id, COALESCE(plan_id, ''), title, slug, content, content_html, status, provider, model, "
      "finish_reason, llm_calls, prompt_tokens, cached_tokens, cache_write_tokens, completion_tokens, "
      "reasoning_tokens, CASE WHEN usage_estimated THEN 1 ELSE 0 END, cost_nanos, word_count, " +
      d.json_out("metadata") + ", COALESCE(html_url, ''), version, " + d.time_out("created_at") + ", " +
      d.time_out("updated_at");

  insert_article =
      "INSERT INTO articles (id, workspace_id, plan_id, title, slug, content, content_html, status, provider, model, "
      "finish_reason, llm_calls, prompt_tokens, cached_tokens, cache_write_tokens, completion_tokens, "
      "reasoning_tokens, usage_estimated, cost_nanos, word_count, metadata, html_url, version, created_at, "
      "updated_at) VALUES (:id, :workspace_id, NULLIF(:plan_id, ''), :title, :slug, :content, :content_html, "
      ":status, :provider, :model, :finish_reason, :llm_calls, :prompt_tokens, :cached_tokens, "
      ":cache_write_tokens, :completion_tokens, :reasoning_tokens, (:usage_estimated <> 0), :cost_nanos, "
      ":word_count, " +
      d.json_in("metadata") + ", NULLIF(:html_url, ''), :version, " + t("created_at") + ", " + t("updated_at") + ")";

  const std::string from_articles = "SELECT " + article_columns + " FROM articles WHERE workspace_id = :workspace_id";
  const std::string page_order = " ORDER BY created_at DESC, id DESC LIMIT :limit";
  const std::string after_cursor = " AND (created_at, id) < (" + t("cursor_created_at") + ", :cursor_id)";
  select_article = from_articles + " AND id = :id";
  list_first_page = from_articles + page_order;
  list_first_page_by_status = from_articles + " AND status = :status" + page_order;
  list_after_cursor = from_articles + after_cursor + page_order;
  list_after_cursor_by_status = from_articles + " AND status = :status" + after_cursor + page_order;

  update_article =
      "UPDATE articles SET plan_id = NULLIF(:plan_id, ''), title = :title, slug = :slug, content = :content, "
      "content_html = :content_html, status = :status, provider = :provider, model = :model, "
      "finish_reason = :finish_reason, llm_calls = :llm_calls, prompt_tokens = :prompt_tokens, "
      "cached_tokens = :cached_tokens, cache_write_tokens = :cache_write_tokens, "
      "completion_tokens = :completion_tokens, reasoning_tokens = :reasoning_tokens, "
      "usage_estimated = (:usage_estimated <> 0), cost_nanos = :cost_nanos, word_count = :word_count, metadata = " +
      d.json_in("metadata") + ", html_url = NULLIF(:html_url, ''), updated_at = " + t("updated_at") +
      ", version = version + 1 WHERE workspace_id = :workspace_id AND id = :id AND version = :expected_version "
      "RETURNING version";
  select_article_version = "SELECT version FROM articles WHERE workspace_id = :workspace_id AND id = :id";
  delete_article = "DELETE FROM articles WHERE workspace_id = :workspace_id AND id = :id RETURNING id";
  article_exists = "SELECT 1 FROM articles WHERE workspace_id = :workspace_id AND id = :id";

  insert_image =
      "INSERT INTO article_images (id, workspace_id, article_id, storage_key, url, content_type, size_bytes, width, "
      "height, sha256, original_filename, alt_text, created_at) VALUES (:id, :workspace_id, :article_id, "
      ":storage_key, :url, :content_type, :size_bytes, :width, :height, :sha256, :original_filename, :alt_text, " +
      t("created_at") + ")";
  const std::string from_images =
      "SELECT id, article_id, workspace_id, storage_key, url, content_type, size_bytes, width, height, sha256, "
      "original_filename, alt_text, " +
      d.time_out("created_at") + " FROM article_images WHERE workspace_id = :workspace_id AND article_id = :article_id";
  const std::string image_order = " ORDER BY created_at, id LIMIT :limit";
  select_images = from_images + image_order;
  select_images_after = from_images + " AND (created_at, id) > (" + t("after_created_at") + ", :after_id)" + image_order;
  delete_image =
      "DELETE FROM article_images WHERE workspace_id = :workspace_id AND article_id = :article_id AND id = :id "
      "RETURNING id";

  insert_idempotency_key =
      "INSERT INTO idempotency_keys (workspace_id, idempotency_key, article_id, created_at, fingerprint) VALUES "
      "(:workspace_id, :idempotency_key, :article_id, " +
      t("created_at") + ", :fingerprint)";
  const std::string key_is = " WHERE workspace_id = :workspace_id AND idempotency_key = :idempotency_key";
  select_idempotency_key = "SELECT article_id FROM idempotency_keys" + key_is;
  select_idempotency_key_fingerprint = "SELECT article_id, fingerprint FROM idempotency_keys" + key_is;
  delete_expired_claim = "DELETE FROM idempotency_claims" + key_is + " AND expires_at <= " + t("now");
  insert_claim =
      "INSERT INTO idempotency_claims (workspace_id, idempotency_key, fingerprint, token, expires_at) VALUES "
      "(:workspace_id, :idempotency_key, :fingerprint, :token, " +
      t("expires_at") + ") ON CONFLICT (workspace_id, idempotency_key) DO NOTHING";
  select_claim = "SELECT fingerprint, token, " + d.time_out("expires_at") + " FROM idempotency_claims" + key_is;
  delete_claim = "DELETE FROM idempotency_claims" + key_is;
  delete_claim_of_token = delete_claim + " AND token = :token";

  insert_event =
      "INSERT INTO outbox (id, workspace_id, type, subject, payload, created_at, attempts) VALUES (:id, "
      ":workspace_id, :type, :subject, :payload, " +
      t("created_at") + ", 0)";
  // One statement picks the due rows (skipping rows another claimant holds locked) and leases them.
  claim_outbox = "UPDATE outbox SET next_attempt_at = " + t("lease_until") +
                 " WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NULL AND (next_attempt_at IS NULL OR "
                 "next_attempt_at <= " +
                 t("now") + ") ORDER BY created_at, id LIMIT :limit" + std::string(d.for_update_skip_locked()) +
                 ") RETURNING id, workspace_id, type, subject, payload, " + d.time_out("created_at") +
                 ", attempts, COALESCE(last_error, '')";
  mark_delivered = "UPDATE outbox SET delivered_at = " + t("now") +
                   ", next_attempt_at = NULL WHERE id = :id AND delivered_at IS NULL";
  mark_delivered_in = "UPDATE outbox SET delivered_at = " + t("now") +
                      ", next_attempt_at = NULL WHERE delivered_at IS NULL AND id IN (";
  mark_failed = "UPDATE outbox SET attempts = attempts + 1, last_error = :error, next_attempt_at = " +
                t("next_attempt_at") + " WHERE id = :id AND delivered_at IS NULL";
  count_pending = "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL";

  upsert_pending_call =
      "INSERT INTO pending_calls (id, workspace_id, provider, model, worst_case_nanos, sent_at, expires_at) VALUES "
      "(:id, :workspace_id, :provider, :model, :worst_case_nanos, " +
      t("sent_at") + ", " + t("expires_at") +
      ") ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, model = excluded.model, "
      "worst_case_nanos = excluded.worst_case_nanos, sent_at = excluded.sent_at, expires_at = excluded.expires_at";
  delete_pending_call = "DELETE FROM pending_calls WHERE workspace_id = :workspace_id AND id = :id";
  select_lapsed_call = "SELECT id, provider, model, worst_case_nanos, " + d.time_out("sent_at") +
                       " FROM pending_calls WHERE workspace_id = :workspace_id AND expires_at <= " + t("now") +
                       " ORDER BY id LIMIT 1" + std::string(d.for_update_skip_locked());
  delete_pending_call_by_id = "DELETE FROM pending_calls WHERE id = :id";
  insert_spend =
      "INSERT INTO spend_ledger (id, workspace_id, article_id, provider, model, prompt_tokens, cached_tokens, "
      "cache_write_tokens, completion_tokens, reasoning_tokens, usage_estimated, cost_nanos, succeeded, recorded_at) "
      "VALUES (:id, :workspace_id, NULLIF(:article_id, ''), :provider, :model, :prompt_tokens, :cached_tokens, "
      ":cache_write_tokens, :completion_tokens, :reasoning_tokens, (:usage_estimated <> 0), :cost_nanos, "
      "(:succeeded <> 0), " +
      t("recorded_at") + ")";
  spend_summary =
      "SELECT CAST(COALESCE(SUM(cost_nanos), 0) AS BIGINT), "
      "CAST(COALESCE(SUM(CASE WHEN usage_estimated THEN cost_nanos ELSE 0 END), 0) AS BIGINT), "
      "CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN usage_estimated THEN 1 ELSE 0 END), 0) AS BIGINT) "
      "FROM spend_ledger WHERE workspace_id = :workspace_id";
  spend_summary_since = spend_summary + " AND recorded_at >= " + t("since");
  release_reservation_in_workspace =
      "DELETE FROM budget_reservations WHERE id = :reservation_id AND workspace_id = :workspace_id";
  release_reservation = "DELETE FROM budget_reservations WHERE id = :reservation_id";

  upsert_budget =
      "INSERT INTO workspace_budgets (workspace_id, limit_nanos, period, updated_at) VALUES (:workspace_id, "
      ":limit_nanos, :period, " +
      t("updated_at") +
      ") ON CONFLICT (workspace_id) DO UPDATE SET limit_nanos = excluded.limit_nanos, period = excluded.period, "
      "updated_at = excluded.updated_at";
  delete_budget = "DELETE FROM workspace_budgets WHERE workspace_id = :workspace_id";
  select_budget = "SELECT limit_nanos, period FROM workspace_budgets WHERE workspace_id = :workspace_id";
  lock_budget = select_budget + std::string(d.for_update());

  // Spent and reserved in ONE statement: one snapshot, so a generation that settles (spend in,
  // reservation out) between two separate reads cannot make its amount vanish from both.
  const std::string reserved =
      "CAST(COALESCE((SELECT SUM(amount_nanos) FROM budget_reservations WHERE workspace_id = :reservation_workspace "
      "AND expires_at > " +
      t("now") + "), 0) AS BIGINT)";
  const std::string spent = "CAST(COALESCE((SELECT SUM(cost_nanos) FROM spend_ledger WHERE workspace_id = :spend_workspace";
  committed_total = "SELECT " + spent + "), 0) AS BIGINT), " + reserved;
  committed_total_since = "SELECT " + spent + " AND recorded_at >= " + t("since") + "), 0) AS BIGINT), " + reserved;
  delete_expired_reservations =
      "DELETE FROM budget_reservations WHERE workspace_id = :workspace_id AND expires_at <= " + t("now");
  insert_reservation =
      "INSERT INTO budget_reservations (id, workspace_id, amount_nanos, created_at, expires_at) VALUES (:id, "
      ":workspace_id, :amount_nanos, " +
      t("created_at") + ", " + t("expires_at") + ")";
}

}  // namespace contentgen::soci_adapter
