#include "contentgen/log.hpp"

namespace contentgen {

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warning: return "warning";
    case LogLevel::error: return "error";
  }
  return "error";
}

void emit_log(const LogHandler& handler, LogLevel level, std::string_view component, std::string_view message) noexcept {
  if (!handler) return;
  try {
    handler(level, component, message);
  } catch (...) {  // a host's logger must not take the library's thread down with it
  }
}

}  // namespace contentgen
