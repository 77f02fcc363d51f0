#pragma once
// Exact cost of LLM calls. A PriceTable maps model names to per-million-token prices kept as exact
// decimals (Money per 1M tokens); cost() multiplies in 128-bit integers and rounds once per call,
// half-even, to 1 nano-USD. An unknown model is Error{unknown_model} -- never $0.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contentgen/export.hpp"
#include "contentgen/money.hpp"
#include "contentgen/usage.hpp"

namespace contentgen {

struct ModelPrice {
  std::string model;                       // family name, e.g. "gpt-4o-mini"
  std::string provider;                    // "openai", "anthropic", ...
  Money input_per_million;                 // uncached prompt tokens
  std::optional<Money> cached_input_per_million;  // cache reads; absent: charged as input
  std::optional<Money> cache_write_per_million;   // cache writes; absent: charged as input
  Money output_per_million;                // completion tokens
  std::optional<Money> reasoning_per_million;     // reasoning tokens; absent: charged as output
  std::string effective_date;              // "YYYY-MM-DD" the prices took effect
  std::string source;                      // where they came from (URL or note)
};

// An alias rule maps other names onto a family. `pattern` is matched against the whole model name;
// it is literal except for one optional placeholder: "{date}" matches YYYY-MM-DD or YYYYMMDD.
// Examples: {"gpt-4o-mini-{date}", "gpt-4o-mini"}, {"claude-3-5-sonnet-latest", "claude-3-5-sonnet"}.
struct ModelAlias {
  std::string pattern;
  std::string model;
};

class CONTENTGEN_API PriceTable {
 public:
  PriceTable() = default;
  // The prices this release ships with (see docs/architecture.md#cost for dates and sources).
  static PriceTable builtin();
  // {"models": [{"model", "provider", "input", "cached_input"?, "cache_write"?, "output",
  //   "reasoning"?, "effective_date", "source"}], "aliases": [{"pattern", "model"}]}
  // Prices are decimal strings (USD per 1M tokens). Throws Error{invalid_argument} naming the field.
  static PriceTable from_json(std::string_view json);
  static PriceTable from_file(const std::string& path);
  // The table as JSON in the from_json format.
  std::string to_json() const;

  // Adds or replaces a model / appends an alias rule (validated like from_json).
  void add(ModelPrice price);
  void add_alias(ModelAlias alias);

  // Exact name first, then alias rules in order. Throws Error{unknown_model}.
  const ModelPrice& resolve(std::string_view model) const;
  const ModelPrice* find(std::string_view model) const noexcept;  // nullptr when unknown
  const std::vector<ModelPrice>& models() const noexcept { return models_; }
  const std::vector<ModelAlias>& aliases() const noexcept { return aliases_; }

  // validate_usage(usage), then the exact cost of one call:
  //   uncached*input + cached*cached_input + cache_write*cache_write
  //   + (completion - reasoning)*output + reasoning*reasoning, all / 1e6, rounded half-even once.
  Money cost(std::string_view model, const TokenUsage& usage) const;

 private:
  std::vector<ModelPrice> models_;
  std::vector<ModelAlias> aliases_;
};

// The cost formula on its own, for one resolved price. Throws like PriceTable::cost.
CONTENTGEN_API Money cost_of(const ModelPrice& price, const TokenUsage& usage);

}  // namespace contentgen
