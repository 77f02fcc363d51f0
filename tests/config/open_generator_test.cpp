// open_generator(): ports from the configuration or from code, the price table, the relay.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "contentgen/config.hpp"
#include "contentgen/error.hpp"
#include "contentgen/testing/memory_article_repository.hpp"
#include "contentgen/testing/memory_image_store.hpp"
#include "contentgen/testing/recording_event_sink.hpp"
#include "contentgen/testing/scripted_llm_provider.hpp"

namespace contentgen {
namespace {

EnvironmentLookup no_env() {
  return [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
}

struct Fakes {
  std::shared_ptr<fakes::ScriptedLlmProvider> llm = std::make_shared<fakes::ScriptedLlmProvider>();
  std::shared_ptr<fakes::MemoryArticleRepository> repository = std::make_shared<fakes::MemoryArticleRepository>();
  std::shared_ptr<fakes::MemoryImageStore> images = std::make_shared<fakes::MemoryImageStore>();
  std::shared_ptr<fakes::RecordingEventSink> events = std::make_shared<fakes::RecordingEventSink>();
  PortOverrides all() const { return PortOverrides{llm, repository, images, events}; }
};

ContentPlan plan() {
  ContentPlan p;
  p.workspace_id = "w1";
  p.title = "Config test";
  p.estimated_word_count = 100;
  return p;
}

std::string field_of(auto&& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.details().field;
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

TEST(OpenGenerator, CustomPortsGenerateAndRelay) {
  Fakes fakes;
  fakes.llm->reply("# Hello\n\nSome words here.");
  const Config config = parse_config(R"({"llm": {"model": "gpt-4o"}})", no_env());
  ConfiguredGenerator opened = open_generator(config, fakes.all());
  ASSERT_TRUE(opened.generator);
  ASSERT_TRUE(opened.relay);
  const Article article = opened.generator->generate(plan());
  EXPECT_EQ(article.title, "Hello");
  EXPECT_EQ(fakes.llm->requests().at(0).model, "gpt-4o");
  const RelayStats stats = opened.relay->relay_all();
  EXPECT_EQ(stats.delivered, 1u);
  EXPECT_EQ(fakes.events->events().size(), 1u);
}

TEST(OpenGenerator, APortGivenTwiceOrNotAtAllIsNamed) {
  Fakes fakes;
  const auto opened = [&](std::string_view json, PortOverrides overrides) {
    return field_of([&] { (void)open_generator(parse_config(json, no_env()), std::move(overrides)); });
  };
  EXPECT_EQ(opened(R"({"llm": {"provider": "openai", "base_url": "http://127.0.0.1:9/v1"}})", fakes.all()),
            "llm.provider");
  EXPECT_EQ(opened(R"({"repository": {"url": "sqlite::memory:"}})", fakes.all()), "repository.url");
  EXPECT_EQ(opened(R"({"images": {"kind": "filesystem", "root": "/tmp/x"}})", fakes.all()), "images.kind");
  EXPECT_EQ(opened(R"({"events": {"kind": "jsonl", "path": "/tmp/x.jsonl"}})", fakes.all()), "events.kind");
  EXPECT_EQ(opened("{}", PortOverrides{nullptr, fakes.repository, nullptr, nullptr}), "llm.provider");
  EXPECT_EQ(opened("{}", PortOverrides{fakes.llm, nullptr, nullptr, nullptr}), "repository.url");
}

TEST(OpenGenerator, InlinePricesExtendTheBuiltInTable) {
  Fakes fakes;
  const Config config = parse_config(R"({"prices": {"models": [{"model": "house-model", "provider": "custom",
      "input": "1.00", "output": "2.00", "effective_date": "2026-01-01", "source": "test"}]}})",
                                     no_env());
  const ConfiguredGenerator opened = open_generator(config, fakes.all());
  TokenUsage usage;
  usage.prompt_tokens = 1'000'000;
  usage.completion_tokens = 1'000'000;
  EXPECT_EQ(opened.prices->cost("house-model", usage), Money::from_nanos(3'000'000'000));
  EXPECT_NO_THROW((void)opened.prices->resolve("gpt-4o-mini"));  // the built-in ones are still there

  // The default model must have a price: the generator checks it when it is built.
  Config replaced = parse_config(R"({"llm": {"model": "m"}, "prices": {"replace_builtin": true, "models": [{"model": "m",
      "provider": "p", "input": "1", "output": "1", "effective_date": "2026-01-01", "source": "s"}]}})",
                                       no_env());
  EXPECT_EQ(open_generator(replaced, fakes.all()).prices->find("gpt-4o-mini"), nullptr);
  replaced.llm.model = "gpt-4o-mini";
  EXPECT_EQ(field_of([&] { (void)open_generator(replaced, fakes.all()); }), "");  // unknown_model, no field
}

