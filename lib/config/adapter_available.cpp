#include "contentgen/config.hpp"

namespace contentgen {

bool adapter_available(std::string_view section, std::string_view kind) noexcept {
  // The adapters compiled into this build; anything not listed is not.
  struct Entry {
    std::string_view section, kind;
  };
  static constexpr Entry entries[] = {
#if defined(CONTENTGEN_CONFIG_HAVE_OPENAI)
      {"llm", "openai"},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_ANTHROPIC)
      {"llm", "anthropic"},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_SOCI)
      {"repository", "sqlite"},
      {"repository", "postgresql"},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_FILESYSTEM_STORE)
      {"images", "filesystem"},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_S3_STORE)
      {"images", "s3"},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_JSONL_SINK)
      {"events", "jsonl"},
#endif
#if defined(CONTENTGEN_CONFIG_HAVE_AMQP_SINK)
      {"events", "amqp"},
#endif
      {"images", "none"},
      {"events", "none"},
  };
  for (const auto& entry : entries)
    if (entry.section == section && entry.kind == kind) return true;
  return false;
}

}  // namespace contentgen
