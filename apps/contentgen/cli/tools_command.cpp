// contentgen events relay, cost, prices, migrate: the commands that need no LLM.
#include <boost/json.hpp>
#include <condition_variable>
#include <iomanip>
#include <limits>
#include <iostream>
#include <mutex>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/exit_codes.hpp"
#include "cli/settings.hpp"
#include "cli/signals.hpp"
#include "contentgen/adapters/soci_repository.hpp"
#include "contentgen/error.hpp"
#include "contentgen/json.hpp"

namespace contentgen::cli {
namespace {


int relay_events(const ParsedArgs& args) {
  const auto loaded = load_cli_config(args.get("config"), process_environment());
  if (loaded.config.events.kind == "none") {
    throw Error::invalid_argument("events.kind", "is \"none\": there is no event sink to relay to");
  }
  // Ctrl-C / SIGTERM: finish the batch in flight (its rows get marked), start no other one.
  CancellationSource stop;
  std::mutex mutex;
  std::condition_variable wake;
  SignalWatcher signals([&](int) {
    stop.cancel();
    std::lock_guard lock(mutex);  // the loop below checks and waits under it: no lost wake-up
    wake.notify_all();
  });
  auto configured = open_cli_generator(loaded, {});
  if (configured.relay == nullptr) throw Error::invalid_argument("events.kind", "no event sink was opened");
  // A configured background relay would compete with this loop for the same rows: harmless
  // (claims are leases) but pointless, so it is stopped.
  configured.relay->stop();
  constexpr std::size_t kMaxBatches = 1000;

  if (args.flag("once")) {
    const RelayStats stats = configured.relay->relay_all(kMaxBatches, stop.token());
    std::cout << "relayed " << stats.delivered << " event" << (stats.delivered == 1 ? "" : "s");
    if (stats.failed > 0) std::cout << ", " << stats.failed << " failed (they are retried later with backoff)";
    std::cout << "\n";
    if (stop.cancelled()) {
      std::cerr << "contentgen: interrupted: the events not relayed yet stay in the outbox\n";
      return kExitInterrupted;
    }
    return stats.failed > 0 ? exit_code_for(ErrorCode::unavailable) : kExitOk;
  }
  const auto interval = std::chrono::milliseconds(
      static_cast<std::int64_t>(args.number("interval", 0.01, 3600).value_or(
          std::chrono::duration<double>(loaded.config.events.relay_poll_interval).count()) * 1000));
  std::cerr << "relaying events until Ctrl-C (every " << interval.count() << " ms when idle)\n";
  std::size_t delivered = 0, failed = 0;
  while (!stop.cancelled()) {
    RelayStats stats;
    try {
      stats = configured.relay->relay_all(kMaxBatches, stop.token());
    } catch (const Error& e) {
      std::cerr << "contentgen: relay: " << describe(e) << "\n";
    }
    delivered += stats.delivered;
    failed += stats.failed;
    if (stats.delivered + stats.failed > 0) {
      std::cout << "relayed " << stats.delivered << ", failed " << stats.failed << std::endl;
    }
    std::unique_lock lock(mutex);
    wake.wait_for(lock, interval, [&] { return stop.cancelled(); });
  }
  std::cerr << "stopped: " << delivered << " relayed, " << failed << " failed\n";
  return kExitOk;
}

int compute_cost(const ParsedArgs& args) {
  const std::string model = args.require("model");
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 4;
  TokenUsage usage;
  auto required_count = [&](const std::string& name) {
    args.require(name);
    return *args.integer(name, 0, kMax);
  };
  usage.prompt_tokens = required_count("prompt-tokens");
  usage.completion_tokens = required_count("completion-tokens");
  usage.cached_tokens = args.integer("cached-tokens", 0, kMax).value_or(0);
  usage.cache_write_tokens = args.integer("cache-write-tokens", 0, kMax).value_or(0);
  usage.reasoning_tokens = args.integer("reasoning-tokens", 0, kMax).value_or(0);
  const auto loaded = load_cli_config(args.get("config"), process_environment());
  const auto prices = load_prices(loaded.config.prices);
  const ModelPrice& price = prices->resolve(model);
  const Money cost = prices->cost(model, usage);
  if (args.flag("json")) {
    // Model names come from the price table (the configuration may add any): serialized, not pasted.
    const boost::json::object out{{"model", price.model},
                                  {"cost_usd", cost.to_string()},
                                  {"cost_nanousd", cost.nanos()},
                                  {"usage", boost::json::parse(usage_to_json(usage))}};
    std::cout << boost::json::serialize(out) << "\n";
    return kExitOk;
  }
  std::cout << dollars(cost) << "  (" << cost.nanos() << " nano-USD)\n"
            << "model " << price.model << (price.model == model ? "" : " (as " + model + ")") << " of "
            << price.provider << ", prices of " << price.effective_date << " per 1M tokens: input "
            << dollars(price.input_per_million);
  if (price.cached_input_per_million) std::cout << ", cached " << dollars(*price.cached_input_per_million);
  if (price.cache_write_per_million) std::cout << ", cache write " << dollars(*price.cache_write_per_million);
  std::cout << ", output " << dollars(price.output_per_million);
  if (price.reasoning_per_million) std::cout << ", reasoning " << dollars(*price.reasoning_per_million);
  std::cout << "\n";
  return kExitOk;
}

int list_prices(const ParsedArgs& args) {
  const auto loaded = load_cli_config(args.get("config"), process_environment());
  const auto prices = load_prices(loaded.config.prices);
  if (args.flag("json")) {
    std::cout << prices->to_json() << "\n";
    return kExitOk;
  }
  auto optional_price = [](const std::optional<Money>& m) { return m ? m->to_string() : std::string("-"); };
  std::cout << std::left << std::setw(28) << "model" << std::setw(11) << "provider" << std::right << std::setw(14)
            << "input" << std::setw(14) << "cached" << std::setw(14) << "output" << "  effective\n";
  for (const auto& p : prices->models()) {
    std::cout << std::left << std::setw(28) << p.model << std::setw(11) << p.provider << std::right << std::setw(14)
              << p.input_per_million.to_string() << std::setw(14) << optional_price(p.cached_input_per_million)
              << std::setw(14) << p.output_per_million.to_string() << "  " << p.effective_date << "\n";
  }
  std::cout << "(USD per 1M tokens; " << prices->aliases().size()
            << " alias rules map dated names such as gpt-4o-mini-2024-07-18 onto these)\n";
  return kExitOk;
}

int migrate(const ParsedArgs& args) {
  auto loaded = load_cli_config(args.get("config"), process_environment());
  loaded.config.repository.migrate = true;
  const auto repository = open_repository(loaded.config.repository);
  repository->ping();
  std::cout << redact_database_url(loaded.config.repository.url) << " is at schema version " << soci_schema_version()
            << "\n";
  return kExitOk;
}

}  // namespace

Command events_relay_command() {
  CommandSpec spec{"events relay", "Deliver the outbox's events to the configured sink (JSONL file or AMQP).",
                   "[--once] [options]", {}, 0, 0, ""};
  spec.options = {{"once", "", "relay what is due now, then exit (exit status 21 if some could not be delivered)"},
                  {"interval", "SECONDS", "pause between polls when idle (default: events.relay_poll_interval_ms)"}};
  spec.details =
      "Without --once it keeps relaying until Ctrl-C or SIGTERM. Ctrl-C lets the batch in flight finish\n"
      "(--once then exits 130; what was not relayed stays in the outbox). Delivery is at-least-once.";
  return {std::move(spec), relay_events};
}

Command cost_command() {
  CommandSpec spec{"cost", "Exact cost of one LLM call, from the price table.",
                   "--model MODEL --prompt-tokens N --completion-tokens N [options]", {}, 0, 0, ""};
  spec.options = {{"model", "MODEL", "model name (dated names and aliases resolve to their family)"},
                  {"prompt-tokens", "N", "every input token, cached ones included"},
                  {"completion-tokens", "N", "every output token, reasoning ones included"},
                  {"cached-tokens", "N", "part of the prompt read from the provider's cache"},
                  {"cache-write-tokens", "N", "part of the prompt written to the cache (Anthropic)"},
                  {"reasoning-tokens", "N", "part of the completion spent on hidden reasoning"},
                  kJsonOption};
  spec.details = "Money is exact: integer nano-USD, rounded half-even once per call.";
  return {std::move(spec), compute_cost};
}

Command prices_command() {
  CommandSpec spec{"prices", "The price table in use (built-in, plus the configuration's prices section).",
                   "[options]", {}, 0, 0, ""};
  spec.options = {kJsonOption};
  return {std::move(spec), list_prices};
}

Command migrate_command() {
  CommandSpec spec{"migrate", "Create or upgrade the database schema (repository.url).", "[options]", {}, 0, 0, ""};
  spec.details = "Other commands migrate on open too unless repository.migrate is false; this one always does.";
  return {std::move(spec), migrate};
}

}  // namespace contentgen::cli
