// PriceTable <-> JSON. Prices are decimal STRINGS (USD per 1M tokens) so no binary float ever
// touches them; a JSON number is rejected with a message saying so.
#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "contentgen/cost.hpp"
#include "contentgen/error.hpp"
#include "core/cost/price_validation.hpp"

namespace contentgen {
namespace {

namespace json = boost::json;

const json::value* member(const json::object& object, std::string_view key) {
  const auto it = object.find(key);
  return it == object.end() || it->value().is_null() ? nullptr : &it->value();
}

std::string required_string(const json::object& object, std::string_view key, const std::string& field) {
  const auto* value = member(object, key);
  if (value == nullptr) throw Error::invalid_argument(field, "is required");
  if (!value->is_string()) throw Error::invalid_argument(field, "must be a string");
  return std::string(value->as_string());
}

std::optional<Money> optional_price(const json::object& object, std::string_view key, const std::string& field) {
  const auto* value = member(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string())
    throw Error::invalid_argument(field, "prices are decimal strings such as \"0.15\" (exact), not JSON numbers");
  return Money::parse(value->as_string(), field);
}

Money required_price(const json::object& object, std::string_view key, const std::string& field) {
  auto price = optional_price(object, key, field);
  if (!price) throw Error::invalid_argument(field, "is required");
  return *price;
}

// A JSON object with only the given keys: a misspelt "cached_imput" must not silently leave cache
// reads priced at the input rate. Unknown keys are named `key_prefix` + key.
const json::object& as_object(const json::value& value, const std::string& field,
                              std::initializer_list<std::string_view> known, const std::string& key_prefix) {
  if (!value.is_object()) throw Error::invalid_argument(field, "must be a JSON object");
  for (const auto& entry : value.as_object())
    if (std::find(known.begin(), known.end(), entry.key()) == known.end())
      throw Error::invalid_argument(key_prefix + std::string(entry.key()), "unknown key");
  return value.as_object();
}

bool has_model(const PriceTable& table, std::string_view model) {
  for (const auto& price : table.models())
    if (price.model == model) return true;
  return false;
}

// "0.150000000" -> "0.15", "10.000000000" -> "10.00": exact and readable.
std::string decimal(Money amount) {
  std::string text = amount.to_string();
  while (text.back() == '0' && text[text.size() - 3] != '.') text.pop_back();
  return text;
}

}  // namespace

PriceTable PriceTable::from_json(std::string_view text) {
  boost::system::error_code ec;
  const json::value root = json::parse(text, ec);
  if (ec) throw Error::invalid_argument("price_table", "is not valid JSON: " + ec.message());
  const auto& top = as_object(root, "price_table", {"models", "aliases", "$schema"}, "");

  PriceTable table;
  const auto* models = member(top, "models");
  if (models == nullptr || !models->is_array()) throw Error::invalid_argument("models", "must be an array");
  for (std::size_t i = 0; i < models->as_array().size(); ++i) {
    const std::string field = "models[" + std::to_string(i) + "]";
    const auto& entry = as_object(models->as_array()[i], field,
                                  {"model", "provider", "input", "cached_input", "cache_write", "output", "reasoning",
                                   "effective_date", "source"},
                                  field + ".");
    ModelPrice price;
    price.model = required_string(entry, "model", field + ".model");
    price.provider = required_string(entry, "provider", field + ".provider");
    price.input_per_million = required_price(entry, "input", field + ".input");
    price.cached_input_per_million = optional_price(entry, "cached_input", field + ".cached_input");
    price.cache_write_per_million = optional_price(entry, "cache_write", field + ".cache_write");
    price.output_per_million = required_price(entry, "output", field + ".output");
    price.reasoning_per_million = optional_price(entry, "reasoning", field + ".reasoning");
    price.effective_date = required_string(entry, "effective_date", field + ".effective_date");
    if (member(entry, "source") != nullptr) price.source = required_string(entry, "source", field + ".source");
    internal::validate_price(price, field);
    if (has_model(table, price.model))
      throw Error::invalid_argument(field + ".model", "\"" + price.model + "\" is listed twice");
    table.add(std::move(price));
  }
  if (const auto* aliases = member(top, "aliases")) {
    if (!aliases->is_array()) throw Error::invalid_argument("aliases", "must be an array");
    for (std::size_t i = 0; i < aliases->as_array().size(); ++i) {
      const std::string field = "aliases[" + std::to_string(i) + "]";
      const auto& entry = as_object(aliases->as_array()[i], field, {"pattern", "model"}, field + ".");
      ModelAlias alias{required_string(entry, "pattern", field + ".pattern"),
                       required_string(entry, "model", field + ".model")};
      internal::validate_alias(alias, field);
      if (!has_model(table, alias.model))
        throw Error::invalid_argument(field + ".model", "\"" + alias.model + "\" is not a model of this table");
      table.add_alias(std::move(alias));
    }
  }
  return table;
}

PriceTable PriceTable::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::invalid_argument("path", "cannot open price table file " + path);
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw Error::invalid_argument("path", "cannot read price table file " + path);
  return from_json(content.str());
}

std::string PriceTable::to_json() const {
  json::array models;
  for (const auto& p : models_) {
    json::object entry;
    entry["model"] = p.model;
    entry["provider"] = p.provider;
    entry["input"] = decimal(p.input_per_million);
    if (p.cached_input_per_million) entry["cached_input"] = decimal(*p.cached_input_per_million);
    if (p.cache_write_per_million) entry["cache_write"] = decimal(*p.cache_write_per_million);
    entry["output"] = decimal(p.output_per_million);
    if (p.reasoning_per_million) entry["reasoning"] = decimal(*p.reasoning_per_million);
    entry["effective_date"] = p.effective_date;
    entry["source"] = p.source;
    models.push_back(std::move(entry));
  }
  json::array aliases;
  for (const auto& a : aliases_) aliases.push_back(json::object{{"pattern", a.pattern}, {"model", a.model}});
  return json::serialize(json::object{{"models", std::move(models)}, {"aliases", std::move(aliases)}});
}

}  // namespace contentgen
