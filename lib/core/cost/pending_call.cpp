#include "core/cost/pending_call.hpp"

namespace contentgen::internal {

SpendRecord lapsed_call_spend(const PendingCall& call) {
  SpendRecord spend;
  spend.id = call.id;
  spend.workspace_id = call.workspace_id;
  spend.provider = call.provider;
  spend.model = call.model;
  spend.usage.estimated = true;  // what the provider billed is unknown: the worst case stands in
  spend.cost = call.worst_case;
  spend.succeeded = false;
  spend.at = call.sent_at;
  return spend;
}

}  // namespace contentgen::internal
