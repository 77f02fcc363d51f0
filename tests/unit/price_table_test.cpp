#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "contentgen/cost.hpp"
#include "contentgen/error.hpp"

namespace contentgen {
namespace {

void expect_invalid(const std::string& json, const std::string& field) {
  try {
    PriceTable::from_json(json);
    ADD_FAILURE() << "accepted: " << json;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
    EXPECT_EQ(e.details().field, field) << e.what();
  }
}

TEST(PriceTable, BuiltinHasTheDocumentedPrices) {
  const auto table = PriceTable::builtin();
  struct Row { const char* model; const char* input; const char* cached; const char* write; const char* output; };
  const Row rows[] = {
      {"gpt-3.5-turbo", "0.500000000", nullptr, nullptr, "1.500000000"},
      {"gpt-4o-mini", "0.150000000", "0.075000000", nullptr, "0.600000000"},
      {"gpt-4o", "2.500000000", "1.250000000", nullptr, "10.000000000"},
      {"gpt-4.1", "2.000000000", "0.500000000", nullptr, "8.000000000"},
      {"gpt-4.1-mini", "0.400000000", "0.100000000", nullptr, "1.600000000"},
      {"o3-mini", "1.100000000", "0.550000000", nullptr, "4.400000000"},
      {"claude-3-5-haiku", "0.800000000", "0.080000000", "1.000000000", "4.000000000"},
      {"claude-3-5-sonnet", "3.000000000", "0.300000000", "3.750000000", "15.000000000"},
  };
  ASSERT_EQ(table.models().size(), std::size(rows));
  for (const auto& row : rows) {
    SCOPED_TRACE(row.model);
    const auto& p = table.resolve(row.model);
    EXPECT_EQ(p.input_per_million.to_string(), row.input);
    EXPECT_EQ(p.cached_input_per_million ? p.cached_input_per_million->to_string() : "", row.cached ? row.cached : "");
    EXPECT_EQ(p.cache_write_per_million ? p.cache_write_per_million->to_string() : "", row.write ? row.write : "");
    EXPECT_EQ(p.output_per_million.to_string(), row.output);
    EXPECT_EQ(p.effective_date.size(), 10u);
    EXPECT_FALSE(p.source.empty());
  }
}

TEST(PriceTable, DatedSnapshotsResolveOnlyThroughAliasRules) {
  const auto table = PriceTable::builtin();
  EXPECT_EQ(table.resolve("gpt-4o-mini-2024-07-18").model, "gpt-4o-mini");
  EXPECT_EQ(table.resolve("gpt-4o-2024-08-06").model, "gpt-4o");  // not gpt-4o-mini
  EXPECT_EQ(table.resolve("claude-3-5-sonnet-20241022").model, "claude-3-5-sonnet");
  EXPECT_EQ(table.resolve("claude-3-5-haiku-latest").model, "claude-3-5-haiku");
  EXPECT_EQ(table.resolve("gpt-3.5-turbo-0125").model, "gpt-3.5-turbo");
  for (const char* unknown : {"gpt-4o-mini-2024-7-18", "gpt-4o-mini-2024-07-18-extra", "gpt-4o-mini-", "gpt-4o-minix",
                              "GPT-4O-MINI", "gpt-5", ""}) {
    EXPECT_EQ(table.find(unknown), nullptr) << unknown;
  }
}

TEST(PriceTable, UnknownModelIsAnErrorNeverZero) {
  try {
    PriceTable::builtin().cost("gpt-9-turbo", TokenUsage{10, 0, 0, 10, 0, false});
    FAIL() << "priced an unknown model";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unknown_model);
    EXPECT_NE(std::string(e.what()).find("gpt-9-turbo"), std::string::npos);
  }
}

TEST(PriceTable, JsonRoundTripIsExact) {
  const auto original = PriceTable::builtin();
  const auto copy = PriceTable::from_json(original.to_json());
  ASSERT_EQ(copy.models().size(), original.models().size());
  for (std::size_t i = 0; i < original.models().size(); ++i) {
    const auto& a = original.models()[i];
    const auto& b = copy.models()[i];
    EXPECT_EQ(a.model, b.model);
    EXPECT_EQ(a.provider, b.provider);
    EXPECT_EQ(a.input_per_million, b.input_per_million);
    EXPECT_EQ(a.cached_input_per_million, b.cached_input_per_million);
    EXPECT_EQ(a.cache_write_per_million, b.cache_write_per_million);
    EXPECT_EQ(a.output_per_million, b.output_per_million);
    EXPECT_EQ(a.reasoning_per_million, b.reasoning_per_million);
    EXPECT_EQ(a.effective_date, b.effective_date);
    EXPECT_EQ(a.source, b.source);
  }
  EXPECT_EQ(copy.aliases().size(), original.aliases().size());
  EXPECT_NE(original.to_json().find(R"("input":"0.15")"), std::string::npos) << "prices are readable decimal strings";
}

TEST(PriceTable, FromJsonWithAliasesAndReasoningPrice) {
  const auto table = PriceTable::from_json(R"({
    "models": [{"model": "my-model", "provider": "local", "input": "0.000000001", "output": "1",
                "reasoning": "2.5", "effective_date": "2025-06-01", "source": "contract"}],
    "aliases": [{"pattern": "my-model-{date}", "model": "my-model"}]})");
  EXPECT_EQ(table.resolve("my-model-20250601").reasoning_per_million, Money::parse("2.5"));
  EXPECT_EQ(table.resolve("my-model").input_per_million.nanos(), 1);
}

