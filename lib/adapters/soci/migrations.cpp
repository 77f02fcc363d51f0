#include "adapters/soci/migrations.hpp"

#include <string>

#include "adapters/soci/dialect.hpp"
#include "contentgen/error.hpp"

namespace contentgen::soci_adapter {
namespace {

// pg_advisory_xact_lock key shared by every process migrating a contentgen database ("contentg").
constexpr long long migration_lock_key = 0x636f6e74656e7467LL;

bool migrations_table_exists(soci::session& sql, Backend backend) {
  int exists = 0;
  if (backend == Backend::postgresql) {
    sql << "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END", soci::into(exists);
  } else {
    sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", soci::into(exists);
  }
  return exists != 0;
}

void create_migrations_table(soci::session& sql, Backend backend) {
  if (backend == Backend::postgresql) {
    sql << "CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, "
           "applied_at TIMESTAMPTZ NOT NULL)";
  } else {
    sql << "CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, "
           "applied_at BIGINT NOT NULL)";
  }
}

int current_version(soci::session& sql) {
  int version = 0;
  soci::indicator indicator = soci::i_ok;
  sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, indicator);
  return indicator == soci::i_null ? 0 : version;
}

void check_version(int current, int latest, bool apply) {
  if (current > latest)
    throw Error(ErrorCode::storage, "the database schema is at version " + std::to_string(current) +
                                        ", newer than this libcontentgen understands (" + std::to_string(latest) +
                                        "); upgrade libcontentgen, or point it at another database");
  if (current < latest && !apply)
    throw Error(ErrorCode::storage, "the database schema is at version " + std::to_string(current) +
                                        " but this libcontentgen needs " + std::to_string(latest) +
                                        "; open it with migrations enabled");
}

void apply_migrations(soci::session& sql, Backend backend, bool apply) {
  const auto list = migrations_for(backend);
  const int latest = list.back().version;
  if (backend == Backend::postgresql) {
    long long key = migration_lock_key;
    int ignored = 0;
    sql << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(:lock_key)) AS locked", soci::into(ignored),
        soci::use(key, "lock_key");
  }
  const bool exists = migrations_table_exists(sql, backend);
  if (!exists && !apply)
    throw Error(ErrorCode::storage, "the database has no contentgen schema; open it with migrations enabled");
  if (!exists) create_migrations_table(sql, backend);
  const int current = current_version(sql);
  check_version(current, latest, apply);
  const Dialect dialect(backend);
  for (const Migration& migration : list) {
    if (migration.version <= current) continue;
    for (const std::string_view statement : migration.statements) sql << std::string(statement);
    int version = migration.version;
    const std::string name(migration.name);
    const std::string applied_at = dialect.time_value(now_utc());
    sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:version, :name, " +
               dialect.time_in("applied_at") + ")",
        soci::use(version, "version"), soci::use(name, "name"), soci::use(applied_at, "applied_at");
  }
}

}  // namespace

std::span<const Migration> migrations_for(Backend backend) {
  return backend == Backend::postgresql ? postgresql_migrations() : sqlite_migrations();
}

int latest_schema_version() {
  const int sqlite = sqlite_migrations().back().version;
  const int postgresql = postgresql_migrations().back().version;
  return sqlite > postgresql ? sqlite : postgresql;  // equal by construction (tested)
}

void migrate(soci::session& sql, Backend backend, bool apply) { apply_migrations(sql, backend, apply); }

}  // namespace contentgen::soci_adapter
