#include <gtest/gtest.h>

#include <map>

#include "contentgen/config.hpp"
#include "contentgen/error.hpp"

namespace contentgen {
namespace {

EnvironmentLookup fake_env(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    auto it = variables.find(std::string(name));
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

// The error parse_config throws for `json`; fails the test when it does not throw.
Error parse_error(std::string_view json, const EnvironmentLookup& env = fake_env({})) {
  try {
    (void)parse_config(json, env);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "parse_config accepted " << json;
  return Error(ErrorCode::internal, "no error");
}

TEST(ConfigParse, EmptyObjectGivesDefaults) {
  const Config config = parse_config("{}", fake_env({}));
  EXPECT_EQ(config.llm.provider, "");
  EXPECT_EQ(config.llm.model, "gpt-4o-mini");
  EXPECT_EQ(config.llm.timeout_s, 120);
  EXPECT_EQ(config.llm.max_retries, 2);
  EXPECT_EQ(config.repository.url, "");
  EXPECT_EQ(config.images.kind, "none");
  EXPECT_EQ(config.events.kind, "none");
  EXPECT_EQ(config.events.relay, "manual");
  EXPECT_EQ(config.limits.max_image_bytes, 10u * 1024 * 1024);
  EXPECT_EQ(config.generator.max_continuations, 4);
  EXPECT_FALSE(config.generator.export_html);
  EXPECT_FALSE(config.server_json.has_value());
}

TEST(ConfigParse, TheIssueExampleParses) {
  const Config config = parse_config(R"({
    "llm": {"provider": "openai", "base_url": "http://127.0.0.1:8089/v1", "api_key_env": "OPENAI_API_KEY",
            "model": "gpt-4o-mini", "timeout_s": 120, "max_retries": 2, "ca_file": "/etc/ssl/ca.pem"},
    "repository": {"url": "sqlite:contentgen.db"},
    "images": {"kind": "filesystem", "root": "/tmp/images"},
    "events": {"kind": "jsonl", "path": "/tmp/events.jsonl"},
    "prices": {"file": "prices.json"},
    "limits": {"max_image_bytes": 10485760}})",
                                     fake_env({{"OPENAI_API_KEY", "sk-test"}}));
  EXPECT_EQ(config.llm.provider, "openai");
  EXPECT_EQ(config.llm.base_url, "http://127.0.0.1:8089/v1");
  EXPECT_EQ(config.llm.api_key, "sk-test");
  EXPECT_EQ(config.llm.api_key_env, "OPENAI_API_KEY");
  EXPECT_EQ(config.llm.ca_file, "/etc/ssl/ca.pem");
  EXPECT_EQ(config.repository.url, "sqlite:contentgen.db");
  EXPECT_EQ(config.images.kind, "filesystem");
  EXPECT_EQ(config.images.root, "/tmp/images");
  EXPECT_EQ(config.events.kind, "jsonl");
  EXPECT_EQ(config.events.path, "/tmp/events.jsonl");
  EXPECT_EQ(config.prices.file, "prices.json");
  EXPECT_EQ(config.limits.max_image_bytes, 10485760u);
}

TEST(ConfigParse, MisspelledKeyIsNamedWithASuggestion) {
  const Error e = parse_error(R"({"llm": {"timout_s": 5}})");
  EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(e.details().field, "llm.timout_s");
  EXPECT_NE(std::string(e.what()).find("did you mean \"timeout_s\""), std::string::npos) << e.what();
}

TEST(ConfigParse, UnknownTopLevelSectionIsNamed) {
  const Error e = parse_error(R"({"llms": {}})");
  EXPECT_EQ(e.details().field, "llms");
  EXPECT_NE(std::string(e.what()).find("did you mean \"llm\""), std::string::npos) << e.what();
  EXPECT_EQ(parse_error(R"({"wholly_unrelated": 1})").details().field, "wholly_unrelated");
}

TEST(ConfigParse, WrongTypesAreNamed) {
  EXPECT_EQ(parse_error(R"({"llm": {"timeout_s": "120"}})").details().field, "llm.timeout_s");
  EXPECT_EQ(parse_error(R"({"llm": {"max_retries": 1.5}})").details().field, "llm.max_retries");
  EXPECT_EQ(parse_error(R"({"llm": {"max_retries": -1}})").details().field, "llm.max_retries");
  EXPECT_EQ(parse_error(R"({"llm": {"insecure_skip_verify": "yes"}})").details().field, "llm.insecure_skip_verify");
  EXPECT_EQ(parse_error(R"({"llm": {"temperature": 3}})").details().field, "llm.temperature");
  EXPECT_EQ(parse_error(R"({"llm": []})").details().field, "llm");
  EXPECT_EQ(parse_error(R"({"limits": {"max_image_bytes": 0}})").details().field, "limits.max_image_bytes");
  EXPECT_EQ(parse_error(R"({"llm": {"extra_headers": {"X-A": 1}}})").details().field, "llm.extra_headers.X-A");
  EXPECT_EQ(parse_error(R"({"llm": {"extra_headers": {"Bad Name": "v"}}})").details().field,
            "llm.extra_headers.Bad Name");
  EXPECT_EQ(parse_error(R"({"server": 5})").details().field, "server");
  // The CloudEvents source every sink stamps must be a URI-reference: checked here, for every kind.
  EXPECT_EQ(parse_error(R"({"events": {"kind": "none", "source": "my app"}})").details().field, "events.source");
  // The generator allows at most 20 continuations; the configuration says so up front.
  EXPECT_EQ(parse_error(R"({"generator": {"max_continuations": 21}})").details().field, "generator.max_continuations");
  // Inline prices are part of the configuration: a misspelt key is named, not ignored.
  EXPECT_EQ(parse_error(R"({"prices": {"models": [{"model": "m", "provider": "p", "input": "1", "cached_imput": "0.1",
      "output": "2", "effective_date": "2026-01-01"}]}})").details().field,
            "prices.models[0].cached_imput");
  EXPECT_EQ(parse_error(R"({"prices": {"models": [{"model": "m", "provider": "p", "input": 1, "output": "2",
      "effective_date": "2026-01-01"}]}})").details().field,
            "prices.models[0].input");
}