TEST(OpenGenerator, BadInlinePricesNameThePricesSection) {
  Fakes fakes;
  // parse_config refuses it already; a Config built in code meets the same check at open time.
  EXPECT_EQ(field_of([&] { (void)parse_config(R"({"prices": {"models": [{"model": "m"}]}})", no_env()); }),
            "prices.models[0].provider");
  Config config;
  config.prices.inline_json = R"({"models": [{"model": "m"}]})";
  EXPECT_EQ(field_of([&] { (void)open_generator(config, fakes.all()); }), "prices.models[0].provider");
}

TEST(OpenGenerator, TemplatesFromFiles) {
  const auto path = std::filesystem::temp_directory_path() / "contentgen-config-test-user.txt";
  {
    std::ofstream(path) << "Write about {{title}}.";
  }
  Config config = parse_config(R"({})", no_env());
  config.generator.user_template_file = path.string();
  EXPECT_EQ(generator_options(config).templates.user, "Write about {{title}}.");
  config.generator.user_template_file = "/nonexistent/template.txt";
  EXPECT_EQ(field_of([&] { (void)generator_options(config); }), "generator.templates.user_file");
  std::filesystem::remove(path);
}

TEST(OpenGenerator, RealAdaptersFromConfiguration) {
  if (!adapter_available("repository", "sqlite") || !adapter_available("images", "filesystem") ||
      !adapter_available("events", "jsonl")) {
    GTEST_SKIP() << "SOCI, filesystem or JSONL adapter not in this build";
  }
  const auto dir = std::filesystem::temp_directory_path() / ("contentgen-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Fakes fakes;
  fakes.llm->reply("# From config\n\nWords words words.");
  const std::string json = R"({"repository": {"url": "sqlite:)" + (dir / "db.sqlite").string() + R"("},
      "images": {"kind": "filesystem", "root": ")" + (dir / "images").string() + R"(", "fsync": false},
      "events": {"kind": "jsonl", "path": ")" + (dir / "events.jsonl").string() + R"(", "fsync": false}})";
  {
    ConfiguredGenerator opened = open_generator(parse_config(json, no_env()), PortOverrides{fakes.llm, {}, {}, {}});
    const Article article = opened.generator->generate(plan());
    EXPECT_EQ(opened.generator->get("w1", article.id).title, "From config");
    EXPECT_EQ(opened.relay->relay_all().delivered, 1u);
  }
  std::ifstream events(dir / "events.jsonl");
  std::string line;
  ASSERT_TRUE(std::getline(events, line));
  EXPECT_NE(line.find("article.generated"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace contentgen

namespace contentgen {
namespace {

// Each section opens its adapter without I/O (providers, S3 with bucket_check "none" and AMQP
// connect lazily), so the mapping of every key onto the adapters' options is exercised here; the
// suites of tests/capi and tests/python then drive them for real.
TEST(OpenAdapters, EveryKindOpensFromItsSection) {
  if (!CONTENTGEN_TEST_WITH_S3 || !CONTENTGEN_TEST_WITH_AMQP) GTEST_SKIP() << "built without S3 or AMQP";
  const Config config = parse_config(R"({
      "llm": {"provider": "openai", "base_url": "http://127.0.0.1:9/openai/deployments/d", "api_key": "k",
              "auth": "api-key", "query": {"api-version": "2024-06-01"}, "extra_headers": {"X-Test": "1"},
              "requests_per_minute": 60, "use_max_completion_tokens": true},
      "repository": {"url": "sqlite::memory:", "pool_size": 2, "sqlite_synchronous": "NORMAL"},
      "images": {"kind": "s3", "endpoint": "http://127.0.0.1:9", "bucket": "contentgen-test", "access_key": "a",
                 "secret_key": "s", "path_style": true},
      "events": {"kind": "amqp", "url": "amqp://guest:guest@127.0.0.1:9", "exchange": "x.events"}})",
                                     no_env());
  EXPECT_EQ(open_llm_provider(config.llm)->name(), "openai");
  EXPECT_TRUE(open_repository(config.repository));
  const auto store = open_image_store(config.images);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->url_for("a/b.png"), "http://127.0.0.1:9/contentgen-test/a/b.png");
  EXPECT_TRUE(open_event_sink(config.events));

  const Config anthropic =
      parse_config(R"({"llm": {"provider": "anthropic", "base_url": "http://127.0.0.1:9/v1", "api_key": "k",
                              "anthropic_version": "2023-06-01", "max_tokens": 2000}})",
                   no_env());
  EXPECT_EQ(open_llm_provider(anthropic.llm)->name(), "anthropic");
}

