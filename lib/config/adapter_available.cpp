#include "contentgen/config.hpp"

namespace contentgen {

bool adapter_available(std::string_view section, std::string_view kind) noexcept {
  struct Entry {
    std::string_view section, kind;
    bool built;
  };
  static constexpr Entry entries[] = {
#if defined(CONTENTGEN_CONFIG_HAVE_OPENAI)
      {"llm", "openai", true},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_ANTHROPIC)
      {"llm", "anthropic", true},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_SOCI)
      {"repository", "sqlite", true},
      {"repository", "postgresql", true},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_FILESYSTEM_STORE)
      {"images", "filesystem", true},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_S3_STORE)
      {"images", "s3", true},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_JSONL_SINK)
      {"events", "jsonl", true},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_AMQP_SINK)
      {"events", "amqp", true},
#endif
      {"images", "none", true},
      {"events", "none", true},
  };
  for (const auto& entry : entries)
    if (entry.section == section && entry.kind == kind) return entry.built;
  return false;
}

}  // namespace contentgen
