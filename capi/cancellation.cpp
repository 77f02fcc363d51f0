// Cancellation handles (contentgen_cancellation_*): a CancellationSource behind a C handle.
#include "handles.hpp"
#include "support.hpp"

using namespace contentgen::capi;

extern "C" {

int contentgen_cancellation_new(contentgen_cancellation** out) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    require(out, "out");
    *out = new contentgen_cancellation();
  });
}

void contentgen_cancellation_cancel(contentgen_cancellation* cancellation) {
  if (cancellation != nullptr) cancellation->source.cancel();
}

int contentgen_cancellation_is_cancelled(const contentgen_cancellation* cancellation) {
  return cancellation != nullptr && cancellation->source.cancelled() ? 1 : 0;
}

void contentgen_cancellation_free(contentgen_cancellation* cancellation) { delete cancellation; }

}  // extern "C"
