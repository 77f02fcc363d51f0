#include "server/server_config.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "contentgen/error.hpp"
#include "contentgen/plan.hpp"

namespace contentgen::server {
namespace {

namespace json = boost::json;

constexpr std::size_t kMinKeyLength = 16;

std::int64_t integer_in(const json::value& v, const std::string& field, std::int64_t min, std::int64_t max) {
  if (!v.is_int64() && !v.is_uint64()) throw Error::invalid_argument(field, "must be an integer");
  const auto n = v.is_int64() ? v.as_int64() : static_cast<std::int64_t>(std::min<std::uint64_t>(v.as_uint64(), INT64_MAX));
  if (n < min || n > max) {
    throw Error::invalid_argument(field, "must be from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return n;
}

std::chrono::milliseconds seconds_in(const json::value& v, const std::string& field, double max) {
  if (!v.is_number()) throw Error::invalid_argument(field, "must be a number of seconds");
  const double s = v.to_number<double>();
  if (!(s > 0 && s <= max)) throw Error::invalid_argument(field, "must be more than 0 and at most " + std::to_string(static_cast<long>(max)));
  return std::chrono::milliseconds(static_cast<std::int64_t>(s * 1000));
}

std::string text(const json::value& v, const std::string& field) {
  if (!v.is_string()) throw Error::invalid_argument(field, "must be a string");
  std::string s(v.as_string());
  if (s.empty()) throw Error::invalid_argument(field, "must not be empty");
  return s;
}

bool boolean(const json::value& v, const std::string& field) {
  if (!v.is_bool()) throw Error::invalid_argument(field, "must be true or false");
  return v.as_bool();
}

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
    if (!entry.is_object()) throw Error::invalid_argument(field, "must be an object {\"key\", \"workspace_id\"}");
    ApiKey key;
    for (const auto& [name, value] : entry.as_object()) {
      if (name == "key") {
        key.key = text(value, field + ".key");
      } else if (name == "workspace_id") {
        key.workspace_id = text(value, field + ".workspace_id");
      } else {
        throw Error::invalid_argument(field + "." + std::string(name), "is not a known key");
      }
    }
    if (key.key.size() < kMinKeyLength) {
      throw Error::invalid_argument(field + ".key", "must be at least " + std::to_string(kMinKeyLength) + " characters");
    }
    if (key.workspace_id.empty()) throw Error::invalid_argument(field + ".workspace_id", "is required");
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
  if (!document.is_object()) throw Error::invalid_argument("server", "must be a JSON object");
  for (const auto& [name_view, v] : document.as_object()) {
    const std::string name(name_view);
    const std::string field = "server." + name;
    if (name == "listen") {
      parse_listen(text(v, field), field, config.host, config.port);
    } else if (name == "api_keys") {
      read_keys(v, field, config.api_keys);
    } else if (name == "api_keys_env") {
      const std::string variable = text(v, field);
      const auto value = env ? env(variable) : std::nullopt;
      if (!value || value->empty()) throw Error::invalid_argument(field, "environment variable " + variable + " is not set");
      read_keys(parse_json(*value, field), field, config.api_keys);
    } else if (name == "api_keys_file") {
      const std::string path = text(v, field);
      std::ifstream in(path, std::ios::binary);
      if (!in) throw Error::invalid_argument(field, "cannot read " + path);
      std::ostringstream content;
      content << in.rdbuf();
      read_keys(parse_json(content.str(), field), field, config.api_keys);
    } else if (name == "io_threads") {
      config.io_threads = static_cast<std::size_t>(integer_in(v, field, 1, 256));
    } else if (name == "worker_threads") {
      config.worker_threads = static_cast<std::size_t>(integer_in(v, field, 1, 1024));
    } else if (name == "max_body_bytes") {
      config.max_body_bytes = static_cast<std::size_t>(integer_in(v, field, 1024, std::int64_t{1} << 32));
    } else if (name == "multipart_overhead_bytes") {
      config.multipart_overhead_bytes = static_cast<std::size_t>(integer_in(v, field, 1024, 16 << 20));
    } else if (name == "header_timeout_s") {
      config.header_timeout = seconds_in(v, field, 3600);
    } else if (name == "read_timeout_s") {
      config.read_timeout = seconds_in(v, field, 3600);
    } else if (name == "idle_timeout_s") {
      config.idle_timeout = seconds_in(v, field, 3600);
    } else if (name == "write_timeout_s") {
      config.write_timeout = seconds_in(v, field, 3600);
    } else if (name == "shutdown_grace_s") {
      config.shutdown_grace = seconds_in(v, field, 3600);
    } else if (name == "max_generations_in_flight") {
      config.max_generations_in_flight = static_cast<std::size_t>(integer_in(v, field, 1, 1'000'000));
    } else if (name == "relay_events") {
      config.relay_events = boolean(v, field);
    } else if (name == "access_log") {
      config.access_log = boolean(v, field);
    } else {
      throw Error::invalid_argument(field, "is not a known key of the server section (docs/rest.md#configuration)");
    }
  }
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
