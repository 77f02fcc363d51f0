#include "core/cost/price_validation.hpp"

#include "contentgen/error.hpp"
#include "contentgen/time.hpp"

namespace contentgen::internal {
namespace {

void non_negative(const std::optional<Money>& amount, const std::string& field) {
  if (amount && *amount < Money{}) throw Error::invalid_argument(field, "prices cannot be negative");
}

}  // namespace

void validate_price(const ModelPrice& p, const std::string& prefix) {
  if (p.model.empty() || p.model.size() > 200) throw Error::invalid_argument(prefix + ".model", "must be 1-200 characters");
  if (p.model.find("{date}") != std::string::npos)
    throw Error::invalid_argument(prefix + ".model", "placeholders belong in alias patterns, not model names");
  if (p.provider.empty()) throw Error::invalid_argument(prefix + ".provider", "is required");
  non_negative(p.input_per_million, prefix + ".input");
  non_negative(p.cached_input_per_million, prefix + ".cached_input");
  non_negative(p.cache_write_per_million, prefix + ".cache_write");
  non_negative(p.output_per_million, prefix + ".output");
  non_negative(p.reasoning_per_million, prefix + ".reasoning");
  if (p.effective_date.size() != 10 || !parse_rfc3339(p.effective_date + "T00:00:00Z"))
    throw Error::invalid_argument(prefix + ".effective_date", "must be a date like 2024-07-18");
}

void validate_alias(const ModelAlias& a, const std::string& prefix) {
  if (a.pattern.empty()) throw Error::invalid_argument(prefix + ".pattern", "is required");
  const auto first = a.pattern.find("{date}");
  if (first != std::string::npos && a.pattern.find("{date}", first + 1) != std::string::npos)
    throw Error::invalid_argument(prefix + ".pattern", "at most one {date} placeholder");
  if (a.model.empty()) throw Error::invalid_argument(prefix + ".model", "is required");
}

}  // namespace contentgen::internal
