#include <gtest/gtest.h>

#include "cli/args.hpp"

namespace contentgen::cli {
namespace {

CommandSpec spec() {
  CommandSpec s;
  s.name = "articles update";
  s.summary = "Change an article.";
  s.usage = "ID [options]";
  s.options = {{"title", "TITLE", "new title"}, {"version", "N", "version"}, {"json", "", "print JSON"}};
  s.min_positionals = 1;
  s.max_positionals = 1;
  return s;
}

ParsedArgs parse(std::vector<std::string> args) { return parse_args(spec(), args); }

TEST(Args, ValuesFlagsAndPositionals) {
  const auto a = parse({"abc", "--title", "New", "--json", "--version=3"});
  EXPECT_EQ(a.positionals(), std::vector<std::string>{"abc"});
  EXPECT_EQ(a.get("title"), "New");
  EXPECT_TRUE(a.flag("json"));
  EXPECT_EQ(a.integer("version", 1, 10), 3);
  EXPECT_FALSE(a.has("config"));
  EXPECT_FALSE(a.help);
}

TEST(Args, ConfigIsAcceptedByEveryCommand) {
  EXPECT_EQ(parse({"abc", "--config", "c.json"}).get("config"), "c.json");
}

TEST(Args, DoubleDashEndsOptionsAndDashIsAPositional) {
  EXPECT_EQ(parse({"--", "--title"}).positionals(), std::vector<std::string>{"--title"});
  EXPECT_EQ(parse({"-"}).positionals(), std::vector<std::string>{"-"});
}

TEST(Args, MistakesAreUsageErrors) {
  EXPECT_THROW(parse({"abc", "--titel", "x"}), UsageError);
  EXPECT_THROW(parse({"abc", "--title"}), UsageError);           // missing value
  EXPECT_THROW(parse({"abc", "--json=yes"}), UsageError);        // flag with a value
  EXPECT_THROW(parse({"abc", "--title", "a", "--title", "b"}), UsageError);
  EXPECT_THROW(parse({}), UsageError);                            // missing ID
  EXPECT_THROW(parse({"a", "b"}), UsageError);                    // one too many
  EXPECT_THROW(parse({"abc", "-x"}), UsageError);
  try {
    parse({"abc", "--titel", "x"});
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("contentgen articles update --help"), std::string::npos);
  }
}

TEST(Args, IntegersAreCheckedWhole) {
  EXPECT_THROW(parse({"a", "--version", "3x"}).integer("version", 1, 10), UsageError);
  EXPECT_THROW(parse({"a", "--version", "0"}).integer("version", 1, 10), UsageError);
  EXPECT_THROW(parse({"a", "--version", "+3"}).integer("version", 1, 10), UsageError);
  EXPECT_THROW(parse({"a", "--version", "99999999999999999999"}).integer("version", 1, 10), UsageError);
  EXPECT_EQ(parse({"a"}).integer("version", 1, 10), std::nullopt);
  EXPECT_EQ(parse_integer("-5"), -5);
  EXPECT_EQ(parse_integer(""), std::nullopt);
}

TEST(Args, HelpSkipsPositionalChecks) {
  EXPECT_TRUE(parse({"--help"}).help);
  EXPECT_TRUE(parse({"-h"}).help);
}

TEST(Args, HelpTextListsEveryOption) {
  const std::string text = help_text(spec());
  EXPECT_EQ(text.rfind("usage: contentgen articles update ID [options]\n", 0), 0u);
  for (const char* option : {"--title TITLE", "--version N", "--json", "--config FILE", "--help"}) {
    EXPECT_NE(text.find(option), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace contentgen::cli
