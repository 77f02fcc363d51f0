#include "contentgen/money.hpp"

#include <limits>

#include "contentgen/error.hpp"

namespace contentgen {
namespace {

[[noreturn]] void overflow() { throw Error(ErrorCode::internal, "money arithmetic overflowed int64 nano-USD"); }

}  // namespace

Money Money::parse(std::string_view text, std::string_view field) {
  auto bad = [&](const char* why) { return Error::invalid_argument(std::string(field), why); };
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  const auto dot = rest.find('.');
  const std::string_view whole = rest.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && fraction.empty()))
    throw bad("expected a decimal number like \"0.15\"");
  if (fraction.size() > 9) throw bad("at most 9 fraction digits (1 nano-USD)");

  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  std::int64_t nanos = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') throw bad("expected a decimal number like \"0.15\"");
    if (nanos > (max - (c - '0')) / 10) throw bad("amount too large");
    nanos = nanos * 10 + (c - '0');
  }
  if (nanos > max / nanos_per_usd) throw bad("amount too large");
  nanos *= nanos_per_usd;
  std::int64_t fraction_nanos = 0;
  std::int64_t scale = nanos_per_usd / 10;
  for (char c : fraction) {
    if (c < '0' || c > '9') throw bad("expected a decimal number like \"0.15\"");
    fraction_nanos += (c - '0') * scale;
    scale /= 10;
  }
  // "9223372036.999999999": the whole part fits, the sum does not.
  if (nanos > max - fraction_nanos) throw bad("amount too large");
  return Money(negative ? -(nanos + fraction_nanos) : nanos + fraction_nanos);
}

std::string Money::to_string() const {
  // Work on the magnitude as unsigned so INT64_MIN formats correctly.
  const bool negative = nanos_ < 0;
  const auto magnitude = negative ? 0 - static_cast<std::uint64_t>(nanos_) : static_cast<std::uint64_t>(nanos_);
  std::string fraction = std::to_string(magnitude % nanos_per_usd);
  fraction.insert(0, 9 - fraction.size(), '0');
  return (negative ? "-" : "") + std::to_string(magnitude / nanos_per_usd) + "." + fraction;
}

Money Money::operator+(Money other) const {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(nanos_, other.nanos_, &sum)) overflow();
  return Money(sum);
}

Money Money::operator-(Money other) const {
  std::int64_t difference = 0;
  if (__builtin_sub_overflow(nanos_, other.nanos_, &difference)) overflow();
  return Money(difference);
}

}  // namespace contentgen
