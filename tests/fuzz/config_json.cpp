// lib/config: parse_config() on a configuration file's JSON text (docs/configuration.md).
#include <optional>
#include <string>

#include "contentgen/config.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  // ${VAR} references resolve to a fixed value for names starting with "SET", to nothing otherwise.
  const EnvironmentLookup env = [](std::string_view name) -> std::optional<std::string> {
    if (name.starts_with("SET")) return std::string("value-of-") + std::string(name);
    return std::nullopt;
  };
  fuzz::expect_errors([&] { (void)parse_config(fuzz::text_of(data, size), env); });
  return 0;
}
