// open_generator() and the parts of it that need no adapter: the price table, the generator
// options, the relay options.
#include <fstream>
#include <sstream>

#include "contentgen/config.hpp"
#include "config/inline_prices.hpp"
#include "contentgen/error.hpp"

namespace contentgen {
namespace {

void merge_into(PriceTable& table, const PriceTable& extra) {
  for (const auto& model : extra.models()) table.add(model);
  for (const auto& alias : extra.aliases()) table.add_alias(alias);
}

std::string read_template(const std::string& path, const std::string& field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::invalid_argument(field, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void apply_template(std::string& target, const std::string& text, const std::string& file, const char* name) {
  if (!text.empty()) {
    target = text;
  } else if (!file.empty()) {
    target = read_template(file, std::string("generator.templates.") + name + "_file");
  }
}

}  // namespace

PriceTable configdetail::inline_price_table(std::string_view json) {
  try {
    return PriceTable::from_json(json);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::invalid_argument) throw;
    ErrorDetails details = e.details();
    details.field = "prices" + (details.field.empty() ? std::string() : "." + details.field);
    throw Error(ErrorCode::invalid_argument, std::string("prices: ") + e.what(), std::move(details));
  }
}

std::shared_ptr<const PriceTable> load_prices(const PricesConfig& config) {
  PriceTable table = config.replace_builtin ? PriceTable{} : PriceTable::builtin();
  if (!config.file.empty()) {
    try {
      merge_into(table, PriceTable::from_file(config.file));
    } catch (const Error& e) {
      if (e.code() != ErrorCode::invalid_argument) throw;
      throw Error::invalid_argument("prices.file", std::string("in ") + config.file + ": " + e.what());
    }
  }
  if (!config.inline_json.empty()) merge_into(table, configdetail::inline_price_table(config.inline_json));
  return std::make_shared<const PriceTable>(std::move(table));
}

GeneratorOptions generator_options(const Config& config) {
  GeneratorOptions options;
  options.default_model = config.llm.model;
  if (config.llm.temperature) options.temperature = *config.llm.temperature;
  options.max_tokens = config.llm.max_tokens;
  options.max_continuations = config.generator.max_continuations;
  options.max_image_bytes = config.limits.max_image_bytes;
  options.max_image_pixels = config.limits.max_image_pixels;
  for (const auto& fallback : config.llm.fallback) options.fallback_models.push_back(fallback.model);
  options.export_html = config.generator.export_html;
  options.reservation_ttl = config.generator.reservation_ttl;
  const auto& g = config.generator;
  apply_template(options.templates.system, g.system_template, g.system_template_file, "system");
  apply_template(options.templates.user, g.user_template, g.user_template_file, "user");
  apply_template(options.templates.continuation, g.continuation_template, g.continuation_template_file,
                 "continuation");
  return options;
}

RelayOptions relay_options(const EventsConfig& config) {
  RelayOptions options;
  options.batch_size = config.relay_batch_size;
  options.poll_interval = config.relay_poll_interval;
  return options;
}

ConfiguredGenerator open_generator(const Config& config, PortOverrides overrides,
                                   const std::function<void(GeneratorOptions&)>& customize) {
  // The cheap, local checks first: a bad price file or template should not cost a connection.
  ConfiguredGenerator result;
  result.prices = load_prices(config.prices);
  GeneratorOptions options = generator_options(config);
  if (customize) customize(options);

  if (overrides.llm) {
    if (!config.llm.provider.empty()) {
      throw Error::invalid_argument("llm.provider", "a provider was also supplied in code: remove llm.provider");
    }
    result.ports.llm = std::move(overrides.llm);
  } else {
    if (config.llm.provider.empty()) {
      throw Error::invalid_argument("llm.provider", "required (\"openai\" or \"anthropic\")");
    }
    // A fallback's reply is priced by its own model: an unpriced one would be charged at the first
    // provider's rate, so refuse it now rather than after a call was paid for.
    for (std::size_t i = 0; i < config.llm.fallback.size(); ++i) {
      const auto& model = config.llm.fallback[i].model;
      if (result.prices->find(model) == nullptr) {
        ErrorDetails details;
        details.field = "llm.fallback[" + std::to_string(i) + "].model";
        throw Error(ErrorCode::unknown_model, "no price for model " + model + " (add it under prices)", std::move(details));
      }
    }
    result.ports.llm = open_llm_provider(config.llm, options.log);
  }

  if (overrides.repository) {
    if (!config.repository.url.empty()) {
      throw Error::invalid_argument("repository.url", "a repository was also supplied in code: remove repository.url");
    }
    result.ports.repository = std::move(overrides.repository);
  } else {
    if (config.repository.url.empty()) {
      throw Error::invalid_argument("repository.url", "required (\"sqlite:PATH\" or \"postgresql://...\")");
    }
    result.ports.repository = open_repository(config.repository, options.log);
  }

  if (overrides.images) {
    if (config.images.kind != "none") {
      throw Error::invalid_argument("images.kind", "an image store was also supplied in code: remove images.kind");
    }
    result.ports.images = std::move(overrides.images);
  } else {
    result.ports.images = open_image_store(config.images, options.log);
  }

  if (overrides.events) {
    if (config.events.kind != "none") {
      throw Error::invalid_argument("events.kind", "an event sink was also supplied in code: remove events.kind");
    }
    result.ports.events = std::move(overrides.events);
  } else {
    result.ports.events = open_event_sink(config.events, options.log);
  }

  result.generator = std::make_shared<ContentGenerator>(result.ports, result.prices, std::move(options));
  if (result.ports.events) {
    RelayOptions relay = relay_options(config.events);
    relay.log = options.log;
    result.relay = std::make_shared<EventRelay>(result.ports.repository, result.ports.events, std::move(relay));
    if (config.events.relay == "background") result.relay->start();
  }
  return result;
}

}  // namespace contentgen
