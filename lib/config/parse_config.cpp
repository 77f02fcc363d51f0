// parse_config(): the JSON schema of docs/configuration.md, strictly. Every key is read through an
// ObjectReader, so a key that nothing reads -- a typo, a key of another kind -- is an error that
// names it. Values of secrets are never echoed in messages.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/inline_prices.hpp"
#include "core/json/json_reader.hpp"
#include "config/field_names.hpp"
#include "contentgen/config.hpp"
#include "contentgen/error.hpp"
#include "core/events/cloudevent.hpp"

namespace contentgen {
namespace {

using jsonread::ObjectReader;

constexpr std::int64_t kMaxInt32 = 2'147'483'647;

// A string that must be one of `choices`.
std::string choice(ObjectReader& reader, std::string_view key, std::initializer_list<std::string_view> choices,
                   std::string fallback) {
  auto value = reader.string(key);
  if (!value) return fallback;
  for (const auto c : choices)
    if (*value == c) return *value;
  std::string list;
  for (const auto c : choices) list += (list.empty() ? "\"" : ", \"") + std::string(c) + "\"";
  throw Error::invalid_argument(reader.path_of(key), "must be one of " + list);
}

std::string http_url(ObjectReader& reader, std::string_view key) {
  auto value = reader.string(key).value_or("");
  if (!value.empty() && value.rfind("http://", 0) != 0 && value.rfind("https://", 0) != 0) {
    throw Error::invalid_argument(reader.path_of(key), "must be an http:// or https:// URL");
  }
  while (!value.empty() && value.back() == '/') value.pop_back();
  return value;
}

// `key` given inline, or read from the variable named by `key`_env. Neither: "".
struct Secret {
  std::string value;
  std::string env_name;
  bool given = false;
};
Secret secret(ObjectReader& reader, const std::string& key, const EnvironmentLookup& env) {
  Secret result;
  const std::string env_key = key + "_env";
  auto inline_value = reader.string(key);
  auto env_name = reader.string(env_key);
  if (inline_value && env_name) {
    throw Error::invalid_argument(reader.path_of(env_key), "give either " + key + " or " + env_key + ", not both");
  }
  if (inline_value) {
    result.value = std::move(*inline_value);
    result.given = true;
  } else if (env_name) {
    if (env_name->empty()) throw Error::invalid_argument(reader.path_of(env_key), "must name an environment variable");
    auto value = env ? env(*env_name) : std::nullopt;
    if (!value || value->empty()) {
      throw Error::invalid_argument(reader.path_of(env_key), "environment variable " + *env_name + " is not set");
    }
    result.value = std::move(*value);
    result.env_name = std::move(*env_name);
    result.given = true;
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> headers(ObjectReader& reader, std::string_view key) {
  auto map = reader.string_map(key).value_or(std::vector<std::pair<std::string, std::string>>{});
  for (const auto& [name, value] : map) {
    const bool name_ok = !name.empty() && name.find_first_of(" \t\r\n:()<>@,;\\\"/[]?={}") == std::string::npos;
    if (!name_ok) throw Error::invalid_argument(jsonread::join(reader.path_of(key), name), "is not a valid header name");
    if (value.find_first_of("\r\n") != std::string::npos) {
      throw Error::invalid_argument(jsonread::join(reader.path_of(key), name), "must not contain line breaks");
    }
  }
  return map;
}

void parse_llm(ObjectReader r, LlmConfig& llm, const EnvironmentLookup& env, bool is_fallback = false);

// "llm.fallback": a non-empty array of llm sections, each named llm.fallback[i] in errors.
std::vector<LlmConfig> parse_fallbacks(const boost::json::value& list, const ObjectReader& r, const LlmConfig& first,
                                       const EnvironmentLookup& env) {
  if (!list.is_array() || list.get_array().empty()) {
    throw Error::invalid_argument(r.path_of("fallback"), "must be a non-empty array of llm sections");
  }
  if (first.provider.empty()) throw Error::invalid_argument(r.path_of("fallback"), "needs llm.provider for the first provider");
  std::vector<LlmConfig> entries;
  const auto& items = list.get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    LlmConfig entry;
    parse_llm(ObjectReader(items[i], r.path_of("fallback") + "[" + std::to_string(i) + "]"), entry, env, true);
    entries.push_back(std::move(entry));
  }
  return entries;
}

void parse_llm(ObjectReader r, LlmConfig& llm, const EnvironmentLookup& env, bool is_fallback) {
  llm.provider = choice(r, "provider", {"openai", "anthropic"}, "");
  if (is_fallback && llm.provider.empty()) throw Error::invalid_argument(r.path_of("provider"), "required (\"openai\" or \"anthropic\")");
  llm.base_url = http_url(r, "base_url");
  Secret key = secret(r, "api_key", env);
  llm.api_key = std::move(key.value);
  llm.api_key_env = std::move(key.env_name);
  if (llm.provider == "anthropic") {
    llm.auth = choice(r, "auth", {"default", "x-api-key"}, "default");
    llm.anthropic_version = r.string("anthropic_version").value_or("");
    r.reject("auth_header", "only used with provider \"openai\"");
    r.reject("use_max_completion_tokens", "only used with provider \"openai\"");
  } else {
    llm.auth = choice(r, "auth", {"default", "bearer", "api-key", "header", "none"}, "default");
    llm.auth_header = r.string("auth_header").value_or(llm.auth_header);
    if (r.has("auth_header") && llm.auth != "header") {
      throw Error::invalid_argument(r.path_of("auth_header"), "only used with auth \"header\"");
    }
    llm.use_max_completion_tokens = r.boolean("use_max_completion_tokens").value_or(false);
    r.reject("anthropic_version", "only used with provider \"anthropic\"");
  }
  llm.extra_headers = headers(r, "extra_headers");
  llm.query = r.string_map("query").value_or(llm.query);
  if (is_fallback && !r.has("model")) throw Error::invalid_argument(r.path_of("model"), "required in a fallback entry");
  llm.model = r.string("model").value_or(llm.model);
  if (llm.model.empty()) throw Error::invalid_argument(r.path_of("model"), "must not be empty");
  if (is_fallback) {
    // Per-generation settings: the generator sends the top section's on every call.
    r.reject("temperature", "a per-generation setting: set it in the top llm section");
    r.reject("max_tokens", "a per-generation setting: set it in the top llm section");
  }
  llm.temperature = r.number("temperature", 0, 2);
  llm.max_tokens = r.integer("max_tokens", 1, 10'000'000);
  llm.timeout_s = r.number("timeout_s", 0.001, 86'400).value_or(llm.timeout_s);
  llm.connect_timeout_s = r.number("connect_timeout_s", 0.001, 3'600).value_or(llm.connect_timeout_s);
  llm.idle_timeout_s = r.number("idle_timeout_s", 0.001, 3'600).value_or(llm.idle_timeout_s);
  llm.max_retries = static_cast<std::int32_t>(r.integer("max_retries", 0, 20).value_or(llm.max_retries));
  llm.max_connections = static_cast<std::size_t>(r.integer("max_connections", 1, 4096).value_or(16));
  llm.requests_per_minute = r.integer("requests_per_minute", 0, 100'000'000).value_or(0);
  llm.tokens_per_minute = r.integer("tokens_per_minute", 0, 1'000'000'000'000).value_or(0);
  llm.ca_file = r.string("ca_file").value_or("");
  llm.insecure_skip_verify = r.boolean("insecure_skip_verify").value_or(false);
  if (is_fallback) {
    r.reject("fallback", "a fallback provider has no fallback of its own: list every provider in the top llm.fallback");
  } else if (const auto* list = r.raw("fallback")) {
    llm.fallback = parse_fallbacks(*list, r, llm, env);
  }
  r.finish();
  // The public endpoints refuse anonymous calls: say so now rather than after a 401.
  if (!llm.provider.empty() && llm.base_url.empty() && llm.api_key.empty() && llm.auth != "none") {
    throw Error::invalid_argument(r.path_of("api_key"), "required for the public " + llm.provider +
                                                     " endpoint (set api_key_env, or base_url for a local server)");
  }
}

void parse_repository(ObjectReader r, RepositoryConfig& repo, const EnvironmentLookup& env) {
  Secret url = secret(r, "url", env);
  repo.url = std::move(url.value);
  if (url.given) {
    const bool has_scheme = repo.url.find("://") != std::string::npos || repo.url.rfind("sqlite:", 0) == 0;
    const bool known_scheme = repo.url.rfind("sqlite:", 0) == 0 || repo.url.rfind("postgresql://", 0) == 0 ||
                              repo.url.rfind("postgres://", 0) == 0;
    const bool keyword_form = !has_scheme && repo.url.find('=') != std::string::npos;
    // Never echo the URL: it may carry a password.
    const std::string field = r.path_of(url.env_name.empty() ? "url" : "url_env");
    if (!known_scheme && !keyword_form) {
      throw Error::invalid_argument(field, "must be sqlite:PATH, postgresql://... or libpq keywords (host=... dbname=...)");
    }
    if (repo.url == "sqlite:") throw Error::invalid_argument(field, "needs a path after sqlite:");
  }
  repo.pool_size = static_cast<std::size_t>(r.integer("pool_size", 1, 1024).value_or(4));
  repo.migrate = r.boolean("migrate").value_or(true);
  auto millis = [&](std::string_view key, std::chrono::milliseconds fallback, std::int64_t min) {
    return std::chrono::milliseconds(r.integer(key, min, kMaxInt32).value_or(fallback.count()));
  };
  repo.acquire_timeout = millis("acquire_timeout_ms", repo.acquire_timeout, 1);
  repo.lock_timeout = millis("lock_timeout_ms", repo.lock_timeout, 0);
  repo.statement_timeout = millis("statement_timeout_ms", repo.statement_timeout, 0);
  repo.connect_timeout = std::chrono::seconds(r.integer("connect_timeout_s", 1, 3'600).value_or(10));
  repo.sqlite_synchronous = choice(r, "sqlite_synchronous", {"FULL", "NORMAL"}, "FULL");
  r.finish();
}

void parse_images(ObjectReader r, ImagesConfig& images, const EnvironmentLookup& env) {
  images.kind = choice(r, "kind", {"filesystem", "s3", "none"}, "none");
  const std::vector<std::string_view> s3_keys = {
      "endpoint",          "bucket",       "region",       "access_key",  "access_key_env",  "secret_key",
      "secret_key_env",    "session_token", "session_token_env", "path_style", "bucket_check", "timeout_s",
      "connect_timeout_s", "max_retries",  "max_connections", "ca_file",   "insecure_skip_verify"};
  const std::vector<std::string_view> filesystem_keys = {"root", "fsync"};
  if (images.kind == "filesystem") {
    images.root = r.string("root").value_or("");
    if (images.root.empty()) throw Error::invalid_argument(r.path_of("root"), "required for kind \"filesystem\"");
    images.fsync = r.boolean("fsync").value_or(true);
    images.public_base_url = http_url(r, "public_base_url");
    for (const auto key : s3_keys) r.reject(key, "only used with kind \"s3\"");
  } else if (images.kind == "s3") {
    images.endpoint = http_url(r, "endpoint");
    images.bucket = r.string("bucket").value_or("");
    if (images.bucket.empty()) throw Error::invalid_argument(r.path_of("bucket"), "required for kind \"s3\"");
    images.region = r.string("region").value_or(images.region);
    images.access_key = secret(r, "access_key", env).value;
    images.secret_key = secret(r, "secret_key", env).value;
    images.session_token = secret(r, "session_token", env).value;
    if (images.access_key.empty()) throw Error::invalid_argument(r.path_of("access_key"), "required for kind \"s3\"");
    if (images.secret_key.empty()) throw Error::invalid_argument(r.path_of("secret_key"), "required for kind \"s3\"");
    images.path_style = r.boolean("path_style").value_or(false);
    images.bucket_check = choice(r, "bucket_check", {"none", "check", "create"}, "none");
    images.public_base_url = http_url(r, "public_base_url");
    images.timeout_s = r.number("timeout_s", 0.001, 86'400).value_or(images.timeout_s);
    images.connect_timeout_s = r.number("connect_timeout_s", 0.001, 3'600).value_or(images.connect_timeout_s);
    images.max_retries = static_cast<std::int32_t>(r.integer("max_retries", 0, 20).value_or(3));
    images.max_connections = static_cast<std::size_t>(r.integer("max_connections", 1, 4096).value_or(16));
    images.ca_file = r.string("ca_file").value_or("");
    images.insecure_skip_verify = r.boolean("insecure_skip_verify").value_or(false);
    for (const auto key : filesystem_keys) r.reject(key, "only used with kind \"filesystem\"");
  } else {
    for (const auto key : filesystem_keys) r.reject(key, "only used with kind \"filesystem\"");
    for (const auto key : s3_keys) r.reject(key, "only used with kind \"s3\"");
    r.reject("public_base_url", "not used with kind \"none\"");
  }
  r.finish();
}

void parse_events(ObjectReader r, EventsConfig& events, const EnvironmentLookup& env) {
  events.kind = choice(r, "kind", {"jsonl", "amqp", "none"}, "none");
  const std::vector<std::string_view> jsonl_keys = {"path", "fsync"};
  const std::vector<std::string_view> amqp_keys = {
      "url",          "url_env",          "exchange",        "declare_exchange", "ca_file",
      "client_cert_file", "client_key_file", "heartbeat_s", "connect_timeout_ms", "confirm_timeout_ms",
      "connection_name"};
  if (events.kind == "jsonl") {
    events.path = r.string("path").value_or("");
    if (events.path.empty()) throw Error::invalid_argument(r.path_of("path"), "required for kind \"jsonl\"");
    events.fsync = r.boolean("fsync").value_or(true);
    for (const auto key : amqp_keys) r.reject(key, "only used with kind \"amqp\"");
  } else if (events.kind == "amqp") {
    Secret url = secret(r, "url", env);
    events.url = std::move(url.value);
    if (events.url.empty()) throw Error::invalid_argument(r.path_of("url"), "required for kind \"amqp\"");
    if (events.url.rfind("amqp://", 0) != 0 && events.url.rfind("amqps://", 0) != 0) {
      throw Error::invalid_argument(r.path_of(url.env_name.empty() ? "url" : "url_env"),
                                    "must start with amqp:// or amqps://");
    }
    events.exchange = r.string("exchange").value_or(events.exchange);
    if (events.exchange.empty()) throw Error::invalid_argument(r.path_of("exchange"), "must not be empty");
    events.declare_exchange = r.boolean("declare_exchange").value_or(true);
    events.ca_file = r.string("ca_file").value_or("");
    events.client_cert_file = r.string("client_cert_file").value_or("");
    events.client_key_file = r.string("client_key_file").value_or("");
    events.heartbeat = std::chrono::seconds(r.integer("heartbeat_s", 0, 3'600).value_or(30));
    events.connect_timeout = std::chrono::milliseconds(r.integer("connect_timeout_ms", 1, kMaxInt32).value_or(5'000));
    events.confirm_timeout = std::chrono::milliseconds(r.integer("confirm_timeout_ms", 1, kMaxInt32).value_or(10'000));
    events.connection_name = r.string("connection_name").value_or(events.connection_name);
    for (const auto key : jsonl_keys) r.reject(key, "only used with kind \"jsonl\"");
  } else {
    for (const auto key : jsonl_keys) r.reject(key, "only used with kind \"jsonl\"");
    for (const auto key : amqp_keys) r.reject(key, "only used with kind \"amqp\"");
  }
  events.source = r.string("source").value_or("");
  if (!events.source.empty()) {
    try {
      (void)cloudevent::resolve_source(events.source);  // the sinks' own rule, checked before any opens
    } catch (Error& e) {
      configdetail::rename_field(e, "", "events.");
      throw;
    }
  }
  events.relay = choice(r, "relay", {"manual", "background"}, "manual");
  events.relay_batch_size = static_cast<std::size_t>(r.integer("relay_batch_size", 1, 10'000).value_or(100));
  events.relay_poll_interval =
      std::chrono::milliseconds(r.integer("relay_poll_interval_ms", 1, 3'600'000).value_or(500));
  r.finish();
}

void parse_prices(ObjectReader r, PricesConfig& prices) {
  prices.file = r.string("file").value_or("");
  const auto* models = r.raw("models");
  const auto* aliases = r.raw("aliases");
  if (models != nullptr || aliases != nullptr) {
    boost::json::object table;
    table["models"] = models != nullptr ? *models : boost::json::array();
    if (aliases != nullptr) table["aliases"] = *aliases;
    prices.inline_json = boost::json::serialize(table);
    (void)configdetail::inline_price_table(prices.inline_json);  // a bad price is a configuration error
  }
  prices.replace_builtin = r.boolean("replace_builtin").value_or(false);
  if (prices.replace_builtin && prices.file.empty() && prices.inline_json.empty()) {
    throw Error::invalid_argument(r.path_of("replace_builtin"), "needs a file or inline models to replace them with");
  }
  r.finish();
}

void parse_limits(ObjectReader r, LimitsConfig& limits) {
  limits.max_image_bytes =
      static_cast<std::size_t>(r.integer("max_image_bytes", 1, std::int64_t{1} << 32).value_or(10 * 1024 * 1024));
  limits.max_image_pixels = static_cast<std::uint64_t>(
      r.integer("max_image_pixels", 1, std::int64_t{1} << 40).value_or(static_cast<std::int64_t>(limits.max_image_pixels)));
  r.finish();
}

void parse_generator(ObjectReader r, GeneratorConfig& gen) {
  gen.max_continuations = static_cast<std::int32_t>(r.integer("max_continuations", 0, 20).value_or(4));
  gen.export_html = r.boolean("export_html").value_or(false);
  gen.reservation_ttl = std::chrono::seconds(r.integer("reservation_ttl_s", 1, kMaxInt32).value_or(900));
  if (const auto* templates = r.raw("templates")) {
    ObjectReader t(*templates, r.path_of("templates"));
    struct Pair {
      const char* key;
      std::string* text;
      std::string* file;
    };
    const Pair pairs[] = {{"system", &gen.system_template, &gen.system_template_file},
                          {"user", &gen.user_template, &gen.user_template_file},
                          {"continuation", &gen.continuation_template, &gen.continuation_template_file}};
    for (const auto& pair : pairs) {
      const std::string file_key = std::string(pair.key) + "_file";
      *pair.text = t.string(pair.key).value_or("");
      *pair.file = t.string(file_key).value_or("");
      if (!pair.text->empty() && !pair.file->empty()) {
        throw Error::invalid_argument(t.path_of(file_key), std::string("give either ") + pair.key + " or " + file_key +
                                                               ", not both");
      }
    }
    t.finish();
  }
  r.finish();
}

}  // namespace

EnvironmentLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Config parse_config(std::string_view json, const EnvironmentLookup& env) {
  const boost::json::value document = jsonread::parse(json, "config");
  if (!document.is_object()) throw Error::invalid_argument("config", "must be a JSON object");
  ObjectReader root(document, "");
  Config config;
  root.ignore("$schema");
  if (const auto* v = root.raw("llm")) parse_llm(ObjectReader(*v, "llm"), config.llm, env);
  if (const auto* v = root.raw("repository")) parse_repository(ObjectReader(*v, "repository"), config.repository, env);
  if (const auto* v = root.raw("images")) parse_images(ObjectReader(*v, "images"), config.images, env);
  if (const auto* v = root.raw("events")) parse_events(ObjectReader(*v, "events"), config.events, env);
  if (const auto* v = root.raw("prices")) parse_prices(ObjectReader(*v, "prices"), config.prices);
  if (const auto* v = root.raw("limits")) parse_limits(ObjectReader(*v, "limits"), config.limits);
  if (const auto* v = root.raw("generator")) parse_generator(ObjectReader(*v, "generator"), config.generator);
  if (const auto* v = root.raw("server")) {
    if (!v->is_object()) throw Error::invalid_argument("server", "must be a JSON object");
    config.server_json = boost::json::serialize(*v);
  }
  root.finish();
  return config;
}

Config load_config_file(const std::string& path, const EnvironmentLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::invalid_argument("config", "cannot read the configuration file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), env);
}

}  // namespace contentgen
