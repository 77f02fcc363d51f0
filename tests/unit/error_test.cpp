// contentgen::Error: what() is whole and printable whatever the message echoes.
#include <gtest/gtest.h>

#include "contentgen/error.hpp"
#include "core/text/utf8.hpp"

namespace contentgen {
namespace {

TEST(ErrorTest, MessageIsNotCutAtNulAndIsValidUtf8) {
  const Error e = Error::not_found("article " + std::string("abc\0def", 7));
  EXPECT_STREQ(e.what(), "article abc\\x00def not found");
  const Error bad = Error::invalid_argument(std::string("\xff\xfe" "name"), "is not a query parameter");
  EXPECT_EQ(bad.details().field, "\\xff\\xfename");
  EXPECT_TRUE(internal::utf8_length(bad.what()).has_value()) << bad.what();
}

TEST(ErrorTest, PrintableKeepsTextAndEscapesOnlyWhatCannotBeShown) {
  EXPECT_EQ(internal::printable("Grüße — 😀\tline\nnext"), "Grüße — 😀\tline\nnext");
  EXPECT_EQ(internal::printable(std::string("a\0b\x1b[31m\x7f", 9)), "a\\x00b\\x1b[31m\\x7f");
  EXPECT_EQ(internal::printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a lone surrogate
  EXPECT_EQ(internal::printable("\xe2\x82"), "\\xe2\\x82");          // truncated sequence
}

}  // namespace
}  // namespace contentgen
