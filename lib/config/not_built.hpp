#pragma once
// Small helpers of the open_*() functions: the error for a configured kind whose adapter is not
// compiled into this build (never a silent fallback to a fake), and field-name translation from
// an adapter's option names to the configuration's dotted keys.
#include <chrono>
#include <cmath>
#include <string>
#include <string_view>

#include "contentgen/error.hpp"

namespace contentgen::configdetail {

[[noreturn]] inline void throw_not_built(std::string_view field, std::string_view kind, std::string_view adapter) {
  throw Error::invalid_argument(std::string(field), "\"" + std::string(kind) + "\" is not available: this build of "
                                "libcontentgen was made without the " + std::string(adapter) + " adapter");
}

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
