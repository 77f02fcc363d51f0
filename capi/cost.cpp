// Cost and price-table entry points.
#include "handles.hpp"
#include "support.hpp"
#include "contentgen/cost.hpp"

using namespace contentgen::capi;

namespace {

const contentgen::PriceTable& builtin_prices() {
  static const contentgen::PriceTable table = contentgen::PriceTable::builtin();
  return table;
}

const contentgen::PriceTable& prices_of(const contentgen_generator* generator) {
  return generator != nullptr ? *generator->configured.prices : builtin_prices();
}

}  // namespace

extern "C" {

int contentgen_cost(int64_t* out_nanousd, const char* model, size_t model_len, const contentgen_usage* usage) {
  if (out_nanousd != nullptr) *out_nanousd = 0;
  return guard([&] {
    require(out_nanousd, "out_nanousd");
    *out_nanousd = builtin_prices().cost(text(model, model_len, "model"), usage_from_c(usage)).nanos();
  });
}

int contentgen_generator_cost(int64_t* out_nanousd, const contentgen_generator* generator, const char* model,
                              size_t model_len, const contentgen_usage* usage) {
  if (out_nanousd != nullptr) *out_nanousd = 0;
  return guard([&] {
    require(out_nanousd, "out_nanousd");
    require(generator, "generator");
    *out_nanousd = prices_of(generator).cost(text(model, model_len, "model"), usage_from_c(usage)).nanos();
  });
}

int contentgen_prices_json(char** out, size_t* out_len, const contentgen_generator* generator) {
  if (out != nullptr) *out = nullptr;
  if (out_len != nullptr) *out_len = 0;
  return guard([&] { copy_out(prices_of(generator).to_json(), out, out_len); });
}

}  // extern "C"