TEST(ConfigParse, BadJsonReportsLineAndColumn) {
  const Error e = parse_error("{\n  \"llm\": {,}\n}");
  EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(e.details().field, "config");
  EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  EXPECT_EQ(parse_error("[1, 2]").details().field, "config");
  EXPECT_EQ(parse_error("").details().field, "config");
}

TEST(ConfigParse, ApiKeyFromTheEnvironment) {
  const Error missing = parse_error(R"({"llm": {"provider": "openai", "api_key_env": "NOPE_KEY"}})");
  EXPECT_EQ(missing.details().field, "llm.api_key_env");
  EXPECT_NE(std::string(missing.what()).find("NOPE_KEY is not set"), std::string::npos);

  const Error both =
      parse_error(R"({"llm": {"api_key": "a", "api_key_env": "B"}})", fake_env({{"B", "b"}}));
  EXPECT_EQ(both.details().field, "llm.api_key_env");
}

TEST(ConfigParse, PublicEndpointWithoutKeyIsRefusedUpFront) {
  EXPECT_EQ(parse_error(R"({"llm": {"provider": "openai"}})").details().field, "llm.api_key");
  EXPECT_EQ(parse_error(R"({"llm": {"provider": "anthropic"}})").details().field, "llm.api_key");
  // A local server needs no key.
  EXPECT_NO_THROW((void)parse_config(R"({"llm": {"provider": "openai", "base_url": "http://127.0.0.1:1/v1"}})",
                                     fake_env({})));
}

