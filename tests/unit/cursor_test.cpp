#include <gtest/gtest.h>

#include "contentgen/error.hpp"
#include "contentgen/ids.hpp"
#include "core/cost/budget_period.hpp"
#include "core/domain/cursor.hpp"

namespace contentgen::internal {
namespace {

TEST(Cursor, RoundTripsMicrosecondsAndId) {
  for (const char* text : {"2026-03-14T15:09:26.535897Z", "1970-01-01T00:00:00.000000Z", "1969-12-31T23:59:59.999999Z"}) {
    const KeysetCursor cursor{*parse_rfc3339(text), new_uuid_v7()};
    const std::string encoded = encode_cursor(cursor);
    EXPECT_EQ(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << "base64url without padding: " << encoded;
    EXPECT_EQ(decode_cursor(encoded), cursor);
  }
}

TEST(Cursor, MalformedInputNamesTheCursorField) {
  const std::string good = encode_cursor({now_utc(), "id-1"});
  for (const std::string& bad : {std::string(""), std::string("!!!!"), std::string("a"), good + "=", good.substr(1),
                                 std::string("azE"), /* "k1" without the rest */
                                 encode_cursor({now_utc(), "x"}).substr(0, 4)}) {
    try {
      decode_cursor(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.details().field, "cursor");
    }
  }
}

TEST(Cursor, OrderIsCreatedAtThenIdDescending) {
  const Timestamp t = now_utc();
  const KeysetCursor cursor{t, "m"};
  EXPECT_TRUE(is_after_cursor(t - std::chrono::microseconds(1), "z", cursor));
  EXPECT_TRUE(is_after_cursor(t, "a", cursor));
  EXPECT_FALSE(is_after_cursor(t, "m", cursor));
  EXPECT_FALSE(is_after_cursor(t, "n", cursor));
  EXPECT_FALSE(is_after_cursor(t + std::chrono::microseconds(1), "a", cursor));
}

TEST(BudgetPeriod, MonthlyStartsAtMidnightUtcOnTheFirst) {
  EXPECT_EQ(format_rfc3339(*budget_period_start(Budget::Period::monthly, *parse_rfc3339("2026-03-14T15:09:26Z"))),
            "2026-03-01T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(*budget_period_start(Budget::Period::monthly, *parse_rfc3339("2024-02-29T23:59:59.999999Z"))),
            "2024-02-01T00:00:00.000000Z");
  EXPECT_FALSE(budget_period_start(Budget::Period::total, now_utc()).has_value());
}

}  // namespace
}  // namespace contentgen::internal
