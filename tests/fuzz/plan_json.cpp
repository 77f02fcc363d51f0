// The JSON forms read from callers (C API, Python, CLI, REST bodies): a plan, then
// validate_plan(); an article update; a usage object. A plan that reads and validates must survive
// the round trip plan_to_json -> plan_from_json unchanged.
#include "contentgen/json.hpp"
#include "contentgen/plan.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  const auto text = fuzz::text_of(data, size);
  fuzz::expect_errors([&] {
    const ContentPlan plan = plan_from_json(text);
    validate_plan(plan);
    const ContentPlan again = plan_from_json(plan_to_json(plan));
    FUZZ_CHECK(plan_to_json(again) == plan_to_json(plan));
  });
  fuzz::expect_errors([&] { (void)article_update_from_json(text); });
  fuzz::expect_errors([&] { (void)usage_to_json(usage_from_json(text)); });
  return 0;
}
