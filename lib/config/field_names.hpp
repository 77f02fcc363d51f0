#pragma once
// Small helpers of the adapters' from_config.cpp functions: field-name translation from an
// adapter's option names to the configuration's dotted keys, and seconds to milliseconds.
#include <chrono>
#include <cmath>
#include <string>
#include <string_view>

#include "contentgen/error.hpp"

namespace contentgen::configdetail {

// An adapter's invalid_argument names its own option ("url", "s3.bucket"); the user wrote
// "repository.url" / "images.bucket". Rewrites `from` (or a bare name) to `to`.
inline void rename_field(Error& error, std::string_view from, std::string_view to) {
  if (error.code() != ErrorCode::invalid_argument) return;
  std::string& field = error.details().field;
  if (field.empty() || field.rfind(to, 0) == 0) return;
  if (!from.empty() && field.rfind(from, 0) == 0) field.erase(0, from.size());
  field.insert(0, to);
}

inline std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
}

}  // namespace contentgen::configdetail
