// Each configuration section -> its port, by looking the kind up in the adapter registry
// (config/registry.hpp). The adapters' own option mapping lives in their folders.
#include "config/field_names.hpp"
#include "config/registry.hpp"
#include "contentgen/adapters/fallback.hpp"

namespace contentgen {
namespace {

// A fallback entry calls its own model, whatever the request named for the first provider.
class ModelPinnedProvider final : public LlmProvider {
 public:
  ModelPinnedProvider(std::shared_ptr<LlmProvider> inner, std::string model)
      : inner_(std::move(inner)), model_(std::move(model)) {}
  std::string_view name() const noexcept override { return inner_->name(); }
  void complete_async(ChatRequest request, ChatHandler on_done) override {
    request.model = model_;
    inner_->complete_async(std::move(request), std::move(on_done));
  }

 private:
  std::shared_ptr<LlmProvider> inner_;
  std::string model_;
};

std::shared_ptr<LlmProvider> open_one(const LlmConfig& config, const LogHandler& log) {
  const auto& entry = configdetail::find_adapter(configdetail::registry().llm, "llm", config.provider, "llm.provider");
  return entry.open(config, log);
}

}  // namespace

std::shared_ptr<LlmProvider> open_llm_provider(const LlmConfig& config, const LogHandler& log) {
  auto first = open_one(config, log);
  if (config.fallback.empty()) return first;
  std::vector<std::shared_ptr<LlmProvider>> providers{std::move(first)};
  for (std::size_t i = 0; i < config.fallback.size(); ++i) {
    try {
      providers.push_back(std::make_shared<ModelPinnedProvider>(open_one(config.fallback[i], log), config.fallback[i].model));
    } catch (Error& e) {
      configdetail::rename_field(e, "llm.", "llm.fallback[" + std::to_string(i) + "].");
      throw;
    }
  }
  return make_fallback_provider(std::move(providers));
}

std::shared_ptr<ArticleRepository> open_repository(const RepositoryConfig& config, const LogHandler& log) {
  if (config.url.empty()) throw Error::invalid_argument("repository.url", "required");
  const auto& entry = configdetail::find_adapter(configdetail::registry().repository, "repository",
                                                 configdetail::repository_kind(config.url), "repository.url");
  return entry.open(config, log);
}

std::shared_ptr<ImageStore> open_image_store(const ImagesConfig& config, const LogHandler& log) {
  if (config.kind == "none") return nullptr;
  return configdetail::find_adapter(configdetail::registry().images, "images", config.kind, "images.kind").open(config, log);
}

std::shared_ptr<EventSink> open_event_sink(const EventsConfig& config, const LogHandler& log) {
  if (config.kind == "none") return nullptr;
  return configdetail::find_adapter(configdetail::registry().events, "events", config.kind, "events.kind").open(config, log);
}

}  // namespace contentgen
