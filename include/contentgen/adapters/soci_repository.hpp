#pragma once
// ArticleRepository on SOCI: SQLite (the embedded default) or PostgreSQL (several processes, one
// database), selected by URL. See docs/adapters/soci.md.
//
//   sqlite:PATH                 a database file (created when missing); sqlite:///abs/path also works
//   sqlite::memory:             a private in-memory database (one connection; gone when closed)
//   postgresql://user:pass@host:port/db?sslmode=require&application_name=x
//                               a libpq URI (postgres:// too; percent-encoding decoded; several
//                               hosts as host1:5432,host2:5432; every query parameter is passed to
//                               libpq as a keyword)
//   host=... port=... dbname=... user=... password=...
//                               the libpq keyword form, as is
//
// Opening applies the versioned migrations the database lacks (a `schema_migrations` table); a
// database whose schema is newer than this library is refused with Error{storage}. Connections
// come from a pool of `pool_size`; a connection that was lost is re-established on its next use,
// so the process never needs a restart after a database outage. Errors are Error{storage},
// {unavailable} (unreachable, connection lost, lock or busy timeout: retry later), {timeout}
// (statement_timeout), {unauthorized} (credentials refused), {conflict}, {not_found} or
// {invalid_argument}; passwords never appear in a message.
//
// Thread safety: the returned repository may be used from any number of threads at once.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "contentgen/export.hpp"
#include "contentgen/ports/article_repository.hpp"

namespace contentgen {

struct SociRepositoryOptions {
  std::string url = "sqlite:contentgen.db";
  // Connections kept open. sqlite::memory: always uses exactly one.
  std::size_t pool_size = 4;
  // How long a call waits for a free pooled connection before Error{unavailable}.
  std::chrono::milliseconds acquire_timeout{10'000};
  // How long a statement waits for a lock held by another connection or process before
  // Error{unavailable}: SQLite's busy timeout, PostgreSQL's lock_timeout.
  std::chrono::milliseconds lock_timeout{5'000};
  // PostgreSQL statement_timeout (0: none); a statement running longer fails with Error{timeout}.
  std::chrono::milliseconds statement_timeout{0};
  // PostgreSQL connect_timeout, unless the URL sets its own.
  std::chrono::seconds connect_timeout{10};
  // Apply missing migrations on open. When false, a database that is not exactly at this
  // library's schema version is refused with Error{storage}.
  bool migrate = true;
  // SQLite PRAGMA synchronous: "FULL" (every commit durable, the default) or "NORMAL" (WAL mode:
  // a power loss may drop the last commits but never corrupts the file).
  std::string sqlite_synchronous = "FULL";
};

// The schema version this library writes and reads.
CONTENTGEN_API int soci_schema_version() noexcept;

// Opens (and migrates) the database. Throws Error{invalid_argument, field "url"} for a URL it
// cannot parse, Error{unavailable} when the database cannot be reached, Error{storage} for a
// schema it cannot use.
CONTENTGEN_API std::shared_ptr<ArticleRepository> open_soci_repository(const SociRepositoryOptions& options);

// `url` with any password replaced by "***" (for logs and messages).
CONTENTGEN_API std::string redact_database_url(std::string_view url);

}  // namespace contentgen
