#include "adapters/soci/sql_errors.hpp"

#if defined(CONTENTGEN_SOCI_WITH_POSTGRESQL)
#include <soci/postgresql/soci-postgresql.h>
#endif
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "core/text/whitespace.hpp"

namespace contentgen::soci_adapter {
namespace {

[[maybe_unused]] ErrorCode postgresql_code(std::string_view sqlstate) {
  if (sqlstate == "23505") return ErrorCode::conflict;          // unique_violation
  if (sqlstate == "23503") return ErrorCode::not_found;         // foreign_key_violation
  if (sqlstate.starts_with("23")) return ErrorCode::invalid_argument;  // not null, check, exclusion
  if (sqlstate.starts_with("22")) return ErrorCode::invalid_argument;  // data exception (bad JSON, range)
  if (sqlstate == "57014") return ErrorCode::timeout;           // query_canceled (statement_timeout)
  if (sqlstate == "55P03") return ErrorCode::unavailable;       // lock_not_available (lock_timeout)
  if (sqlstate == "40001" || sqlstate == "40P01") return ErrorCode::unavailable;  // serialization, deadlock
  if (sqlstate.starts_with("08")) return ErrorCode::unavailable;  // connection exception
  if (sqlstate.starts_with("57P")) return ErrorCode::unavailable;  // admin/crash shutdown, cannot connect now
  if (sqlstate.starts_with("53")) return ErrorCode::unavailable;   // insufficient resources (too many connections)
  if (sqlstate.starts_with("28")) return ErrorCode::unauthorized;  // invalid authorization
  return ErrorCode::storage;
}

ErrorCode sqlite_code(int result) {
  switch (result) {
    case 1555:  // SQLITE_CONSTRAINT_PRIMARYKEY
    case 2067:  // SQLITE_CONSTRAINT_UNIQUE
      return ErrorCode::conflict;
    case 787:  // SQLITE_CONSTRAINT_FOREIGNKEY
      return ErrorCode::not_found;
    case 275:   // SQLITE_CONSTRAINT_CHECK
    case 1299:  // SQLITE_CONSTRAINT_NOTNULL
    case 3091:  // SQLITE_CONSTRAINT_DATATYPE
      return ErrorCode::invalid_argument;
    default:
      break;
  }
  switch (result & 0xFF) {
    case 5:  // SQLITE_BUSY (busy timeout passed)
    case 6:  // SQLITE_LOCKED
      return ErrorCode::unavailable;
    case 18:  // SQLITE_TOOBIG
    case 20:  // SQLITE_MISMATCH
      return ErrorCode::invalid_argument;
    default:
      return ErrorCode::storage;  // IOERR, FULL, CORRUPT, READONLY, CANTOPEN, ...
  }
}

// SOCI's message without its "Cannot execute query. Fatal error." preamble, on one line.
std::string one_line(std::string message) {
  for (const std::string_view noise : {"Cannot execute query. Fatal error. ", "Cannot execute query. ",
                                       "sqlite3_statement_backend::loadOne: ", "sqlite3_statement_backend::loadRS: ",
                                       "sqlite3_statement_backend::prepare: "}) {
    if (const auto pos = message.find(noise); pos != std::string::npos) message.erase(pos, noise.size());
  }
  return internal::collapse_whitespace(message);
}

}  // namespace

Error translate_sql_error(const soci::soci_error& error, Backend backend, std::string_view operation,
                          bool connection_lost, const std::vector<std::string>& secrets) {
  ErrorDetails details;
  details.provider = backend == Backend::postgresql ? "postgresql" : "sqlite";
  ErrorCode code = ErrorCode::storage;
  // provider_code: the PostgreSQL SQLSTATE or the SQLite (extended) result code, when there is one.
#if defined(CONTENTGEN_SOCI_WITH_POSTGRESQL)
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    details.provider_code = pg->sqlstate();
    code = postgresql_code(pg->sqlstate());
  } else
#endif
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    details.provider_code = std::to_string(lite->result());
    code = sqlite_code(lite->result());
  } else if (error.get_error_category() == soci::soci_error::connection_error) {
    code = ErrorCode::unavailable;
  }
  if (connection_lost) code = ErrorCode::unavailable;
  std::string message = std::string(operation) + ": " + one_line(error.get_error_message());
  if (connection_lost) message += " (connection lost; the next call reconnects)";
  return Error(code, scrub_secrets(std::move(message), secrets), std::move(details));
}

}  // namespace contentgen::soci_adapter
