#include "adapters/soci/session_pool.hpp"

#if defined(CONTENTGEN_SOCI_WITH_POSTGRESQL)
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#endif
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <limits>
#include <thread>

#include "adapters/soci/sql_errors.hpp"

namespace contentgen::soci_adapter {
namespace {

int clamp_millis(std::chrono::milliseconds value) {
  return static_cast<int>(std::clamp<long long>(value.count(), 0, std::numeric_limits<int>::max()));
}

std::string_view checked_synchronous(const std::string& value) {
  for (const std::string_view allowed : {"OFF", "NORMAL", "FULL", "EXTRA"})
    if (value == allowed) return allowed;
  throw Error::invalid_argument("sqlite_synchronous", "must be OFF, NORMAL, FULL or EXTRA");
}

std::size_t pool_size_for(const DatabaseTarget& target, const SociRepositoryOptions& options) {
  if (options.pool_size == 0) throw Error::invalid_argument("pool_size", "the pool needs at least one connection");
  // Every connection to ":memory:" would be a separate, empty database.
  return target.in_memory() ? 1 : options.pool_size;
}

DatabaseTarget with_connection_defaults(DatabaseTarget target, const SociRepositoryOptions& options) {
  if (target.backend == Backend::postgresql) {
    target.keywords.try_emplace("connect_timeout", std::to_string(std::max<long long>(1, options.connect_timeout.count())));
    target.keywords.try_emplace("fallback_application_name", "contentgen");
  }
  return target;
}

}  // namespace

SessionPool::SessionPool(DatabaseTarget target, const SociRepositoryOptions& options)
    : target_(with_connection_defaults(std::move(target), options)),
      connect_string_(to_soci_connect_string(target_)),
      options_(options),
      dialect_(target_.backend),
      pool_(pool_size_for(target_, options)),
      slots_(pool_size_for(target_, options)) {
  if (target_.backend == Backend::sqlite) checked_synchronous(options_.sqlite_synchronous);
  for (std::size_t i = 0; i < slots_.size(); ++i) connect(i);
}

SessionPool::~SessionPool() = default;

void SessionPool::connect(std::size_t position) {
  soci::session& sql = pool_.at(position);
  slots_[position].broken = true;
  try {
    sql.close();
    if (target_.backend == Backend::postgresql) {
#if defined(CONTENTGEN_SOCI_WITH_POSTGRESQL)
      sql.open(soci::postgresql, connect_string_);
#endif
    } else {
      sql.open(soci::sqlite3, connect_string_);
    }
    set_up(sql);
  } catch (const soci::soci_error& error) {
    Error translated = translate(error, "connect to " + target_.redacted, false);
    // A failed connect carries no SQLSTATE: anything short of bad credentials is "try again later".
    if (target_.backend == Backend::postgresql && translated.code() == ErrorCode::storage) {
      const std::string what = error.get_error_message();
      const bool refused_credentials = what.find("authentication failed") != std::string::npos ||
                                       what.find("no password supplied") != std::string::npos;
      translated = Error(refused_credentials ? ErrorCode::unauthorized : ErrorCode::unavailable,
                         translated.what(), translated.details());
    }
    throw translated;
  }
  slots_[position].broken = false;
}

void SessionPool::set_up(soci::session& sql) {
  if (target_.backend == Backend::sqlite) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    sqlite_api::sqlite3_extended_result_codes(backend->conn_, 1);
    sqlite_api::sqlite3_busy_timeout(backend->conn_, clamp_millis(options_.lock_timeout));
    sql << "PRAGMA foreign_keys = ON";
    if (!target_.in_memory()) {
      // Switching a new database to WAL upgrades a read lock to a write lock; SQLite answers BUSY
      // at once, without its busy handler, when another connection does the same at that moment
      // (several processes opening one fresh file). Retry the statement until the lock timeout.
      const auto give_up = std::chrono::steady_clock::now() + options_.lock_timeout;
      for (;;) {
        try {
          std::string mode;
          sql << "PRAGMA journal_mode = WAL", soci::into(mode);
          break;
        } catch (const soci::sqlite3_soci_error& error) {
          if ((error.result() & 0xFF) != SQLITE_BUSY || std::chrono::steady_clock::now() >= give_up) throw;
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
    }
    sql << "PRAGMA synchronous = " + std::string(checked_synchronous(options_.sqlite_synchronous));
    return;
  }
#if defined(CONTENTGEN_SOCI_WITH_POSTGRESQL)
  // libpq prints NOTICEs to stderr by default; a library must not write to the host's stderr.
  PQsetNoticeProcessor(static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_,
                       [](void*, const char*) {}, nullptr);
#endif
  const std::string lock_timeout = std::to_string(clamp_millis(options_.lock_timeout));
  const std::string statement_timeout = std::to_string(clamp_millis(options_.statement_timeout));
  std::string ignored_lock, ignored_statement;
  sql << "SELECT set_config('lock_timeout', :lock_ms, false), set_config('statement_timeout', :statement_ms, false)",
      soci::into(ignored_lock), soci::into(ignored_statement), soci::use(lock_timeout, "lock_ms"),
      soci::use(statement_timeout, "statement_ms");
}

Error SessionPool::translate(const soci::soci_error& error, std::string_view operation, bool lost) const {
  return translate_sql_error(error, target_.backend, operation, lost, target_.secrets);
}

SessionPool::Lease::Lease(SessionPool& pool) : pool_(pool) {
  if (!pool_.pool_.try_lease(position_, clamp_millis(pool_.options_.acquire_timeout)))
    throw Error(ErrorCode::unavailable, "no free database connection within " +
                                            std::to_string(pool_.options_.acquire_timeout.count()) + " ms (pool of " +
                                            std::to_string(pool_.slots_.size()) + ")");
  if (pool_.slots_[position_].broken) {
    try {
      pool_.connect(position_);
    } catch (...) {
      pool_.pool_.give_back(position_);
      throw;
    }
  }
}

SessionPool::Lease::~Lease() { pool_.pool_.give_back(position_); }

bool SessionPool::Lease::connection_lost() {
  if (pool_.target_.backend != Backend::postgresql) return false;
  bool connected = false;
  try {
    connected = session().is_connected();
  } catch (const soci::soci_error&) {
    connected = false;
  }
  if (!connected) pool_.slots_[position_].broken = true;
  return !connected;
}

void SessionPool::Lease::rollback_quietly() {
  try {
    session() << "ROLLBACK";
  } catch (const soci::soci_error&) {
    pool_.slots_[position_].broken = true;  // state unknown: start over with a fresh connection
  }
}

}  // namespace contentgen::soci_adapter
