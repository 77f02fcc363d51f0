#pragma once
// Where the CLI's configuration comes from (docs/cli.md#configuration):
//   1. --config FILE
//   2. the file named by $CONTENTGEN_CONFIG
//   3. the embedded defaults: SQLite ./contentgen.db, images under ./contentgen-data/images, JSONL
//      events in ./contentgen-data/events.jsonl, and an OpenAI-compatible provider at
//      $OPENAI_BASE_URL (default https://api.openai.com/v1) with $OPENAI_API_KEY, model gpt-4o-mini.
// A file replaces the defaults as a whole; it is never merged with them.
#include <functional>
#include <optional>
#include <string>

#include "contentgen/config.hpp"

namespace contentgen::cli {

struct LoadedConfig {
  Config config;
  std::string origin;  // "--config FILE", "CONTENTGEN_CONFIG=FILE" or "embedded defaults"
};

// The embedded defaults as configuration JSON, given the environment. With neither OPENAI_API_KEY
// nor OPENAI_BASE_URL the "llm" section is left out (see require_llm()).
std::string embedded_defaults_json(const EnvironmentLookup& env);

// Resolves and parses the configuration. Throws Error{invalid_argument} naming the dotted key.
LoadedConfig load_cli_config(const std::optional<std::string>& config_flag, const EnvironmentLookup& env);

// Throws Error{invalid_argument, field "llm"} with the one-line "what to set" message when the
// configuration names no LLM provider.
void require_llm(const LoadedConfig& loaded);

struct OpenOptions {
  bool need_llm = false;  // generate/serve: refuse to start without a provider
  std::function<void(GeneratorOptions&)> customize;
};

// open_generator() for the CLI. Commands that never call the LLM (articles, images, events,
// migrate) also work without a provider: their generator gets one that refuses every call with
// the require_llm() message, so nothing is ever invented.
ConfiguredGenerator open_cli_generator(const LoadedConfig& loaded, const OpenOptions& options);

}  // namespace contentgen::cli
