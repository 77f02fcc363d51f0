#pragma once
// Money: an exact amount of US dollars as an integer count of nano-USD (1e-9 USD).
// No floating point anywhere on a money path; the decimal form always has nine fraction digits.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "contentgen/export.hpp"

namespace contentgen {

class CONTENTGEN_API Money {
 public:
  static constexpr std::int64_t nanos_per_usd = 1'000'000'000;

  constexpr Money() noexcept = default;
  static constexpr Money from_nanos(std::int64_t nanos) noexcept { return Money(nanos); }
  // Parses "0.004225", "12", "-0.5", "1.000000001" (at most 9 fraction digits, no exponent, no
  // thousands separators). Throws Error{invalid_argument} naming `field` on anything else.
  static Money parse(std::string_view decimal, std::string_view field = "amount");

  constexpr std::int64_t nanos() const noexcept { return nanos_; }
  // "0.004225000", "-1.000000000": always nine fraction digits, so it round-trips through parse().
  std::string to_string() const;

  // Arithmetic throws Error{internal} on int64 overflow rather than wrapping.
  Money operator+(Money other) const;
  Money operator-(Money other) const;
  Money& operator+=(Money other) { return *this = *this + other; }
  Money& operator-=(Money other) { return *this = *this - other; }

  friend constexpr auto operator<=>(Money, Money) noexcept = default;
  friend constexpr bool operator==(Money, Money) noexcept = default;

 private:
  constexpr explicit Money(std::int64_t nanos) noexcept : nanos_(nanos) {}
  std::int64_t nanos_ = 0;
};

}  // namespace contentgen
