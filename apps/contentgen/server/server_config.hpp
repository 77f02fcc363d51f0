#pragma once
// The "server" section of the configuration (docs/rest.md#configuration). The shared parser
// (contentgen/config.hpp) keeps the section verbatim for us; this is its schema:
//
//   "server": {
//     "listen": "127.0.0.1:8080",              HOST:PORT ([::1]:8080 for IPv6; port 0: any free)
//     "api_keys": [{"key": "...", "workspace_id": "..."}],
//     "api_keys_env": "CONTENTGEN_API_KEYS",   a variable holding the same JSON array
//     "api_keys_file": "/etc/contentgen/keys.json",   a file holding the same JSON array
//     "io_threads": 1, "worker_threads": 4,
//     "max_body_bytes": 1048576,               JSON bodies
//     "multipart_overhead_bytes": 65536,       image uploads may be limits.max_image_bytes + this
//     "header_timeout_s": 10, "read_timeout_s": 60, "idle_timeout_s": 30, "write_timeout_s": 60,
//     "shutdown_grace_s": 30,                  SIGTERM: in-flight requests get this long
//     "max_generations_in_flight": 512,        beyond: 429
//     "max_connections": 1024,                 beyond: displace an idle/slow one, else 503
//     "max_inflight_body_bytes": 67108864,     request bodies being received at once; beyond: 503
//     "upload_spool_bytes": 1048576,           larger bodies go to a temporary file, not memory
//     "relay_events": true,                    run the event relay in the background
//     "access_log": true                       one stderr line per request
//   }
//
// Keys from all three sources are combined; each is bound to one workspace. Keys are at least 16
// characters and unique. Errors name the dotted key, never a key's value.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contentgen/config.hpp"

namespace contentgen::server {

struct ApiKey {
  std::string key;
  std::string workspace_id;
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::vector<ApiKey> api_keys;
  std::size_t io_threads = 1;
  std::size_t worker_threads = 4;
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t multipart_overhead_bytes = 64 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds read_timeout{60'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds write_timeout{60'000};
  std::chrono::milliseconds shutdown_grace{30'000};
  std::size_t max_generations_in_flight = 512;
  std::size_t max_connections = 1024;
  std::size_t max_inflight_body_bytes = 64 << 20;
  std::size_t upload_spool_bytes = 1 << 20;
  bool relay_events = true;
  bool access_log = true;
};

// Parses Config::server_json (nullopt: all defaults, no keys). Throws Error{invalid_argument}.
ServerConfig parse_server_config(const std::optional<std::string>& server_json, const EnvironmentLookup& env);

// "HOST:PORT" / "[V6]:PORT" into host and port. Throws Error{invalid_argument, field}.
void parse_listen(const std::string& text, const std::string& field, std::string& host, std::uint16_t& port);

}  // namespace contentgen::server
