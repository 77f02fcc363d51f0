#pragma once
// Checks of price-table entries shared by PriceTable::add and from_json (internal).
#include <string>

#include "contentgen/cost.hpp"

namespace contentgen::internal {

// field_prefix is e.g. "models[3]": errors name "models[3].input".
void validate_price(const ModelPrice& price, const std::string& field_prefix);
void validate_alias(const ModelAlias& alias, const std::string& field_prefix);

}  // namespace contentgen::internal
