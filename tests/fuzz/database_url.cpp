// Database URLs (repository.url: sqlite:..., postgresql://...) -> SOCI connect strings. The
// redacted form must not hold the password.
#include "adapters/soci/database_url.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace contentgen;
  fuzz::expect_errors([&] {
    const auto target = soci_adapter::parse_database_url(fuzz::text_of(data, size));
    (void)soci_adapter::to_soci_connect_string(target);
    const auto scrubbed = soci_adapter::scrub_secrets("connect failed: " + target.redacted, target.secrets);
    for (const auto& secret : target.secrets)
      if (!secret.empty() && secret.find('*') == std::string::npos) FUZZ_CHECK(scrubbed.find(secret) == std::string::npos);
  });
  return 0;
}