TEST(ConfigParse, SecretsNeverAppearInMessages) {
  const std::string secret = "sk-very-secret-value";
  auto check = [&](const std::string& json) {
    const Error e = parse_error(json, fake_env({{"KEY", secret}}));
    EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
  };
  check(R"({"repository": {"url": "mysql://u:sk-very-secret-value@h/db"}})");
  check(R"({"events": {"kind": "amqp", "url": "http://u:sk-very-secret-value@h"}})");
  check(R"({"llm": {"provider": "openai", "api_key": "sk-very-secret-value", "base_url": "ftp://x"}})");
  check(R"({"images": {"kind": "s3", "bucket": "b", "access_key": "a", "secret_key": "sk-very-secret-value", "bogus": 1}})");
}

TEST(ConfigParse, AuthStylesPerProvider) {
  const Config azure = parse_config(
      R"({"llm": {"provider": "openai", "base_url": "https://x.openai.azure.com/openai/deployments/d",
                  "api_key": "k", "auth": "api-key", "query": {"api-version": "2024-06-01"}}})",
      fake_env({}));
  EXPECT_EQ(azure.llm.auth, "api-key");
  ASSERT_EQ(azure.llm.query.size(), 1u);
  EXPECT_EQ(azure.llm.query[0].first, "api-version");
  EXPECT_EQ(parse_error(R"({"llm": {"provider": "anthropic", "api_key": "k", "auth": "bearer"}})").details().field,
            "llm.auth");
  EXPECT_EQ(parse_error(R"({"llm": {"provider": "openai", "api_key": "k", "anthropic_version": "x"}})")
                .details()
                .field,
            "llm.anthropic_version");
  EXPECT_EQ(parse_error(R"({"llm": {"provider": "openai", "api_key": "k", "auth_header": "x"}})").details().field,
            "llm.auth_header");
}

