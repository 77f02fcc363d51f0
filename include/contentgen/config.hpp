#pragma once
// Configuration: the one JSON schema shared by the C API, the contentgen CLI, the REST server and the
// Python bindings (every key and default: docs/configuration.md).
//
//   parse_config()    JSON text -> typed Config. Unknown or misspelled keys and wrong types are
//                     Error{invalid_argument} whose details().field is the dotted key
//                     ("llm.timout_s"); *_env keys are read from the environment here.
//   open_*()          build one port from its section, through the adapters' public factories.
//                     A kind whose adapter is not part of this build is Error{invalid_argument}
//                     saying so -- never a silent fake.
//   open_generator()  all of it: ports + price table + ContentGenerator (+ an EventRelay).
//
// Secrets (API keys, S3 secrets, passwords in URLs) never appear in error messages: errors name
// keys, not values. Thread safety: parse_config and the open functions are reentrant.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contentgen/cost.hpp"
#include "contentgen/export.hpp"
#include "contentgen/generator.hpp"
#include "contentgen/relay.hpp"

namespace contentgen {

// "llm": the chat-completion provider (include/contentgen/adapters/openai.hpp, anthropic.hpp).
struct LlmConfig {
  // "openai" (any OpenAI-compatible server: OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp,
  // OpenRouter, contentgen-mockllm) | "anthropic". Empty only when the host supplies its own
  // provider in code (PortOverrides::llm, a C vtable, a Python class).
  std::string provider;
  std::string base_url;                 // empty: the provider's public endpoint
  std::string api_key;                  // resolved: "api_key", else the variable "api_key_env" names
  std::string api_key_env;              // the variable it came from (for messages), if any
  // How the key is sent. openai: "bearer" (Authorization: Bearer, the default), "api-key" (Azure
  // OpenAI's `api-key:` header), "header" (the header named by auth_header), "none".
  // anthropic: always x-api-key ("default").
  std::string auth = "default";
  std::string auth_header = "api-key";
  std::vector<std::pair<std::string, std::string>> extra_headers;  // sent with every request
  std::vector<std::pair<std::string, std::string>> query;          // e.g. Azure's api-version
  std::string model = "gpt-4o-mini";    // default model of generate()
  std::optional<double> temperature;    // default 0.7 (the generator's)
  std::optional<std::int64_t> max_tokens;  // nullopt: derived from the plan
  bool use_max_completion_tokens = false;  // openai: newer reasoning models want it
  double timeout_s = 120;               // one HTTP attempt, whole exchange
  double connect_timeout_s = 10;
  double idle_timeout_s = 60;           // between streamed chunks
  std::int32_t max_retries = 2;
  std::size_t max_connections = 16;     // keep-alive pool per host
  std::int64_t requests_per_minute = 0;  // client-side pacing; 0: unlimited
  std::int64_t tokens_per_minute = 0;
  std::string ca_file;                  // extra CA bundle (PEM)
  bool insecure_skip_verify = false;    // disables TLS verification: never the default
  std::string anthropic_version;        // anthropic only; empty: the adapter's default
  // "fallback": providers tried in order when this one fails with a retryable error after its own
  // retries (make_fallback_provider). Each entry is a full llm section without "fallback" and
  // always calls its own "model"; the article records the provider and model that served.
  std::vector<LlmConfig> fallback;
};

// "repository": where articles live (the SOCI adapter). url: "sqlite:PATH" | "sqlite::memory:" |
// "postgresql://user:pass@host:port/db?..." (or "postgres://") | the libpq keyword form
// "host=... dbname=...". See include/contentgen/adapters/soci_repository.hpp.
struct RepositoryConfig {
  std::string url;                      // resolved from url / url_env; empty: not configured
  std::size_t pool_size = 4;            // connections kept open
  bool migrate = true;                  // apply missing migrations on open
  std::chrono::milliseconds acquire_timeout{10'000};
  std::chrono::milliseconds lock_timeout{5'000};
  std::chrono::milliseconds statement_timeout{0};  // PostgreSQL; 0: none
  std::chrono::seconds connect_timeout{10};
  std::string sqlite_synchronous = "FULL";         // "FULL" | "NORMAL"
};

// "images": the object store for images (and exported HTML).
struct ImagesConfig {
  std::string kind = "none";            // "filesystem" | "s3" | "none"
  // filesystem
  std::string root;
  bool fsync = true;
  // filesystem and s3: base of the URLs handed out; empty: file:// URLs / the endpoint's URL
  std::string public_base_url;
  // s3 (see include/contentgen/adapters/s3_store.hpp)
  std::string endpoint;                 // empty: https://s3.<region>.amazonaws.com
  std::string bucket;
  std::string region = "us-east-1";
  std::string access_key;               // resolved from access_key / access_key_env
  std::string secret_key;               // resolved from secret_key / secret_key_env
  std::string session_token;            // resolved from session_token / session_token_env
  bool path_style = false;              // false: virtual-hosted where possible, else path-style
  std::string bucket_check = "none";    // "none" | "check" | "create"
  double timeout_s = 60;                // per attempt
  double connect_timeout_s = 10;
  std::int32_t max_retries = 3;
  std::size_t max_connections = 16;
  std::string ca_file;
  bool insecure_skip_verify = false;
};

// "events": where the outbox is relayed to.
struct EventsConfig {
  std::string kind = "none";            // "jsonl" | "amqp" | "none"
  // jsonl
  std::string path;
  bool fsync = true;
  // amqp (see include/contentgen/adapters/amqp_sink.hpp)
  std::string url;                      // resolved from url / url_env: amqp[s]://user:pass@host:port/vhost
  std::string exchange = "contentgen.events";
  bool declare_exchange = true;
  std::string ca_file, client_cert_file, client_key_file;
  std::chrono::seconds heartbeat{30};
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds confirm_timeout{10'000};
  std::string connection_name = "contentgen";
  // common
  std::string source;                   // CloudEvents "source"; empty: "contentgen://<hostname>/contentgen"
  std::string relay = "manual";         // "manual" (relay_events() calls) | "background" (a thread)
  std::size_t relay_batch_size = 100;
  std::chrono::milliseconds relay_poll_interval{500};
};

// "prices": the price table. The built-in table, with the models of `file` and of the inline
// "models"/"aliases" added on top (a model of the same name replaces the built-in one) --
// unless replace_builtin, then only those.
struct PricesConfig {
  std::string file;
  std::string inline_json;              // {"models": [...], "aliases": [...]} when given inline
  bool replace_builtin = false;
};

// "limits"
struct LimitsConfig {
  std::size_t max_image_bytes = 10 * 1024 * 1024;
  std::uint64_t max_image_pixels = 100'000'000;
};

// "generator": options of the facade that are not about one port.
struct GeneratorConfig {
  std::int32_t max_continuations = 4;
  bool export_html = false;
  std::chrono::seconds reservation_ttl{900};
  // Prompt templates: inline text, or *_file paths read at open time; empty: the defaults.
  std::string system_template, user_template, continuation_template;
  std::string system_template_file, user_template_file, continuation_template_file;
};

struct Config {
  LlmConfig llm;
  RepositoryConfig repository;
  ImagesConfig images;
  EventsConfig events;
  PricesConfig prices;
  LimitsConfig limits;
  GeneratorConfig generator;
  // "server": reserved for the CLI's REST server, kept verbatim (serialized JSON) for it to parse.
  std::optional<std::string> server_json;
};

// Looks up an environment variable; nullopt when unset. Default: std::getenv.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;
CONTENTGEN_API EnvironmentLookup process_environment();

// What the host supplies in code instead of a config section. open_generator() refuses a port
// given both ways (Error{invalid_argument} naming "llm.provider", "repository.url", "images.kind"
// or "events.kind"), and a required port given neither way.
struct PortOverrides {
  std::shared_ptr<LlmProvider> llm;
  std::shared_ptr<ArticleRepository> repository;
  std::shared_ptr<ImageStore> images;
  std::shared_ptr<EventSink> events;
};

// Parses and validates. Throws Error{invalid_argument} naming the dotted key.
CONTENTGEN_API Config parse_config(std::string_view json, const EnvironmentLookup& env = process_environment());
// Reads the file, then parse_config(). Unreadable file: Error{invalid_argument, field "config"}.
CONTENTGEN_API Config load_config_file(const std::string& path, const EnvironmentLookup& env = process_environment());

// One port each. Throw Error{invalid_argument} for a kind not compiled into this build, and the
// adapter's own errors (unavailable, storage, ...) when it cannot start.
// `log`: the providers' and the object store's transport log (contentgen/log.hpp).
CONTENTGEN_API std::shared_ptr<LlmProvider> open_llm_provider(const LlmConfig& config, const LogHandler& log = {});
CONTENTGEN_API std::shared_ptr<ArticleRepository> open_repository(const RepositoryConfig& config,
                                                                  const LogHandler& log = {});
CONTENTGEN_API std::shared_ptr<ImageStore> open_image_store(const ImagesConfig& config,  // nullptr for "none"
                                                           const LogHandler& log = {});
CONTENTGEN_API std::shared_ptr<EventSink> open_event_sink(const EventsConfig& config,  // nullptr for "none"
                                                          const LogHandler& log = {});
CONTENTGEN_API std::shared_ptr<const PriceTable> load_prices(const PricesConfig& config);
// The GeneratorOptions the config asks for (templates read from their files here).
CONTENTGEN_API GeneratorOptions generator_options(const Config& config);
CONTENTGEN_API RelayOptions relay_options(const EventsConfig& config);

// Whether this build of the library contains the adapter for a kind: ("llm", "openai"),
// ("repository", "sqlite"), ("repository", "postgresql"), ("images", "s3"), ("events", "amqp")...
CONTENTGEN_API bool adapter_available(std::string_view section, std::string_view kind) noexcept;

// A generator with everything the config describes. `relay` is set when there is an event sink;
// with events.relay == "background" its thread is already running (the destructor stops it).
struct ConfiguredGenerator {
  Ports ports;
  std::shared_ptr<const PriceTable> prices;
  std::shared_ptr<ContentGenerator> generator;
  std::shared_ptr<EventRelay> relay;
};

// `customize` may adjust the options (metrics hooks, blocking executor) before construction.
CONTENTGEN_API ConfiguredGenerator open_generator(const Config& config, PortOverrides overrides = {},
                                                  const std::function<void(GeneratorOptions&)>& customize = {});

}  // namespace contentgen
