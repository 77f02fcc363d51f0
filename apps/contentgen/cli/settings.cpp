#include "cli/settings.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "cli/logging.hpp"
#include "contentgen/error.hpp"

namespace contentgen::cli {
namespace {

namespace json = boost::json;

constexpr const char* kNoLlmMessage =
    "no LLM configured: set OPENAI_API_KEY to use OpenAI, or OPENAI_BASE_URL to use an OpenAI-compatible server "
    "(Ollama: http://localhost:11434/v1, vLLM: http://localhost:8000/v1, llama.cpp: http://localhost:8080/v1, "
    "contentgen-mockllm: the URL it prints + /v1), or pass --config FILE with an \"llm\" section";

// An LLM provider for commands that never generate: every call is refused with the message
// above. It exists so that `articles list` works without a key; it never produces text.
class NoLlmConfigured final : public LlmProvider {
 public:
  std::string_view name() const noexcept override { return "none"; }
  void complete_async(ChatRequest, ChatHandler on_done) override {
    on_done(Error::invalid_argument("llm", kNoLlmMessage));
  }
};

std::optional<std::string> non_empty(const EnvironmentLookup& env, std::string_view name) {
  auto value = env ? env(name) : std::nullopt;
  if (value && value->empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string embedded_defaults_json(const EnvironmentLookup& env) {
  json::object root;
  const auto key = non_empty(env, "OPENAI_API_KEY");
  const auto base_url = non_empty(env, "OPENAI_BASE_URL");
  if (key || base_url) {
    json::object llm{{"provider", "openai"}, {"model", "gpt-4o-mini"}};
    if (base_url) llm["base_url"] = *base_url;
    if (key) {
      llm["api_key_env"] = "OPENAI_API_KEY";
    } else {
      llm["auth"] = "none";  // a local server (Ollama, vLLM, llama.cpp, the mock) needs no key
    }
    root["llm"] = std::move(llm);
  }
  root["repository"] = json::object{{"url", "sqlite:contentgen.db"}};
  root["images"] = json::object{{"kind", "filesystem"}, {"root", "contentgen-data/images"}};
  root["events"] = json::object{{"kind", "jsonl"}, {"path", "contentgen-data/events.jsonl"}};
  return json::serialize(root);
}

LoadedConfig load_cli_config(const std::optional<std::string>& config_flag, const EnvironmentLookup& env) {
  LoadedConfig loaded;
  if (config_flag) {
    if (config_flag->empty()) throw Error::invalid_argument("config", "--config needs a file name");
    loaded.origin = "--config " + *config_flag;
    loaded.config = load_config_file(*config_flag, env);
    return loaded;
  }
  if (const auto path = non_empty(env, "CONTENTGEN_CONFIG")) {
    loaded.origin = "CONTENTGEN_CONFIG=" + *path;
    loaded.config = load_config_file(*path, env);
    return loaded;
  }
  loaded.origin = "embedded defaults";
  loaded.config = parse_config(embedded_defaults_json(env), env);
  return loaded;
}

void require_llm(const LoadedConfig& loaded) {
  if (!loaded.config.llm.provider.empty()) return;
  if (loaded.origin == "embedded defaults") throw Error::invalid_argument("llm", kNoLlmMessage);
  throw Error::invalid_argument("llm.provider", "the configuration (" + loaded.origin +
                                                    ") has no llm section: add {\"llm\": {\"provider\": \"openai\", ...}}");
}

ConfiguredGenerator open_cli_generator(const LoadedConfig& loaded, const OpenOptions& options) {
  if (options.need_llm) require_llm(loaded);
  PortOverrides overrides;
  if (loaded.config.llm.provider.empty()) overrides.llm = std::make_shared<NoLlmConfigured>();
  return open_generator(loaded.config, std::move(overrides), [&options](GeneratorOptions& o) {
    o.log = stderr_logger();
    if (options.customize) options.customize(o);
  });
}

}  // namespace contentgen::cli