TEST(OpenAdapters, FallbackProvidersComposeAndTheirModelsMustBePriced) {
  if (!adapter_available("llm", "openai") || !adapter_available("llm", "anthropic")) GTEST_SKIP();
  const std::string llm = R"("llm": {"provider": "openai", "base_url": "http://127.0.0.1:9/v1", "api_key": "k",
      "fallback": [{"provider": "anthropic", "base_url": "http://127.0.0.1:9/v1", "api_key": "k", "model": "MODEL"}]})";
  auto with_model = [&](const std::string& model) {
    std::string json = "{" + llm + "}";
    json.replace(json.find("MODEL"), 5, model);
    return parse_config(json, no_env());
  };
  EXPECT_EQ(open_llm_provider(with_model("claude-3-5-haiku").llm)->name(), "fallback");

  Fakes fakes;
  try {
    (void)open_generator(with_model("claude-9-imaginary"), PortOverrides{{}, fakes.repository, fakes.images, fakes.events});
    ADD_FAILURE() << "an unpriced fallback model was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unknown_model);
    EXPECT_EQ(e.details().field, "llm.fallback[0].model");
  }
}

TEST(OpenAdapters, AKindLeftOutOfTheBuildOrUnknownIsNamedWithWhatToDo) {
  struct Case {
    bool built;
    const char* json;
    const char* field;
    const char* option;
  };
  const Case cases[] = {
      {CONTENTGEN_TEST_WITH_POSTGRESQL == 1, R"({"repository": {"url": "postgresql://u@127.0.0.1:9/db"}})",
       "repository.url", "CONTENTGEN_WITH_POSTGRESQL"},
      {CONTENTGEN_TEST_WITH_S3 == 1, R"({"images": {"kind": "s3", "endpoint": "http://127.0.0.1:9", "bucket": "b",
          "access_key": "a", "secret_key": "s"}})", "images.kind", "CONTENTGEN_WITH_S3"},
      {CONTENTGEN_TEST_WITH_AMQP == 1, R"({"events": {"kind": "amqp", "url": "amqp://guest:guest@127.0.0.1:9"}})",
       "events.kind", "CONTENTGEN_WITH_AMQP"},
  };
  for (const auto& c : cases) {
    if (c.built) continue;  // opening it is EveryKindOpensFromItsSection's job
    const Config config = parse_config(c.json, no_env());
    try {
      if (config.repository.url.empty()) {
        (void)open_image_store(config.images);
        (void)open_event_sink(config.events);
      } else {
        (void)open_repository(config.repository);
      }
      ADD_FAILURE() << c.json << " opened although its adapter is not built";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.details().field, c.field);
      EXPECT_NE(std::string(e.what()).find(std::string("-D") + c.option + "=OFF"), std::string::npos) << e.what();
    }
  }
  // An adapter kind no build has: the message lists what this one has.
  EventsConfig kafka;
  kafka.kind = "kafka";
  try {
    (void)open_event_sink(kafka);
    ADD_FAILURE() << "kafka opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.details().field, "events.kind");
    EXPECT_NE(std::string(e.what()).find("unknown kind \"kafka\" (this build has \""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("\"jsonl\""), std::string::npos) << e.what();
  }
}

TEST(OpenAdapters, AdapterOptionErrorsNameTheConfigurationKey) {
  if (!CONTENTGEN_TEST_WITH_S3) GTEST_SKIP() << "built without S3";
  const Config config = parse_config(R"({"images": {"kind": "s3", "endpoint": "http://127.0.0.1:9",
      "bucket": "Not_A_Valid_Bucket!", "access_key": "a", "secret_key": "s"}})",
                                     no_env());
  const std::string field = field_of([&] { (void)open_image_store(config.images); });
  EXPECT_EQ(field.rfind("images.", 0), 0u) << field;
}

}  // namespace
}  // namespace contentgen
