// Money: exact nano-USD, its decimal form, and the edges of int64.
#include <gtest/gtest.h>

#include <limits>

#include "contentgen/error.hpp"
#include "contentgen/money.hpp"

namespace contentgen {
namespace {

constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();
constexpr auto int64_min = std::numeric_limits<std::int64_t>::min();

void expect_rejected(const std::string& text) {
  try {
    Money::parse(text, "prices.input");
    ADD_FAILURE() << "accepted \"" << text << "\"";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << text;
    EXPECT_EQ(e.details().field, "prices.input") << text;
  }
}

TEST(Money, ParsesDecimalsExactly) {
  EXPECT_EQ(Money::parse("0.004225").nanos(), 4'225'000);
  EXPECT_EQ(Money::parse("12").nanos(), 12'000'000'000);
  EXPECT_EQ(Money::parse("-0.5").nanos(), -500'000'000);
  EXPECT_EQ(Money::parse("+1.000000001").nanos(), 1'000'000'001);
  EXPECT_EQ(Money::parse("0.000000001").nanos(), 1);
  EXPECT_EQ(Money::parse("-0").nanos(), 0);
}

TEST(Money, DecimalFormHasNineFractionDigitsAndRoundTrips) {
  EXPECT_EQ(Money::from_nanos(4'225'000).to_string(), "0.004225000");
  EXPECT_EQ(Money::from_nanos(-1'000'000'000).to_string(), "-1.000000000");
  EXPECT_EQ(Money{}.to_string(), "0.000000000");
  EXPECT_EQ(Money::from_nanos(int64_max).to_string(), "9223372036.854775807");
  EXPECT_EQ(Money::from_nanos(int64_min).to_string(), "-9223372036.854775808");
  for (const std::int64_t nanos : {std::int64_t{1}, std::int64_t{-7}, std::int64_t{123'456'789'012}, int64_max})
    EXPECT_EQ(Money::parse(Money::from_nanos(nanos).to_string()).nanos(), nanos);
}

TEST(Money, MalformedTextIsAnInvalidArgumentNamingTheField) {
  for (const char* text : {"", "-", ".5", "5.", "1e3", "1,000", "0x10", " 1", "1 ", "1.2.3", "abc", "1.0000000001"})
    expect_rejected(text);
}

TEST(Money, AmountsBeyondInt64AreRejectedNotWrapped) {
  EXPECT_EQ(Money::parse("9223372036.854775807").nanos(), int64_max);
  expect_rejected("9223372036.854775808");  // one nano too many: the fraction overflows
  expect_rejected("9223372036.999999999");
  expect_rejected("9223372037");
  expect_rejected("99999999999999999999");
  EXPECT_EQ(Money::parse("-9223372036.854775807").nanos(), -int64_max);
}

TEST(Money, ArithmeticOverflowIsAnInternalError) {
  const Money max = Money::from_nanos(int64_max);
  const Money min = Money::from_nanos(int64_min);
  EXPECT_EQ((Money::from_nanos(2) + Money::from_nanos(3)).nanos(), 5);
  EXPECT_EQ((Money::from_nanos(2) - Money::from_nanos(3)).nanos(), -1);
  try {
    (void)(max + Money::from_nanos(1));
    ADD_FAILURE() << "no overflow";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::internal);
  }
  EXPECT_THROW((void)(min - Money::from_nanos(1)), Error);
  Money total = max;
  EXPECT_THROW(total += Money::from_nanos(1), Error);
  EXPECT_EQ(total, max);  // unchanged by the failed addition
}

}  // namespace
}  // namespace contentgen
