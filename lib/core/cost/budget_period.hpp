#pragma once
// The start of a budget's current period (internal; shared by every SpendLedger implementation so
// they all agree on what "this month" means).
#include <optional>

#include "contentgen/ports/spend_ledger.hpp"

namespace contentgen::internal {

// monthly: 00:00:00 UTC on the first day of `now`'s calendar month; total: nullopt (all time).
std::optional<Timestamp> budget_period_start(Budget::Period period, Timestamp now);

}  // namespace contentgen::internal