TEST(ConfigParse, KindSpecificKeys) {
  EXPECT_EQ(parse_error(R"({"images": {"kind": "filesystem"}})").details().field, "images.root");
  EXPECT_EQ(parse_error(R"({"images": {"kind": "filesystem", "root": "/x", "bucket": "b"}})").details().field,
            "images.bucket");
  EXPECT_EQ(parse_error(R"({"images": {"kind": "s3", "bucket": "b", "access_key": "a"}})").details().field,
            "images.secret_key");
  EXPECT_EQ(parse_error(R"({"images": {"kind": "ftp"}})").details().field, "images.kind");
  EXPECT_EQ(parse_error(R"({"events": {"kind": "jsonl"}})").details().field, "events.path");
  EXPECT_EQ(parse_error(R"({"events": {"kind": "jsonl", "path": "e", "exchange": "x"}})").details().field,
            "events.exchange");
  EXPECT_EQ(parse_error(R"({"events": {"kind": "amqp", "url": "http://h"}})").details().field, "events.url");
  EXPECT_EQ(parse_error(R"({"events": {"relay": "sometimes"}})").details().field, "events.relay");
  EXPECT_EQ(parse_error(R"({"repository": {"url": "mysql://h/db"}})").details().field, "repository.url");

  const Config s3 = parse_config(R"({"images": {"kind": "s3", "endpoint": "http://127.0.0.1:9000/", "bucket": "b",
      "access_key_env": "AK", "secret_key_env": "SK", "path_style": true, "bucket_check": "create"}})",
                                 fake_env({{"AK", "akid"}, {"SK", "secret"}}));
  EXPECT_EQ(s3.images.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(s3.images.access_key, "akid");
  EXPECT_EQ(s3.images.secret_key, "secret");
  EXPECT_TRUE(s3.images.path_style);
  EXPECT_EQ(s3.images.bucket_check, "create");

  const Config amqp = parse_config(
      R"({"events": {"kind": "amqp", "url_env": "AMQP", "relay": "background", "relay_poll_interval_ms": 50}})",
      fake_env({{"AMQP", "amqp://guest:guest@127.0.0.1:5672"}}));
  EXPECT_EQ(amqp.events.url, "amqp://guest:guest@127.0.0.1:5672");
  EXPECT_EQ(amqp.events.relay, "background");
  EXPECT_EQ(amqp.events.relay_poll_interval, std::chrono::milliseconds(50));

  const Config keywords = parse_config(R"({"repository": {"url": "host=127.0.0.1 dbname=x"}})", fake_env({}));
  EXPECT_EQ(keywords.repository.url, "host=127.0.0.1 dbname=x");
}

TEST(ConfigParse, FallbackProvidersAreFullLlmSectionsNamedByIndex) {
  const Config config = parse_config(R"({"llm": {"provider": "openai", "base_url": "http://127.0.0.1:1/v1",
      "model": "gpt-4o-mini", "fallback": [
        {"provider": "anthropic", "api_key_env": "CLAUDE", "model": "claude-3-5-haiku", "max_retries": 0},
        {"provider": "openai", "base_url": "http://localhost:8000/v1", "auth": "none", "model": "gpt-4o"}]}})",
                                     fake_env({{"CLAUDE", "sk-ant-secret"}}));
  ASSERT_EQ(config.llm.fallback.size(), 2u);
  EXPECT_EQ(config.llm.fallback[0].provider, "anthropic");
  EXPECT_EQ(config.llm.fallback[0].api_key, "sk-ant-secret");
  EXPECT_EQ(config.llm.fallback[0].max_retries, 0);
  EXPECT_EQ(config.llm.fallback[1].model, "gpt-4o");
  EXPECT_EQ(config.llm.fallback[1].auth, "none");

  const auto field = [](std::string_view json) { return parse_error(json).details().field; };
  EXPECT_EQ(field(R"({"llm": {"provider": "openai", "base_url": "http://x", "fallback": {}}})"), "llm.fallback");
  EXPECT_EQ(field(R"({"llm": {"provider": "openai", "base_url": "http://x", "fallback": []}})"), "llm.fallback");
  EXPECT_EQ(field(R"({"llm": {"fallback": [{"provider": "openai", "base_url": "http://x", "model": "m"}]}})"),
            "llm.fallback");
  EXPECT_EQ(field(R"({"llm": {"provider": "openai", "base_url": "http://x",
                              "fallback": [{"base_url": "http://y", "model": "m"}]}})"),
            "llm.fallback[0].provider");
  EXPECT_EQ(field(R"({"llm": {"provider": "openai", "base_url": "http://x",
                              "fallback": [{"provider": "openai", "base_url": "http://y"}]}})"),
            "llm.fallback[0].model");
  EXPECT_EQ(field(R"({"llm": {"provider": "openai", "base_url": "http://x", "fallback": [
                              {"provider": "openai", "base_url": "http://y", "model": "m"},
                              {"provider": "openai", "base_url": "http://z", "model": "m", "modle": "n"}]}})"),
            "llm.fallback[1].modle");
  EXPECT_EQ(field(R"({"llm": {"provider": "openai", "base_url": "http://x", "fallback": [
                              {"provider": "openai", "base_url": "http://y", "model": "m", "fallback": []}]}})"),
            "llm.fallback[0].fallback");
  EXPECT_EQ(field(R"({"llm": {"provider": "openai", "base_url": "http://x",
                              "fallback": [{"provider": "anthropic", "model": "m"}]}})"),
            "llm.fallback[0].api_key");
  // Per-generation settings come from the top section only: accepting them here would ignore them.
  EXPECT_EQ(field(R"({"llm": {"provider": "openai", "base_url": "http://x",
                              "fallback": [{"provider": "openai", "base_url": "http://y", "model": "m",
                                            "temperature": 0.2}]}})"),
            "llm.fallback[0].temperature");
  EXPECT_EQ(field(R"({"llm": {"provider": "openai", "base_url": "http://x",
                              "fallback": [{"provider": "openai", "base_url": "http://y", "model": "m",
                                            "max_tokens": 100}]}})"),
            "llm.fallback[0].max_tokens");
}

