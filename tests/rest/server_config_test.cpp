#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "contentgen/error.hpp"
#include "server/server_config.hpp"

namespace contentgen::server {
namespace {

const std::string kKey = "secret-key-0123456789";

EnvironmentLookup env_with(std::string name, std::string value) {
  return [name, value](std::string_view n) -> std::optional<std::string> {
    if (n == name) return value;
    return std::nullopt;
  };
}

std::string field_of(const std::string& json, const EnvironmentLookup& env = {}) {
  try {
    parse_server_config(json, env);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    // Never the key itself in a message.
    EXPECT_EQ(std::string(e.what()).find(kKey), std::string::npos) << e.what();
    return e.details().field;
  }
  return "(accepted)";
}

TEST(ServerConfig, Defaults) {
  const auto c = parse_server_config(std::nullopt, {});
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, 8080);
  EXPECT_TRUE(c.api_keys.empty());
  EXPECT_EQ(c.max_body_bytes, 1024u * 1024u);
  EXPECT_TRUE(c.relay_events);
}

TEST(ServerConfig, EverySetting) {
  const auto c = parse_server_config(
      R"({"listen": "[::1]:9090", "api_keys": [{"key": ")" + kKey + R"(", "workspace_id": "w1"}],
          "io_threads": 2, "worker_threads": 8, "max_body_bytes": 4096, "multipart_overhead_bytes": 2048,
          "header_timeout_s": 1.5, "read_timeout_s": 2, "idle_timeout_s": 3, "write_timeout_s": 4,
          "shutdown_grace_s": 5, "max_generations_in_flight": 7, "relay_events": false, "access_log": false})",
      {});
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.port, 9090);
  ASSERT_EQ(c.api_keys.size(), 1u);
  EXPECT_EQ(c.api_keys[0].workspace_id, "w1");
  EXPECT_EQ(c.io_threads, 2u);
  EXPECT_EQ(c.worker_threads, 8u);
  EXPECT_EQ(c.header_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.shutdown_grace, std::chrono::seconds(5));
  EXPECT_EQ(c.max_generations_in_flight, 7u);
  EXPECT_FALSE(c.relay_events);
  EXPECT_FALSE(c.access_log);
}

TEST(ServerConfig, KeysFromEnvironmentAndFileAreCombined) {
  const auto path = std::filesystem::temp_directory_path() / ("cg-keys-" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << R"([{"key": "file-key-0123456789", "workspace_id": "from-file"}])";
  const auto c = parse_server_config(
      R"({"api_keys_env": "KEYS", "api_keys_file": ")" + path.string() + R"("})",
      env_with("KEYS", R"([{"key": "env-key-0123456789", "workspace_id": "from-env"}])"));
  std::filesystem::remove(path);
  ASSERT_EQ(c.api_keys.size(), 2u);
  EXPECT_EQ(c.api_keys[0].workspace_id, "from-env");
  EXPECT_EQ(c.api_keys[1].workspace_id, "from-file");
}

TEST(ServerConfig, MistakesNameTheKey) {
  EXPECT_EQ(field_of(R"({"listne": "x"})"), "server.listne");
  try {
    (void)parse_server_config(std::string(R"({"listne": "x"})"), {});
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean \"listen\""), std::string::npos) << e.what();
  }
  EXPECT_EQ(parse_server_config(std::string(R"({"listen": null, "access_log": null})"), {}).port,
            ServerConfig{}.port);  // null is absent, as in every other section
  EXPECT_EQ(field_of(R"({"listen": "localhost"})"), "server.listen");
  EXPECT_EQ(field_of(R"({"listen": "127.0.0.1:99999"})"), "server.listen");
  EXPECT_EQ(field_of(R"({"listen": ":80"})"), "server.listen");
  EXPECT_EQ(field_of(R"({"api_keys": [{"key": "short", "workspace_id": "w"}]})"), "server.api_keys[0].key");
  EXPECT_EQ(field_of(R"({"api_keys": [{"key": ")" + kKey + R"("}]})"), "server.api_keys[0].workspace_id");
  EXPECT_EQ(field_of(R"({"api_keys": [{"key": ")" + kKey + R"(", "workspace_id": "w", "role": "admin"}]})"),
            "server.api_keys[0].role");
  EXPECT_EQ(field_of(R"({"api_keys": [{"key": ")" + kKey + R"(", "workspace_id": "a"}, {"key": ")" + kKey +
                     R"(", "workspace_id": "b"}]})"),
            "server.api_keys");
  EXPECT_EQ(field_of(R"({"api_keys": [{"key": ")" + kKey + R"(", "workspace_id": "a/b"}]})"),
            "server.api_keys[0].workspace_id");
  EXPECT_EQ(field_of(R"({"api_keys": [{"key": ")" + kKey + R"(", "workspace_id": ")" + std::string(129, 'w') + R"("}]})"),
            "server.api_keys[0].workspace_id");
  EXPECT_EQ(field_of(R"({"api_keys_env": "NOPE"})"), "server.api_keys_env");
  EXPECT_EQ(field_of(R"({"api_keys_env": "KEYS"})", env_with("KEYS", "not json " + kKey)), "server.api_keys_env");
  EXPECT_EQ(field_of(R"({"api_keys_file": "/nonexistent/keys.json"})"), "server.api_keys_file");
  EXPECT_EQ(field_of(R"({"worker_threads": 0})"), "server.worker_threads");
  EXPECT_EQ(field_of(R"({"header_timeout_s": -1})"), "server.header_timeout_s");
  EXPECT_EQ(field_of(R"({"relay_events": "yes"})"), "server.relay_events");
  EXPECT_EQ(field_of(R"([1])"), "server");
}

}  // namespace
}  // namespace contentgen::server
