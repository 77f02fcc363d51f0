#include "config/registry.hpp"

#include "contentgen/error.hpp"

namespace contentgen::configdetail {
namespace {

// Kinds of this project that a build can leave out, and the CMake option that does it.
struct OptionalKind {
  std::string_view section, kind, option;
};
constexpr OptionalKind kOptionalKinds[] = {
    {"repository", "postgresql", "CONTENTGEN_WITH_POSTGRESQL"},
    {"images", "s3", "CONTENTGEN_WITH_S3"},
    {"events", "amqp", "CONTENTGEN_WITH_AMQP"},
};

}  // namespace

template <class Entry>
const Entry& find_adapter(std::span<const Entry> entries, std::string_view section, std::string_view kind,
                          const std::string& field) {
  for (const auto& entry : entries)
    if (entry.kind == kind) return entry;
  for (const auto& optional : kOptionalKinds) {
    if (optional.section == section && optional.kind == kind) {
      throw Error::invalid_argument(field, "\"" + std::string(kind) + "\" is not available: this build of libcontentgen "
                                    "was made with -D" + std::string(optional.option) + "=OFF");
    }
  }
  std::string known;
  for (const auto& entry : entries) known += (known.empty() ? "\"" : ", \"") + std::string(entry.kind) + "\"";
  throw Error::invalid_argument(field, "unknown kind \"" + std::string(kind) + "\" (this build has " + known + ")");
}

template const AdapterEntry<LlmProvider, LlmConfig>& find_adapter(std::span<const AdapterEntry<LlmProvider, LlmConfig>>,
                                                                  std::string_view, std::string_view, const std::string&);
template const AdapterEntry<ArticleRepository, RepositoryConfig>& find_adapter(
    std::span<const AdapterEntry<ArticleRepository, RepositoryConfig>>, std::string_view, std::string_view,
    const std::string&);
template const AdapterEntry<ImageStore, ImagesConfig>& find_adapter(std::span<const AdapterEntry<ImageStore, ImagesConfig>>,
                                                                   std::string_view, std::string_view, const std::string&);
template const AdapterEntry<EventSink, EventsConfig>& find_adapter(std::span<const AdapterEntry<EventSink, EventsConfig>>,
                                                                  std::string_view, std::string_view, const std::string&);

std::string_view repository_kind(std::string_view url) noexcept {
  return url.rfind("sqlite:", 0) == 0 ? "sqlite" : "postgresql";
}

}  // namespace contentgen::configdetail

namespace contentgen {

bool adapter_available(std::string_view section, std::string_view kind) noexcept {
  if ((section == "images" || section == "events") && kind == "none") return true;
  const auto& r = configdetail::registry();
  auto has = [kind](const auto& entries) {
    for (const auto& entry : entries)
      if (entry.kind == kind) return true;
    return false;
  };
  if (section == "llm") return has(r.llm);
  if (section == "repository") return has(r.repository);
  if (section == "images") return has(r.images);
  if (section == "events") return has(r.events);
  return false;
}

}  // namespace contentgen