TEST(ConfigParse, ServerSectionIsKeptVerbatimForTheCli) {
  const Config config =
      parse_config(R"({"server": {"listen": "127.0.0.1:8080", "api_keys": [{"key": "k", "workspace_id": "w"}]}})",
                   fake_env({}));
  ASSERT_TRUE(config.server_json.has_value());
  EXPECT_NE(config.server_json->find("\"listen\":\"127.0.0.1:8080\""), std::string::npos) << *config.server_json;
}

TEST(ConfigParse, GeneratorSectionAndTemplates) {
  const Config config = parse_config(R"({"generator": {"export_html": true, "max_continuations": 2,
      "templates": {"user": "Write {{title}}"}}, "llm": {"temperature": 0.2, "max_tokens": 900}})",
                                     fake_env({}));
  EXPECT_TRUE(config.generator.export_html);
  EXPECT_EQ(config.generator.max_continuations, 2);
  EXPECT_EQ(config.generator.user_template, "Write {{title}}");
  const GeneratorOptions options = generator_options(config);
  EXPECT_TRUE(options.export_html);
  EXPECT_EQ(options.max_continuations, 2);
  EXPECT_DOUBLE_EQ(options.temperature, 0.2);
  EXPECT_EQ(options.max_tokens, 900);
  EXPECT_EQ(options.templates.user, "Write {{title}}");
  EXPECT_EQ(options.templates.system, PromptTemplates::defaults().system);
  EXPECT_EQ(parse_error(R"({"generator": {"templates": {"user": "a", "user_file": "b"}}})").details().field,
            "generator.templates.user_file");
  EXPECT_EQ(parse_error(R"({"generator": {"templates": {"usr": "a"}}})").details().field, "generator.templates.usr");
}

TEST(ConfigParse, NullMeansAbsent) {
  const Config config = parse_config(R"({"llm": {"max_tokens": null, "model": null}})", fake_env({}));
  EXPECT_FALSE(config.llm.max_tokens.has_value());
  EXPECT_EQ(config.llm.model, "gpt-4o-mini");
}

TEST(ConfigParse, LoadFileThatDoesNotExist) {
  try {
    (void)load_config_file("/nonexistent/contentgen.json", fake_env({}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.details().field, "config");
  }
}

}  // namespace
}  // namespace contentgen

namespace contentgen {
namespace {

// The registry holds every adapter this build was configured with (CONTENTGEN_WITH_* options) and
// no other, so a broken registration turns into a failing test, not a run-time "not available".
TEST(ConfigAdapters, TheRegistryHoldsExactlyTheAdaptersOfThisBuild) {
  for (const auto& [section, kind] : std::vector<std::pair<std::string, std::string>>{
           {"llm", "openai"}, {"llm", "anthropic"}, {"repository", "sqlite"}, {"images", "filesystem"},
           {"images", "none"}, {"events", "jsonl"}, {"events", "none"}}) {
    EXPECT_TRUE(adapter_available(section, kind)) << section << " " << kind;
  }
  EXPECT_EQ(adapter_available("repository", "postgresql"), CONTENTGEN_TEST_WITH_POSTGRESQL == 1);
  EXPECT_EQ(adapter_available("images", "s3"), CONTENTGEN_TEST_WITH_S3 == 1);
  EXPECT_EQ(adapter_available("events", "amqp"), CONTENTGEN_TEST_WITH_AMQP == 1);
  EXPECT_FALSE(adapter_available("events", "kafka"));
  EXPECT_FALSE(adapter_available("llm", ""));
  EXPECT_FALSE(adapter_available("storage", "sqlite"));
}

}  // namespace
}  // namespace contentgen
