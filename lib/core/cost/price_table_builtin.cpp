// The prices this release ships with: USD per 1M tokens, exact decimals. Update them here (and in
// docs/architecture.md#cost) when a provider changes its price list; hosts can override any of
// them with PriceTable::from_json / from_file.
#include "contentgen/cost.hpp"

namespace contentgen {
namespace {

constexpr const char* openai_source = "https://openai.com/api/pricing/ (standard tier)";
constexpr const char* anthropic_source = "https://www.anthropic.com/pricing#api (prompt caching: 5-minute write)";

ModelPrice price(const char* model, const char* provider, const char* input, const char* cached, const char* write,
                 const char* output, const char* effective_date, const char* source) {
  ModelPrice p;
  p.model = model;
  p.provider = provider;
  p.input_per_million = Money::parse(input);
  if (cached != nullptr) p.cached_input_per_million = Money::parse(cached);
  if (write != nullptr) p.cache_write_per_million = Money::parse(write);
  p.output_per_million = Money::parse(output);
  p.effective_date = effective_date;
  p.source = source;
  return p;
}

}  // namespace

PriceTable PriceTable::builtin() {
  PriceTable table;
  //                 model                 provider     input   cached   write    output  effective
  table.add(price("gpt-3.5-turbo", "openai", "0.50", nullptr, nullptr, "1.50", "2024-01-25", openai_source));
  table.add(price("gpt-4o-mini", "openai", "0.15", "0.075", nullptr, "0.60", "2024-10-01", openai_source));
  table.add(price("gpt-4o", "openai", "2.50", "1.25", nullptr, "10.00", "2024-10-01", openai_source));
  table.add(price("gpt-4.1", "openai", "2.00", "0.50", nullptr, "8.00", "2025-04-14", openai_source));
  table.add(price("gpt-4.1-mini", "openai", "0.40", "0.10", nullptr, "1.60", "2025-04-14", openai_source));
  table.add(price("o3-mini", "openai", "1.10", "0.55", nullptr, "4.40", "2025-01-31", openai_source));
  table.add(price("claude-3-5-haiku", "anthropic", "0.80", "0.08", "1.00", "4.00", "2024-11-04", anthropic_source));
  table.add(price("claude-3-5-sonnet", "anthropic", "3.00", "0.30", "3.75", "15.00", "2024-10-22", anthropic_source));

  // Dated snapshots and moving names resolve to a family only through these explicit rules.
  for (const char* family : {"gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "o3-mini", "claude-3-5-haiku",
                             "claude-3-5-sonnet"}) {
    table.add_alias({std::string(family) + "-{date}", family});
  }
  table.add_alias({"gpt-3.5-turbo-0125", "gpt-3.5-turbo"});
  table.add_alias({"claude-3-5-haiku-latest", "claude-3-5-haiku"});
  table.add_alias({"claude-3-5-sonnet-latest", "claude-3-5-sonnet"});
  return table;
}

}  // namespace contentgen
