#pragma once
// Where the real services of the integration suites are. scripts/test starts them and exports
// their addresses; a developer may point the variables at their own. With
// CONTENTGEN_REQUIRE_SERVICES=1 a missing variable fails the test (CI must never pass by skipping).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace contentgen::testsupport {

// The value of `variable`, or "" after marking the test skipped (or failed when services are
// required). Use as:  const auto url = service_or_skip("CONTENTGEN_TEST_PG_URL"); if (url.empty()) return;
inline std::string service_or_skip(const char* variable) {
  if (const char* value = std::getenv(variable); value != nullptr && *value != '\0') return value;
  const char* required = std::getenv("CONTENTGEN_REQUIRE_SERVICES");
  if (required != nullptr && std::string(required) == "1") {
    ADD_FAILURE() << variable << " is not set but CONTENTGEN_REQUIRE_SERVICES=1";
  } else {
    GTEST_LOG_(INFO) << "skipping: " << variable << " is not set (run scripts/test to start the services)";
  }
  return {};
}

}  // namespace contentgen::testsupport

// Skips (or fails, under CONTENTGEN_REQUIRE_SERVICES=1) the current test when `variable` is unset;
// otherwise declares `const std::string name` holding its value.
#define CONTENTGEN_REQUIRE_SERVICE(name, variable)                                  \
  const std::string name = ::contentgen::testsupport::service_or_skip(variable);    \
  if (name.empty()) {                                                               \
    if (!::testing::Test::HasFailure()) GTEST_SKIP() << variable << " not set";     \
    return;                                                                         \
  }
