#pragma once
// The CLI's and the server's logger: the library's log hook (contentgen/log.hpp) written to stderr
// as "contentgen: <level>: <component>: <message>", at or above the --log-level threshold.
#include <string_view>

#include "contentgen/log.hpp"

namespace contentgen::cli {

// "debug", "info", "warning" (the default), "error" or "off"; UsageError otherwise.
void set_log_threshold(std::string_view level);
LogHandler stderr_logger();

}  // namespace contentgen::cli
