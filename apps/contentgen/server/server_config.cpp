#include "server/server_config.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "contentgen/error.hpp"
#include "core/json/json_reader.hpp"
#include "contentgen/plan.hpp"

namespace contentgen::server {
namespace {

namespace json = boost::json;

constexpr std::size_t kMinKeyLength = 16;

// An optional string that must not be empty when given (absent or null: nullopt).
std::optional<std::string> optional_text(jsonread::ObjectReader& r, std::string_view key) {
  auto value = r.string(key);
  if (value && value->empty()) throw Error::invalid_argument(r.path_of(key), "must not be empty");
  return value;
}

std::string text(jsonread::ObjectReader& r, std::string_view key) {
  auto value = optional_text(r, key);
  if (!value) throw Error::invalid_argument(r.path_of(key), "is required");
  return std::move(*value);
}

std::chrono::milliseconds seconds(double s) { return std::chrono::milliseconds(static_cast<std::int64_t>(s * 1000)); }

// The library's own rule for workspace ids (validate_plan is its single authority), checked at
// startup so that a bad id is a configuration error rather than a 422 on every request.
void check_workspace_id(const std::string& workspace_id, const std::string& field) {
  ContentPlan probe;
  probe.workspace_id = workspace_id;
  probe.title = "probe";
  try {
    validate_plan(probe);
  } catch (const Error& e) {
    if (e.details().field == "plan.workspace_id") throw Error::invalid_argument(field, e.what());
    throw;
  }
}

// [{"key": "...", "workspace_id": "..."}, ...] from `document`; `where` names the source.
void read_keys(const json::value& document, const std::string& where, std::vector<ApiKey>& out) {
  if (!document.is_array()) throw Error::invalid_argument(where, "must be a JSON array of {\"key\", \"workspace_id\"}");
  std::size_t index = 0;
  for (const auto& entry : document.as_array()) {
    const std::string field = where + "[" + std::to_string(index++) + "]";
    jsonread::ObjectReader r(entry, field);
    ApiKey key;
    key.key = text(r, "key");
    key.workspace_id = text(r, "workspace_id");
    r.finish();
    if (key.key.size() < kMinKeyLength) {
      throw Error::invalid_argument(field + ".key", "must be at least " + std::to_string(kMinKeyLength) + " characters");
    }
    check_workspace_id(key.workspace_id, field + ".workspace_id");
    out.push_back(std::move(key));
  }
}

json::value parse_json(std::string_view text_in, const std::string& field) {
  boost::system::error_code ec;
  json::value v = json::parse(text_in, ec);
  // The text may be a secret: say where it came from, not what it holds.
  if (ec) throw Error::invalid_argument(field, "does not hold valid JSON (" + ec.message() + ")");
  return v;
}

}  // namespace

void parse_listen(const std::string& listen, const std::string& field, std::string& host, std::uint16_t& port) {
  std::string host_part;
  std::string port_part;
  if (!listen.empty() && listen.front() == '[') {
    const auto close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      throw Error::invalid_argument(field, "must be HOST:PORT or [IPV6]:PORT");
    }
    host_part = listen.substr(1, close - 1);
    port_part = listen.substr(close + 2);
  } else {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || listen.find(':') != colon) {
      throw Error::invalid_argument(field, "must be HOST:PORT or [IPV6]:PORT");
    }
    host_part = listen.substr(0, colon);
    port_part = listen.substr(colon + 1);
  }
  if (host_part.empty()) throw Error::invalid_argument(field, "needs a host (0.0.0.0 for every interface)");
  long value = -1;
  if (!port_part.empty() && port_part.size() <= 5 && port_part.find_first_not_of("0123456789") == std::string::npos) {
    value = std::stol(port_part);
  }
  if (value < 0 || value > 65535) throw Error::invalid_argument(field, "needs a port from 0 to 65535");
  host = host_part;
  port = static_cast<std::uint16_t>(value);
}

ServerConfig parse_server_config(const std::optional<std::string>& server_json, const EnvironmentLookup& env) {
  ServerConfig config;
  if (!server_json) return config;
  const json::value document = parse_json(*server_json, "server");
  jsonread::ObjectReader r(document, "server");
  if (const auto listen = optional_text(r, "listen")) parse_listen(*listen, r.path_of("listen"), config.host, config.port);
  if (const auto* keys = r.raw("api_keys")) read_keys(*keys, r.path_of("api_keys"), config.api_keys);
  if (const auto env_variable = optional_text(r, "api_keys_env")) {
    const std::string& variable = *env_variable;
    const auto value = env ? env(variable) : std::nullopt;
    const std::string field = r.path_of("api_keys_env");
    if (!value || value->empty()) throw Error::invalid_argument(field, "environment variable " + variable + " is not set");
    read_keys(parse_json(*value, field), field, config.api_keys);
  }
  if (const auto file = optional_text(r, "api_keys_file")) {
    const std::string& path = *file;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error::invalid_argument(r.path_of("api_keys_file"), "cannot read " + path);
    std::ostringstream content;
    content << in.rdbuf();
    read_keys(parse_json(content.str(), r.path_of("api_keys_file")), r.path_of("api_keys_file"), config.api_keys);
  }
  auto size = [&](std::string_view key, std::int64_t min, std::int64_t max, std::size_t& out) {
    if (const auto n = r.integer(key, min, max)) out = static_cast<std::size_t>(*n);
  };
  size("io_threads", 1, 256, config.io_threads);
  size("worker_threads", 1, 1024, config.worker_threads);
  size("max_body_bytes", 1024, std::int64_t{1} << 32, config.max_body_bytes);
  size("multipart_overhead_bytes", 1024, 16 << 20, config.multipart_overhead_bytes);
  size("max_generations_in_flight", 1, 1'000'000, config.max_generations_in_flight);
  size("max_connections", 1, 1'000'000, config.max_connections);
  size("max_inflight_body_bytes", 1024, std::int64_t{1} << 40, config.max_inflight_body_bytes);
  size("upload_spool_bytes", 0, std::int64_t{1} << 40, config.upload_spool_bytes);
  auto timeout = [&](std::string_view key, std::chrono::milliseconds& out) {
    if (const auto s = r.number(key, 0.001, 3600)) out = seconds(*s);
  };
  timeout("header_timeout_s", config.header_timeout);
  timeout("read_timeout_s", config.read_timeout);
  timeout("idle_timeout_s", config.idle_timeout);
  timeout("write_timeout_s", config.write_timeout);
  timeout("shutdown_grace_s", config.shutdown_grace);
  config.relay_events = r.boolean("relay_events").value_or(config.relay_events);
  config.access_log = r.boolean("access_log").value_or(config.access_log);
  r.finish();  // an unknown key is named, with the closest known one when it looks like a typo
  std::set<std::string> seen;
  for (std::size_t i = 0; i < config.api_keys.size(); ++i) {
    if (!seen.insert(config.api_keys[i].key).second) {
      throw Error::invalid_argument("server.api_keys", "the same key appears twice (entry " + std::to_string(i) +
                                                           " of all sources combined)");
    }
  }
  return config;
}

}  // namespace contentgen::server
