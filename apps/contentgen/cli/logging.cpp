#include "cli/logging.hpp"

#include <atomic>
#include <cstdio>
#include <string>

#include "cli/args.hpp"

namespace contentgen::cli {
namespace {

constexpr int kOff = 100;
std::atomic<int> threshold{static_cast<int>(LogLevel::warning)};

}  // namespace

void set_log_threshold(std::string_view level) {
  for (const auto candidate : {LogLevel::debug, LogLevel::info, LogLevel::warning, LogLevel::error}) {
    if (level == to_string(candidate)) {
      threshold = static_cast<int>(candidate);
      return;
    }
  }
  if (level == "off") {
    threshold = kOff;
    return;
  }
  throw UsageError("--log-level must be debug, info, warning, error or off");
}

LogHandler stderr_logger() {
  return [](LogLevel level, std::string_view component, std::string_view message) {
    if (static_cast<int>(level) < threshold.load()) return;
    // One write per line, so that lines of concurrent threads do not interleave.
    const std::string line = "contentgen: " + std::string(to_string(level)) + ": " + std::string(component) + ": " +
                             std::string(message) + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
  };
}

}  // namespace contentgen::cli
