#pragma once
// The price table given inline in the configuration ("prices": {"models": [...], "aliases": [...]}),
// read by parse_config (so that a configuration check catches a bad price) and by load_prices.
#include <string_view>

#include "contentgen/cost.hpp"

namespace contentgen::configdetail {

// PriceTable::from_json with every invalid_argument renamed into the "prices" section
// ("models[0].input" -> "prices.models[0].input").
PriceTable inline_price_table(std::string_view json);

}  // namespace contentgen::configdetail
