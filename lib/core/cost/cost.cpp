// The cost formula and model resolution. Prices are Money per 1M tokens; one call costs
//   sum(tokens_of_kind * nanos_per_million_of_kind) / 1e6
// computed in 128-bit integers and rounded half-even once, to 1 nano-USD.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "contentgen/cost.hpp"
#include "contentgen/error.hpp"
#include "core/cost/price_validation.hpp"

namespace contentgen {
namespace {

// GCC/Clang 128-bit integers (__extension__ keeps -Wpedantic quiet): tokens x nanos per million
// overflow 64 bits long before any real bill does.
__extension__ typedef __int128 Wide;
constexpr Wide tokens_per_million = 1'000'000;

Wide charge(std::int64_t tokens, Money per_million) { return Wide{tokens} * Wide{per_million.nanos()}; }

// Half-even rounding of numerator / tokens_per_million for a non-negative numerator.
std::int64_t round_half_even(Wide numerator) {
  Wide quotient = numerator / tokens_per_million;
  const Wide remainder = numerator % tokens_per_million;
  const Wide half = tokens_per_million / 2;
  if (remainder > half || (remainder == half && (quotient % 2) != 0)) ++quotient;
  if (quotient > Wide{std::numeric_limits<std::int64_t>::max()}) throw Error(ErrorCode::internal, "cost exceeds the range of Money");
  return static_cast<std::int64_t>(quotient);
}

// "gpt-4o-mini-{date}" matches "gpt-4o-mini-2024-07-18" and "gpt-4o-mini-20240718".
bool date_at(std::string_view text, std::size_t pos, std::size_t& length) {
  auto digits = [&](std::size_t from, std::size_t n) {
    if (from + n > text.size()) return false;
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                       text.begin() + static_cast<std::ptrdiff_t>(from + n), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (digits(pos, 4) && pos + 10 <= text.size() && text[pos + 4] == '-' && digits(pos + 5, 2) && text[pos + 7] == '-' &&
      digits(pos + 8, 2)) {
    length = 10;
    return true;
  }
  if (digits(pos, 8)) {
    length = 8;
    return true;
  }
  return false;
}

bool alias_matches(std::string_view pattern, std::string_view model) {
  const auto placeholder = pattern.find("{date}");
  if (placeholder == std::string_view::npos) return pattern == model;
  const auto prefix = pattern.substr(0, placeholder);
  const auto suffix = pattern.substr(placeholder + 6);
  if (!model.starts_with(prefix)) return false;
  std::size_t length = 0;
  if (!date_at(model, prefix.size(), length)) return false;
  return model.substr(prefix.size() + length) == suffix;
}

}  // namespace

Money cost_of(const ModelPrice& price, const TokenUsage& usage) {
  validate_usage(usage);
  // A table validates its prices; a ModelPrice built in code reaches here unchecked, and a
  // negative rate would also break the rounding below (it assumes a non-negative numerator).
  const auto negative = [](const std::optional<Money>& rate) { return rate && *rate < Money{}; };
  if (price.input_per_million < Money{} || price.output_per_million < Money{} ||
      negative(price.cached_input_per_million) || negative(price.cache_write_per_million) ||
      negative(price.reasoning_per_million))
    throw Error::invalid_argument("price", "prices cannot be negative");
  const Wide numerator =
      charge(usage.uncached_prompt_tokens(), price.input_per_million) +
      charge(usage.cached_tokens, price.cached_input_per_million.value_or(price.input_per_million)) +
      charge(usage.cache_write_tokens, price.cache_write_per_million.value_or(price.input_per_million)) +
      charge(usage.completion_tokens - usage.reasoning_tokens, price.output_per_million) +
      charge(usage.reasoning_tokens, price.reasoning_per_million.value_or(price.output_per_million));
  return Money::from_nanos(round_half_even(numerator));
}

const ModelPrice* PriceTable::find(std::string_view model) const noexcept {
  for (const auto& price : models_)
    if (price.model == model) return &price;
  for (const auto& alias : aliases_)
    if (alias_matches(alias.pattern, model))
      for (const auto& price : models_)
        if (price.model == alias.model) return &price;
  return nullptr;
}

const ModelPrice& PriceTable::resolve(std::string_view model) const {
  if (const auto* price = find(model)) return *price;
  throw Error(ErrorCode::unknown_model, "no price for model \"" + std::string(model) +
                                            "\": add it (or an alias rule) to the price table");
}

Money PriceTable::cost(std::string_view model, const TokenUsage& usage) const { return cost_of(resolve(model), usage); }

void PriceTable::add(ModelPrice price) {
  internal::validate_price(price, "price");
  const auto same = std::find_if(models_.begin(), models_.end(), [&](const ModelPrice& p) { return p.model == price.model; });
  if (same != models_.end())
    *same = std::move(price);
  else
    models_.push_back(std::move(price));
}

void PriceTable::add_alias(ModelAlias alias) {
  internal::validate_alias(alias, "alias");
  if (std::none_of(models_.begin(), models_.end(), [&](const ModelPrice& p) { return p.model == alias.model; }))
    throw Error::invalid_argument("alias.model", "alias points to \"" + alias.model + "\", which has no price");
  aliases_.push_back(std::move(alias));
}

}  // namespace contentgen
