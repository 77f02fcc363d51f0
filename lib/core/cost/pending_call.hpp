#pragma once
// The spend record a lapsed pending call becomes (internal; every SpendLedger uses it, so that
// all backends settle alike).
#include "contentgen/ports/spend_ledger.hpp"

namespace contentgen::internal {

// id = the call's, no article, succeeded false, usage empty and estimated, cost = worst_case,
// at = sent_at.
SpendRecord lapsed_call_spend(const PendingCall& call);

}  // namespace contentgen::internal
