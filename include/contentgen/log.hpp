#pragma once
// The library's log hook. The library never writes to the host's stderr: what it has to say (an
// insecure TLS setting, a callback that threw on an I/O thread, a ledger write it had to skip) goes
// to the LogHandler the host installs -- GeneratorOptions::log, HttpOptions::log, RelayOptions::log
// (open_generator passes GeneratorOptions::log on to all of them) -- and nowhere without one.
// A handler may be called from any of the library's threads, concurrently: it must be thread-safe,
// and should be quick. An exception it throws is swallowed.
#include <functional>
#include <string_view>

#include "contentgen/export.hpp"

namespace contentgen {

enum class LogLevel { debug, info, warning, error };

// `component`: the room that speaks ("http", "relay", "generator"); `message`: one line, no newline.
using LogHandler = std::function<void(LogLevel level, std::string_view component, std::string_view message)>;

CONTENTGEN_API std::string_view to_string(LogLevel level) noexcept;  // "debug", "info", "warning", "error"

// Calls `handler` if there is one; never throws.
CONTENTGEN_API void emit_log(const LogHandler& handler, LogLevel level, std::string_view component,
                             std::string_view message) noexcept;

}  // namespace contentgen
