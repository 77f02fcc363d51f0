#pragma once
// SQL errors -> the library's ErrorCode taxonomy (internal).
#include <string>
#include <string_view>
#include <vector>

#include "adapters/soci/database_url.hpp"
#include "contentgen/error.hpp"

namespace soci {
class soci_error;
}

namespace contentgen::soci_adapter {

// Maps a SOCI exception raised during `operation`:
//   unique violation -> conflict; foreign key -> not_found; check / not null / bad input -> invalid_argument;
//   connection lost, busy/locked, lock timeout, deadlock, server shutting down -> unavailable;
//   statement timeout -> timeout; bad credentials -> unauthorized; anything else -> storage.
// `connection_lost` (the session no longer works) forces unavailable. `secrets` are scrubbed.
Error translate_sql_error(const soci::soci_error& error, Backend backend, std::string_view operation,
                          bool connection_lost, const std::vector<std::string>& secrets);

}  // namespace contentgen::soci_adapter
