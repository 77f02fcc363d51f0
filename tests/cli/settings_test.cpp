#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

#include "cli/settings.hpp"
#include "contentgen/error.hpp"

namespace contentgen::cli {
namespace {

EnvironmentLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("cg-settings-" + std::to_string(::getpid()) + "-" +
                                                               std::to_string(counter_++))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TEST(Settings, DefaultsWithoutKeyOrUrlHaveNoLlm) {
  const auto loaded = load_cli_config(std::nullopt, env_of({}));
  EXPECT_EQ(loaded.origin, "embedded defaults");
  EXPECT_TRUE(loaded.config.llm.provider.empty());
  EXPECT_EQ(loaded.config.repository.url, "sqlite:contentgen.db");
  EXPECT_EQ(loaded.config.images.kind, "filesystem");
  EXPECT_EQ(loaded.config.images.root, "contentgen-data/images");
  EXPECT_EQ(loaded.config.events.kind, "jsonl");
  EXPECT_EQ(loaded.config.events.path, "contentgen-data/events.jsonl");
  try {
    require_llm(loaded);
    FAIL() << "no LLM must be an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.details().field, "llm");
    const std::string message = e.what();
    for (const char* needle : {"OPENAI_API_KEY", "OPENAI_BASE_URL", "Ollama", "vLLM", "llama.cpp", "contentgen-mockllm"})
      EXPECT_NE(message.find(needle), std::string::npos) << needle;
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

TEST(Settings, KeyAloneMeansOpenAi) {
  const auto loaded = load_cli_config(std::nullopt, env_of({{"OPENAI_API_KEY", "sk-test"}}));
  EXPECT_EQ(loaded.config.llm.provider, "openai");
  EXPECT_TRUE(loaded.config.llm.base_url.empty());  // the provider's public endpoint
  EXPECT_EQ(loaded.config.llm.api_key, "sk-test");
  EXPECT_EQ(loaded.config.llm.model, "gpt-4o-mini");
  EXPECT_NO_THROW(require_llm(loaded));
}

TEST(Settings, BaseUrlAloneMeansALocalServerWithoutAuth) {
  const auto loaded = load_cli_config(std::nullopt, env_of({{"OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"}}));
  EXPECT_EQ(loaded.config.llm.base_url, "http://127.0.0.1:11434/v1");
  EXPECT_EQ(loaded.config.llm.auth, "none");
  EXPECT_TRUE(loaded.config.llm.api_key.empty());
}

TEST(Settings, FlagBeatsEnvironmentBeatsDefaults) {
  TempDir dir;
  const auto a = dir.file("a.json", R"({"repository": {"url": "sqlite:a.db"}})");
  const auto b = dir.file("b.json", R"({"repository": {"url": "sqlite:b.db"}})");
  const auto env = env_of({{"CONTENTGEN_CONFIG", b}, {"OPENAI_API_KEY", "sk-test"}});
  EXPECT_EQ(load_cli_config(a, env).config.repository.url, "sqlite:a.db");
  const auto from_env = load_cli_config(std::nullopt, env);
  EXPECT_EQ(from_env.config.repository.url, "sqlite:b.db");
  EXPECT_EQ(from_env.origin, "CONTENTGEN_CONFIG=" + b);
  // A file replaces the defaults: no llm section is taken from OPENAI_API_KEY.
  EXPECT_TRUE(from_env.config.llm.provider.empty());
  try {
    require_llm(from_env);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.details().field, "llm.provider");
  }
}

TEST(Settings, BadFilesNameTheProblem) {
  TempDir dir;
  try {
    load_cli_config(dir.file("bad.json", R"({"images": {"kind": "filesystem", "root": "x", "fsnyc": false}})"), env_of({}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.details().field, "images.fsnyc");
  }
  try {
    load_cli_config((dir.path() / "missing.json").string(), env_of({}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.details().field, "config");
  }
  EXPECT_THROW(load_cli_config(std::string(), env_of({})), Error);
}

TEST(Settings, CommandsWithoutAnLlmStillManageArticlesButNeverGenerate) {
  TempDir dir;
  const auto config = dir.file("c.json", R"({"repository": {"url": "sqlite:)" + (dir.path() / "x.db").string() +
                                              R"("}, "images": {"kind": "filesystem", "root": ")" +
                                              (dir.path() / "img").string() + R"(", "fsync": false}})");
  const auto loaded = load_cli_config(config, env_of({}));
  auto configured = open_cli_generator(loaded, {});
  EXPECT_TRUE(configured.generator->list("w").items.empty());
  ContentPlan plan;
  plan.workspace_id = "w";
  plan.title = "Anything at all";
  try {
    configured.generator->generate(plan);
    FAIL() << "an article without an LLM";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.details().field, "llm");
  }
  EXPECT_TRUE(configured.generator->list("w").items.empty());
  EXPECT_THROW(open_cli_generator(loaded, {.need_llm = true, .customize = {}}), Error);
}

}  // namespace
}  // namespace contentgen::cli
