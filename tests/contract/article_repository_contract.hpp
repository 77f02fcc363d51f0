#pragma once
// The ArticleRepository contract, written once and run against every implementation
// (MemoryArticleRepository, SOCI/SQLite, SOCI/PostgreSQL, ...).
//
// HOW TO INSTANTIATE IT for a repository of your own:
//
//   // tests/<room>/my_repository_contract_test.cpp
//   #include "contract/article_repository_contract.hpp"
//   using contentgen::contract::ArticleRepositoryContract;
//   using contentgen::contract::RepositoryFactory;
//   INSTANTIATE_TEST_SUITE_P(Sqlite, ArticleRepositoryContract,
//                            ::testing::Values(RepositoryFactory{"sqlite", [] { return make_empty_sqlite(); }}),
//                            contentgen::contract::factory_name);
//
//   # tests/<room>/CMakeLists.txt
//   contentgen_test(my_repository_contract_test SOURCES my_repository_contract_test.cpp
//                   LINK contentgen_contract_tests contentgen_<room> LABELS <room>)
//
// contentgen_contract_tests is an OBJECT library, so every TEST_P of the suite is linked in.
// make() is called once per test (in SetUp) and must return a fresh, EMPTY repository: no
// articles, events, spend, budgets or reservations. Several repositories may be alive at once.
//
// WHAT THE SUITE PINS DOWN, beyond the port headers (ports/article_repository.hpp, outbox.hpp,
// spend_ledger.hpp). Every rule below is asserted by at least one test.
//  Articles
//   - Every field of Article round-trips exactly: timestamps at microsecond precision, Money in
//     nano-USD, every TokenUsage count and `estimated`, enums, Unicode text, 200 KB of content.
//     metadata_json round-trips as the same JSON value (key order and spacing may change); through
//     the generator, which stores it canonical (lib/core/domain/validation.hpp), byte for byte: what
//     generate() and update() return is exactly what get() returns (contract_generated_text.cpp).
//   - create() stores `article.version` as given (the generator passes 1) and ignores
//     `article.images`. Ids are globally unique: an id used in ANY workspace is a conflict.
//   - A conflicting create (id, idempotency key, event id or spend id already present) changes
//     nothing: no article, no events, no spend, and the reservation stays live.
//   - update() keeps id, workspace_id, created_at and images; stores every other field from the
//     argument and version = expected_version + 1 (whatever article.version says).
//   - A call that fails or reports "missing" (not_found, conflict, false, nullopt) writes none of
//     its events.
//   - remove() deletes the image rows and frees the idempotency key (a later create may reuse it).
//   - Another workspace's article behaves exactly like a missing one in get, list, update, remove,
//     add_image, remove_image and find_by_idempotency_key.
//  Pagination
//   - Order (created_at desc, id desc), ids compared as strings; status filter applied before the
//     limit; next_cursor is empty exactly when no further matching row exists (a page that ends
//     on the last row has an empty cursor); limit outside 1-100 -> invalid_argument "limit";
//     a cursor not produced by the repository -> invalid_argument "cursor" (use
//     lib/core/domain/cursor.hpp); rows inserted after a page was read never cause a later page to skip
//     or repeat a row; list() items have no images.
//  Images
//   - get() returns images ordered by (created_at, id); image ids are globally unique (conflict).
//  Outbox
//   - A new row is due at once, whatever `now` and the event time are. claim_outbox returns
//     rows ordered by (event.time, event.id), leases them until now + lease; a leased row is
//     claimable again when now >= lease end. Concurrent claimants never receive the same row.
//   - mark_failed: attempts + 1, last_error, due again at next_attempt_at, lease cleared.
//     mark_delivered: never claimed again, no longer pending. Both are no-ops for unknown ids,
//     and mark_failed is a no-op on a delivered row.
//  Spend and budgets
//   - spend_total sums cost of the workspace's records with at >= since (inclusive).
//   - A spend id is unique: recording it twice is a conflict and counts once.
//   - reserve_budget: nullopt without a budget; monthly = since 00:00 UTC on the first of now's
//     month, total = all time; reservations with expires_at <= now do not count; a reservation
//     that reaches the limit exactly is allowed; budget_exceeded reserves nothing; a negative
//     amount -> invalid_argument "amount"; a negative budget limit -> invalid_argument
//     "budget.limit". Concurrent reservations never overshoot the limit.
//   - create() and record_spend() release the reservation they name; release of an unknown id
//     is a no-op.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "contentgen/ports/article_repository.hpp"

namespace contentgen::contract {

struct RepositoryFactory {
  std::string name;  // used in test names: letters, digits and '_' only
  std::function<std::shared_ptr<ArticleRepository>()> make;
};

// gtest prints a parameter with this (instead of its bytes).
inline void PrintTo(const RepositoryFactory& factory, std::ostream* out) { *out << factory.name; }

// For INSTANTIATE_TEST_SUITE_P's name generator: the factory's name.
std::string factory_name(const ::testing::TestParamInfo<RepositoryFactory>& info);

class ArticleRepositoryContract : public ::testing::TestWithParam<RepositoryFactory> {
 protected:
  void SetUp() override;
  std::shared_ptr<ArticleRepository> repo;
};

}  // namespace contentgen::contract
