// Golden cost vectors, computed by hand (the arithmetic is in each comment). Prices are USD per
// 1M tokens, so a price P costs P * 1e9 / 1e6 = P * 1000 nano-USD per token.
#include <gtest/gtest.h>

#include "contentgen/cost.hpp"
#include "contentgen/error.hpp"
#include "core/cost/provider_usage.hpp"

namespace contentgen {
namespace {

const PriceTable& table() {
  static const PriceTable t = PriceTable::builtin();
  return t;
}

TokenUsage usage(std::int64_t prompt, std::int64_t cached, std::int64_t completion, std::int64_t reasoning = 0,
                 std::int64_t cache_write = 0) {
  TokenUsage u;
  u.prompt_tokens = prompt;
  u.cached_tokens = cached;
  u.completion_tokens = completion;
  u.reasoning_tokens = reasoning;
  u.cache_write_tokens = cache_write;
  return u;
}

ModelPrice custom(const char* input, const char* output) {
  ModelPrice p;
  p.model = "custom";
  p.provider = "test";
  p.input_per_million = Money::parse(input);
  p.output_per_million = Money::parse(output);
  p.effective_date = "2025-01-01";
  return p;
}

TEST(Cost, PlainCallOnGpt4oMini) {
  // 1000 x 150 + 500 x 600 = 150,000 + 300,000 = 450,000 nano-USD
  EXPECT_EQ(table().cost("gpt-4o-mini", usage(1000, 0, 500)).to_string(), "0.000450000");
}

TEST(Cost, FullyCachedPromptIsChargedOnlyAtTheCachedRate) {
  // 2048 cached x 75 = 153,600; no uncached input, no output.
  EXPECT_EQ(table().cost("gpt-4o-mini", usage(2048, 2048, 0)).to_string(), "0.000153600");
}

TEST(Cost, OpenAiCachedTokensAreNotChargedTwice) {
  // gpt-4o, prompt 10,000 of which 8,000 cached, 1,000 out:
  // 2,000 x 2,500 + 8,000 x 1,250 + 1,000 x 10,000 = 5,000,000 + 10,000,000 + 10,000,000 = 25,000,000
  const Money cost = table().cost("gpt-4o", usage(10'000, 8'000, 1'000));
  EXPECT_EQ(cost.to_string(), "0.025000000");
  // The double-counting bug (all 10,000 at full price AND the 8,000 again at the cached rate):
  EXPECT_NE(cost.to_string(), "0.045000000");
}

TEST(Cost, AnthropicCacheReadsAndWritesAreAddedToInputOnce) {
  // claude-3-5-sonnet: input_tokens 1,000 (excluding the cache), read 50,000, write 2,000, out 800:
  // 1,000 x 3,000 + 50,000 x 300 + 2,000 x 3,750 + 800 x 15,000
  //   = 3,000,000 + 15,000,000 + 7,500,000 + 12,000,000 = 37,500,000
  const TokenUsage normalized = internal::usage_from_anthropic(1'000, 50'000, 2'000, 800);
  EXPECT_EQ(normalized.prompt_tokens, 53'000);
  EXPECT_EQ(table().cost("claude-3-5-sonnet", normalized).to_string(), "0.037500000");
  // Treating input_tokens as if it included the cache would charge 1,000 tokens where 53,000
  // were sent; charging all 53,000 at the input rate on top of the cache rates would be 0.193500000.
}

TEST(Cost, ClaudeHaikuEveryRateOnce) {
  // 1 uncached x 800 + 1 read x 80 + 1 write x 1,000 + 1 out x 4,000 = 5,880
  EXPECT_EQ(table().cost("claude-3-5-haiku", internal::usage_from_anthropic(1, 1, 1, 1)).to_string(), "0.000005880");
}

TEST(Cost, LargeGpt41Call) {
  // 234,567 x 2,000 + 1,000,000 x 500 + 98,765 x 8,000
  //   = 469,134,000 + 500,000,000 + 790,120,000 = 1,759,254,000
  EXPECT_EQ(table().cost("gpt-4.1", usage(1'234'567, 1'000'000, 98'765)).to_string(), "1.759254000");
}

TEST(Cost, ReasoningTokensAtTheOutputRateUnlessPricedSeparately) {
  // o3-mini: 1,000 out of which 800 reasoning, all at 4,400 = 4,400,000
  EXPECT_EQ(table().cost("o3-mini", usage(0, 0, 1'000, 800)).to_string(), "0.004400000");
  ModelPrice price = custom("0", "1.00");
  price.reasoning_per_million = Money::parse("2.00");
  // 600 x 1,000 + 400 x 2,000 = 1,400,000
  EXPECT_EQ(cost_of(price, usage(0, 0, 1'000, 400)).to_string(), "0.001400000");
}

TEST(Cost, RoundsHalfEvenToOneNano) {
  const ModelPrice price = custom("0.0000015", "0");  // 0.0015 nano-USD per token
  EXPECT_EQ(cost_of(price, usage(1'000, 0, 0)).nanos(), 2);  // 1.5 -> 2 (to even)
  EXPECT_EQ(cost_of(price, usage(3'000, 0, 0)).nanos(), 4);  // 4.5 -> 4 (to even)
  EXPECT_EQ(cost_of(price, usage(5'000, 0, 0)).nanos(), 8);  // 7.5 -> 8
  EXPECT_EQ(cost_of(price, usage(1'001, 0, 0)).nanos(), 2);  // 1.5015 -> 2
  EXPECT_EQ(cost_of(price, usage(333, 0, 0)).nanos(), 0);    // 0.4995 -> 0
}

TEST(Cost, RoundsOncePerCallNotPerComponent) {
  // 1,000 in x 0.0015 + 1,000 out x 0.0015 = 1.5 + 1.5 = 3.0 -> 3 (rounding each part would give 4)
  EXPECT_EQ(cost_of(custom("0.0000015", "0.0000015"), usage(1'000, 0, 1'000)).nanos(), 3);
}

TEST(Cost, CacheRatesDefaultToTheInputRate) {
  // gpt-3.5-turbo has no cached price: 100 cached x 500 + 100 uncached x 500 = 100,000
  EXPECT_EQ(table().cost("gpt-3.5-turbo", usage(200, 100, 0)).nanos(), 100'000);
}

TEST(Cost, ANegativePriceBuiltInCodeIsRefused) {
  // Tables validate their prices; cost_of() also takes a ModelPrice straight from the host.
  ModelPrice refund = custom("1.00", "2.00");
  refund.cached_input_per_million = Money::parse("-0.50");
  try {
    cost_of(refund, usage(1000, 500, 10));
    FAIL() << "priced a negative rate";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.details().field, "price");
  }
  EXPECT_THROW(cost_of(custom("-1", "2"), usage(1, 0, 1)), Error);
  EXPECT_EQ(cost_of(custom("0", "0"), usage(1000, 0, 1000)), Money{});  // free models are fine
}

TEST(Cost, ZeroUsageCostsZero) { EXPECT_EQ(table().cost("gpt-4o", TokenUsage{}), Money{}); }

TEST(Cost, UsageWhosePartsDoNotAddUpIsRejected) {
  try {
    table().cost("gpt-4o-mini", usage(100, 101, 0));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.details().field, "usage.cached_tokens");
  }
  try {
    table().cost("gpt-4o-mini", usage(0, 0, 10, 11));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.details().field, "usage.reasoning_tokens");
  }
  try {
    table().cost("gpt-4o-mini", usage(-1, 0, 0));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.details().field, "usage.prompt_tokens");
  }
}

TEST(Cost, OverflowIsAnErrorNotAWrap) {
  // 10^15 tokens x 15,000 nano-USD = 1.5e19 nano-USD > INT64_MAX
  try {
    table().cost("claude-3-5-sonnet", usage(0, 0, 1'000'000'000'000'000));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::internal);
  }
}

}  // namespace
}  // namespace contentgen