TEST(PriceTable, FromJsonNamesTheBadField) {
  const std::string ok_model = R"({"model":"m","provider":"p","input":"1","output":"2","effective_date":"2025-01-01"})";
  expect_invalid("not json", "price_table");
  expect_invalid("[]", "price_table");
  expect_invalid(R"({"models": {}})", "models");
  expect_invalid(R"({"models": [{"provider":"p","input":"1","output":"2","effective_date":"2025-01-01"}]})",
                 "models[0].model");
  expect_invalid(R"({"models": [{"model":"m","provider":"p","input":0.15,"output":"2","effective_date":"2025-01-01"}]})",
                 "models[0].input");
  expect_invalid(R"({"models": [{"model":"m","provider":"p","input":"1.2.3","output":"2","effective_date":"2025-01-01"}]})",
                 "models[0].input");
  expect_invalid(R"({"models": [{"model":"m","provider":"p","input":"1","output":"-2","effective_date":"2025-01-01"}]})",
                 "models[0].output");
  expect_invalid(R"({"models": [{"model":"m","provider":"p","input":"1","output":"2","effective_date":"2025-13-01"}]})",
                 "models[0].effective_date");
  expect_invalid(R"({"models": [)" + ok_model + "," + ok_model + "]}", "models[1].model");
  expect_invalid(R"({"models": [)" + ok_model + R"(], "aliases": [{"pattern":"x","model":"nope"}]})", "aliases[0].model");
  expect_invalid(R"({"models": [)" + ok_model + R"(], "aliases": [{"pattern":"m-{date}-{date}","model":"m"}]})",
                 "aliases[0].pattern");
}

TEST(PriceTable, FromJsonRejectsUnknownKeysInsteadOfIgnoringAPrice) {
  // A misspelt optional price would otherwise vanish: cache reads charged at the full input rate.
  expect_invalid(R"({"models": [{"model":"m","provider":"p","input":"1","cached_imput":"0.1","output":"2",
                                 "effective_date":"2025-01-01"}]})",
                 "models[0].cached_imput");
  expect_invalid(R"({"models": [{"model":"m","provider":"p","input":"1","output":"2","effective_date":"2025-01-01"}],
                    "alias": []})",
                 "alias");
  expect_invalid(R"({"models": [{"model":"m","provider":"p","input":"1","output":"2","effective_date":"2025-01-01"}],
                    "aliases": [{"pattern":"m-x","model":"m","modle":"m"}]})",
                 "aliases[0].modle");
  expect_invalid(R"({"models": [{"model":"m","provider":"p","input":"1","output":"2","effective_date":"2025-01-01",
                                 "source": 7}]})",
                 "models[0].source");
  // What to_json() writes reads back, with a "$schema" hint allowed at the top.
  const PriceTable builtin = PriceTable::builtin();
  std::string json = builtin.to_json();
  json.insert(1, R"("$schema": "https://example.invalid/prices.json", )");
  EXPECT_EQ(PriceTable::from_json(json).to_json(), builtin.to_json());
}

TEST(PriceTable, FromFileReadsAndReportsMissingFiles) {
  const std::string path = ::testing::TempDir() + "/contentgen-prices.json";
  {
    std::ofstream out(path);
    out << PriceTable::builtin().to_json();
  }
  EXPECT_EQ(PriceTable::from_file(path).models().size(), PriceTable::builtin().models().size());
  std::remove(path.c_str());
  try {
    PriceTable::from_file(path);
    FAIL() << "read a missing file";
  } catch (const Error& e) {
    EXPECT_EQ(e.details().field, "path");
  }
}

TEST(PriceTable, AddReplacesAndAliasesMustPointAtAModel) {
  auto table = PriceTable::builtin();
  ModelPrice cheaper = table.resolve("gpt-4o");
  cheaper.input_per_million = Money::parse("1");
  table.add(cheaper);
  EXPECT_EQ(table.models().size(), PriceTable::builtin().models().size());
  EXPECT_EQ(table.resolve("gpt-4o-2024-11-20").input_per_million, Money::parse("1"));
  EXPECT_THROW(table.add_alias({"x-{date}", "missing"}), Error);
}

}  // namespace
}  // namespace contentgen
