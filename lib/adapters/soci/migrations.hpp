#pragma once
// Versioned schema migrations (internal). Each backend has its own embedded SQL
// (schema_sqlite.cpp, schema_postgresql.cpp) for the same logical schema and the same version
// numbers; the applied versions are rows of `schema_migrations`.
#include <soci/soci.h>

#include <span>
#include <string_view>

#include "adapters/soci/database_url.hpp"

namespace contentgen::soci_adapter {

struct Migration {
  int version;
  std::string_view name;
  std::span<const std::string_view> statements;  // one SQL statement each, applied in order
};

std::span<const Migration> sqlite_migrations();
std::span<const Migration> postgresql_migrations();
std::span<const Migration> migrations_for(Backend backend);
int latest_schema_version();

// Brings the database to latest_schema_version() in one transaction (PostgreSQL: under an
// advisory lock, so processes opening the same database at once apply each migration once).
// apply == false only checks. Throws Error{storage} for a newer schema than this library knows,
// or (apply == false) for an older one.
void migrate(soci::session& sql, Backend backend, bool apply);

}  // namespace contentgen::soci_adapter
